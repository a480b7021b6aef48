/** The verify page: reads a dropped or chosen certificate and says whether it is genuine. */
import { acceptDroppedFiles } from '../../browser/drop-zone.ts';
import { councilTimeZone, formatDate, percent } from '../../browser/status-words.ts';
import type { Jwks } from '../../lib/signing/index.ts';

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The verify page is missing ${selector}`);
  return element;
};

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};

/**
 * The council's public signing keys, asked for as the page opens, so a
 * certificate chosen after the network goes off still checks. On a static host
 * built without a hub there are none, and every certificate checks as self-issued.
 */
async function loadSigningKeys(): Promise<Jwks | undefined> {
  try {
    const response = await fetch('/.well-known/jwks.json', { headers: { Accept: 'application/json' }, cache: 'no-cache' });
    if (!response.ok) return undefined;
    const { readJwks } = await import('../../lib/signing/index.ts');
    return readJwks(await response.json());
  } catch {
    return undefined;
  }
}

/** Wires up the file input and the drop zone. */
export function startVerify(): void {
  const keys = loadSigningKeys();
  // The checker (pdf-lib) loads once the page is up, not on the first file: a certificate chosen after the network goes off still checks.
  const checker = new Promise<void>((resolve) =>
    document.readyState === 'complete' ? resolve() : addEventListener('load', () => resolve(), { once: true }),
  ).then(() => import('../../lib/certificate/checking.ts'));
  checker.catch(() => {
    // Said when a file is chosen.
  });
  const input = $<HTMLInputElement>('#certificate-file');
  const zone = $('[data-drop-zone]');
  const error = $('#certificate-file-error');
  const result = $('[data-result]');

  const linked = new URLSearchParams(location.search).get('id');
  if (linked) {
    const note = $('[data-id-from-link]');
    note.hidden = false;
    note.textContent = `You followed the link on certificate ${linked}. Choose that certificate's PDF file to check it.`;
  }

  const showError = (message: string) => {
    error.hidden = !message;
    error.textContent = message;
    input.closest('.form-group')?.classList.toggle('form-group--error', Boolean(message));
  };

  const check = async (file: File) => {
    showError('');
    result.replaceChildren(element('p', `Checking ${file.name}…`));
    let loaded: Awaited<typeof checker>;
    try {
      loaded = await checker;
    } catch {
      result.replaceChildren();
      showError('The part of this page that checks certificates did not download. Check your internet connection, then reload the page.');
      return;
    }
    const { verifyCertificate, maxCertificateBytes } = loaded;
    if (file.size > maxCertificateBytes) {
      result.replaceChildren();
      showError(
        `${file.name} is ${(file.size / 1_048_576).toFixed(1)} MB. A certificate is much smaller: files over ${maxCertificateBytes / 1_048_576} MB are not checked.`,
      );
      return;
    }
    const signingKeys = await keys;
    const outcome = await verifyCertificate(new Uint8Array(await file.arrayBuffer()), {
      now: new Date(),
      timeZone: councilTimeZone(),
      ...(signingKeys ? { keys: signingKeys } : {}),
    });
    const box = element(
      'div',
      undefined,
      `notification ${outcome.status === 'genuine' ? (outcome.details.expired ? 'notification--warning' : 'notification--success') : 'notification--warning'}`,
    );
    const body = element('div', undefined, 'notification__body');
    if (outcome.status === 'genuine') {
      const { details } = outcome;
      const { issuer } = details;
      const expiry = details.expired ? ` It expired on ${formatDate(details.validUntil)}.` : '';
      if (issuer.kind === 'recorded') {
        box.append(element('h2', `Recorded by ${issuer.council}’s learning record`, 'notification__title'));
        body.append(
          element(
            'p',
            `Recorded by ${issuer.council}’s learning record on ${formatDate(issuer.recordedAt)}. ${file.name} has not been changed since.${expiry}`,
          ),
          element('p', 'The council’s signature proves what its learning record holds, not who did the learning.'),
        );
      } else {
        box.append(element('h2', 'Self-issued: shows it was not changed', 'notification__title'));
        body.append(
          element('p', `${file.name} has not been changed since it was made.${expiry}`),
          element(
            'p',
            issuer.uncheckedSignature
              ? 'It carries a signature from a council’s learning record, but this site has no keys to check it with, so treat it as made in the learner’s own browser: it does not prove who did the learning.'
              : 'It was made in the learner’s own browser, so it does not prove who did the learning.',
          ),
        );
      }
      const list = element('dl', undefined, 'summary-list');
      const rows: [string, string][] = [
        ['Name', details.latinName ? `${details.learnerName} (${details.latinName})` : details.learnerName],
        ['Organisation', details.organisation],
        [
          details.kind === 'role' ? 'Role' : 'Module certificate for',
          details.kind === 'role' ? `${details.roleName}, level ${details.level}: ${details.levelName}` : (details.requirements[0]?.title ?? ''),
        ],
        ['Issued by', details.councilName],
        ['Issued on', formatDate(details.issuedAt)],
        ['Valid until', `${formatDate(details.validUntil)}${details.expired ? ' (expired)' : ''}`],
        ['Certificate ID', details.certificateId],
        ['Integrity code', details.integrityCode],
      ];
      for (const [term, value] of rows) {
        const row = element('div');
        row.append(element('dt', term), element('dd', value));
        list.append(row);
      }
      const table = element('table');
      table.append(element('caption', 'What it covers'));
      const head = element('thead');
      const headRow = element('tr');
      for (const heading of ['Item', 'Completed', 'Score', 'Renew by']) {
        const cell = element('th', heading);
        cell.scope = 'col';
        headRow.append(cell);
      }
      head.append(headRow);
      const tableBody = element('tbody');
      for (const requirement of details.requirements) {
        const row = element('tr');
        const name = element('th', requirement.title);
        name.scope = 'row';
        row.append(
          name,
          element('td', formatDate(requirement.completedAt), 'date'),
          element('td', requirement.score === undefined ? (requirement.kind === 'film' ? 'Watched' : '') : percent(requirement.score)),
          element('td', formatDate(requirement.renewalDate), 'date'),
        );
        tableBody.append(row);
      }
      table.append(head, tableBody);
      body.append(list, table);
    } else {
      const titles = {
        edited: 'This certificate has been changed',
        'not-ours': 'This is not one of our certificates',
        unreadable: 'This file cannot be read as a certificate',
      };
      box.append(element('h2', titles[outcome.status], 'notification__title'));
      body.append(
        element('p', `${file.name}: ${outcome.reason}`),
        element('p', 'Do not rely on it. Ask the person for the certificate file they downloaded, or to complete the learning again.'),
      );
    }
    box.append(body);
    result.replaceChildren(box);
    result.focus();
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void check(file);
  });
  acceptDroppedFiles(zone, 'drop-zone--active', ([file]) => {
    if (file) void check(file);
  });
}

/** Download, load and erase the learner's record, on the privacy page. */
import { learnerRecord } from '../../browser/learner.ts';
import { downloadMyRecord } from '../../browser/record-download.ts';
import { readCredential } from '../../browser/hub-credential.ts';
import { waitingStatements } from '../../lib/outbox/index.ts';
import type { Statement } from '@xapi/xapi';

/** What the hub holds of the record: read from storage each time, as the sender in another tab may have added to it. */
async function hubMarks() {
  const { openHubMarks } = await import('../../lib/record/hub-marks.ts');
  const store = await openHubMarks('learner');
  try {
    return await store.read();
  } finally {
    await store.close();
  }
}

/** "passed Safeguarding basics on 4 June 2026": a statement as a learner would say it. */
function statementInWords(statement: Statement): string {
  const pick = (map: Record<string, string> | undefined) => (map ? (map['en-GB'] ?? map['en-US'] ?? Object.values(map)[0]) : undefined);
  const verb = pick(statement.verb.display) ?? statement.verb.id.split('/').pop() ?? 'did';
  const object = statement.object as { id?: string; definition?: { name?: Record<string, string> } };
  const what = pick(object.definition?.name) ?? object.id ?? 'something';
  const when = statement.timestamp
    ? ` on ${new Date(statement.timestamp).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}`
    : '';
  return `${verb} ${what}${when}`;
}

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The privacy page is missing ${selector}`);
  return element;
};

/** What the learner reads when an action fails for a reason the page did not foresee; the cause goes to the console. */
function tellFailure(where: HTMLElement, what: string, failure: unknown): void {
  console.error(failure);
  where.textContent = `${what} did not work in this browser. Reload the page and try again. If it keeps happening, download your record from My learning, or use another browser.`;
}

/** Runs an async click handler so that a failure is told to the learner in `where`, never lost. */
function onClick(selector: string, what: string, where: () => HTMLElement, action: () => Promise<void>): void {
  $(selector).addEventListener('click', () => {
    action().catch((failure: unknown) => tellFailure(where(), what, failure));
  });
}

/**
 * Wires up the record controls at once; each control waits for the record to
 * open, so a click made while the page is still loading is not lost.
 */
export function startRecordControls(): void {
  const opening = Promise.all([learnerRecord(), import('../../lib/record/index.ts')]).then(([learner, record]) => ({
    learner,
    store: learner.record.store,
    record,
  }));
  opening
    .then(async ({ learner, store }) => {
      await summarise(learner, store);
      store.subscribe(
        () => void summarise(learner, store).catch((failure: unknown) => tellFailure($('[data-record-summary]'), 'Reading your record', failure)),
      );
    })
    .catch((failure: unknown) => tellFailure($('[data-record-summary]'), 'Reading your record', failure));

  const summarise = async (learner: Awaited<ReturnType<typeof learnerRecord>>, store: Awaited<ReturnType<typeof learnerRecord>>['store']) => {
    // Only a browser signed in to a hub has marks; opening them otherwise would keep a connection to a record being erased.
    const [statements, profile, marks] = await Promise.all([
      store.all(),
      store.getProfile(),
      readCredential() ? hubMarks() : { acknowledged: new Set<string>(), refused: new Map<string, string>(), pulledUntil: undefined },
    ]);
    // What the hub refused stays here, with the hub's reason, so the learner (or their lead) can act on it.
    const refused = statements.filter((statement) => marks.refused.has(statement.id as string));
    const refusedList = $('[data-hub-refused-list]');
    refusedList.replaceChildren(
      ...refused.map((statement) =>
        Object.assign(document.createElement('li'), { textContent: `${statementInWords(statement)}: ${marks.refused.get(statement.id as string) ?? ''}` }),
      ),
    );
    $('[data-hub-refused]').hidden = refused.length === 0;
    // Erasing learning the hub does not have yet loses it for good: the confirmation says so first.
    const waiting = readCredential() ? waitingStatements(statements, marks).length : 0;
    $('[data-erase-unsent]').textContent =
      waiting > 0
        ? `${waiting} item${waiting === 1 ? ' has' : 's have'} not reached the council’s record yet. If you erase now, ${waiting === 1 ? 'it is' : 'they are'} lost for good: go online and wait for ${waiting === 1 ? 'it' : 'them'} to send, or download your record first.`
        : '';
    const where = learner.record.storageState.mode === 'memory' ? ' This browser is not letting us keep it after you close the page.' : '';
    $('[data-record-summary]').textContent =
      statements.length === 0 && !profile
        ? `There is no learning record in this browser.${where}`
        : `This browser holds a learning record${profile ? ` for ${profile.name}` : ''} with ${statements.length} learning statement${statements.length === 1 ? '' : 's'}.${where}`;
  };
  onClick(
    '[data-action="export"]',
    'Downloading your record',
    () => $('[data-import-result]'),
    async () => {
      await downloadMyRecord((await opening).learner);
    },
  );

  const input = $<HTMLInputElement>('#import-file');
  const error = $('#import-error');
  const result = $('[data-import-result]');
  const showError = (message: string) => {
    error.hidden = !message;
    error.textContent = message;
    input.closest('.form-group')?.classList.toggle('form-group--error', Boolean(message));
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  onClick(
    '[data-action="import"]',
    'Loading the file',
    () => result,
    async () => {
      result.replaceChildren();
      const { learner, store, record } = await opening;
      const file = input.files?.[0];
      if (!file) {
        showError('Choose a record file to load');
        input.focus();
        return;
      }
      if (file.size > record.maxRecordFileSize) {
        showError(`${file.name} is too big to be a record file (the limit is ${Math.round(record.maxRecordFileSize / 1_048_576)} MB)`);
        return;
      }
      try {
        const report = await store.importRecord(await file.text(), file.name);
        showError('');
        const lines = [
          `Loaded ${file.name}: ${report.added} new learning statement${report.added === 1 ? '' : 's'} added, ${report.skipped} already here.`,
          ...(report.profileRestored ? ['Your details were restored from the file.'] : []),
          ...(report.siteUrl === learner.siteUrl
            ? []
            : [`This file was made on ${report.siteUrl}, not on this site, so its learning does not count towards your plan here.`]),
          ...(report.problems.length
            ? [
                `${report.problems.length} statement${report.problems.length === 1 ? ' was' : 's were'} left out because ${report.problems.length === 1 ? 'it is' : 'they are'} not valid:`,
              ]
            : []),
        ];
        const list = document.createElement('ul');
        for (const problem of report.problems.slice(0, 20)) {
          list.append(
            Object.assign(document.createElement('li'), {
              textContent: `Statement ${problem.index + 1}${problem.statementId ? ` (${problem.statementId})` : ''}: ${problem.field}: ${problem.reason}`,
            }),
          );
        }
        result.replaceChildren(
          ...lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })),
          ...(report.problems.length ? [list] : []),
        );
      } catch (failure) {
        // Anything else (storage full, a browser fault) is still said next to the file, never left unhandled.
        showError(
          failure instanceof record.RecordFileError
            ? failure.message
            : `${file.name} could not be loaded: ${failure instanceof Error ? failure.message : String(failure)}`,
        );
      }
    },
  );

  const confirm = $('[data-erase-confirm]');
  const eraseResult = $('[data-erase-result]');
  $('[data-action="erase"]').addEventListener('click', () => {
    confirm.hidden = false;
    eraseResult.textContent = '';
    $('#erase-confirm-heading').focus();
  });
  $('[data-action="erase-cancel"]').addEventListener('click', () => {
    confirm.hidden = true;
    $('[data-action="erase"]').focus();
  });
  onClick(
    '[data-action="erase-confirmed"]',
    'Erasing your record',
    () => eraseResult,
    async () => {
      const { learner, record } = await opening;
      try {
        await learner.erase();
        eraseResult.textContent = 'Your record has been erased from this browser.';
      } catch (failure) {
        eraseResult.textContent = (
          failure instanceof record.RecordEraseError ? failure : new record.RecordEraseError('Your record', { cause: failure })
        ).message;
      }
      confirm.hidden = true;
      $('[data-action="erase"]').focus();
    },
  );
}

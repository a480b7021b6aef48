/**
 * The lead's page on the hub: loads their organisations, enrolments, links and
 * staff from /api/lead/ and lets them make and revoke links, confirm or refuse
 * enrolments, and turn off devices. Everything shown is set as text.
 */
import { qrSvg } from '../../../lib/qr/index.ts';
import { confirmInPlace } from '../../../browser/confirm-in-place.ts';
import { formatDate } from '../../../browser/status-words.ts';
import { addPasskey } from '../../../browser/passkey.ts';
import { startEmailReminders } from '../../../browser/email-reminders.ts';
import { oidcEnabled, oidcProblem } from '../../../browser/staff-oidc.ts';
import {
  act,
  actionButton,
  type OrganisationSummary as Organisation,
  announce,
  fillRows,
  hubRequest,
  openStaffPage,
  showError,
  signedInStaff,
  signOut,
  type SignedInStaff,
} from '../../../browser/staff.ts';

interface Enrolment {
  id: string;
  name: string;
  roleId: string;
  organisation: string;
  created: string;
  link: string;
}
interface Link {
  id: string;
  organisation: string;
  label: string;
  created: string;
  expires: string;
  maxUses: number;
  uses: number;
  revoked: string | null;
}
interface Learner {
  id: string;
  name: string;
  roleId: string;
  organisation: string;
  /** The mail server refused their email address, so reminders do not reach them. */
  emailNotWorking: boolean;
  devices: { id: string; label: string; shared: boolean; lastUsed: string; revoked: string | null; expires: string | null }[];
}

const rows = (name: string) => document.querySelector<HTMLTableSectionElement>(`[data-rows="${name}"]`)!;

function roleNames(): Record<string, string> {
  const element = document.getElementById('fh-role-names');
  return element?.textContent ? (JSON.parse(element.textContent) as Record<string, string>) : {};
}

/** A link's state in words: revoked, out of date, used up, or working. */
export function linkState(link: Pick<Link, 'revoked' | 'expires' | 'uses' | 'maxUses'>, now: Date): 'revoked' | 'expired' | 'used up' | 'working' {
  if (link.revoked) return 'revoked';
  if (new Date(link.expires) <= now) return 'expired';
  if (link.uses >= link.maxUses) return 'used up';
  return 'working';
}

export async function startLeadHub(): Promise<void> {
  const me = await openStaffPage('lead');
  if (!me) return;
  const roles = roleNames();
  const roleName = (id: string) => roles[id] ?? id;

  const refresh = async () => {
    const [organisations, enrolments, links, learners] = await Promise.all([
      hubRequest<Organisation[]>('/api/lead/organisations'),
      hubRequest<Enrolment[]>('/api/lead/enrolments'),
      hubRequest<Link[]>('/api/lead/links'),
      hubRequest<Learner[]>('/api/lead/learners'),
    ]);
    fillRows(
      rows('organisations'),
      organisations.map((org) => [org.name, org.district, String(org.confirmed), String(org.awaiting)]),
      'You do not lead any organisation yet. Ask your council’s admin to add you to one.',
      4,
    );
    const select = document.querySelector<HTMLSelectElement>('#link-organisation')!;
    const chosen = select.value;
    select.replaceChildren(...organisations.map((org) => new Option(org.name, org.id, false, org.id === chosen)));

    fillRows(
      rows('enrolments'),
      enrolments.map((person) => [
        person.name,
        roleName(person.roleId),
        person.organisation,
        person.link,
        formatDate(person.created),
        [
          actionButton('Confirm', person.name, () => void act(() => change(`/api/lead/enrolments/${person.id}/confirm`, `${person.name} is confirmed.`))),
          ' ',
          actionButton(
            'Refuse',
            person.name,
            (button) =>
              confirmInPlace(button, {
                question: `Refuse ${person.name}? Their account and anything they have sent to the hub will be removed.`,
                confirmLabel: `Yes, refuse ${person.name}`,
                onConfirm: () => void act(() => change(`/api/lead/enrolments/${person.id}/refuse`, `${person.name} is refused and their account removed.`)),
              }),
            'warning',
          ),
        ],
      ]),
      'Nobody is waiting for you to confirm them.',
      6,
    );

    const now = new Date();
    fillRows(
      rows('links'),
      links.map((link) => {
        const state = linkState(link, now);
        const name = link.label || `made ${formatDate(link.created)}`;
        return [
          name,
          link.organisation,
          `${link.uses} of ${link.maxUses}`,
          state === 'working' ? formatDate(link.expires) : `${formatDate(link.expires)} (${state})`,
          state === 'working'
            ? actionButton(
                'Stop this link',
                name,
                () => void act(() => change(`/api/lead/links/${link.id}/revoke`, `The link “${name}” no longer works.`)),
                'warning',
              )
            : '',
        ];
      }),
      'You have not made any enrolment links yet.',
      5,
    );

    fillRows(
      rows('learners'),
      learners.map((learner) => {
        const list = document.createElement('ul');
        for (const device of learner.devices) {
          const item = document.createElement('li');
          const label = device.label || 'A browser';
          item.append(`${label}${device.shared ? ' (shared computer)' : ''}, last used ${formatDate(device.lastUsed)}`);
          if (device.revoked) item.append(' – turned off');
          else {
            item.append(' ');
            item.append(
              actionButton(
                'Turn off',
                `${label} of ${learner.name}`,
                () => void act(() => change(`/api/lead/devices/${device.id}/revoke`, `${label} of ${learner.name} is turned off.`)),
                'warning',
              ),
            );
          }
          list.append(item);
        }
        const name = learner.emailNotWorking ? [learner.name, document.createElement('br'), 'Email address not working: remind them yourself'] : learner.name;
        return [name, roleName(learner.roleId), learner.organisation, learner.devices.length > 0 ? list : 'No devices'];
      }),
      'No confirmed staff yet.',
      4,
    );
  };

  const change = async (path: string, done: string) => {
    await hubRequest(path, { json: {} });
    await refresh();
    announce(done);
  };

  showPasskeys(me);
  void startEmailReminders((method, json) => hubRequest('/api/email/lead', { method, json }));

  document.querySelector('[data-action="sign-out"]')?.addEventListener('click', () => void act(signOut));
  document.querySelector('[data-action="add-passkey"]')?.addEventListener('click', () => {
    void act(async () => {
      const name = document.querySelector<HTMLInputElement>('#new-passkey-name')!;
      await addPasskey(name.value);
      name.value = '';
      showPasskeys((await signedInStaff())!);
      announce('Your new passkey is added.');
    });
  });

  const form = document.querySelector<HTMLFormElement>('[data-form="link"]')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      const data = new FormData(form);
      const link = await hubRequest<{ url: string; organisation: string }>('/api/lead/links', {
        json: { organisationId: data.get('organisationId'), label: data.get('label'), days: Number(data.get('days')), maxUses: Number(data.get('maxUses')) },
      });
      const panel = document.querySelector<HTMLElement>('[data-new-link]')!;
      document.querySelector<HTMLInputElement>('#new-link-url')!.value = link.url;
      document.querySelector('[data-new-link-qr]')!.innerHTML = qrSvg(link.url, `QR code of the enrolment link for ${link.organisation}`);
      panel.hidden = false;
      panel.focus();
      await refresh();
    });
  });
  document.querySelector('[data-action="copy-link"]')?.addEventListener('click', () => {
    void act(async () => {
      await navigator.clipboard.writeText(document.querySelector<HTMLInputElement>('#new-link-url')!.value);
      announce('The link is copied.');
    });
  });
  document.querySelector('[data-action="print"]')?.addEventListener('click', () => print());
  document.querySelector('[data-action="link-oidc"]')?.addEventListener('click', () => {
    void act(async () => {
      const { url } = await hubRequest<{ url: string }>('/api/staff/oidc/link', { json: {} });
      location.assign(url);
    });
  });
  if (await oidcEnabled()) {
    document.querySelector<HTMLElement>('[data-oidc-linked]')!.hidden = !me.oidcLinked;
    document.querySelector<HTMLElement>('[data-oidc-unlinked]')!.hidden = me.oidcLinked;
    document.querySelector<HTMLElement>('[data-oidc]')!.hidden = false;
  }
  // Loaded last, so every form already has its handler when the page shows data to act on.
  await act(refresh);
  // After the first load, which clears the page's error region.
  const problem = oidcProblem(location.search);
  if (problem) showError(new Error(problem));
  else if (new URLSearchParams(location.search).get('linked') === 'oidc') announce('Your council account is linked.');
}

function showPasskeys(me: SignedInStaff): void {
  const list = document.querySelector('[data-passkeys]')!;
  list.replaceChildren(
    ...me.passkeys.map((key, index) => {
      const item = document.createElement('li');
      item.textContent = `${key.name || `Passkey ${index + 1}`}, added ${formatDate(key.created)}${key.lastUsed ? `, last used ${formatDate(key.lastUsed)}` : ''}`;
      return item;
    }),
  );
}

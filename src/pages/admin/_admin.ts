/**
 * The admin's page on the hub: organisations, leads (invite, reset, remove), API
 * keys, the audit log paged back, and erasure. Secrets (invite links, key
 * secrets) are shown once, as the hub keeps only their hashes.
 */
import { confirmInPlace } from '../../browser/confirm-in-place.ts';
import { councilTimeZone, formatDate } from '../../browser/status-words.ts';
import { loadForwarding } from './_forwarding.ts';
import { act, actionButton, type OrganisationSummary as Organisation, announce, fillRows, hubRequest, openStaffPage, signOut } from '../../browser/staff.ts';

interface Lead {
  id: string;
  name: string;
  kind: 'admin' | 'lead';
  organisations: string[];
  passkeys: number;
}
interface Key {
  key: string;
  name: string;
  scopes: string[];
  created: string;
  revoked: string | null;
}
interface AuditEntry {
  seq: number;
  at: string;
  actorName: string;
  action: string;
  subject: string;
}
interface Learner {
  id: string;
  name: string;
  organisation: string;
  status: 'awaiting' | 'confirmed';
}

const rows = (name: string) => document.querySelector<HTMLTableSectionElement>(`[data-rows="${name}"]`)!;

/** A choice (checkbox and label) built from text. */
function checkbox(idPrefix: string, name: string, value: string, label: string): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'choice';
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.name = name;
  input.value = value;
  input.id = `${idPrefix}-${value.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const text = document.createElement('label');
  text.htmlFor = input.id;
  text.textContent = label;
  wrapper.append(input, text);
  return wrapper;
}

/** Shows a secret panel and moves focus to it, so a screen reader reads it next. */
function reveal(name: string): void {
  const panel = document.querySelector<HTMLElement>(`[data-secret="${name}"]`)!;
  panel.hidden = false;
  panel.focus();
}

export async function startAdmin(): Promise<void> {
  const me = await openStaffPage('admin');
  if (!me) return;
  // Set here, not in the page: the address exists only on a hub, and the static build links only to its own files.
  document.querySelector<HTMLAnchorElement>('[data-audit-csv]')!.href = '/api/admin/audit.csv';
  let organisations: Organisation[] = [];

  const loadOrganisations = async () => {
    organisations = await hubRequest<Organisation[]>('/api/lead/organisations');
    fillRows(
      rows('organisations'),
      organisations.map((org) => [org.name, org.district, String(org.confirmed), String(org.awaiting)]),
      'No organisations yet. Add the first below.',
      4,
    );
    const which = document.querySelector<HTMLSelectElement>('#organisation-which')!;
    which.replaceChildren(new Option('A new organisation', ''), ...organisations.map((org) => new Option(org.name, org.id)));
    document
      .querySelector('[data-invite-organisations]')!
      .replaceChildren(...organisations.map((org) => checkbox('invite-organisation', 'organisationIds', org.id, org.name)));
  };

  const loadLeads = async () => {
    const leads = await hubRequest<Lead[]>('/api/admin/leads');
    fillRows(
      rows('leads'),
      leads.map((lead) => [
        lead.name,
        lead.kind === 'admin' ? 'Admin' : 'Lead',
        lead.kind === 'admin' ? 'All' : lead.organisations.join(', '),
        String(lead.passkeys),
        lead.id === me.id
          ? 'You'
          : [
              actionButton('Reset passkey', lead.name, (button) =>
                confirmInPlace(button, {
                  question: `Reset ${lead.name}’s passkeys? Their passkeys stop working now, and you get a new link to send them.`,
                  confirmLabel: `Yes, reset ${lead.name}’s passkeys`,
                  onConfirm: () =>
                    void act(async () => {
                      const invite = await hubRequest<{ url: string }>(`/api/admin/leads/${lead.id}/reset`, { json: {} });
                      document.querySelector<HTMLInputElement>('#invite-url')!.value = invite.url;
                      reveal('invite');
                      await loadLeads();
                    }),
                }),
              ),
              ' ',
              ...(lead.kind === 'lead'
                ? [
                    actionButton(
                      'Remove',
                      lead.name,
                      (button) =>
                        confirmInPlace(button, {
                          question: `Remove ${lead.name}? They will no longer be able to sign in.`,
                          confirmLabel: `Yes, remove ${lead.name}`,
                          onConfirm: () =>
                            void act(async () => {
                              await hubRequest(`/api/admin/leads/${lead.id}`, { method: 'DELETE' });
                              await loadLeads();
                              announce(`${lead.name} is removed.`);
                            }),
                        }),
                      'warning',
                    ),
                  ]
                : []),
            ],
      ]),
      'No leads yet.',
      5,
    );
  };

  const loadKeys = async () => {
    const keys = await hubRequest<Key[]>('/api/admin/keys');
    fillRows(
      rows('keys'),
      keys.map((key) => [
        key.name,
        key.key,
        key.scopes.join(', '),
        formatDate(key.created),
        key.revoked
          ? `Revoked ${formatDate(key.revoked)}`
          : actionButton(
              'Revoke',
              key.name,
              (button) =>
                confirmInPlace(button, {
                  question: `Revoke the key for ${key.name}? That system will no longer be able to use the hub.`,
                  confirmLabel: `Yes, revoke the key for ${key.name}`,
                  onConfirm: () =>
                    void act(async () => {
                      await hubRequest(`/api/admin/keys/${encodeURIComponent(key.key)}/revoke`, { json: {} });
                      await loadKeys();
                      announce(`The key for ${key.name} is revoked.`);
                    }),
                }),
              'warning',
            ),
      ]),
      'No API keys yet.',
      5,
    );
  };

  const auditBody = rows('audit');
  const older = document.querySelector<HTMLButtonElement>('[data-action="older"]')!;
  let olderThan: number | null = null;
  const auditRow = (entry: AuditEntry) => [
    new Date(entry.at).toLocaleString('en-GB', { timeZone: councilTimeZone(), dateStyle: 'medium', timeStyle: 'medium' }),
    entry.actorName || 'The hub',
    entry.action.replaceAll('-', ' '),
    entry.subject,
  ];
  const loadAudit = async (more: boolean) => {
    const page = await hubRequest<{ entries: AuditEntry[]; older: number | null }>(`/api/admin/audit${more && olderThan ? `?before=${olderThan}` : ''}`);
    if (more) {
      const extra = document.createElement('tbody');
      fillRows(extra, page.entries.map(auditRow), '', 4);
      auditBody.append(...extra.children);
    } else fillRows(auditBody, page.entries.map(auditRow), 'Nothing has happened yet.', 4);
    olderThan = page.older;
    older.hidden = olderThan === null;
  };

  const loadLearners = async () => {
    const learners = await hubRequest<Learner[]>('/api/admin/learners');
    fillRows(
      rows('learners'),
      learners.map((learner) => [
        learner.name,
        learner.organisation,
        learner.status === 'confirmed' ? 'Confirmed' : 'Waiting for confirmation',
        actionButton(
          'Erase',
          `the record of ${learner.name}`,
          (button) =>
            confirmInPlace(button, {
              question: `Erase everything the hub holds about ${learner.name}? This cannot be undone.`,
              confirmLabel: `Yes, erase ${learner.name}’s record`,
              onConfirm: () =>
                void act(async () => {
                  const erased = await hubRequest<{ statements: number }>(`/api/admin/learners/${learner.id}/erase`, { json: {} });
                  await Promise.all([loadLearners(), loadOrganisations(), loadAudit(false)]);
                  announce(`${learner.name}’s record is erased (${erased.statements} learning statements).`);
                }),
            }),
          'warning',
        ),
      ]),
      'No learners have enrolled yet.',
      4,
    );
  };

  document.querySelector('[data-action="sign-out"]')?.addEventListener('click', () => void act(signOut));
  older.addEventListener('click', () => void act(() => loadAudit(true)));

  const organisationForm = document.querySelector<HTMLFormElement>('[data-form="organisation"]')!;
  const which = document.querySelector<HTMLSelectElement>('#organisation-which')!;
  which.addEventListener('change', () => {
    const org = organisations.find((candidate) => candidate.id === which.value);
    (organisationForm.elements.namedItem('name') as HTMLInputElement).value = org?.name ?? '';
    (organisationForm.elements.namedItem('district') as HTMLInputElement).value = org?.district ?? '';
  });
  organisationForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      const field = (name: string) => (organisationForm.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
      const id = field('id');
      const json = { name: field('name'), district: field('district') };
      await hubRequest(id ? `/api/admin/organisations/${id}` : '/api/admin/organisations', { method: id ? 'PATCH' : 'POST', json });
      organisationForm.reset();
      await Promise.all([loadOrganisations(), loadAudit(false)]);
      announce(`${json.name.trim()} is saved.`);
    });
  });

  const inviteForm = document.querySelector<HTMLFormElement>('[data-form="invite"]')!;
  inviteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      const data = new FormData(inviteForm);
      const invite = await hubRequest<{ url: string }>('/api/admin/leads/invite', {
        json: { name: data.get('name'), organisationIds: data.getAll('organisationIds') },
      });
      inviteForm.reset();
      document.querySelector<HTMLInputElement>('#invite-url')!.value = invite.url;
      reveal('invite');
      await loadAudit(false);
    });
  });

  const keyForm = document.querySelector<HTMLFormElement>('[data-form="key"]')!;
  keyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      const data = new FormData(keyForm);
      const key = await hubRequest<{ key: string; secret: string }>('/api/admin/keys', { json: { name: data.get('name'), scopes: data.getAll('scopes') } });
      keyForm.reset();
      document.querySelector('[data-key-id]')!.textContent = key.key;
      document.querySelector('[data-key-secret]')!.textContent = key.secret;
      reveal('key');
      await Promise.all([loadKeys(), loadAudit(false)]);
    });
  });

  // Loaded last, so every form already has its handler when the page shows data to act on.
  await act(async () => {
    const scopes = await hubRequest<string[]>('/api/admin/scopes');
    document.querySelector('[data-key-scopes]')!.replaceChildren(...scopes.map((scope) => checkbox('key-scope', 'scopes', scope, scope)));
    await Promise.all([loadOrganisations(), loadLeads(), loadKeys(), loadAudit(false), loadLearners(), loadForwarding(() => loadAudit(false))]);
  });
}

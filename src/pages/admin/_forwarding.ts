/**
 * The forwarding part of the admin's page: whether the hub forwards statements to
 * the council's own LRS, how many wait and since when, the latest problem, and the
 * statements the LRS refused, each with a button to send it again.
 */
import { councilTimeZone } from '../../browser/status-words.ts';
import { act, actionButton, announce, fillRows, hubRequest } from '../../browser/staff.ts';

interface DeadLetter {
  statementId: string;
  reason: string;
  attempts: number;
  failed: string;
}
interface ForwardingStatus {
  enabled: boolean;
  endpoint: string | null;
  waiting: number;
  oldestWaiting: string | null;
  lastError: string | null;
  deadLetterCount: number;
  deadLetters: DeadLetter[];
}

const dateTime = (iso: string) => new Date(iso).toLocaleString('en-GB', { timeZone: councilTimeZone(), dateStyle: 'medium', timeStyle: 'short' });
const field = (name: string) => document.querySelector<HTMLElement>(`[data-forwarding="${name}"]`)!;

/** Shows the forwarding status; `after` runs when an admin sent statements again (the audit log changed). */
export async function loadForwarding(after: () => Promise<void>): Promise<void> {
  const status = await hubRequest<ForwardingStatus>('/api/admin/forwarding');
  document.querySelector('[data-forwarding-state]')!.textContent =
    status.enabled && status.endpoint
      ? `Forwarding is on: the hub sends every statement it stores to ${status.endpoint}`
      : 'Forwarding is off. To send every statement to the council’s own LRS, start the hub with FORWARD_LRS_ENDPOINT, FORWARD_LRS_KEY and FORWARD_LRS_SECRET set.';
  field('waiting').textContent = status.waiting === 1 ? '1 statement' : `${status.waiting} statements`;
  field('oldest').textContent = status.oldestWaiting ? dateTime(status.oldestWaiting) : 'Nothing is waiting';
  field('problem').textContent = status.lastError ?? 'None';
  const retry = (statementId?: string) =>
    act(async () => {
      const { queued } = await hubRequest<{ queued: number }>('/api/admin/forwarding/retry', { json: statementId ? { statementId } : {} });
      await Promise.all([loadForwarding(after), after()]);
      announce(queued === 1 ? '1 statement will be sent again.' : `${queued} statements will be sent again.`);
    });
  fillRows(
    document.querySelector<HTMLTableSectionElement>('[data-rows="dead-letters"]')!,
    status.deadLetters.map((letter) => [
      letter.statementId,
      letter.reason,
      String(letter.attempts),
      dateTime(letter.failed),
      actionButton('Send again', `statement ${letter.statementId}`, () => void retry(letter.statementId)),
    ]),
    'None: the LRS has refused no statements.',
    5,
  );
  const all = document.querySelector<HTMLButtonElement>('[data-action="retry-all"]')!;
  all.hidden = status.deadLetterCount === 0;
  all.onclick = () => void retry();
  document.querySelector<HTMLButtonElement>('[data-action="forwarding-refresh"]')!.onclick = () =>
    void act(async () => {
      await loadForwarding(after);
      announce('Forwarding status updated.');
    });
}

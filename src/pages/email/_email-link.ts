/**
 * The pages a link in an email opens: /email/confirm/ confirms the address, and
 * /email/stop/ stops every email to it. The token is in the address's fragment,
 * so it never reaches a server log; it is sent once, then taken out of the address bar.
 */
import { findHub, HubRequestError } from '../../browser/hub.ts';

export interface EmailLinkPage {
  /** The API path that uses the token. */
  path: '/api/email/confirm' | '/api/email/stop';
  /** What the page says once the hub has done it. */
  done: string;
}

export async function openEmailLink(page: EmailLinkPage): Promise<void> {
  const status = document.querySelector<HTMLElement>('[data-email-link-status]')!;
  const problem = document.querySelector<HTMLElement>('[data-email-link-problem]')!;
  const fail = (message: string) => {
    status.textContent = '';
    problem.querySelector('[data-email-link-problem-text]')!.textContent = message;
    problem.hidden = false;
    problem.querySelector<HTMLElement>('h2')?.focus();
  };
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  if (!(await findHub())) return fail('This copy of the site is not connected to the council’s learning hub, so this link cannot work here.');
  if (!token) return fail('This link is not complete. Check you copied all of it from the email.');
  try {
    const response = await fetch(page.path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new HubRequestError(response.status, body.error ?? `the hub answered ${response.status}`);
    status.textContent = page.done;
  } catch (error) {
    const reason = error instanceof HubRequestError ? error.message : 'the hub could not be reached: check your connection, then open the link again';
    fail(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`);
  }
}

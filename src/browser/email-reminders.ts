/**
 * Runs the "Email reminders" section (layouts/EmailReminders.astro): shows where
 * the person's address stands, sends a new one for confirmation, and removes it.
 * The page gives the request function, since learners and leads sign in differently.
 */
import { showFormProblems } from './form-errors.ts';
import { HubRequestError } from './hub.ts';

interface EmailAnswer {
  on: boolean;
  email: string | null;
  state: 'none' | 'unconfirmed' | 'confirmed' | 'not-working';
  reason: string;
}

/** Calls the person's email address resource with a method and, for PUT, a body. */
export type EmailRequest = (method: 'GET' | 'PUT' | 'DELETE', json?: unknown) => Promise<EmailAnswer | undefined>;

/** What the section says about an address, in plain words. */
export function emailStateText(answer: Pick<EmailAnswer, 'email' | 'state' | 'reason'>): string {
  switch (answer.state) {
    case 'none':
      return 'You have not given an email address.';
    case 'unconfirmed':
      return `Check your email: we sent a link to ${answer.email ?? ''}. Open it within 48 hours to confirm the address. Until you do, we will not email you.`;
    case 'confirmed':
      return `We send reminders to ${answer.email ?? ''}.`;
    case 'not-working':
      return `Emails to ${answer.email ?? ''} are not arriving: the mail server refused them${answer.reason ? ` (it said “${answer.reason}”)` : ''}. We have stopped sending to it. Give another address, or remove this one.`;
  }
}

/** Starts the section; does nothing when the page has none or the person cannot be asked. */
export async function startEmailReminders(request: EmailRequest): Promise<void> {
  const section = document.querySelector<HTMLElement>('[data-email-reminders]');
  if (!section) return;
  const $ = <T extends HTMLElement>(selector: string) => section.querySelector<T>(selector)!;
  const form = $<HTMLFormElement>('[data-email-form]');
  const input = $<HTMLInputElement>('#reminder-email');
  const remove = $<HTMLButtonElement>('[data-email-remove]');
  const state = $('[data-email-state]');
  const problems = (list: { field: string; reason: string }[]) =>
    showFormProblems({ summary: $('[data-email-error-summary]'), list: $('[data-email-error-list]'), prefix: 'reminder', fields: ['email'] }, list);
  const show = (answer: EmailAnswer) => {
    section.hidden = false;
    $('[data-email-off]').hidden = answer.on;
    $('[data-email-on]').hidden = !answer.on;
    state.textContent = emailStateText(answer);
    remove.hidden = answer.email === null;
    $('[data-email-label]').textContent = answer.email === null ? 'Email address' : 'A different email address';
  };
  const problemOf = (error: unknown) => {
    if (error instanceof HubRequestError) {
      const reason = error.message.replace(/^./, (first) => first.toUpperCase()).replace(/([^.!?])$/, '$1.');
      return { field: error.where === 'email' ? 'email' : 'request', reason };
    }
    console.error(error);
    return { field: 'request', reason: 'That did not work. Check your connection, then try again.' };
  };

  let answer: EmailAnswer | undefined;
  try {
    answer = await request('GET');
  } catch {
    // Not signed in, or no hub: the section stays hidden.
    return;
  }
  if (!answer) return;
  show(answer);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = input.value.trim();
    if (email === '') return problems([{ field: 'email', reason: 'Enter your email address.' }]);
    void request('PUT', { email }).then(
      (given) => {
        problems([]);
        input.value = '';
        if (given) show(given);
      },
      (error: unknown) => problems([problemOf(error)]),
    );
  });
  remove.addEventListener('click', () => {
    void request('DELETE').then(
      async () => {
        problems([]);
        const now = await request('GET');
        if (now) show(now);
        state.textContent = 'Your email address has been removed. We will not email you.';
        // The button just pressed has gone: keep the keyboard where the result is.
        state.focus();
      },
      (error: unknown) => problems([problemOf(error)]),
    );
  });
}

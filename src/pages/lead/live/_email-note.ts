/**
 * Tells the lead, beside the renewals list, whether the hub emails reminders
 * itself (SMTP_URL set) or the copied reminders are the only ones people get.
 */

/** The note's words, for reminders switched on or off. */
export function emailRemindersNote(on: boolean): string {
  return on
    ? 'Email reminders are switched on: people who gave and confirmed an email address are emailed 30 days before their learning needs renewing, and you get a weekly summary if you give your address on Your staff on the hub. Copy a reminder for anyone else.'
    : 'Email reminders are not switched on, so the hub emails nobody. Copy a reminder for each person who needs one.';
}

export async function showEmailRemindersNote(): Promise<void> {
  const note = document.querySelector<HTMLElement>('[data-email-reminders-note]');
  if (!note) return;
  try {
    const response = await fetch('/api/email', { cache: 'no-store' });
    if (!response.ok) return;
    const { on } = (await response.json()) as { on: boolean };
    note.textContent = emailRemindersNote(on);
  } catch {
    // No hub: the page says so elsewhere.
  }
}

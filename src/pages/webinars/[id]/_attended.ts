/** "I attended": records the session the learner chose, once its start has passed on their clock. */
import { learnerRecord } from '../../../browser/learner.ts';

/** Wires up the "I attended" buttons of a webinar page. */
export function startAttendance(): void {
  const section = document.querySelector<HTMLElement>('[data-webinar-id]');
  const status = document.querySelector<HTMLElement>('[data-attended-status]');
  if (!section) return;
  const { webinarId = '', webinarVersion: version = '1.0', webinarTitle: title = '' } = section.dataset;
  const startedCount = document.querySelectorAll('[data-after-start]:not([hidden])').length;
  document.querySelector<HTMLElement>('[data-none-started]')?.toggleAttribute('hidden', startedCount > 0);
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-attended]')) {
    button.addEventListener('click', () => {
      const sessionId = button.dataset['attended'] ?? '';
      button.disabled = true;
      void learnerRecord()
        .then((learner) => learner.recordWebinarAttended({ webinarId, webinarTitle: title, version, sessionId }))
        .then(() => {
          if (status) status.textContent = `Recorded: you attended ${title}. It now counts towards your learning plan.`;
        })
        .catch(() => {
          button.disabled = false;
          if (status) status.textContent = 'Your attendance could not be recorded in this browser. Try again, or download your record from the privacy page.';
        });
    });
  }
}

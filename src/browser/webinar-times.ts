/**
 * Checks webinar sessions against the reader's clock. The build leaves out
 * sessions that had started when it ran; a page read later must not offer one
 * that has started since, so each session the page lists carries its start
 * (`data-session-start`) and this hides those now past, and shows "I attended"
 * for them instead.
 */

/** Hides sessions that have started, and whatever is left empty; shows what only applies once a session has started. */
export function applySessionTimes(now: number = Date.now()): void {
  const started = (element: HTMLElement) => Date.parse(element.dataset['sessionStart'] ?? '') <= now;
  for (const element of document.querySelectorAll<HTMLElement>('[data-upcoming-session]')) if (started(element)) element.hidden = true;
  for (const element of document.querySelectorAll<HTMLElement>('[data-after-start]')) if (started(element)) element.hidden = false;
  for (const webinar of document.querySelectorAll<HTMLElement>('[data-upcoming-webinar]')) {
    if (!webinar.querySelector('[data-upcoming-session]:not([hidden])')) webinar.hidden = true;
  }
  for (const section of document.querySelectorAll<HTMLElement>('[data-upcoming-list]')) {
    const empty = !section.querySelector('[data-upcoming-session]:not([hidden])');
    section.querySelectorAll<HTMLElement>('[data-when-none]').forEach((element) => (element.hidden = !empty));
    if (empty && section.hasAttribute('data-hide-when-empty')) section.hidden = true;
  }
}

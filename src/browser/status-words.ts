/** How statuses, dates and scores read on every page, so they read the same everywhere. */
import { formatDate as formatDateIn } from '../lib/dates/index.ts';
import { filmCompletionThreshold } from '../lib/progress/film-threshold.ts';
import type { ItemProgress, ItemStatus } from '../lib/progress/index.ts';

/** The page has no `<meta name="fh-time-zone">`, so dates could show a different day from the certificate's. */
export class MissingTimeZoneError extends Error {
  constructor() {
    super('This page has no <meta name="fh-time-zone">, so dates cannot be shown in the council’s time zone. The page layout must print it.');
    this.name = 'MissingTimeZoneError';
  }
}

/** The council's time zone, which the page layout prints from site.yaml. @throws MissingTimeZoneError */
export function councilTimeZone(): string {
  const timeZone = document.querySelector<HTMLMetaElement>('meta[name="fh-time-zone"]')?.content;
  if (!timeZone) throw new MissingTimeZoneError();
  return timeZone;
}

/** "4 June 2026": the day in the council's time zone, as the certificate prints it. */
export const formatDate = (iso: string): string => formatDateIn(iso, councilTimeZone());

/** "80%" */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;

const labels: Record<ItemStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  due: 'Due for renewal',
  expired: 'Expired',
};

/** A few words for an item's status, as its tag shows them. */
export const statusLabel = (status: ItemStatus): string => labels[status];

const doneVerbs = { module: 'Passed', film: 'Watched', webinar: 'Attended' } as const;

/** An item's status in words: its tag label and one sentence of detail. */
export function describeItem(progress: ItemProgress | undefined): { state: ItemStatus; label: string; detail: string } {
  if (!progress) return { state: 'not-started', label: labels['not-started'], detail: '' };
  const when = progress.completedAt ? ` on ${formatDate(progress.completedAt)}` : '';
  const score = progress.score === undefined ? '' : ` with ${percent(progress.score)}`;
  const until = progress.renewalDate ? formatDate(progress.renewalDate) : '';
  // The sentence follows the status tag and is read straight after it, so it says what was done, never the tag's word again.
  const done = `${doneVerbs[progress.item.kind]}${when}${score}${progress.attendance === 'self-declared' ? ' (you said you attended)' : progress.attendance === 'recording' ? ' (you watched the recording)' : ''}.`;
  const state = progress.status;
  switch (state) {
    case 'not-started':
      return { state, label: labels[state], detail: '' };
    case 'in-progress': {
      const watched =
        progress.watched === undefined
          ? ''
          : `You have watched ${percent(progress.watched)}. It counts once you have watched ${percent(filmCompletionThreshold)}.`;
      const outdated = progress.outdated ? 'This has changed since you completed it, so please take it again.' : '';
      return { state, label: labels[state], detail: [watched, outdated].filter(Boolean).join(' ') };
    }
    case 'completed':
      return { state, label: labels[state], detail: `${done} Valid until ${until}.` };
    case 'due':
      return { state, label: labels[state], detail: `${done} Renew by ${until}.` };
    case 'expired':
      return { state, label: labels[state], detail: `Expired on ${until}. Please take it again.` };
  }
}

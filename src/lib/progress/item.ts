/**
 * One item's standing for pages that show a single lesson or film: its
 * progress under the learner's role, and what a film's own statements say
 * about earlier viewings. Pure: the caller passes the statements and the time.
 */
import type { Statement } from '@xapi/xapi';
import type { Matrix } from '../content/index.ts';
import type { Catalogue } from '../plan/index.ts';
import { activityIris, parsePlayedSegments, siteExtensions, verbs, videoExtensions, type Segment } from '../xapi/index.ts';
import type { ItemProgress, LearnerProgress, ProgressInput } from './derive.ts';

/** What item progress needs to know about the course. */
export interface ItemCourse {
  siteUrl: string;
  matrix: Matrix;
  catalogue: Catalogue;
}

/**
 * One item's progress. An item's status does not depend on the role, only on
 * the matrix's renewal period for it, so a learner without a role (or whose role
 * does not list the item) gets it through the first role that lists it.
 * `derive` is `deriveProgress`, or a cached form of it shared by a page's elements.
 */
export function progressOfItem(
  derive: (input: ProgressInput) => LearnerProgress,
  course: ItemCourse,
  statements: readonly Statement[],
  itemId: string,
  roleId: string | undefined,
  now: Date,
): ItemProgress | undefined {
  const lists = (role: Matrix['roles'][number]) => role.required.includes(itemId) || role.recommended.includes(itemId);
  const role = course.matrix.roles.find((candidate) => candidate.id === roleId && lists(candidate)) ?? course.matrix.roles.find(lists);
  if (!role) return undefined;
  const progress = derive({ statements, matrix: course.matrix, catalogue: course.catalogue, roleId: role.id, siteUrl: course.siteUrl, now });
  return progress.items.find((item) => item.item.id === itemId);
}

/** A film registration as earlier sessions left it. */
export interface FilmRegistration {
  /** The registration's UUID (`context.registration`). */
  id: string;
  /** Segments played in it, in the order they were played. */
  playedSegments: Segment[];
  /** Seconds its sessions lasted, from each session's first statement to its last. */
  seconds: number;
}

/** Where a learner left a film. */
export interface FilmHistory {
  /** Where the learner last was, in seconds. */
  lastPosition?: number;
  /**
   * The registration a new viewing session continues (one learner, one film
   * version, one renewal cycle); absent when a new registration starts (never
   * watched, a new version, or the last one counted).
   */
  filmRegistration?: FilmRegistration;
}

/**
 * What a film's own statements say about earlier visits: where the learner was
 * last (for resuming), from the latest statement that carries a position, and
 * the registration a new session continues. A registration runs from the first
 * session on a film version until the clip counts (a completed statement); the
 * next viewing, a renewal, starts a new one.
 */
export function filmHistory(
  siteUrl: string,
  filmId: string,
  version: string,
  statements: readonly Statement[],
  kind: 'film' | 'webinar' = 'film',
): FilmHistory {
  // A webinar's recording plays in the same player as a clip, under its own activity.
  const filmIri = kind === 'webinar' ? activityIris.webinarRecording(siteUrl, filmId) : activityIris.film(siteUrl, filmId);
  const versionKey = siteExtensions.contentVersion(siteUrl);
  const { time, timeTo, playedSegments, sessionId } = videoExtensions;
  const mine = statements
    .filter((statement) => 'id' in statement.object && statement.object.id === filmIri && statement.context?.extensions?.[versionKey] === version)
    .toSorted((a, b) => Date.parse(a.timestamp ?? '') - Date.parse(b.timestamp ?? ''));
  let lastPosition: number | undefined;
  for (const statement of mine) {
    const extensions = statement.result?.extensions ?? {};
    const position = extensions[timeTo] ?? extensions[time];
    if (typeof position === 'number') lastPosition = position;
  }
  const registration = mine.findLast((statement) => statement.context?.registration)?.context?.registration;
  const inRegistration = mine.filter((statement) => statement.context?.registration === registration);
  const counted = inRegistration.some((statement) => statement.verb.id === verbs.completed.id);
  let filmRegistration: FilmRegistration | undefined;
  if (registration && !counted) {
    // Each statement carries the registration's segments so far, so the latest says it all.
    const latest = inRegistration.findLast((statement) => typeof statement.result?.extensions?.[playedSegments] === 'string');
    const text = latest?.result?.extensions?.[playedSegments];
    const sessions = new Map<unknown, number[]>();
    for (const statement of inRegistration) {
      const times = sessions.get(statement.context?.extensions?.[sessionId]) ?? [];
      times.push(Date.parse(statement.timestamp ?? ''));
      sessions.set(statement.context?.extensions?.[sessionId], times);
    }
    const seconds = [...sessions.values()].reduce((total, times) => total + (Math.max(...times) - Math.min(...times)) / 1000, 0);
    filmRegistration = { id: registration, playedSegments: typeof text === 'string' ? parsePlayedSegments(text) : [], seconds };
  }
  return { ...(lastPosition === undefined ? {} : { lastPosition }), ...(filmRegistration ? { filmRegistration } : {}) };
}

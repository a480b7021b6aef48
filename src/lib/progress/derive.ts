/**
 * Progress, derived: statements + matrix + catalogue + now → the status of
 * every item in a role's plan. Pure and storage-free, so the learner page, the
 * certificate and the lead view all agree.
 */
import type { Statement } from '@xapi/xapi';
import type { Matrix } from '../content/index.ts';
import { learningPlan, type Catalogue, type ItemKind, type LearningPlan, type PlanItem } from '../plan/index.ts';
import {
  activityIris,
  catalogueItemOf,
  parsePlayedSegments,
  playedFraction,
  siteExtensions,
  unionSegments,
  verbs,
  videoExtensions,
  type Segment,
} from '../xapi/index.ts';
import { daysBefore, renewalDateOf } from './dates.ts';
import { filmCompletionThreshold } from './film-threshold.ts';
import { countsAsValid } from './valid.ts';

export { filmCompletionThreshold };

/**
 * Where one plan item stands.
 * - `not-started`: nothing recorded for it;
 * - `in-progress`: something recorded but no completion on the current version
 *   (including a completion on an older version: see `outdated`);
 * - `completed`: completed on the current version and not yet due;
 * - `due`: completed, renewal date within the next 30 days;
 * - `expired`: the renewal date has passed.
 */
export type ItemStatus = 'not-started' | 'in-progress' | 'completed' | 'due' | 'expired';

/** Where a whole role stands: `completed` and `due` both mean every required item is currently valid. */
export type RoleStatus = 'not-started' | 'in-progress' | 'completed' | 'due' | 'expired';

/** The status of one item, with what the learner page and certificate show. */
export interface ItemProgress {
  item: PlanItem;
  status: ItemStatus;
  /** When the counted completion happened (ISO 8601, UTC). */
  completedAt?: string;
  /** Scaled quiz score (0–1) of the counted pass; modules only. */
  score?: number;
  /** When the counted completion needs renewing. */
  renewalDate?: string;
  /** The content version the completion counted for. */
  version?: string;
  /** A completion on an older version of the item: the learner must take it again. */
  outdated?: { version: string; completedAt: string };
  /** Share of the current version of a film (or a webinar's recording) played so far, 0–1. */
  watched?: number;
  /**
   * Webinars: what the counted completion rests on. `self-declared` is the learner's own "I attended";
   * `recording` is at least 90% of the recording played.
   */
  attendance?: 'self-declared' | 'recording';
  /** The learner's latest statement about this item. */
  lastActivityAt?: string;
}

/** The most recent thing the learner did, for "continue where you left off". */
export interface LastActivity {
  itemId: string;
  kind: ItemKind;
  activityId: string;
  verbId: string;
  at: string;
}

export interface LearnerProgress {
  plan: LearningPlan;
  /** In plan order: required first, then recommended. */
  items: ItemProgress[];
  status: RoleStatus;
  /** The next thing to do: the first required item not currently valid, else the first due, else the first recommended not done. */
  next?: ItemProgress;
  /** While the role is complete or due: the earliest renewal date among the required items. */
  validUntil?: string;
  lastActivity?: LastActivity;
}

export interface ProgressInput {
  statements: readonly Statement[];
  matrix: Matrix;
  catalogue: Catalogue;
  roleId: string;
  /** The site's public address; only statements about its activities count. */
  siteUrl: string;
  now: Date;
}

/** A completion is due for renewal this many days before its renewal date. */
export const dueWithinDays = 30;

/** One statement about one of our items, read once. */
interface Event {
  at: number;
  verbId: string;
  activityId: string;
  version: string | undefined;
  statement: Statement;
}

interface Completion {
  at: number;
  version: string;
  score?: number;
  attendance?: 'self-declared' | 'recording';
}

/** Derives the status of every item in the role's plan, the role's status and what to do next. @throws UnknownRoleError */
export function deriveProgress(input: ProgressInput): LearnerProgress {
  const { matrix, catalogue, roleId, siteUrl, now } = input;
  const plan = learningPlan(matrix, catalogue, roleId);
  const { byItem, lastActivity } = eventsByItem(input.statements, siteUrl, catalogue);

  const items = plan.items.map((item): ItemProgress => {
    const events = byItem.get(item.id) ?? [];
    if (events.length === 0) return { item, status: 'not-started' };
    const progress: ItemProgress = { item, status: 'in-progress', lastActivityAt: iso((events.at(-1) as Event).at) };
    const completions =
      item.kind === 'module'
        ? moduleCompletions(events, siteUrl, item.id)
        : item.kind === 'film'
          ? filmCompletions(events, progress, item.version)
          : webinarCompletions(events, progress, item.version, siteUrl, item.id);
    // The most recent completion wins: a retake renews, a later fail takes nothing away.
    const current = latest(completions.filter((completion) => completion.version === item.version));
    if (!current) {
      const older = latest(completions);
      if (older) progress.outdated = { version: older.version, completedAt: iso(older.at) };
      return progress;
    }
    const renewal = renewalDateOf(new Date(current.at), item.renewal.months);
    progress.completedAt = iso(current.at);
    progress.version = current.version;
    progress.renewalDate = renewal.toISOString();
    if (current.score !== undefined) progress.score = current.score;
    if (current.attendance) progress.attendance = current.attendance;
    progress.status = now >= renewal ? 'expired' : now >= daysBefore(renewal, dueWithinDays) ? 'due' : 'completed';
    return progress;
  });

  const required = items.filter((progress) => progress.item.required);
  let status: RoleStatus;
  if (required.every((progress) => countsAsValid(progress.status))) status = required.some((progress) => progress.status === 'due') ? 'due' : 'completed';
  else if (required.some((progress) => progress.status === 'expired')) status = 'expired';
  else status = items.some((progress) => progress.status !== 'not-started') ? 'in-progress' : 'not-started';

  const next =
    required.find((progress) => !countsAsValid(progress.status)) ??
    required.find((progress) => progress.status === 'due') ??
    items.find((progress) => !progress.item.required && !countsAsValid(progress.status));

  const result: LearnerProgress = { plan, items, status };
  if (next) result.next = next;
  if (countsAsValid(status)) {
    const earliest = required.map((progress) => progress.renewalDate ?? '').sort()[0];
    if (earliest) result.validUntil = earliest;
  }
  if (lastActivity) result.lastActivity = lastActivity;
  return result;
}

const iso = (ms: number) => new Date(ms).toISOString();

const digits = (text: string, from: number, to: number) => {
  let value = 0;
  for (let index = from; index < to; index += 1) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
};

/**
 * Milliseconds since 1970 for a timestamp. Our own statements all use
 * `toISOString()`'s form, which is read digit by digit: Date.parse would be
 * most of the time taken for a large record. Anything else goes to Date.parse.
 */
function timeOf(text: string): number {
  if (text.length === 24 && text[10] === 'T' && text[19] === '.' && text[23] === 'Z' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text)) {
    return Date.UTC(
      digits(text, 0, 4),
      digits(text, 5, 7) - 1,
      digits(text, 8, 10),
      digits(text, 11, 13),
      digits(text, 14, 16),
      digits(text, 17, 19),
      digits(text, 20, 23),
    );
  }
  return Date.parse(text);
}

function latest(completions: readonly Completion[]): Completion | undefined {
  let found: Completion | undefined;
  for (const completion of completions) if (!found || completion.at >= found.at) found = completion;
  return found;
}

/** Groups our statements by catalogue item, in time order, and finds the latest one. */
function eventsByItem(statements: readonly Statement[], siteUrl: string, catalogue: Catalogue) {
  const byItem = new Map<string, Event[]>();
  const versionKey = siteExtensions.contentVersion(siteUrl);
  // A record names a few dozen activities thousands of times: read each IRI once.
  const targets = new Map<string, ReturnType<typeof catalogueItemOf>>();
  let lastActivity: LastActivity | undefined;
  let lastAt = -Infinity;
  for (const statement of statements) {
    const object = statement.object;
    if (!('id' in object) || (object.objectType !== undefined && object.objectType !== 'Activity')) continue;
    let target = targets.get(object.id);
    if (!targets.has(object.id)) {
      target = catalogueItemOf(siteUrl, object.id);
      targets.set(object.id, target);
    }
    if (!target || catalogue[target.id]?.kind !== target.kind) continue;
    const at = timeOf(statement.timestamp ?? statement.stored ?? '');
    if (Number.isNaN(at)) continue;
    const version = statement.context?.extensions?.[versionKey];
    const event: Event = { at, verbId: statement.verb.id, activityId: object.id, version: typeof version === 'string' ? version : undefined, statement };
    const list = byItem.get(target.id);
    if (list) list.push(event);
    else byItem.set(target.id, [event]);
    if (at > lastAt) {
      lastAt = at;
      lastActivity = { itemId: target.id, kind: target.kind, activityId: object.id, verbId: event.verbId, at: iso(at) };
    }
  }
  for (const list of byItem.values()) list.sort((a, b) => a.at - b.at);
  return { byItem, lastActivity };
}

/** A module is completed by a pass on its quiz; the pass counts for the version it was taken on. */
function moduleCompletions(events: readonly Event[], siteUrl: string, moduleId: string): Completion[] {
  const quizId = activityIris.quiz(siteUrl, moduleId);
  return events
    .filter((event) => event.verbId === verbs.passed.id && event.activityId === quizId && event.version !== undefined)
    .map((event) => {
      const completion: Completion = { at: event.at, version: event.version as string };
      const scaled = event.statement.result?.score?.scaled;
      if (typeof scaled === 'number') completion.score = scaled;
      return completion;
    });
}

/**
 * A film counts each time the union of its played segments reaches the
 * threshold, per content version (a replaced clip starts again). After each
 * completion the tally restarts, so watching again later renews it.
 */
function filmCompletions(events: readonly Event[], progress: ItemProgress, currentVersion: string): Completion[] {
  const completions: Completion[] = [];
  const byVersion = new Map<string, Event[]>();
  for (const event of events) {
    if (event.version === undefined) continue;
    const list = byVersion.get(event.version);
    if (list) list.push(event);
    else byVersion.set(event.version, [event]);
  }
  for (const [version, list] of byVersion) {
    const length = Math.max(0, ...list.map((event) => numberOf(event.statement.context?.extensions?.[videoExtensions.length])));
    let tally: Segment[] = [];
    const all: Segment[] = [];
    for (const event of list) {
      const text = event.statement.result?.extensions?.[videoExtensions.playedSegments];
      if (typeof text !== 'string') continue;
      const segments = parsePlayedSegments(text);
      // Kept merged, so checking the threshold after each statement stays cheap.
      tally = unionSegments([...tally, ...segments]);
      all.push(...segments);
      if (length > 0 && playedFraction(tally, length) >= filmCompletionThreshold - 1e-9) {
        completions.push({ at: event.at, version });
        tally = [];
      }
    }
    if (version === currentVersion) progress.watched = playedFraction(all, length);
  }
  return completions;
}

/**
 * A webinar counts when the learner records "I attended" for one of its
 * sessions (self-declared), or plays at least 90% of its recording, counted
 * like a film clip.
 */
function webinarCompletions(events: readonly Event[], progress: ItemProgress, currentVersion: string, siteUrl: string, webinarId: string): Completion[] {
  const sessionPrefix = `${activityIris.webinar(siteUrl, webinarId)}/sessions/`;
  const recordingId = activityIris.webinarRecording(siteUrl, webinarId);
  const attended = events
    .filter((event) => event.verbId === verbs.attended.id && event.activityId.startsWith(sessionPrefix) && event.version !== undefined)
    .map((event): Completion => ({ at: event.at, version: event.version as string, attendance: 'self-declared' }));
  const watched = filmCompletions(
    events.filter((event) => event.activityId === recordingId),
    progress,
    currentVersion,
  ).map((completion): Completion => ({ ...completion, attendance: 'recording' }));
  return [...attended, ...watched];
}

const numberOf = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The outbox's rules, apart from any network or storage: which statements are
 * waiting, how they are batched, how a refused batch is split to find the
 * statements at fault, how long to wait before trying again, and how the state
 * reads to the learner. The browser's sender (src/browser/hub-sync.ts) runs them.
 */
import type { Statement } from '@xapi/xapi';
import type { HubMarks } from '../record/hub-marks.ts';

/** The most statements sent in one request. */
export const batchSize = 50;

/** What one POST of a batch came to. */
export type PostOutcome =
  /** The hub stored the batch, or already held every statement in it with the same content. */
  | { kind: 'stored' }
  /** The hub refused the batch because of what is in it; `index` is the statement it named, if it named one. */
  | { kind: 'refused'; reason: string; index?: number }
  /** Offline, the hub down or busy: the same batch may go later. */
  | { kind: 'retry'; reason: string }
  /** The hub no longer accepts this browser's credential. */
  | { kind: 'signed-out'; reason: string };

/** What sending one batch came to, once split as far as needed. */
export interface BatchResult {
  acknowledged: string[];
  refused: { id: string; reason: string }[];
  /** Set when sending stopped before the end: the rest stays waiting. */
  stopped?: { kind: 'retry' | 'signed-out'; reason: string };
  /** How many requests were made. */
  posts: number;
}

/** The statements still waiting to be sent: neither acknowledged nor refused, in the record's order. */
export function waitingStatements(statements: readonly Statement[], marks: HubMarks): Statement[] {
  return statements.filter((statement) => {
    const id = statement.id as string;
    return !marks.acknowledged.has(id) && !marks.refused.has(id);
  });
}

/** Splits `items` into runs of at most `size`, in order. */
export function batchesOf<T>(items: readonly T[], size = batchSize): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a batch holds at least one item, not ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** The first wait before trying again, and the longest, in milliseconds. */
export const firstRetryDelay = 1_000;
export const longestRetryDelay = 5 * 60_000;

/**
 * How long to wait before try number `attempt` (1 after the first failure):
 * doubling from a second up to five minutes, spread by up to a fifth either way
 * (`random` in [0, 1)) so many browsers coming back online together do not all
 * call at once.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(longestRetryDelay, firstRetryDelay * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * What an HTTP answer to a POST of statements means for the outbox. The hub
 * stores a batch whole or not at all, so a refusal (400, 403, 409, 413) may be
 * any one statement's fault. `where` is the hub's field, such as "statement[3].result".
 */
export function outcomeOf(status: number, error: string | undefined, where?: string): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'stored' };
  const reason = error?.trim() || `the hub answered ${status}`;
  if (status === 401) return { kind: 'signed-out', reason };
  if (status === 400 || status === 403 || status === 409 || status === 413 || status === 422) {
    const index = /^statement\[(\d+)\]/.exec(where ?? '')?.[1];
    return index === undefined ? { kind: 'refused', reason } : { kind: 'refused', reason, index: Number(index) };
  }
  return { kind: 'retry', reason };
}

/**
 * Sends one batch with `post`; a refused batch is split to find the statements
 * at fault, so the others still go. When the hub names a statement the batch is
 * split around it (before, it, after), otherwise in halves. A lone statement the
 * hub refuses is refused for good, with the hub's reason. Sending stops at the
 * first answer that is not about the statements (offline, 5xx, signed out).
 */
export async function sendBatch(batch: readonly Statement[], post: (batch: readonly Statement[]) => Promise<PostOutcome>): Promise<BatchResult> {
  const result: BatchResult = { acknowledged: [], refused: [], posts: 0 };
  const send = async (part: readonly Statement[]): Promise<void> => {
    if (part.length === 0 || result.stopped) return;
    result.posts += 1;
    const outcome = await post(part);
    if (outcome.kind === 'stored') {
      result.acknowledged.push(...part.map((statement) => statement.id as string));
    } else if (outcome.kind === 'refused') {
      if (part.length === 1) {
        result.refused.push({ id: part[0]!.id as string, reason: outcome.reason });
        return;
      }
      const at = outcome.index;
      const parts =
        at !== undefined && at >= 0 && at < part.length
          ? [part.slice(0, at), part.slice(at, at + 1), part.slice(at + 1)]
          : [part.slice(0, Math.ceil(part.length / 2)), part.slice(Math.ceil(part.length / 2))];
      for (const next of parts) await send(next);
    } else {
      result.stopped = { kind: outcome.kind, reason: outcome.reason };
    }
  };
  await send(batch);
  return result;
}

/** What the learner is told about sending, as the status line and screen readers put it. */
export interface SyncState {
  /** The council's name from site.yaml, such as "Brookfield Council". */
  council: string;
  waiting: number;
  refused: number;
  /** Whether the last try failed for want of a connection or a working hub. */
  offline: boolean;
}

/**
 * What kind of news the state is, for screen readers: the live region speaks when
 * this changes, not each time a batch goes or a retry fails again.
 */
export function syncStatusKind(state: SyncState): string {
  return `${state.waiting === 0 ? 'saved' : state.offline ? 'offline' : 'sending'}/${state.refused}`;
}

const items = (count: number) => `${count} item${count === 1 ? '' : 's'}`;

/** The status in words: "Saved to Brookfield Council’s record", "3 items waiting to send — …", "Not sent: …". */
export function syncStatusWords(state: SyncState): string {
  const parts: string[] = [];
  if (state.waiting > 0) {
    const are = state.waiting === 1 ? 'is' : 'are';
    parts.push(
      state.offline
        ? `${items(state.waiting)} waiting to send — ${state.waiting === 1 ? 'it' : 'they'} will go when you are online.`
        : `${items(state.waiting)} ${are} being sent to ${state.council}’s record.`,
    );
  } else {
    parts.push(`Saved to ${state.council}’s record.`);
  }
  if (state.refused > 0)
    parts.push(
      `Not sent: ${items(state.refused)} the record refused. The privacy page says which and why; ${state.refused === 1 ? 'it stays' : 'they stay'} in this browser.`,
    );
  return parts.join(' ');
}

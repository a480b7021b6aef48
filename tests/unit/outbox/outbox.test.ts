import type { Statement } from '@xapi/xapi';
import { describe, expect, it } from 'vitest';
import {
  batchesOf,
  longestRetryDelay,
  outcomeOf,
  retryDelay,
  sendBatch,
  syncStatusKind,
  syncStatusWords,
  waitingStatements,
  type PostOutcome,
} from '../../../src/lib/outbox/index.ts';
import { modules } from '../../fixtures/learning-record/course.ts';
import { experienced } from '../../fixtures/learning-record/statements.ts';

const statements = (count: number): Statement[] =>
  Array.from({ length: count }, (_, index) => experienced(modules.safeguarding, new Date(Date.UTC(2026, 2, 2, 9, 0, index)).toISOString()));

/** A hub that refuses any batch holding one of `bad`, naming it when `names` is set, and counts what it is sent. */
function fakeHub(bad: ReadonlySet<string>, names = false) {
  const sent = new Map<string, number>();
  let posts = 0;
  const post = async (batch: readonly Statement[]): Promise<PostOutcome> => {
    posts += 1;
    const at = batch.findIndex((statement) => bad.has(statement.id as string));
    if (at >= 0)
      return names ? { kind: 'refused', reason: 'result.score.raw is above max', index: at } : { kind: 'refused', reason: 'result.score.raw is above max' };
    for (const statement of batch) sent.set(statement.id as string, (sent.get(statement.id as string) ?? 0) + 1);
    return { kind: 'stored' };
  };
  return { post, sent, posts: () => posts };
}

describe('waitingStatements', () => {
  it('leaves out what the hub acknowledged or refused, keeping the order', () => {
    const all = statements(4);
    const ids = all.map((statement) => statement.id as string);
    const waiting = waitingStatements(all, { acknowledged: new Set([ids[0]!]), refused: new Map([[ids[2]!, 'bad']]), pulledUntil: undefined });
    expect(waiting.map((statement) => statement.id)).toEqual([ids[1], ids[3]]);
  });
});

describe('batchesOf', () => {
  it.each([
    [0, []],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])('splits %i statements into batches of %j', (count, sizes) => {
    const batches = batchesOf(statements(count));
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batches.flat().length).toBe(count);
  });

  it('refuses a batch size below one', () => {
    expect(() => batchesOf([1], 0)).toThrow('a batch holds at least one item, not 0');
  });
});

describe('retryDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [9, 256_000],
    [10, longestRetryDelay],
    [40, longestRetryDelay],
  ])('waits about %i → %i ms in the middle of its spread', (attempt, expected) => {
    expect(retryDelay(attempt, () => 0.5)).toBe(expected);
  });

  it('spreads each wait by a fifth either way', () => {
    expect(retryDelay(3, () => 0)).toBe(3_200);
    expect(retryDelay(3, () => 0.999999)).toBe(4_800);
  });
});

describe('outcomeOf', () => {
  it.each([
    [200, undefined, undefined, { kind: 'stored' }],
    [204, undefined, undefined, { kind: 'stored' }],
    [400, 'score too high', 'statement[3].result', { kind: 'refused', reason: 'score too high', index: 3 }],
    [400, 'not JSON', 'body', { kind: 'refused', reason: 'not JSON' }],
    [403, 'not your statement', 'statement[0].actor', { kind: 'refused', reason: 'not your statement', index: 0 }],
    [409, 'a different statement with that id', 'statement[7].id', { kind: 'refused', reason: 'a different statement with that id', index: 7 }],
    [401, 'signed out', undefined, { kind: 'signed-out', reason: 'signed out' }],
    [429, undefined, undefined, { kind: 'retry', reason: 'the hub answered 429' }],
    [500, undefined, undefined, { kind: 'retry', reason: 'the hub answered 500' }],
    [503, 'restarting', undefined, { kind: 'retry', reason: 'restarting' }],
  ])('reads %i %s (%s)', (status, error, where, expected) => {
    expect(outcomeOf(status, error, where)).toEqual(expected);
  });
});

describe('sendBatch', () => {
  it('sends a good batch in one request', async () => {
    const batch = statements(50);
    const hub = fakeHub(new Set());
    const result = await sendBatch(batch, hub.post);
    expect(result).toMatchObject({ acknowledged: batch.map((statement) => statement.id), refused: [], posts: 1 });
  });

  it('finds one bad statement by halving, and the other 49 still go, each stored once', async () => {
    const batch = statements(50);
    const bad = batch[37]!.id as string;
    const hub = fakeHub(new Set([bad]));
    const result = await sendBatch(batch, hub.post);
    expect(result.refused).toEqual([{ id: bad, reason: 'result.score.raw is above max' }]);
    expect(result.acknowledged).toHaveLength(49);
    expect([...hub.sent.values()].every((count) => count === 1)).toBe(true);
    expect(hub.sent.has(bad)).toBe(false);
    // Halving 50 down to one statement.
    expect(result.posts).toBeLessThanOrEqual(13);
  });

  it('splits around the statement the hub names: three more requests', async () => {
    const batch = statements(50);
    const bad = batch[12]!.id as string;
    const result = await sendBatch(batch, fakeHub(new Set([bad]), true).post);
    expect(result.refused.map(({ id }) => id)).toEqual([bad]);
    expect(result.acknowledged).toHaveLength(49);
    expect(result.posts).toBe(4);
  });

  it('finds several bad statements', async () => {
    const batch = statements(20);
    const bad = new Set([batch[0]!.id as string, batch[9]!.id as string, batch[19]!.id as string]);
    const result = await sendBatch(batch, fakeHub(bad).post);
    expect(new Set(result.refused.map(({ id }) => id))).toEqual(bad);
    expect(result.acknowledged).toHaveLength(17);
  });

  it('stops at the first answer that is not about the statements, keeping what was acknowledged', async () => {
    const batch = statements(4);
    let calls = 0;
    const result = await sendBatch(batch, async (part) => {
      calls += 1;
      if (calls === 1) return { kind: 'refused', reason: 'bad', index: 3 };
      if (part.length === 3) return { kind: 'stored' };
      return { kind: 'retry', reason: 'the hub answered 503' };
    });
    expect(result.acknowledged).toHaveLength(3);
    expect(result.refused).toEqual([]);
    expect(result.stopped).toEqual({ kind: 'retry', reason: 'the hub answered 503' });
    expect(calls).toBe(3);
  });
});

describe('syncStatusWords', () => {
  const base = { council: 'Brookfield Council', waiting: 0, refused: 0, offline: false };
  it.each([
    [base, 'Saved to Brookfield Council’s record.'],
    [{ ...base, waiting: 3, offline: true }, '3 items waiting to send — they will go when you are online.'],
    [{ ...base, waiting: 1, offline: true }, '1 item waiting to send — it will go when you are online.'],
    [{ ...base, waiting: 3 }, '3 items are being sent to Brookfield Council’s record.'],
    [
      { ...base, refused: 1 },
      'Saved to Brookfield Council’s record. Not sent: 1 item the record refused. The privacy page says which and why; it stays in this browser.',
    ],
  ])('says %j as %s', (state, words) => {
    expect(syncStatusWords(state)).toBe(words);
  });

  it('is news for screen readers only when the kind of state changes', () => {
    expect(syncStatusKind({ ...base, waiting: 120 })).toBe(syncStatusKind({ ...base, waiting: 70 }));
    expect(syncStatusKind({ ...base, waiting: 3, offline: true })).not.toBe(syncStatusKind({ ...base, waiting: 3 }));
    expect(syncStatusKind(base)).not.toBe(syncStatusKind({ ...base, refused: 1 }));
  });
});

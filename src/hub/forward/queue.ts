/**
 * The forwarding queue in PostgreSQL. Every statement stored while forwarding is on
 * gets a row (by the trigger in migration 012, in the storing transaction). A
 * process claims due rows with FOR UPDATE SKIP LOCKED and leases them by moving
 * next_attempt past the time the send may take; an acknowledged row is deleted, a
 * failed one waits (backoff), a statement refused too often moves to the dead letters.
 */
import type { Database, Sql } from '../db/index.ts';
import type { ForwardConfig } from './config.ts';

type Json = Record<string, unknown>;

/** A claimed row with the statement it forwards. */
export interface ClaimedStatement {
  seq: number;
  id: string;
  body: Json;
  /** Sends tried, this one included, and the LRS's refusals of it alone so far. */
  attempts: number;
  refusals: number;
  enqueued: Date;
}

/** Records whether forwarding is on, and where to: the trigger enqueues only while it is. */
export async function recordForwarding(db: Sql, config: ForwardConfig | undefined): Promise<void> {
  await db.query('update forward_setting set enabled = $1, endpoint = $2, updated = now()', [config !== undefined, config?.endpoint ?? null]);
}

/**
 * Claims up to `limit` due rows, oldest due first, leased until `leaseUntil`. Rows whose
 * statement was erased before it was sent are deleted, not returned.
 */
export async function claimDue(db: Database, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedStatement[]> {
  const rows = await db.query<{ seq: number; id: string | null; body: Json | null; attempts: number; refusals: number; enqueued: Date }>(
    `with due as (
       select seq from forward_queue where next_attempt <= $1 order by next_attempt, seq limit $3 for update skip locked
     ), claimed as (
       update forward_queue q set next_attempt = $2, attempts = q.attempts + 1, claimed = true from due where q.seq = due.seq
       returning q.seq, q.attempts, q.refusals, q.enqueued
     )
     select c.seq, s.id::text as id, s.body, c.attempts, c.refusals, c.enqueued from claimed c left join statement s on s.seq = c.seq order by c.seq`,
    [now, leaseUntil, limit],
  );
  const erased = rows.filter((row) => row.body === null).map((row) => row.seq);
  if (erased.length > 0) await acknowledge(db, erased);
  return rows
    .filter((row) => row.body !== null)
    .map((row) => ({ seq: Number(row.seq), id: row.id!, body: row.body!, attempts: row.attempts, refusals: row.refusals, enqueued: new Date(row.enqueued) }));
}

/** The LRS holds these statements: they leave the queue for good. */
export async function acknowledge(db: Sql, seqs: readonly number[]): Promise<void> {
  if (seqs.length > 0) await db.query('delete from forward_queue where seq = any($1::bigint[])', [seqs]);
}

/** These could not be sent (LRS down, 5xx, refused key): they wait until `until`, with the reason shown to admins. */
export async function postpone(db: Sql, seqs: readonly number[], until: Date, reason: string): Promise<void> {
  if (seqs.length === 0) return;
  await db.query('update forward_queue set next_attempt = $2, claimed = false, last_error = $3 where seq = any($1::bigint[])', [seqs, until, reason]);
}

/**
 * The LRS refused this statement by itself. After `maxRefusals` refusals it moves to the
 * dead letters, out of the way of the rest; until then it waits until `until`.
 * Returns whether it is now a dead letter.
 */
export async function refuse(db: Database, statement: ClaimedStatement, reason: string, now: Date, until: Date, maxRefusals: number): Promise<boolean> {
  const refusals = statement.refusals + 1;
  if (refusals < maxRefusals) {
    await db.query('update forward_queue set next_attempt = $2, claimed = false, refusals = $3, last_error = $4 where seq = $1', [
      statement.seq,
      until,
      refusals,
      reason,
    ]);
    return false;
  }
  await db.transaction(async (tx) => {
    const moved = await tx.query('delete from forward_queue where seq = $1 returning seq', [statement.seq]);
    if (moved.length === 0) return;
    await tx.query(
      `insert into forward_dead_letter (seq, statement_id, reason, attempts, enqueued, failed) values ($1, $2, $3, $4, $5, $6)
       on conflict (seq) do update set reason = excluded.reason, attempts = excluded.attempts, failed = excluded.failed`,
      [statement.seq, statement.id, reason, statement.attempts, statement.enqueued, now],
    );
  });
  return true;
}

/**
 * Frees rows a process claimed and never finished. Only safe when no other process can
 * hold a claim: PGlite, which one process owns, at start.
 */
export async function releaseClaims(db: Sql, now: Date): Promise<number> {
  const rows = await db.query('update forward_queue set claimed = false, next_attempt = $1 where claimed returning seq', [now]);
  return rows.length;
}

export interface DeadLetter {
  statementId: string;
  reason: string;
  attempts: number;
  enqueued: string;
  failed: string;
}

export interface ForwardingStatus {
  enabled: boolean;
  endpoint: string | null;
  /** Statements waiting to be sent, and when the oldest of them was stored. */
  waiting: number;
  oldestWaiting: string | null;
  /** The latest reason a send failed, of a statement still waiting. */
  lastError: string | null;
  deadLetterCount: number;
  /** The most recent dead letters, newest first (up to 100). */
  deadLetters: DeadLetter[];
}

export const deadLetterPage = 100;

/** What admins see: the queue's length and age, the latest failure and the dead letters. */
export async function forwardingStatus(db: Sql): Promise<ForwardingStatus> {
  const [summary] = await db.query<{
    enabled: boolean;
    endpoint: string | null;
    waiting: number;
    oldest: Date | null;
    last_error: string | null;
    dead: number;
  }>(
    `select f.enabled, f.endpoint,
       (select count(*)::int from forward_queue) as waiting,
       (select min(enqueued) from forward_queue) as oldest,
       (select last_error from forward_queue where last_error is not null order by next_attempt desc limit 1) as last_error,
       (select count(*)::int from forward_dead_letter) as dead
     from forward_setting f`,
  );
  const dead = await db.query<{ statement_id: string; reason: string; attempts: number; enqueued: Date; failed: Date }>(
    'select statement_id::text, reason, attempts, enqueued, failed from forward_dead_letter order by failed desc, seq desc limit $1',
    [deadLetterPage],
  );
  return {
    enabled: summary?.enabled ?? false,
    endpoint: summary?.endpoint ?? null,
    waiting: Number(summary?.waiting ?? 0),
    oldestWaiting: summary?.oldest ? new Date(summary.oldest).toISOString() : null,
    lastError: summary?.last_error ?? null,
    deadLetterCount: Number(summary?.dead ?? 0),
    deadLetters: dead.map((row) => ({
      statementId: row.statement_id,
      reason: row.reason,
      attempts: row.attempts,
      enqueued: new Date(row.enqueued).toISOString(),
      failed: new Date(row.failed).toISOString(),
    })),
  };
}

/**
 * Puts dead letters back in the queue, to be sent at once with a fresh count of
 * refusals: one statement by id, or all of them. Returns how many went back.
 */
export async function retryDeadLetters(db: Database, now: Date, statementId?: string): Promise<number> {
  const rows = await db.query(
    `with moved as (
       delete from forward_dead_letter where $1::uuid is null or statement_id = $1::uuid returning seq, enqueued
     )
     insert into forward_queue (seq, enqueued, next_attempt) select seq, enqueued, $2 from moved on conflict (seq) do nothing returning seq`,
    [statementId ?? null, now],
  );
  return rows.length;
}

/**
 * Queues statements stored before forwarding was switched on (or while it was off),
 * optionally only those stored since a time. Statements queued or dead already are
 * left as they are. An LRS that holds a statement already accepts it again (same id,
 * same content), so queueing too much is harmless. Returns how many were queued.
 */
export async function enqueueBacklog(db: Sql, since?: Date): Promise<number> {
  const rows = await db.query(
    `insert into forward_queue (seq)
     select s.seq from statement s
     where ($1::timestamptz is null or s.stored >= $1) and not exists (select 1 from forward_dead_letter d where d.seq = s.seq)
     order by s.seq
     on conflict (seq) do nothing returning seq`,
    [since ?? null],
  );
  return rows.length;
}

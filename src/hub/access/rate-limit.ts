/**
 * Rate limits counted in PostgreSQL (the hub keeps no state elsewhere, so every
 * hub process behind a load balancer shares the count). A fixed window per
 * bucket: the bucket names the endpoint and the client, for example
 * `device-code:203.0.113.9`.
 */
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';

export interface RateLimit {
  /** Most requests allowed in one window. */
  limit: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

/** Counts one request against the bucket; returns false when the bucket is over its limit for this window. */
export async function takeRateLimit(db: Sql, bucket: string, rule: RateLimit, now: Date = new Date()): Promise<boolean> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const rows = await db.query<{ hits: number }>(
    `insert into rate_limit (bucket, window_start, hits) values ($1, $2, 1)
     on conflict (bucket, window_start) do update set hits = rate_limit.hits + 1
     returning hits`,
    [bucket, windowStart],
  );
  return Number(rows[0]?.hits ?? 0) <= rule.limit;
}

/** Throws 429 when the bucket is over its limit. */
export async function enforceRateLimit(db: Sql, bucket: string, rule: RateLimit, now?: Date): Promise<void> {
  if (!(await takeRateLimit(db, bucket, rule, now))) {
    throw new HubError(429, `too many attempts: wait ${Math.ceil(rule.windowSeconds / 60)} minutes and try again`);
  }
}

/** Drops windows that ended more than a day ago; run by the hub's scheduled clean-up. */
export async function pruneRateLimits(db: Sql, now: Date = new Date()): Promise<void> {
  await db.query("delete from rate_limit where window_start < $1::timestamptz - interval '1 day'", [now]);
}

/**
 * Progress changes as they happen, for open lead pages. A pass of the projection
 * announces each change with NOTIFY on `hub_progress`; every hub process listens
 * once and hands each change only to the streams whose organisations include the
 * learner's. So a lead connected to one hub process sees a quiz passed through
 * another.
 */
import { z } from 'zod';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Database } from '../db/index.ts';
import type { ProgressChange } from './projection.ts';

const changeSchema = z.object({
  personId: z.string(),
  organisationId: z.string(),
  name: z.string(),
  status: z.enum(['completed', 'due', 'expired', 'incomplete']),
  completed: z.array(z.string()),
});

export type Scope = readonly string[] | 'all';

export interface ProgressFeed {
  /** Calls `send` with every change in the organisations of `scope`; returns the way to stop. */
  subscribe(scope: Scope, send: (change: ProgressChange) => void): () => void;
  close(): Promise<void>;
}

export async function openProgressFeed(db: Database): Promise<ProgressFeed> {
  const subscribers = new Set<{ scope: Scope; send: (change: ProgressChange) => void }>();
  const stop = await db.listen('hub_progress', (payload) => {
    let change: ProgressChange;
    try {
      change = changeSchema.parse(JSON.parse(payload));
    } catch {
      return;
    }
    for (const subscriber of subscribers) {
      if (subscriber.scope === 'all' || subscriber.scope.includes(change.organisationId)) subscriber.send(change);
    }
  });
  return {
    subscribe: (scope, send) => {
      const subscriber = { scope, send };
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    close: async () => {
      subscribers.clear();
      await stop();
    },
  };
}

/** What a lead hears when a learner's row changes. */
export function describeChange(change: ProgressChange): string {
  if (change.completed.length > 0) return `${change.name} completed ${change.completed.join(', ')}`;
  const words = {
    completed: 'has completed everything their role requires',
    due: 'has training due for renewal',
    expired: 'has training that has expired',
    incomplete: 'has training still to do',
  };
  return `${change.name} ${words[change.status]}`;
}

/** Streams lasting longer are closed; the browser reconnects, and the caller's organisations are read again. */
export const streamMs = 5 * 60 * 1000;

/**
 * A Server-Sent Events response carrying the changes in `scope`: `event: progress`,
 * `data:` the change with its sentence. A comment every 25 seconds keeps proxies from
 * closing a quiet stream.
 */
export function progressStream(c: Context, feed: ProgressFeed, scope: Scope, options: { lifetimeMs?: number } = {}): Response {
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let unsubscribe = () => {};
    const closed = new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      setTimeout(resolve, options.lifetimeMs ?? streamMs).unref();
    });
    unsubscribe = feed.subscribe(scope, (change) => {
      void stream.writeSSE({ event: 'progress', data: JSON.stringify({ ...change, message: describeChange(change) }) });
    });
    const keepAlive = setInterval(() => void stream.write(': still here\n\n'), 25_000);
    await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
    await closed;
    clearInterval(keepAlive);
    unsubscribe();
  });
}

/** How the outbox's browser journeys watch the sender, from the page and the browser context. */
import type { BrowserContext, Page, Request } from 'playwright-core';
import { expect } from 'vitest';

export { enrol, startSyncHub, type SyncHub } from './sync-hub.ts';

export const poll = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 30_000, interval: 250 });

/** The status line in the banner, in words. */
export const syncWords = (page: Page) => page.locator('[data-sync-words]').innerText();

export const saved = 'Saved to Brookfield Council’s record.';

/**
 * How many times each statement id was POSTed from one browser context: on `requestfinished`, the
 * requests answered; on `request`, every request sent, answered or not.
 */
export function countPosts(context: BrowserContext, event: 'request' | 'requestfinished' = 'requestfinished'): Map<string, number> {
  const posted = new Map<string, number>();
  const count = (request: Request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/xapi/statements')) return;
    for (const statement of request.postDataJSON() as { id: string }[]) posted.set(statement.id, (posted.get(statement.id) ?? 0) + 1);
  };
  if (event === 'request') context.on('request', count);
  else context.on('requestfinished', count);
  return posted;
}

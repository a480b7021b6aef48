/** What every browser test needs: the served build, a browser, and axe. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.ts';

export { launchBrowser, launchPersistent } from '../support/browser.ts';
export { axeViolations } from '../support/axe.ts';

/** The address of the production build served for this run. */
export const baseUrl: string = inject('baseUrl');

/** Fails with every violation listed when axe finds anything on the page as it is now. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/**
 * The built chunk that holds the learner record's code (not the lead's worker), found
 * by a name only the record uses: abort it to force "the record cannot open".
 */
export function recordChunkUrl(): string {
  const folder = join(process.cwd(), 'dist', '_astro');
  const chunk = readdirSync(folder).find(
    (name) => name.endsWith('.js') && !name.startsWith('_worker') && readFileSync(join(folder, name), 'utf8').includes('fh-storage-check'),
  );
  if (!chunk) throw new Error('No built chunk holds the learner record');
  return `${baseUrl}/_astro/${chunk}`;
}

/** A statement as the tests read it back from the learner's database. */
export interface StoredStatement {
  id: string;
  timestamp: string;
  verb: { id: string };
  object: { id: string };
  result?: {
    success?: boolean;
    completion?: boolean;
    duration?: string;
    response?: string;
    score?: { scaled?: number; raw?: number; max?: number };
    extensions?: Record<string, unknown>;
  };
  context?: { registration?: string; extensions?: Record<string, unknown> };
}

/**
 * The statements in the learner's record in time order, read straight from
 * PouchDB's IndexedDB database (documents live in its `by-sequence` store), so
 * tests see what was stored without any test-only door in the site's code.
 */
export function recordedStatements(page: Page): Promise<StoredStatement[]> {
  return page.evaluate(async () => {
    const found = new Map<string, StoredStatement>();
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('_pouch_')) continue;
      const db = await new Promise<IDBDatabase>((done, fail) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
      if (db.objectStoreNames.contains('by-sequence')) {
        const docs = await new Promise<Record<string, unknown>[]>((done, fail) => {
          const request = db.transaction('by-sequence').objectStore('by-sequence').getAll();
          request.onsuccess = () => done(request.result as Record<string, unknown>[]);
          request.onerror = () => fail(request.error);
        });
        for (const doc of docs) {
          if (doc['_deleted']) continue;
          const statement = (typeof doc['statement'] === 'object' ? doc['statement'] : doc) as Partial<StoredStatement>;
          if (statement.verb?.id && statement.id) found.set(statement.id, statement as StoredStatement);
        }
      }
      db.close();
    }
    return [...found.values()].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  });
}

/** Clicks a button that downloads a file and returns the file's bytes and suggested name. */
export async function downloadFrom(page: Page, button: string): Promise<{ bytes: Buffer; name: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), name: file.suggestedFilename() };
}

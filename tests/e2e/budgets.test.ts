/**
 * JavaScript budgets per kind of page: gzip bytes of every script a page loads
 * without the learner doing anything (the page's own modules and whatever they
 * load once the page is idle, such as the learner record). Byte counts of a
 * build are the same on every machine, so unlike timings they can fail a test.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyRole } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';
import { builtPages } from './pages.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

/** Budgets in KB of gzip, by the first part of the page's path. */
const budgets: { kind: string; matches: (path: string) => boolean; kilobytes: number }[] = [
  { kind: 'home page', matches: (path) => path === '/', kilobytes: 60 },
  { kind: 'role page', matches: (path) => path.startsWith('/roles/'), kilobytes: 70 },
  { kind: 'module page', matches: (path) => path.startsWith('/modules/'), kilobytes: 90 },
  { kind: 'film page', matches: (path) => path.startsWith('/films/'), kilobytes: 90 },
];

const pages = builtPages().flatMap((path) => {
  const budget = budgets.find((candidate) => candidate.matches(path));
  return budget ? [{ path, ...budget }] : [];
});

/** Gzip size of every script the page at `path` loads until the network has been quiet for half a second. */
async function scriptBytes(browser: Browser | BrowserContext, path: string): Promise<{ total: number; scripts: string[] }> {
  const page = await browser.newPage();
  const sizes: Promise<{ url: string; bytes: number }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    sizes.push(response.body().then((body) => ({ url: response.url(), bytes: gzipSync(body).length })));
  });
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
  const loaded = await Promise.all(sizes);
  await page.close();
  return {
    total: loaded.reduce((sum, { bytes }) => sum + bytes, 0),
    scripts: loaded.map(({ url, bytes }) => `${new URL(url).pathname} ${(bytes / 1024).toFixed(1)} KB`),
  };
}

describe('JavaScript budgets', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has a page of each kind to measure', () => {
    expect(new Set(pages.map(({ kind }) => kind))).toEqual(new Set(budgets.map(({ kind }) => kind)));
  });

  it.each(pages)('keeps $path within the $kind budget of $kilobytes KB', async ({ path, kind, kilobytes }) => {
    const { total, scripts } = await scriptBytes(browser, path);
    // Every page but the home page has a custom element, so a count of nothing means the measuring broke.
    if (kind !== 'home page') expect(total, `${path} loads no script`).toBeGreaterThan(0);
    expect(total / 1024, `${path} loads:\n${scripts.join('\n')}`).toBeLessThanOrEqual(kilobytes);
  });

  // A learner with a record and a profile loads what a first visit does not: PouchDB to read the
  // record, and zod to check their profile as it is read back. Every kind of page must fit with both.
  describe('for a learner with a record', () => {
    let context: BrowserContext;
    beforeAll(async () => {
      context = await browser.newContext();
      const page = await context.newPage();
      await loadRecordOnPrivacyPage(
        page,
        baseUrl,
        completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Northgate Library' }, new Date()),
      );
      await page.close();
    });
    afterAll(async () => {
      await context?.close();
    });

    const samples = budgets.flatMap(({ kind, matches }) => (kind !== 'home page' ? (pages.find(({ path }) => matches(path)) ?? []) : []));
    it.each(samples)('keeps $path within the $kind budget of $kilobytes KB', async ({ path, kilobytes }) => {
      const { total, scripts } = await scriptBytes(context, path);
      expect(total / 1024, `${path} loads:\n${scripts.join('\n')}`).toBeLessThanOrEqual(kilobytes);
    });
  });
});

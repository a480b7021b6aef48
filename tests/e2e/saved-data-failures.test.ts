/**
 * Failures of what a page saves, forced in a real browser, each told in words a
 * person can act on: a film whose watching cannot be written to the record, and
 * a lead page whose saved people were damaged by something other than this site.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLeadFixtures } from '../../scripts/make-lead-fixtures.mjs';
import { journeyFilm } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'fh-saved-failures-'));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a film whose watching cannot be saved', () => {
  it('tells the learner it may not count and what to do, and keeps playing', async () => {
    const context = await browser.newContext();
    // Once the page sets refuseWrites, the record cannot take a copy of a statement (as when the
    // browser runs out of memory), so writing it fails in memory as well as in IndexedDB.
    await context.addInitScript(() => {
      const copy = globalThis.structuredClone;
      globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) => {
        if ((globalThis as { refuseWrites?: boolean }).refuseWrites) throw new DOMException('Out of memory.', 'DataCloneError');
        return copy(value, options);
      }) as typeof structuredClone;
      const transaction = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        if ((globalThis as { refuseWrites?: boolean }).refuseWrites && args[1] === 'readwrite') throw new DOMException('Out of memory.', 'UnknownError');
        return transaction.apply(this, args);
      };
    });
    const page = await context.newPage();
    const logged: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    await page.goto(`${baseUrl}/films/${journeyFilm}/`);
    await page.locator('fh-film .fh-film__speed select').waitFor();
    // The record is open (the status reads it) before writes start failing.
    await expect.poll(() => page.locator('fh-film .fh-film__status').innerText()).toContain('Not started');
    await page.evaluate(() => ((globalThis as { refuseWrites?: boolean }).refuseWrites = true));

    const video = page.locator('fh-film video');
    await video.focus();
    await page.keyboard.press('Space');
    const problem = page.locator('fh-film .fh-film__problem');
    await problem.waitFor();
    expect(await problem.getAttribute('role')).toBe('alert');
    expect(await problem.innerText()).toBe(
      'What you have watched could not be saved in this browser, so it may not count towards your plan. Reload the page and watch the clip again, or use another browser.',
    );
    // The clip itself still plays.
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime)).toBeGreaterThan(0);
    // The cause is kept for whoever looks into it.
    expect(logged.some((text) => /DataCloneError|Out of memory/.test(text))).toBe(true);
    await expectNoAxeViolations(page);
    await context.close();
  });
});

/** Rewrites every person the lead page's worker saved, in PouchDB's own IndexedDB store, as another program might. */
async function damageSavedPeople(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('_pouch_lead-imports-people');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('by-sequence', 'readwrite');
          let damaged = 0;
          tx.objectStore('by-sequence').openCursor().onsuccess = (event) => {
            const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
            if (!cursor) return;
            const doc = cursor.value as { kind?: string; sighting?: unknown };
            if (doc.kind === 'person') {
              cursor.update({ ...doc, sighting: { homePage: 'https://elsewhere.example.org' } });
              damaged += 1;
            }
            cursor.continue();
          };
          tx.oncomplete = () => {
            db.close();
            resolve(damaged);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

describe('the lead page when its saved people are damaged', () => {
  it('says the saved data cannot be read and how to start again, and clearing it works', async () => {
    const [entry] = (await makeLeadFixtures({ dir, staff: 1, certificates: 0 })) as { recordFile: string }[];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/lead/`);
    await page.setInputFiles('#lead-files', join(dir, entry!.recordFile));
    await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent?.startsWith('Finished'));
    await page.waitForSelector('#lead-matrix tbody tr');

    expect(await damageSavedPeople(page)).toBe(1);
    await page.reload();
    const status = page.locator('#lead-status');
    await expect.poll(() => status.innerText()).toContain('Choose “Clear all imported data” and add the files again.');
    expect(await status.innerText()).toMatch(/^What you added before could not be read\. The stored document ".+" is not a learning record entry/);
    expect(await page.locator('#lead-clear').isVisible()).toBe(true);
    await expectNoAxeViolations(page);

    // Doing what it says works.
    await page.click('#lead-clear');
    await page.click('text=Yes, clear all imported data');
    await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent === 'All imported data has been cleared from this browser.');
    await page.setInputFiles('#lead-files', join(dir, entry!.recordFile));
    await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent?.startsWith('Finished'));
    expect(await status.innerText()).toBe('Finished reading 1 file: 1 imported, 0 already imported, 0 not imported.');
    expect(await page.locator('#lead-matrix tbody tr').count()).toBe(1);
    await context.close();
  });
});

/**
 * When the learner's record cannot be used, the page says so in words a learner
 * can act on: storage that throws as a private window does, the record's code
 * failing to load, and a record damaged by something other than this site.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyModules, journeyRole } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const warningTitle = 'Your progress cannot be saved in this browser';
const rolePath = `/roles/${journeyRole.id}/`;
const firstItem = journeyRole.required[0]!;

const warning = (page: Page) => page.locator('fh-storage-warning');
const statusOf = (page: Page, itemId: string) => page.locator(`[data-item="${itemId}"] fh-status`);

describe('a record that cannot be used', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('warns on the role page when the browser refuses storage altogether, and still shows statuses', async () => {
    context = await browser.newContext();
    // As some private windows do: merely asking for IndexedDB throws.
    await context.addInitScript(() => {
      Object.defineProperty(globalThis, 'indexedDB', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${rolePath}`);
    await warning(page).getByRole('heading', { name: warningTitle }).waitFor();
    expect(await warning(page).innerText()).toContain('This browser is not letting this website keep your progress');
    expect(await warning(page).getByRole('button', { name: 'Download my record' }).isVisible()).toBe(true);
    await expect.poll(() => statusOf(page, firstItem).innerText()).toBe('Not started');
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('says the record could not be opened, and what to do, when its code does not load', async () => {
    context = await browser.newContext();
    // The script that opens the record fails to arrive (a dropped connection, a new version of the site mid-visit).
    await context.route(/\/_astro\/.*\.js$/, async (route) => {
      const response = await route.fetch();
      const body = await response.text();
      if (body.includes('fh-storage-check')) await route.abort('connectionreset');
      else await route.fulfill({ response, body });
    });
    const page = await context.newPage();
    const logged: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    for (const path of [rolePath, `/modules/${journeyModules[0]!}/`]) {
      await page.goto(`${baseUrl}${path}`);
      await warning(page).getByRole('heading', { name: warningTitle }).waitFor();
      const words = await warning(page).innerText();
      expect(words).toContain('This page could not open your learning record, so nothing you do here will be saved.');
      expect(words).toContain('Reload the page to try again.');
      // Nothing to download: the record never opened.
      expect(await warning(page).getByRole('button').count()).toBe(0);
      await expectNoAxeViolations(page);
    }
    await page.goto(`${baseUrl}${rolePath}`);
    await expect.poll(() => statusOf(page, firstItem).innerText()).toBe('Progress cannot be shown');
    // The cause is kept for whoever looks into it.
    expect(logged.some((text) => text.includes('The learning record could not be opened'))).toBe(true);
    // Scripts the page asked for late may still be on their way through the route: let them go before closing.
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });

  it('says the saved progress is damaged when the record holds a document this site did not write', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(response.url());
    });
    await loadRecordOnPrivacyPage(
      page,
      baseUrl,
      completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Northgate Library' }, new Date()),
    );
    // Another program writes into the record's database, through PouchDB as the site does.
    const damaged = await page.evaluate(
      async (urls) => {
        // Made from a string, so the test runner does not rewrite the import for Node.
        const load = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
        for (const url of urls) {
          const loaded = await load(url);
          for (const candidate of Object.values(loaded)) {
            // PouchDB's constructor, known by its statics.
            const Pouch = candidate as { plugin?: unknown; adapters?: unknown } | undefined;
            if (typeof candidate !== 'function' || typeof Pouch?.plugin !== 'function' || typeof Pouch.adapters !== 'object') continue;
            const db = new (candidate as new (name: string) => { put(doc: object): Promise<unknown>; close(): Promise<void> })('learner');
            const id = crypto.randomUUID();
            await db.put({ _id: id, kind: 'statement', statement: { id, note: 'not a statement' } });
            await db.close();
            return id;
          }
        }
        return undefined;
      },
      [...scripts],
    );
    expect(damaged, 'PouchDB was found among the scripts the page loaded').toBeDefined();

    await page.goto(`${baseUrl}${rolePath}`);
    await warning(page).getByRole('heading', { name: warningTitle }).waitFor();
    expect(await warning(page).innerText()).toContain(
      'The progress saved in this browser has been damaged, so this website cannot read it or add to it. To start again, clear this website’s data in your browser’s settings.',
    );
    await expectNoAxeViolations(page);
    await context.close();
  });
});

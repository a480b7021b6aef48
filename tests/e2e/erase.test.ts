/**
 * "Erase my record" leaves nothing behind: after a real learner's session
 * (lesson, quiz, film, profile) and an erase, the site's IndexedDB databases are
 * gone, with no deleted-document stubs to show a record existed; and a browser
 * that will not delete them tells the learner.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyModules, journeyRole } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordedStatements } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const siteDatabases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? ''));
const unsavedKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('fh-unsaved-statement:')));

async function learnerWithRecord(page: Page): Promise<void> {
  const file = completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Northgate Library' }, new Date(Date.now() - 86_400_000));
  await loadRecordOnPrivacyPage(page, baseUrl, file);
  // Opening a lesson records a statement of its own.
  await page.goto(`${baseUrl}/modules/${journeyModules[0]}/`);
  await expect.poll(async () => (await recordedStatements(page)).some((statement) => statement.verb.id.endsWith('/experienced'))).toBe(true);
  await page.goto(`${baseUrl}/privacy/`);
}

async function erase(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Erase my record' }).click();
  await page.getByRole('button', { name: 'Yes, erase my record' }).click();
  await expect.poll(() => page.locator('[data-erase-result]').innerText()).not.toBe('');
  return page.locator('[data-erase-result]').innerText();
}

describe('erasing the record', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('destroys the site’s databases, even with My learning open in another tab', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await learnerWithRecord(page);
    expect((await siteDatabases(page)).filter((name) => name.startsWith('_pouch_'))).not.toEqual([]);
    const planTab = await context.newPage();
    await planTab.goto(`${baseUrl}/my-learning/`);
    await planTab.locator('[data-learning]').waitFor();

    expect(await erase(page)).toBe('Your record has been erased from this browser.');
    await planTab.getByRole('heading', { name: 'About you' }).waitFor();
    expect(await siteDatabases(page)).toEqual([]);
    expect(await unsavedKeys(page)).toEqual([]);
    // Reading the empty record on another page does not make the database again.
    await page.goto(`${baseUrl}/my-learning/`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    expect(await siteDatabases(page)).toEqual([]);
    await context.close();
  });

  it('tells the learner when the browser will not delete the record', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await learnerWithRecord(page);
    // The browser refuses, as one may when its storage is damaged.
    await page.evaluate(() => {
      IDBFactory.prototype.deleteDatabase = function refuse() {
        const request = new EventTarget() as IDBOpenDBRequest & { onerror: ((event: Event) => void) | null };
        request.onerror = null;
        setTimeout(() =>
          request.onerror?.({
            target: { error: new DOMException('The operation failed for reasons unrelated to the database itself', 'UnknownError') },
          } as unknown as Event),
        );
        return request;
      };
    });
    const message = await erase(page);
    expect(message).toMatch(/^Your record could not be erased from this browser \(.*\)\. Close any other tabs showing this site and try again\./);
    expect(message).not.toContain('has been erased');
    // Nothing pretends otherwise: the record is still shown, as it is still there.
    await expect.poll(() => page.locator('[data-record-summary]').innerText()).toMatch(/^This browser holds a learning record for Siân Llŷr/);
    await expectNoAxeViolations(page);
    await context.close();
  });
});

/**
 * The lead's table with more people than fit on one page: 100 a page, put in a
 * few rows a frame, with pagination that works from the keyboard, sorting, filtering, the summary and
 * the CSV across every page, and "Show all" for printing and find-in-page.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLeadFixtures } from '../../scripts/make-lead-fixtures.mjs';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';

const staff = 230;
const dir = mkdtempSync(join(tmpdir(), 'fh-lead-paging-'));
let browser: Browser;
let page: Page;
let names: string[];

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
const rowNames = () => page.locator('#lead-matrix tbody th[scope="row"]').allInnerTexts();
const shown = () => page.textContent('#lead-shown');
const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
const currentPage = () => page.locator('#lead-pagination [aria-current="page"]').innerText();

beforeAll(async () => {
  const manifest = (await makeLeadFixtures({ dir, staff, certificates: 0, seed: 3 })) as Array<{ name: string }>;
  names = manifest.map((entry) => entry.name).sort(collator.compare);
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${baseUrl}/lead/`);
  const records = readdirSync(join(dir, 'records')).map((name) => join(dir, 'records', name));
  await page.setInputFiles('#lead-files', records);
  await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent?.startsWith('Finished'), null, { timeout: 120_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lead table, a page at a time', () => {
  it('shows the first 100 people, says which, and offers the other pages', async () => {
    await expect.poll(rowNames).toEqual(names.slice(0, 100));
    await expect.poll(shown).toBe(`Showing people 1 to 100 of ${staff}.`);
    expect(await page.getAttribute('#lead-pagination', 'aria-label')).toBe('Pages of the table');
    expect(await page.locator('#lead-pagination button:visible').evaluateAll((buttons) => buttons.map((button) => button.textContent))).toEqual([
      '1',
      '2',
      '3',
      'Next page',
    ]);
    expect(await currentPage()).toBe('1');
    await expectNoAxeViolations(page);
  });

  it('moves between pages from the keyboard, keeping focus on the control used', async () => {
    await page.locator('#lead-page-next').focus();
    await page.keyboard.press('Enter');
    await expect.poll(shown).toBe(`Showing people 101 to 200 of ${staff}.`);
    await expect.poll(rowNames).toEqual(names.slice(100, 200));
    expect(await currentPage()).toBe('2');
    expect(await focused()).toBe('Next page');
    await page.keyboard.press('Space');
    // The last page has no "Next": the keyboard stays on the page's own number.
    await expect.poll(rowNames).toEqual(names.slice(200));
    expect(await page.isVisible('#lead-page-next')).toBe(false);
    expect(await focused()).toBe('3');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('1');
    await page.keyboard.press('Enter');
    await expect.poll(rowNames).toEqual(names.slice(0, 100));
    expect(await page.isVisible('#lead-page-previous')).toBe(false);
    await expectNoAxeViolations(page);
  });

  it('draws only the newest page when the lead moves on before a page is all in', async () => {
    // Rows go in a few a frame: two clicks in one task leave the second page's drawing unfinished when the third starts.
    await page.evaluate(() => {
      const next = document.querySelector<HTMLButtonElement>('#lead-page-next')!;
      next.click();
      next.click();
    });
    await expect.poll(shown).toBe(`Showing people 201 to ${staff} of ${staff}.`);
    expect(await rowNames()).toEqual(names.slice(200));
    await page.locator('#lead-pagination button', { hasText: '1' }).click();
    await expect.poll(rowNames).toEqual(names.slice(0, 100));
  });

  it('sorts every row, not just the page shown, and starts again at the first page', async () => {
    await page.locator('#lead-page-next').click();
    await page.locator('#lead-matrix thead button', { hasText: 'Name' }).click();
    expect(await page.locator('#lead-matrix thead th', { hasText: 'Name' }).getAttribute('aria-sort')).toBe('descending');
    expect(await currentPage()).toBe('1');
    await expect.poll(rowNames).toEqual([...names].reverse().slice(0, 100));
    await page.locator('#lead-matrix thead button', { hasText: 'Name' }).click();
  });

  it('filters every row, and counts and downloads everyone who matches', async () => {
    const role = (await page.locator('#lead-filter-role option').allInnerTexts())[1]!;
    await page.selectOption('#lead-filter-role', role);
    // The summary's total: everyone with that role, on every page.
    const total = () => page.evaluate(() => Number(document.querySelector('#lead-summary-role tbody tr:last-child td')?.textContent));
    await expect.poll(total).toBeLessThan(staff);
    const matching = await total();
    expect(matching).toBeGreaterThan(0);
    const onPage = Math.min(matching, 100);
    await expect.poll(rowNames).toHaveLength(onPage);
    await expect.poll(shown).toBe(matching > 100 ? `Showing people 1 to 100 of ${matching} (${staff} in all).` : `Showing ${matching} people of ${staff}.`);
    await page.click('text=Show everyone');
    await page.waitForFunction((total) => document.querySelector('#lead-shown')?.textContent === `Showing people 1 to 100 of ${total}.`, staff);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download this table (CSV)')]);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(staff + 1);
  });

  it('shows everyone when the lead asks, saying how far it has got, and goes back to pages', async () => {
    const seen: string[] = [];
    await page.exposeFunction('leadShownChanged', (text: string) => seen.push(text));
    await page.evaluate(() => {
      const target = document.querySelector('#lead-shown')!;
      new MutationObserver(() => (window as unknown as { leadShownChanged: (text: string) => void }).leadShownChanged(target.textContent ?? '')).observe(
        target,
        { childList: true, characterData: true, subtree: true },
      );
    });
    await page.locator('#lead-show-all').focus();
    expect(await focused()).toBe(`Show all ${staff} people`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((total) => document.querySelector('#lead-shown')?.textContent === `Showing all ${total} people.`, staff);
    expect(seen).toContain(`Adding people to the table: 200 of ${staff}…`);
    await expect.poll(rowNames).toEqual(names);
    expect(await page.isVisible('#lead-pagination')).toBe(false);
    expect(await focused()).toBe('Show 100 people a page');
    await expectNoAxeViolations(page);
    await page.keyboard.press('Enter');
    await expect.poll(rowNames).toEqual(names.slice(0, 100));
    await expect.poll(shown).toBe(`Showing people 1 to 100 of ${staff}.`);
    expect(await page.isVisible('#lead-pagination')).toBe(true);
  });
});

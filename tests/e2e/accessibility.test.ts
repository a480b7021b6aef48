import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, baseUrl, launchBrowser } from './harness.ts';
import { builtPages } from './pages.ts';

// An address that does not exist gets the site's 404 page, which must pass too.
const pages = [...builtPages(), '/no-such-page/'];
const widths = [
  { name: 'phone', width: 375, height: 740 },
  { name: 'desktop', width: 1280, height: 900 },
];

describe('every built page passes axe (WCAG 2.2 A and AA)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('finds the pages to check', () => {
    expect(pages).toContain('/');
    expect(pages.length).toBeGreaterThan(5);
  });

  // One test per page and width, so a growing site never outruns one test's time limit.
  for (const size of widths) {
    it.each(pages)(
      `has no violations at ${size.name} width (${size.width}px): %s`,
      async (path) => {
        const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
        const page = await context.newPage();
        await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
        const failures = (await axeViolations(page)).map((violation) => `${path}: ${violation}`);
        await context.close();
        expect(failures).toEqual([]);
        // Every page in one test: about 2 s a page on a busy two-core machine.
      },
      180_000,
    );
  }

  it('fits a 320px-wide screen without sideways scrolling (WCAG 1.4.10 reflow)', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const overflowing: string[] = [];
    for (const path of pages) {
      await page.goto(`${baseUrl}${path}`);
      const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      if (scrolls) overflowing.push(path);
    }
    await context.close();
    expect(overflowing).toEqual([]);
  });
});

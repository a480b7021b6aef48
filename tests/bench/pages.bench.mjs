/**
 * What a page costs a learner: JavaScript loaded (gzip) and whether anything
 * but inline scripts blocks first paint. Baseline: a bare HTML page served
 * by the same server in the same browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveStatic } from '../support/static-server.ts';
import { launchBrowser } from '../support/browser.ts';
import { builtPages } from '../e2e/pages.ts';

/** Loads `url` in a fresh page and measures scripts, blocking resources and first contentful paint. */
export async function measurePage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script')
      scripts.push(
        response
          .body()
          .then((body) => gzipSync(body).length)
          .catch(() => 0),
      );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    blocking: performance
      .getEntriesByType('resource')
      .filter((entry) => entry.renderBlockingStatus === 'blocking')
      .map((entry) => entry.name),
  }));
  const gzipBytes = (await Promise.all(scripts)).reduce((total, size) => total + size, 0);
  await context.close();
  return { ...timing, gzipBytes };
}

/** Median of `times` runs of `measure`. */
async function median(times, measure) {
  const values = [];
  for (let index = 0; index < times; index += 1) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

export async function run() {
  const blankDir = mkdtempSync(join(tmpdir(), 'fh-blank-'));
  writeFileSync(join(blankDir, 'index.html'), '<!doctype html><html lang="en"><title>Blank</title><p>Blank page</p></html>');
  const site = await serveStatic('dist');
  const blank = await serveStatic(blankDir);
  const browser = await launchBrowser();
  try {
    const rows = [];
    const blankFcp = await median(5, async () => (await measurePage(browser, `${blank.baseUrl}/`)).fcp);
    const home = await measurePage(browser, `${site.baseUrl}/`);
    const homeFcp = await median(5, async () => (await measurePage(browser, `${site.baseUrl}/`)).fcp);
    rows.push({ name: 'home page JavaScript (gzip)', value: home.gzipBytes / 1024, unit: 'KB', target: '< 60 KB' });
    rows.push({ name: 'home page render-blocking resources', value: home.blocking.length, unit: '', target: '0 (inline scripts only)' });
    rows.push({
      name: 'home page first contentful paint (median of 5)',
      value: homeFcp,
      unit: 'ms',
      baseline: { name: 'bare HTML page', value: blankFcp },
      ratio: homeFcp / blankFcp,
    });
    const pages = builtPages().filter((path) => /^\/(modules|films)\/[^/]+\/$/.test(path));
    for (const path of pages) {
      const measured = await measurePage(browser, `${site.baseUrl}${path}`);
      rows.push({ name: `${path} JavaScript (gzip)`, value: measured.gzipBytes / 1024, unit: 'KB', target: '< 90 KB' });
      if (measured.blocking.length) rows.push({ name: `${path} render-blocking resources`, value: measured.blocking.length, unit: '' });
    }
    return rows;
  } finally {
    await browser.close();
    site.server.close();
    blank.server.close();
    rmSync(blankDir, { recursive: true, force: true });
  }
}

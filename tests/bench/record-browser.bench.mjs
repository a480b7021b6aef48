/**
 * The learner record in Chromium, on a page served from dist/:
 * - appending 1,000 statements one at a time through the real record (PouchDB
 *   over IndexedDB, as pages open it with `openLearnerRecord`, and the PouchDB
 *   store alone), beside raw IndexedDB `put`s of the same documents in the same run;
 * - deriving progress for 10,000 statements in the page;
 * - whether loading PouchDB delays first paint: first contentful paint with the
 *   page's scripts and with every script blocked, and when PouchDB's chunk starts
 *   loading compared with first contentful paint.
 *
 * The record code is bundled from src/ with esbuild (Astro's own dependency) and
 * added to the page, so the figures are for the same source the site ships.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { serveStatic } from '../support/static-server.ts';
import { launchBrowser } from '../support/browser.ts';
import { catalogue, matrix, siteUrl } from '../fixtures/learning-record/course.ts';
import { busyRecord } from './record.bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const appendCount = 1_000;
const progressCount = 10_000;
const progressRuns = 30;
const paintRuns = 5;

/** The record and progress code, bundled for the page; it puts them on `window.fhBench`. */
async function benchBundle() {
  const result = await build({
    stdin: {
      contents: [
        "import { openLearnerRecord, openPouchRecordStore } from './src/lib/record/index.ts';",
        "import { deriveProgress } from './src/lib/progress/index.ts';",
        'window.fhBench = { openLearnerRecord, openPouchRecordStore, deriveProgress };',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'record-browser-bench-entry.ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const percentile = (sorted, share) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 1000) / 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Appends every statement one at a time, in the page, three ways; returns each way's sorted times in ms. */
function timeAppends(page, statements) {
  return page.evaluate(async (statements) => {
    const { openLearnerRecord, openPouchRecordStore } = window.fhBench;
    const sorted = (times) => times.sort((a, b) => a - b);

    const raw = async (name, docs) => {
      const db = await new Promise((done, fail) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => request.result.createObjectStore('docs', { keyPath: '_id' });
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
      const times = [];
      for (const doc of docs) {
        const began = performance.now();
        await new Promise((done, fail) => {
          const transaction = db.transaction('docs', 'readwrite');
          transaction.objectStore('docs').put(doc);
          transaction.oncomplete = done;
          transaction.onerror = () => fail(transaction.error);
          transaction.onabort = () => fail(transaction.error);
        });
        times.push(performance.now() - began);
      }
      db.close();
      return sorted(times);
    };

    const through = async (store, list) => {
      const times = [];
      for (const statement of list) {
        const began = performance.now();
        await store.append([statement]);
        times.push(performance.now() - began);
      }
      await store.close();
      return sorted(times);
    };

    const docs = statements.map((statement) => ({ _id: statement.id, kind: 'statement', statement }));
    // Warm each path (IndexedDB, PouchDB, zod) on databases of their own, so first-use costs are not counted.
    const warm = statements.slice(0, 20).map((statement) => ({ ...statement, id: crypto.randomUUID() }));
    await raw(
      'bench-warm-raw',
      warm.map((statement) => ({ _id: statement.id, kind: 'statement', statement })),
    );
    await through(await openPouchRecordStore('bench-warm-pouch'), warm);

    const rawTimes = await raw('bench-raw', docs);
    const storeTimes = await through(await openPouchRecordStore('bench-store'), statements);
    const record = await openLearnerRecord('bench-learner');
    if (record.storageState.mode !== 'persistent') throw new Error(`The record did not open in IndexedDB: ${JSON.stringify(record.storageState)}`);
    const learnerTimes = await through(record.store, statements);
    // Diagnostic: the same record not listening for changes (its own or other tabs'), to show what listening costs.
    const unfollowed = await openLearnerRecord('bench-unfollowed', {
      openPersistent: async (name) => ({ ...(await openPouchRecordStore(name)), subscribe: () => () => {} }),
    });
    const unfollowedTimes = await through(unfollowed.store, statements);
    return { rawTimes, storeTimes, learnerTimes, unfollowedTimes };
  }, statements);
}

/** Times deriveProgress in the page over `statements`. */
function timeProgress(page, statements) {
  return page.evaluate(
    ({ statements, matrix, catalogue, siteUrl, runs }) => {
      const { deriveProgress } = window.fhBench;
      const input = { statements, matrix, catalogue, roleId: 'library-staff', siteUrl, now: new Date('2026-06-01T00:00:00Z') };
      for (let warm = 0; warm < 5; warm += 1) deriveProgress(input);
      const times = [];
      for (let attempt = 0; attempt < runs; attempt += 1) {
        const began = performance.now();
        deriveProgress(input);
        times.push(performance.now() - began);
      }
      return times.sort((a, b) => a - b);
    },
    { statements, matrix, catalogue, siteUrl, runs: progressRuns },
  );
}

/**
 * A private copy of dist/, taken while no build is writing it (builds hold the
 * same lock), so a rebuild during the run cannot pull pages from under it.
 */
function copyOfDist() {
  const copy = mkdtempSync(join(tmpdir(), 'fh-bench-dist-'));
  const locked = spawnSync('flock', ['/tmp/fh-build.lock', 'cp', '-r', `${join(root, 'dist')}/.`, copy], { stdio: 'inherit' });
  if (locked.error) cpSync(join(root, 'dist'), copy, { recursive: true });
  else if (locked.status !== 0) throw new Error('Could not copy dist/ for the bench');
  if (!existsSync(join(copy, 'index.html'))) throw new Error('dist/ has no index.html: run `npm run build` first');
  return copy;
}

/** The built chunks that hold PouchDB (its IndexedDB adapter names the `by-sequence` store). */
function pouchChunks(dist) {
  const dir = join(dist, '_astro');
  return readdirSync(dir).filter(
    (name) => name.endsWith('.js') && !name.startsWith('_worker') && readFileSync(join(dir, name), 'utf8').includes('by-sequence'),
  );
}

/** First contentful paint of `url` in a fresh context, and when PouchDB's chunk started loading (ms since navigation). */
async function paint(browser, url, { blockScripts, chunks }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (blockScripts) await page.route('**/*.js', (route) => route.abort());
  await page.goto(url, { waitUntil: 'networkidle' });
  const timing = await page.evaluate((chunks) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const pouch = performance.getEntriesByType('resource').find((entry) => chunks.some((chunk) => entry.name.endsWith(`/${chunk}`)));
    return { fcp, pouchStart: pouch?.startTime, pouchEnd: pouch?.responseEnd };
  }, chunks);
  await context.close();
  return timing;
}

export async function run() {
  const dist = copyOfDist();
  const chunks = pouchChunks(dist);
  const site = await serveStatic(dist);
  const browser = await launchBrowser();
  const bundle = await benchBundle();
  const rows = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A page with no record scripts of its own, on the site's origin.
    await page.goto(`${site.baseUrl}/accessibility/`);
    await page.addScriptTag({ content: bundle });

    const statements = busyRecord(appendCount).reverse();
    const { rawTimes, storeTimes, learnerTimes, unfollowedTimes } = await timeAppends(page, statements);
    for (const [share, label] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
    ]) {
      const rawMs = percentile(rawTimes, share);
      const learnerMs = percentile(learnerTimes, share);
      const storeMs = percentile(storeTimes, share);
      const baseline = { name: `raw IndexedDB put, ${label}`, value: round(rawMs) };
      rows.push({
        name: `append 1 of ${appendCount.toLocaleString('en-GB')}, learner record (as pages use it), ${label}`,
        value: round(learnerMs),
        unit: 'ms',
        baseline,
        ratio: learnerMs / rawMs,
        target: label === 'p95' ? '< 10 ms, ≤ 3× raw' : '',
      });
      rows.push({
        name: `append 1 of ${appendCount.toLocaleString('en-GB')}, PouchDB store alone, ${label}`,
        value: round(storeMs),
        unit: 'ms',
        baseline,
        ratio: storeMs / rawMs,
        target: label === 'p95' ? '< 10 ms, ≤ 3× raw' : '',
      });
      const unfollowedMs = percentile(unfollowedTimes, share);
      rows.push({
        name: `append 1 of ${appendCount.toLocaleString('en-GB')}, learner record not listening for changes (diagnostic), ${label}`,
        value: round(unfollowedMs),
        unit: 'ms',
        baseline,
        ratio: unfollowedMs / rawMs,
      });
    }

    const progressTimes = await timeProgress(page, busyRecord(progressCount));
    rows.push({
      name: `derive progress in Chromium, ${progressCount.toLocaleString('en-GB')} statements, p50`,
      value: round(percentile(progressTimes, 0.5)),
      unit: 'ms',
      target: '< 50 ms',
    });
    rows.push({
      name: `derive progress in Chromium, ${progressCount.toLocaleString('en-GB')} statements, p95`,
      value: round(percentile(progressTimes, 0.95)),
      unit: 'ms',
      target: '< 50 ms',
    });
    await context.close();

    for (const path of ['/my-learning/', '/modules/family-hubs/']) {
      const withScripts = [];
      const without = [];
      for (let index = 0; index < paintRuns; index += 1) {
        withScripts.push(await paint(browser, `${site.baseUrl}${path}`, { blockScripts: false, chunks }));
        without.push(await paint(browser, `${site.baseUrl}${path}`, { blockScripts: true, chunks }));
      }
      const fcp = median(withScripts.map((timing) => timing.fcp));
      const fcpBlocked = median(without.map((timing) => timing.fcp));
      rows.push({
        name: `${path} first contentful paint (median of ${paintRuns})`,
        value: round(fcp),
        unit: 'ms',
        baseline: { name: 'same page, scripts blocked', value: round(fcpBlocked) },
        ratio: fcp / fcpBlocked,
        target: '≈ 1× (scripts do not delay paint)',
      });
      const loaded = withScripts.filter((timing) => timing.pouchStart !== undefined);
      if (loaded.length) {
        const after = loaded.filter((timing) => timing.pouchStart > timing.fcp).length;
        rows.push({
          name: `${path} PouchDB chunk starts loading, minus first contentful paint (median)`,
          value: round(median(loaded.map((timing) => timing.pouchStart - timing.fcp))),
          unit: 'ms',
          target: `> 0 (after paint in ${after} of ${loaded.length} loads)`,
        });
      } else {
        rows.push({ name: `${path} PouchDB chunk loaded`, value: 0, unit: 'times', target: 'not loaded by this page' });
      }
    }
    return rows;
  } finally {
    await browser.close();
    site.server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

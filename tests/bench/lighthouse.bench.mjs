/**
 * Lighthouse 13 (mobile defaults) over one page of each kind in dist/, served
 * as a static host would serve it, in the test Chromium. Prints the four
 * scores and the layout shift of every page; the rows returned give each
 * page's lowest score against the goal of 95. The 404 page, plain HTML with no
 * script, is the baseline: what this machine scores for a page with nothing to
 * load.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../support/browser.ts';
import { serveStatic } from '../support/static-server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const lighthouseBin = join(root, 'node_modules/lighthouse/cli/index.js');
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
const goal = 95;

/** The first page of a kind that dist/ holds: `/roles/<first role>/` and the like. */
function firstOf(folder) {
  const found = readdirSync(join(root, 'dist', folder), { withFileTypes: true }).find((entry) => entry.isDirectory());
  if (!found) throw new Error(`dist/${folder}/ has no pages: run \`npm run build\` first.`);
  return `/${folder}/${found.name}/`;
}

/** One page of each kind; the glossary only when the course has one. */
function pagesToCheck() {
  const pages = [
    ['home', '/'],
    ['role', firstOf('roles')],
    ['module', firstOf('modules')],
    ['film', firstOf('films')],
    ['services', '/services/'],
    ['my learning', '/my-learning/'],
    ['privacy', '/privacy/'],
    ['verify', '/verify/'],
    ['lead', '/lead/'],
    ['glossary', '/glossary/'],
    ['accessibility', '/accessibility/'],
    // Lighthouse refuses a page served with status 404, so the not-found page is asked for by its file name.
    ['page not found', '/404.html'],
  ];
  return pages.filter(([kind]) => kind !== 'glossary' || existsSync(join(root, 'dist/glossary/index.html')));
}

/** Runs the Lighthouse command line on one URL and resolves to its JSON report. */
function lighthouse(url, chromePath) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        lighthouseBin,
        url,
        '--output=json',
        '--quiet',
        `--only-categories=${categories.join(',')}`,
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage',
      ],
      { env: { ...process.env, CHROME_PATH: chromePath }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`Lighthouse stopped with code ${code} on ${url}: ${err.trim().split('\n').slice(-3).join(' ')}`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`Lighthouse gave no JSON report for ${url}: ${error instanceof Error ? error.message : error}`));
      }
    });
  });
}

export async function run() {
  const chromePath = await findChromium();
  const site = await serveStatic(join(root, 'dist'));
  try {
    const results = [];
    const failures = [];
    for (const [kind, path] of pagesToCheck()) {
      let report;
      try {
        report = await lighthouse(`${site.baseUrl}${path}`, chromePath);
      } catch (error) {
        // One page that cannot be measured should not hide the others' figures.
        failures.push(`${kind}: ${error instanceof Error ? error.message : error}`);
        continue;
      }
      const scores = Object.fromEntries(categories.map((id) => [id, Math.round((report.categories[id]?.score ?? 0) * 100)]));
      const failing = Object.values(report.audits)
        .filter(
          (audit) =>
            audit.score !== null &&
            audit.score < 0.9 &&
            audit.scoreDisplayMode !== 'informative' &&
            audit.scoreDisplayMode !== 'manual' &&
            audit.scoreDisplayMode !== 'notApplicable',
        )
        .map((audit) => audit.id);
      results.push({ kind, path, scores, cls: report.audits['cumulative-layout-shift']?.numericValue ?? NaN, failing });
    }
    console.table(
      results.map(({ kind, path, scores, cls, failing }) => ({
        page: `${kind} (${path})`,
        performance: scores.performance,
        accessibility: scores.accessibility,
        'best practices': scores['best-practices'],
        SEO: scores.seo,
        'layout shift': cls.toFixed(3),
        'audits below 90': failing.join(', '),
      })),
    );
    if (failures.length > 0) throw new Error(`Lighthouse could not measure ${failures.length} page(s):\n${failures.join('\n')}`);
    const lowest = (result) => Math.min(...Object.values(result.scores));
    const baseline = results.find((result) => result.kind === 'page not found');
    return results.map((result) => ({
      name: `${result.kind}: lowest of the four scores`,
      value: lowest(result),
      unit: '',
      ...(baseline && result !== baseline
        ? { baseline: { name: 'page not found (no script)', value: lowest(baseline) }, ratio: lowest(result) / lowest(baseline) }
        : {}),
      target: `≥ ${goal}`,
    }));
  } finally {
    site.server.close();
  }
}

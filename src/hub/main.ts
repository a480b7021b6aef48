/**
 * The hub's process entry: `npm run hub` serves the site and /xapi/;
 * `npm run hub -- key create|list|revoke` manages API keys and exits.
 */
import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFromEnv, type HubConfig } from './config.ts';
import { openDatabase, type Database } from './db/index.ts';
import { createApp } from './app.ts';
import { createKey, isScope, listKeys, revokeKey, scopes, type Scope } from './auth/index.ts';
import { dailyCleanUp, readLearnerSettings, removeInactiveLearners } from './access/learners-retention.ts';
import { defaultTimeZone } from '../lib/dates/index.ts';

const usage = `Usage:
  npm run hub                                   serve the site and the xAPI LRS
  npm run hub -- key create --name NAME --scope SCOPE [--scope SCOPE…]
  npm run hub -- key list
  npm run hub -- key revoke KEY
  npm run hub -- retention                      remove learners inactive past site.yaml's retention period now
Scopes: ${scopes.join(', ')}`;

async function keyCommand(db: Database, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } }, strict: true });
    if (!values.name) throw new Error('key create needs --name NAME');
    const given = values.scope ?? [];
    const unknown = given.filter((scope) => !isScope(scope));
    if (unknown.length > 0) throw new Error(`unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; choose from ${scopes.join(', ')}`);
    if (given.length === 0) throw new Error('key create needs at least one --scope, for example --scope all');
    console.log(JSON.stringify(await createKey(db, values.name, given as Scope[])));
    return 0;
  }
  if (action === 'list') {
    for (const key of await listKeys(db)) console.log(JSON.stringify(key));
    return 0;
  }
  if (action === 'revoke') {
    const key = rest[0];
    if (!key || rest.length !== 1) throw new Error('key revoke needs exactly one KEY');
    if (!(await revokeKey(db, key))) {
      console.error(`No key "${key}" that is still in use.`);
      return 1;
    }
    console.log(`Revoked ${key}.`);
    return 0;
  }
  throw new Error(`unknown key command "${action ?? ''}"\n${usage}`);
}

function describeDatabase(config: HubConfig): string {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  }
  return `PGlite in ${config.dataDir} — for trying the hub, not for production: it runs with fsync off, so a power cut can lose data. Set DATABASE_URL to use a PostgreSQL server.`;
}

/**
 * PGlite belongs to one process: a second one on the same directory would corrupt it.
 * The process using it writes its pid in the directory; others refuse while it lives.
 */
function claimPglite(config: HubConfig): () => void {
  if (config.databaseUrl) return () => {};
  const file = join(config.dataDir, 'hub.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    let alive = false;
    try {
      alive = Number.isInteger(pid) && pid > 0 && pid !== process.pid && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(
        `another hub process (pid ${pid}) is using the PGlite data in ${config.dataDir}. PGlite belongs to one process: stop that hub first (API key commands too), or use a PostgreSQL server with DATABASE_URL.`,
      );
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

async function main(argv: string[]): Promise<number> {
  const config = configFromEnv();
  const [command, ...rest] = argv;
  if (command === '--help' || command === 'help') {
    console.log(usage);
    return 0;
  }
  if (command !== undefined && command !== 'key' && command !== 'serve' && command !== 'retention') throw new Error(`unknown command "${command}"\n${usage}`);
  const release = claimPglite(config);
  const db = await openDatabase(config);
  if (command === 'key') {
    try {
      return await keyCommand(db, rest);
    } finally {
      await db.close();
      release();
    }
  }
  if (command === 'retention') {
    try {
      const { privacy } = readLearnerSettings(process.cwd());
      if (!privacy) throw new Error('courses/site.yaml has no privacy section, so there is no retention period to apply');
      const report = await removeInactiveLearners(db, privacy, config.publicUrl, new Date());
      console.log(
        `Removed ${report.learners} learners inactive for more than ${privacy.retention.inactiveLearnerMonths} months, ${report.statements} of their statements, and ${report.auditEntries} audit entries older than ${privacy.retention.auditLogMonths} months.`,
      );
      return 0;
    } finally {
      await db.close();
      release();
    }
  }
  // A hub serving a site built elsewhere may have no courses/ folder: it then keeps the default time zone and no retention.
  const learners = existsSync(join(process.cwd(), 'courses/site.yaml')) ? readLearnerSettings(process.cwd()) : { timeZone: defaultTimeZone };
  if (!learners.privacy) console.log('No privacy section in courses/site.yaml: learners’ records are kept until they are removed by hand.');
  const app = createApp({ db, config, learners });
  // Once a day (and once at start): retention, old rate-limit windows, dead one-time codes.
  const cleanUp = () =>
    void dailyCleanUp(db, learners, config.publicUrl, new Date()).catch((error: unknown) => console.error(`hub: daily clean-up failed: ${String(error)}`));
  cleanUp();
  setInterval(cleanUp, 24 * 60 * 60 * 1000).unref();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    console.log(`Hub listening on http://${host}:${info.port} (xAPI at /xapi/${config.siteDir ? `, site from ${config.siteDir}` : ''})`);
    console.log(`Database: ${describeDatabase(config)}`);
  });
  const stop = () => {
    server.close();
    void db.close().finally(() => {
      release();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`hub: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

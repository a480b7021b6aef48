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
import { createInvite, inviteDays } from './access/staff.ts';
import { createKey, isScope, listKeys, revokeKey, scopes, type Scope } from './auth/index.ts';
import { loadHubCourse } from './progress/course.ts';
import { rebuildProgress } from './progress/projection.ts';
import { startProjector } from './progress/runner.ts';
import { openProgressFeed } from './progress/feed.ts';
import { dailyCleanUp, readLearnerSettings, removeInactiveLearners } from './access/learners-retention.ts';
import { defaultTimeZone } from '../lib/dates/index.ts';
import { forwardConfigFromEnv } from './forward/config.ts';
import { startForwarder } from './forward/forwarder.ts';
import { enqueueBacklog, recordForwarding } from './forward/queue.ts';
import { generateSigningKey } from '../lib/signing/index.ts';
import { listSigningKey, loadSigningKey, publishedKeys, rotateSigningKey, writeJwksFile } from './signing/keys.ts';
import { smtpMailer } from './reminders/mailer.ts';
import { reminderIntervalMs, runReminders } from './reminders/job.ts';

const usage = `Usage:
  npm run hub                                   serve the site and the xAPI LRS
  npm run hub -- key create --name NAME --scope SCOPE [--scope SCOPE…]
  npm run hub -- key list
  npm run hub -- key revoke KEY
  npm run hub -- admin-link --name NAME         print a one-time link that makes NAME an admin
  npm run hub -- progress rebuild               derive every learner's progress again from statements
  npm run hub -- retention                      remove learners inactive past site.yaml's retention period now
  npm run hub -- forward backlog [--since DATE] queue statements stored before forwarding was on (or since DATE)
  npm run hub -- signing-key new                print a new certificate signing key for HUB_SIGNING_KEY
  npm run hub -- signing-key ensure             make PGlite's signing key if there is none, and write the public keys for the build
  npm run hub -- signing-key rotate             sign with a new key from now on; the old ones stay listed
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

async function adminLinkCommand(db: Database, config: HubConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' } }, strict: true });
  const name = values.name?.trim();
  if (!name) throw new Error('admin-link needs --name NAME, the name of the person who will be the admin');
  const invite = await createInvite(db, config.publicUrl, { kind: 'admin', name }, new Date());
  console.log(`Open this link in the browser where ${name} will sign in, and create a passkey there.`);
  console.log(`It works once, until ${invite.expires} (${inviteDays.admin * 24} hours):`);
  console.log(invite.url);
  return 0;
}

async function forwardCommand(db: Database, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'backlog') throw new Error(`unknown forward command "${action ?? ''}"\n${usage}`);
  const { values } = parseArgs({ args: rest, options: { since: { type: 'string' } }, strict: true });
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since !== undefined && Number.isNaN(since.getTime())) throw new Error(`--since must be a date such as 2026-09-01, not "${values.since}"`);
  const count = await enqueueBacklog(db, since);
  console.log(
    `Queued ${count} statement${count === 1 ? '' : 's'} to forward${since ? ` stored since ${since.toISOString()}` : ''}. A hub started with FORWARD_LRS_ENDPOINT sends them.`,
  );
  return 0;
}

async function signingKeyCommand(db: Database, config: HubConfig, action: 'ensure' | 'rotate'): Promise<number> {
  if (action === 'ensure') {
    const key = await loadSigningKey(config);
    await listSigningKey(db, key);
    const file = writeJwksFile(config, await publishedKeys(db));
    console.log(`Certificates are signed with key ${key.kid}. The public keys are in ${file}, for the site's build.`);
    return 0;
  }
  const { old, key, where } = await rotateSigningKey(db, config);
  const file = writeJwksFile(config, await publishedKeys(db));
  if (where === 'environment') {
    console.log('Set HUB_SIGNING_KEY to this new key on every hub process, then restart them:');
    console.log(JSON.stringify(key));
  } else {
    console.log(`Certificates will be signed with key ${key.kid} once the hub restarts.`);
  }
  console.log(`Key ${old.kid} stays listed, so certificates signed with it keep verifying. The public keys are in ${file}; rebuild the site to publish them.`);
  return 0;
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
  const forward = forwardConfigFromEnv();
  const [command, ...rest] = argv;
  if (command === '--help' || command === 'help') {
    console.log(usage);
    return 0;
  }
  if (command !== undefined && !['key', 'admin-link', 'progress', 'retention', 'forward', 'serve', 'signing-key'].includes(command))
    throw new Error(`unknown command "${command}"\n${usage}`);
  if (command === 'signing-key' && !['new', 'ensure', 'rotate'].includes(rest.join(' ')))
    throw new Error(`unknown signing-key command "${rest.join(' ')}"\n${usage}`);
  if (command === 'signing-key' && rest[0] === 'new') {
    console.log(JSON.stringify(await generateSigningKey()));
    return 0;
  }
  if (command === 'progress' && rest.join(' ') !== 'rebuild') throw new Error(`unknown progress command "${rest.join(' ')}"\n${usage}`);
  // The course is read first: a broken course stops the hub before it touches the database. A hub serving a site
  // built elsewhere may have no courses/ folder: it then runs without the lead's live view, the default time zone
  // and no retention.
  const hasCourse = existsSync(join(config.courseDir, 'courses'));
  const course = hasCourse ? loadHubCourse(config.courseDir) : undefined;
  const learners = hasCourse ? readLearnerSettings(config.courseDir) : { timeZone: defaultTimeZone };
  // Before the database: a hub on PostgreSQL without the shared key must not start at all.
  const signingKey = command === undefined || command === 'serve' ? await loadSigningKey(config) : undefined;
  const release = claimPglite(config);
  const db = await openDatabase(config);
  if (
    command === 'progress' ||
    command === 'retention' ||
    command === 'key' ||
    command === 'admin-link' ||
    command === 'forward' ||
    command === 'signing-key'
  ) {
    try {
      if (command === 'signing-key') return await signingKeyCommand(db, config, rest[0] as 'ensure' | 'rotate');
      if (command === 'key') return await keyCommand(db, rest);
      if (command === 'forward') return await forwardCommand(db, rest);
      if (command === 'admin-link') return await adminLinkCommand(db, config, rest);
      if (command === 'progress') {
        if (!course) throw new Error(`there is no courses/ folder in ${config.courseDir}: set HUB_COURSE_DIR to the folder that holds it`);
        const count = await rebuildProgress(db, course, config.publicUrl);
        console.log(`Derived the progress of ${count} confirmed learner${count === 1 ? '' : 's'} again from their statements.`);
        return 0;
      }
      const { privacy } = learners;
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
  if (!course) console.log(`No courses/ folder in ${config.courseDir}: the lead's live view is off. Set HUB_COURSE_DIR to the folder that holds it.`);
  if (!learners.privacy) console.log('No privacy section in courses/site.yaml: learners’ records are kept until they are removed by hand.');
  await listSigningKey(db, signingKey!);
  const progressFeed = await openProgressFeed(db);
  const mailer = config.smtp && course ? smtpMailer(config.smtp) : undefined;
  if (config.smtp && !course) console.log('SMTP_URL is set but there is no courses/ folder: email reminders are off.');
  const app = createApp({ db, config, learners, progressFeed, signingKey, ...(course ? { course } : {}), ...(mailer ? { mailer } : {}) });
  const projector = course ? startProjector(db, course, config.publicUrl) : undefined;
  // Every process records the setting it was started with: the database trigger queues statements only while it is on.
  await recordForwarding(db, forward);
  const forwarder = forward ? startForwarder(db, forward) : undefined;
  // Once a day (and once at start): retention, old rate-limit windows, dead one-time codes.
  const cleanUp = () =>
    void dailyCleanUp(db, learners, config.publicUrl, new Date()).catch((error: unknown) => console.error(`hub: daily clean-up failed: ${String(error)}`));
  cleanUp();
  setInterval(cleanUp, 24 * 60 * 60 * 1000).unref();
  // Every hour (and once at start): renewal reminders and weekly summaries that are due, and retries.
  if (mailer && course) {
    const remind = () =>
      void runReminders(db, { mailer, course, publicUrl: config.publicUrl, now: new Date() }).catch((error: unknown) =>
        console.error(`hub: email reminders failed: ${String(error)}`),
      );
    remind();
    setInterval(remind, reminderIntervalMs).unref();
    console.log('Email reminders are on: learners and leads who confirm an address get reminders and weekly summaries.');
  }
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    console.log(`Hub listening on http://${host}:${info.port} (xAPI at /xapi/${config.siteDir ? `, site from ${config.siteDir}` : ''})`);
    console.log(`Database: ${describeDatabase(config)}`);
    console.log(forward ? `Forwarding every statement to ${forward.endpoint}` : 'Forwarding to another LRS: off');
    console.log(`Certificates are signed with key ${signingKey!.kid}; public keys at /.well-known/jwks.json`);
  });
  const stop = () => {
    server.close();
    mailer?.close();
    void Promise.all([projector?.stop(), forwarder?.stop()])
      .then(() => progressFeed.close())
      .then(() => db.close())
      .finally(() => {
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

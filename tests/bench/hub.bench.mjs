/**
 * The hub's throughput: statements per second stored over HTTP (batches of 50,
 * full validation, 16 requests in flight from this process to a hub process) on
 * PostgreSQL and on PGlite, each beside the ceiling measured in the same run —
 * the same rows (statements, links, people, definitions) inserted in-process by
 * the hub's own INSERT, one statement per batch — and GET by agent p95
 * with many statements stored (HUB_BENCH_STORED, default 1,000,000 on PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/hub/db/index.ts';
import { createKey, keyAuthority } from '../../src/hub/auth/index.ts';
import { prepareStatement } from '../../src/hub/xapi/statements-prepare.ts';
import { insertParams, insertWholeSql } from '../../src/hub/xapi/statements-store.ts';
import { quizPassed, videoPaused } from '../../src/lib/xapi/index.ts';
import { startPostgres } from '../hub/support/postgres-server.ts';
import { freePort } from '../hub/support/global-setup.ts';
import { startHub } from '../hub/support/process.ts';
import { films, babyHubTourLength, modules, sessionId, siteUrl } from '../fixtures/learning-record/course.ts';

const batchSize = 50;
const inFlight = 16;
const httpStatements = Number(process.env.HUB_BENCH_HTTP ?? 50_000);
const storedForQuery = Number(process.env.HUB_BENCH_STORED ?? 1_000_000);
const agents = 10_000;
const queries = 300;

/** Realistic statements (~1.2 KB): quiz results and film pauses from many learners. */
function makeBatches(count) {
  const moduleList = Object.values(modules);
  const batches = [];
  for (let b = 0; b < count / batchSize; b++) {
    const batch = [];
    for (let i = 0; i < batchSize; i++) {
      const n = b * batchSize + i;
      const actor = { objectType: 'Agent', name: `Learner ${n % agents}`, account: { homePage: siteUrl, name: `learner-${n % agents}` } };
      const options = { actor, siteUrl, now: new Date(Date.UTC(2026, 0, 1) + n * 1000), id: randomUUID() };
      batch.push(
        n % 2 === 0
          ? quizPassed({ ...options, module: moduleList[n % moduleList.length], score: { raw: 4, max: 5 }, durationSeconds: 300 })
          : videoPaused({ ...options, film: films.babyHubTour, sessionId, length: babyHubTourLength, time: 40, playedSegments: [{ start: 10, end: 40 }] }),
      );
    }
    batches.push(batch);
  }
  return batches;
}

async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * CPU time (µs) a process has used, from /proc: on this shared machine other work takes
 * cores from every throughput figure, but not from the CPU each statement costs.
 */
function processCpu(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}
const canMeasureCpu = existsSync('/proc/self/stat');

/** CPU (µs) used by the PostgreSQL server whose data directory is `dataDir`: the postmaster and its children. */
function postgresCpu(dataDir) {
  const processes = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return [{ pid, parent: stat.split(') ')[1].split(' ')[1], command: readFileSync(`/proc/${pid}/cmdline`, 'utf8') }];
      } catch {
        return [];
      }
    });
  const master = processes.find((entry) => entry.command.includes(dataDir));
  if (!master) return 0;
  return [master, ...processes.filter((entry) => entry.parent === master.pid)].reduce((sum, entry) => {
    try {
      return sum + processCpu(entry.pid);
    } catch {
      return sum;
    }
  }, 0);
}

/** CPU of this process (the client, or the in-process ceiling), µs. */
const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Statements/s over HTTP into a hub process, and the CPU µs per statement of hub, client and (when given) PostgreSQL. */
async function overHttp(env, batches, postgresDir) {
  const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, dataDir: '' } : { dataDir: env.HUB_DATA_DIR });
  const { key, secret } = await createKey(db, 'bench', ['all']);
  await db.close();
  const hub = await startHub(env);
  const headers = {
    Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    'X-Experience-API-Version': '1.0.3',
    'Content-Type': 'application/json',
  };
  const bodies = batches.map((batch) => JSON.stringify(batch));
  try {
    // Warm up: the first requests compile the hub's code paths and fill caches.
    await pool(bodies.slice(0, 20), inFlight, (body) =>
      post(
        hub.url,
        headers,
        body.replaceAll(/"id":"([0-9a-f-]{36})"/g, () => `"id":"${randomUUID()}"`),
      ),
    );
    const cpuBefore = canMeasureCpu ? { hub: processCpu(hub.child.pid), client: ownCpu(), postgres: postgresDir ? postgresCpu(postgresDir) : 0 } : undefined;
    const start = performance.now();
    await pool(bodies, inFlight, (body) => post(hub.url, headers, body));
    const seconds = (performance.now() - start) / 1000;
    const statements = bodies.length * batchSize;
    const cpu = cpuBefore && {
      hub: (processCpu(hub.child.pid) - cpuBefore.hub) / statements,
      client: (ownCpu() - cpuBefore.client) / statements,
      postgres: postgresDir ? (postgresCpu(postgresDir) - cpuBefore.postgres) / statements : 0,
    };
    return { rate: statements / seconds, hub, headers, cpu };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

// node:http with kept-alive connections: the client's own work per request is a small
// part of what the 2 cores spend, so the figure measures the hub rather than the client.
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });

function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/xapi/statements`, { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`POST answered ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8')}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The ceiling: the same rows the hub writes for these batches (statements, agent and
 * activity links, people, definitions), validated and turned into parameters before
 * the clock starts, then the hub's own INSERT (one statement, atomic) per batch, in-process.
 */
async function directSql(db, batches, postgresDir) {
  const authority = keyAuthority('bench-key', 'bench', 'http://127.0.0.1');
  const params = (list) => list.map((batch) => insertParams(batch.map((s, i) => prepareStatement(structuredClone(s), `statement[${i}]`, authority))));
  const concurrency = db.kind === 'pglite' ? 1 : 8;
  const store = (p) => db.query(insertWholeSql, p);
  await pool(params(makeBatches(20 * batchSize)), concurrency, store);
  const ready = params(batches);
  const cpuBefore = canMeasureCpu ? ownCpu() + (postgresDir ? postgresCpu(postgresDir) : 0) : 0;
  const start = performance.now();
  await pool(ready, concurrency, store);
  const statements = batches.length * batchSize;
  const rate = statements / ((performance.now() - start) / 1000);
  const cpu = canMeasureCpu ? (ownCpu() + (postgresDir ? postgresCpu(postgresDir) : 0) - cpuBefore) / statements : undefined;
  return { rate, cpu };
}

/** Rows saying what each statement cost in CPU, and what two cores doing nothing else would store per second at that cost. */
function cpuRows(database, http, ceilingCpu) {
  if (!http.cpu || ceilingCpu === undefined) return [];
  const { hub, client, postgres } = http.cpu;
  const server = hub + postgres;
  const cores = database === 'PostgreSQL' ? 2 : 1;
  const parts = database === 'PostgreSQL' ? `hub ${Math.round(hub)} + PostgreSQL ${Math.round(postgres)}` : `hub with PGlite ${Math.round(hub)}`;
  return [
    {
      name: `${database}: CPU per statement over HTTP (${parts}; the benchmark's client ${Math.round(client)} more)`,
      value: Math.round(server),
      unit: 'µs',
      baseline: { name: 'same rows by SQL in-process', value: Math.round(ceilingCpu) },
      ratio: ceilingCpu / server,
    },
    {
      // PGlite runs in the hub's one thread, so on one core; PostgreSQL and the hub use both,
      // the hub (one thread) at most one of them.
      name: `${database}: statements/s at that CPU cost with the machine to itself (${cores} × 1,000,000 µs ÷ µs per statement, the hub's thread at most one core)`,
      value: Math.round(Math.min((cores * 1_000_000) / server, 1_000_000 / hub)),
      unit: 'statements/s',
      baseline: { name: 'the same for the SQL ceiling', value: Math.round((cores * 1_000_000) / ceilingCpu) },
      ratio: ceilingCpu / server,
    },
  ];
}

/** Fills the database with `count` statements by SQL (bodies and the actor, object and authority columns, as the hub writes them). */
export async function fill(db, count) {
  const chunk = 100_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await db.query(
      `with rows as (
         select n, gen_random_uuid() as id, 'learner-' || (n % ${agents}) as learner from generate_series($1::int, $2::int) as n
       )
       insert into statement (id, body, verb_iri, stored, actor_key, object_activity, authority_key)
       select id, jsonb_build_object('id', id, 'actor', jsonb_build_object('objectType', 'Agent', 'account', jsonb_build_object('homePage', $3::text, 'name', learner)),
              'verb', jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/experienced'), 'object', jsonb_build_object('id', $3::text || '/modules/m' || (n % 40)),
              'stored', '2026-01-01T00:00:00.000Z', 'authority', jsonb_build_object('mbox', 'mailto:bench@example.org'), 'version', '1.0.0'),
              'http://adlnet.gov/expapi/verbs/experienced', timestamptz '2026-01-01' + n * interval '1 second',
              'account:["' || $3::text || '","' || learner || '"]', $3::text || '/modules/m' || (n % 40), 'mbox:mailto:bench@example.org'
       from rows order by n`,
      [from, to, siteUrl],
    );
  }
  await db.query('analyze');
}

/** p95 of GET /xapi/statements?agent=… (first page, 100 statements) over HTTP. */
async function agentQueryP95(url, headers) {
  const times = [];
  for (let i = 0; i < queries; i++) {
    const agent = JSON.stringify({ objectType: 'Agent', account: { homePage: siteUrl, name: `learner-${(i * 7919) % agents}` } });
    const start = performance.now();
    const response = await fetch(`${url}/xapi/statements?agent=${encodeURIComponent(agent)}`, { headers });
    if (response.status !== 200) throw new Error(`GET answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.95)];
}

export async function run() {
  const rows = [];
  const loadBefore = loadavg()[0];
  const batches = makeBatches(httpStatements);
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const server = await startPostgres(dir, await freePort());
  try {
    // PostgreSQL (fsync on, as in production).
    const postgresDir = join(dir, 'data');
    const ceilingDb = await openDatabase({ databaseUrl: await server.createDatabase('ceiling'), dataDir: '' });
    const pgCeiling = await directSql(ceilingDb, batches, postgresDir);
    await ceilingDb.close();
    const url = await server.createDatabase('hub');
    const pg = await overHttp({ DATABASE_URL: url }, batches, postgresDir);
    try {
      rows.push({
        name: 'PostgreSQL: statements stored over HTTP, batches of 50',
        value: Math.round(pg.rate),
        unit: 'statements/s',
        baseline: { name: 'same rows by SQL in-process', value: Math.round(pgCeiling.rate) },
        ratio: pg.rate / pgCeiling.rate,
        target: '≥ 10,000/s and within 2× of the ceiling',
      });
      rows.push(...cpuRows('PostgreSQL', pg, pgCeiling.cpu));
      const db = await openDatabase({ databaseUrl: url, dataDir: '' });
      const fillStart = performance.now();
      await fill(db, storedForQuery);
      const [{ n }] = await db.query('select count(*)::int as n from statement');
      await db.close();
      const p95 = await agentQueryP95(pg.hub.url, pg.headers);
      rows.push({
        name: `PostgreSQL: GET by agent p95, ${n.toLocaleString('en-GB')} statements stored (filled in ${Math.round((performance.now() - fillStart) / 1000)} s)`,
        value: p95,
        unit: 'ms',
      });
    } finally {
      await pg.hub.stop();
    }

    // PGlite (fsync off; one connection).
    const pgliteBatches = batches.slice(0, Math.ceil(batches.length / 2));
    const ceilingLite = await openDatabase({ dataDir: join(dir, 'pglite-ceiling') });
    const liteCeiling = await directSql(ceilingLite, pgliteBatches);
    await ceilingLite.close();
    const lite = await overHttp({ HUB_DATA_DIR: join(dir, 'pglite-hub') }, pgliteBatches);
    await lite.hub.stop();
    rows.push({
      name: 'PGlite: statements stored over HTTP, batches of 50',
      value: Math.round(lite.rate),
      unit: 'statements/s',
      baseline: { name: 'same rows by SQL in-process', value: Math.round(liteCeiling.rate) },
      ratio: lite.rate / liteCeiling.rate,
      target: '≥ 5,000/s and within 2× of the ceiling',
    });
    rows.push(...cpuRows('PGlite', lite, liteCeiling.cpu));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  agent.destroy();
  // Other work on this 2-core machine takes CPU from every figure: the load says how much.
  rows.push({ name: 'Load average (1 minute) before the hub figures', value: loadBefore, unit: '' });
  rows.push({ name: 'Load average (1 minute) after the hub figures', value: loadavg()[0], unit: '' });
  return rows;
}

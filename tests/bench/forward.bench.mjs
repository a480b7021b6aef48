/**
 * Forwarding throughput: statements per second a hub forwards from its queue to a
 * second LRS (another hub, in-process, PGlite in memory for both, batches of 50
 * one at a time as one process sends them), beside the same statements POSTed
 * straight to a fresh receiver the same way, measured in the same run.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/hub/app.ts';
import { createKey, keyAuthority } from '../../src/hub/auth/index.ts';
import { openDatabase } from '../../src/hub/db/index.ts';
import { forwardOnce, defaultForwardOptions } from '../../src/hub/forward/forwarder.ts';
import { recordForwarding } from '../../src/hub/forward/queue.ts';
import { prepareStatement } from '../../src/hub/xapi/statements-prepare.ts';
import { storeStatements } from '../../src/hub/xapi/statements-store.ts';
import { quizPassed } from '../../src/lib/xapi/index.ts';
import { modules, siteUrl } from '../fixtures/learning-record/course.ts';

const count = Number(process.env.FORWARD_BENCH_STATEMENTS ?? 5_000);
const batchSize = defaultForwardOptions.batchSize;

function makeBatches() {
  const moduleList = Object.values(modules);
  const batches = [];
  for (let n = 0; n < count; n++) {
    if (n % batchSize === 0) batches.push([]);
    const actor = { objectType: 'Agent', name: `Learner ${n % 500}`, account: { homePage: siteUrl, name: `learner-${n % 500}` } };
    batches.at(-1).push(
      quizPassed({
        actor,
        siteUrl,
        now: new Date(Date.UTC(2026, 0, 1) + n * 1000),
        id: randomUUID(),
        module: moduleList[n % moduleList.length],
        score: { raw: 4, max: 5 },
        durationSeconds: 300,
      }),
    );
  }
  return batches;
}

/** A receiving hub in this process, with a key, reached through its app. */
async function receiver() {
  const db = await openDatabase({ dataDir: 'memory://' });
  const config = {
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    corsOrigins: [],
    bodyLimit: 10 * 1024 * 1024,
    publicUrl: 'https://lrs.council.example',
    courseDir: process.cwd(),
  };
  const app = createApp({ db, config });
  const { key, secret } = await createKey(db, 'bench', ['all']);
  return { db, key, secret, fetch: (url, init) => app.request(url, init) };
}

export async function run() {
  const batches = makeBatches();

  const direct = await receiver();
  const auth = `Basic ${Buffer.from(`${direct.key}:${direct.secret}`).toString('base64')}`;
  let start = performance.now();
  for (const batch of batches) {
    const response = await direct.fetch('https://lrs.council.example/xapi/statements', {
      method: 'POST',
      headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (response.status !== 200) throw new Error(`direct POST ${response.status}: ${await response.text()}`);
  }
  const directRate = count / ((performance.now() - start) / 1000);
  await direct.db.close();

  const to = await receiver();
  const config = { endpoint: 'https://lrs.council.example/xapi/', key: to.key, secret: to.secret };
  const sender = await openDatabase({ dataDir: 'memory://' });
  await recordForwarding(sender, config);
  const authority = keyAuthority('bench', 'bench', 'https://learning.example.org');
  for (const batch of batches) {
    await storeStatements(
      sender,
      batch.map((s, i) => prepareStatement(structuredClone(s), `statement[${i}]`, authority)),
    );
  }
  start = performance.now();
  for (;;) {
    const report = await forwardOnce(sender, config, to.fetch, new Date());
    if (report.claimed === 0) break;
    if (report.acknowledged !== report.claimed) {
      const [problem] = await sender.query('select last_error from forward_queue where last_error is not null limit 1');
      throw new Error(`a pass left statements unsent: ${JSON.stringify(report)} ${problem?.last_error ?? ''}`);
    }
  }
  const forwardRate = count / ((performance.now() - start) / 1000);
  const [{ n }] = await to.db.query('select count(*)::int as n from statement');
  if (n !== count) throw new Error(`the receiver holds ${n} statements, not ${count}`);
  await Promise.all([sender.close(), to.db.close()]);
  return [
    {
      name: `PGlite: statements forwarded to a second LRS, batches of ${batchSize} (${count.toLocaleString('en-GB')})`,
      value: Math.round(forwardRate),
      unit: 'statements/s',
      baseline: { name: 'same statements POSTed straight to the receiver', value: Math.round(directRate) },
      ratio: forwardRate / directRate,
    },
  ];
}

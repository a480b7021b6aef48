/**
 * The outbox against a hub process serving dist/ on loopback (PGlite), in the
 * test Chromium:
 * - a quiz pass reaching the hub: from the passed statement's append (its
 *   timestamp, set as it is recorded) to the hub's acknowledgement reaching the
 *   sender, which marks it at once; p50/p95 over repeated passes, beside a raw
 *   POST round trip of the same statement (a new id) from the same page;
 * - a 5,000-statement record pulled to a new device: from opening My learning
 *   until the plan shows the same as on the first device, and until the pull's
 *   last page is answered, beside raw GETs of the same statements, `more` paging.
 */
import { performance } from 'node:perf_hooks';
import { launchBrowser } from '../support/browser.ts';
import { course, journeyModules, journeyRole } from '../e2e/course.ts';
import { answerQuiz } from '../e2e/quiz-journey.ts';
import { completionStatements } from '../e2e/record-files.ts';
import { enrol, startSyncHub } from '../e2e/sync-hub.ts';

const passes = Number(process.env.SYNC_BENCH_PASSES ?? 20);
const recordSize = Number(process.env.SYNC_BENCH_STATEMENTS ?? 5_000);
const percentile = (values, share) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
};
const savedWords = 'Saved to Brookfield Council’s record.';

/** Notes, in the page, when each POST of statements is answered, by statement id: the sender marks them next. */
const watchAcknowledgements = () => {
  const answered = new Map();
  window.fhAnswered = answered;
  const send = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await send(input, init);
    if (init?.method === 'POST' && String(input).endsWith('/xapi/statements') && response.ok) {
      const at = Date.now();
      for (const statement of JSON.parse(init.body)) if (!answered.has(statement.id)) answered.set(statement.id, at);
    }
    return response;
  };
};

/** The learner's passed statements in this page's record, newest last, read from IndexedDB. */
const passedStatements = (page) =>
  page.evaluate(async () => {
    const found = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('_pouch_')) continue;
      const db = await new Promise((done, fail) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
      if (!db.objectStoreNames.contains('by-sequence')) continue;
      const docs = await new Promise((done, fail) => {
        const request = db.transaction('by-sequence').objectStore('by-sequence').getAll();
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
      for (const doc of docs) if (doc.statement?.verb?.id?.endsWith('/passed')) found.push(doc.statement);
      db.close();
    }
    return found.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  });

async function passToAcknowledgement(browser, hub) {
  const context = await browser.newContext();
  await context.addInitScript(watchAcknowledgements);
  const page = await context.newPage();
  await enrol(page, hub.url, hub.links[0], 'Siân Llŷr');
  const moduleId = journeyModules[0];
  const delays = [];
  const seen = new Set();
  for (let run = 0; run < passes; run++) {
    await page.goto(`${hub.url}/modules/${moduleId}/`);
    await page.locator('[data-sync-words]', { hasText: savedWords }).waitFor({ timeout: 30_000 });
    await answerQuiz(page, moduleId);
    const passed = (await passedStatements(page)).filter((statement) => !seen.has(statement.id));
    if (passed.length !== 1) throw new Error(`expected one new passed statement, found ${passed.length}`);
    const [statement] = passed;
    seen.add(statement.id);
    const answeredAt = await page.waitForFunction((id) => window.fhAnswered.get(id), statement.id, { timeout: 30_000 });
    delays.push((await answeredAt.jsonValue()) - Date.parse(statement.timestamp));
  }
  const [statement] = (await passedStatements(page)).slice(-1);
  const raw = await page.evaluate(
    async ({ statement, runs }) => {
      const { token } = JSON.parse(localStorage.getItem('fh-hub-device'));
      const times = [];
      for (let run = 0; run < runs; run++) {
        const began = performance.now();
        const response = await fetch('/xapi/statements', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
          body: JSON.stringify([{ ...statement, id: crypto.randomUUID() }]),
        });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`raw POST: ${response.status}`);
        times.push(performance.now() - began);
      }
      return times;
    },
    { statement, runs: passes },
  );
  await context.close();
  return { delays, raw };
}

/** When the page's pull from the hub gets its last page (one without `more`), on this clock. */
function lastPullPage(page) {
  return new Promise((resolve, reject) => {
    const finished = async (request) => {
      if (request.method() !== 'GET' || !request.url().includes('/xapi/statements?')) return;
      const at = performance.now();
      try {
        const body = await (await request.response())?.json();
        if (body && !body.more) {
          page.off('requestfinished', finished);
          resolve(at);
        }
      } catch (error) {
        reject(error);
      }
    };
    page.on('requestfinished', finished);
  });
}

async function pullToNewDevice(browser, hub) {
  const first = await browser.newContext();
  const page = await first.newPage();
  const learnerId = await enrol(page, hub.url, hub.links[1], 'Zoë Łukasiewicz');
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('fh-hub-device')).token);
  const actor = { objectType: 'Agent', name: 'Zoë Łukasiewicz', account: { homePage: `http://localhost:${new URL(hub.url).port}`, name: learnerId } };
  // A long-serving learner's record: the plan done many times over, renewal after renewal.
  const statements = [];
  for (let round = 0; statements.length < recordSize; round++) {
    const when = new Date(Date.now() - (recordSize - statements.length) * 60_000);
    for (const itemId of journeyRole.required) statements.push(...completionStatements(course, actor, itemId, when));
    if (round > recordSize) throw new Error('the plan gives no statements');
  }
  statements.length = recordSize;
  for (const itemId of journeyRole.required) statements.push(...completionStatements(course, actor, itemId, new Date()));
  for (let at = 0; at < statements.length; at += 50) {
    const response = await fetch(`${hub.url}/xapi/statements`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
      body: JSON.stringify(statements.slice(at, at + 50)),
    });
    if (!response.ok) throw new Error(`seeding the hub: ${response.status} ${await response.text()}`);
  }
  // The first device pulls them too; its plan, once they are all in, is the one the new device must show.
  let pulledHere = lastPullPage(page);
  await page.goto(`${hub.url}/my-learning/`);
  await pulledHere;
  pulledHere = lastPullPage(page);
  await page.reload();
  await pulledHere;
  await page.locator('[data-plan-required] li').first().waitFor();
  const plan = await page.locator('[data-plan-items]').innerText();

  await page.goto(`${hub.url}/devices/`);
  await page.getByRole('button', { name: 'Show a code' }).click();
  await page.locator('[data-code]', { hasText: /^[0-9A-Z]{4}-[0-9A-Z]{4}$/ }).waitFor();
  const code = await page.locator('[data-code]').innerText();
  const second = await browser.newContext();
  const phone = await second.newPage();
  // The code form shows before its script has finished loading the record; a code entered then does nothing.
  await phone.goto(`${hub.url}/devices/`, { waitUntil: 'networkidle' });
  await phone.getByLabel('Code', { exact: true }).fill(code);
  await phone.getByRole('button', { name: 'Continue on this device' }).click();
  await phone
    .locator('[data-who]', { hasText: 'signed in as Zoë Łukasiewicz' })
    .waitFor({ timeout: 30_000 })
    .catch(async (error) => {
      throw new Error(`${error.message}\n${await phone.locator('main').innerText()}`);
    });

  const began = performance.now();
  const lastPage = lastPullPage(phone);
  await phone.goto(`${hub.url}/my-learning/`);
  await phone.waitForFunction((plan) => document.querySelector('[data-plan-items]')?.innerText === plan, plan, { timeout: 300_000, polling: 50 });
  const planShown = performance.now() - began;
  const pulled = (await lastPage) - began;

  const raw = await phone.evaluate(async (agent) => {
    const { token } = JSON.parse(localStorage.getItem('fh-hub-device'));
    const query = new URLSearchParams({ agent: JSON.stringify(agent), ascending: 'true', format: 'exact', limit: '500' });
    const began = performance.now();
    let count = 0;
    for (let next = `/xapi/statements?${query}`; next;) {
      const response = await fetch(next, { headers: { Authorization: `Bearer ${token}`, 'X-Experience-API-Version': '1.0.3' }, cache: 'no-store' });
      const page = await response.json();
      count += page.statements.length;
      next = page.more || undefined;
    }
    return { ms: performance.now() - began, count };
  }, actor);
  await Promise.all([first.close(), second.close()]);
  return { planShown, pulled, raw, held: statements.length };
}

export async function run() {
  const hub = await startSyncHub(2);
  const browser = await launchBrowser();
  try {
    const { delays, raw } = await passToAcknowledgement(browser, hub);
    const pull = await pullToNewDevice(browser, hub);
    if (pull.raw.count < pull.held) throw new Error(`the raw GET found ${pull.raw.count} statements, not ${pull.held}`);
    const rows = [];
    for (const [label, share] of [
      ['p50', 0.5],
      ['p95', 0.95],
    ]) {
      const value = percentile(delays, share);
      const baseline = percentile(raw, share);
      rows.push({
        name: `quiz pass → hub acknowledgement, ${label} (${passes} passes, loopback)`,
        value,
        unit: 'ms',
        baseline: { name: `raw POST round trip of the statement, ${label}`, value: baseline },
        ratio: value / baseline,
      });
    }
    rows.push(
      {
        name: `${pull.held.toLocaleString('en-GB')} statements to a new device: plan shows`,
        value: pull.planShown,
        unit: 'ms',
        baseline: { name: 'raw GETs of the same statements, `more` paging', value: pull.raw.ms },
        ratio: pull.planShown / pull.raw.ms,
      },
      {
        name: `${pull.held.toLocaleString('en-GB')} statements to a new device: last page of the pull answered`,
        value: pull.pulled,
        unit: 'ms',
        baseline: { name: 'raw GETs of the same statements, `more` paging', value: pull.raw.ms },
        ratio: pull.pulled / pull.raw.ms,
      },
    );
    return rows;
  } finally {
    await browser.close();
    await hub.stop();
  }
}

/**
 * Forwarding to the council's own LRS, in-process on both drivers. The receiving LRS
 * is a second hub with its own database, reached through its app (no ports): an
 * independent LRS cannot be installed here (the only one on npm, Learning Locker's
 * xapi-statements, needs MongoDB), so the test sends to the hub's own LRS, which
 * passes ADL's conformance suite. A wrapper counts what each statement's POSTs carried
 * and can make the receiver fail or refuse.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ForwardConfig } from '../../src/hub/forward/config.ts';
import { backoffMs, defaultForwardOptions, forwardOnce, startForwarder, type Fetch, type ForwardOptions } from '../../src/hub/forward/forwarder.ts';
import { enqueueBacklog, forwardingStatus, recordForwarding } from '../../src/hub/forward/queue.ts';
import { openDatabase, type Database } from '../../src/hub/db/index.ts';
import { sha2Of } from '../../src/hub/xapi/statements-attachments.ts';
import { drivers, newPostgresDatabase, testHub, type TestHub } from './support/hub.ts';

const homePage = 'https://learning.example.org';
const learnerStatement = (index: number) => ({
  id: randomUUID(),
  actor: { name: `Learner ${index % 7}`, account: { homePage, name: `learner-${index % 7}` } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: `${homePage}/modules/m${index % 5}` },
  timestamp: '2026-11-30T09:00:00.000Z',
});

/**
 * A receiving LRS that counts, per statement id, how often a POST carried it and how often
 * one it acknowledged (2xx) did, and can be told to fail.
 */
interface Receiver {
  hub: TestHub;
  fetch: Fetch;
  posts: Map<string, number>;
  acknowledged: Map<string, number>;
  requests: number;
  /** Answers the next requests with these statuses instead of passing them on. */
  failNext: number[];
  /** Refuses with 400 any batch that carries one of these ids, as an LRS storing batches whole would. */
  refuse: Set<string>;
  /** Answers 503 to every other batch. */
  down: boolean;
  config: ForwardConfig;
  stored(): Promise<string[]>;
}

async function receiver(driver: (typeof drivers)[number]): Promise<Receiver> {
  const hub = await testHub(driver, { publicUrl: 'https://lrs.council.example' });
  const [user, password] = Buffer.from(hub.auth.slice('Basic '.length), 'base64').toString().split(':') as [string, string];
  const state: Receiver = {
    hub,
    posts: new Map(),
    acknowledged: new Map(),
    requests: 0,
    failNext: [],
    refuse: new Set(),
    down: false,
    config: { endpoint: 'https://lrs.council.example/xapi/', key: user, secret: password },
    fetch: async (url, init) => {
      state.requests += 1;
      const status = state.failNext.shift();
      if (status !== undefined) return new Response(JSON.stringify({ error: 'the LRS is busy' }), { status });
      const request = new Request(url, init);
      const text = await request.clone().text();
      const json = text.startsWith('[') ? text : text.slice(text.indexOf('['), text.lastIndexOf(']') + 1);
      const ids = (JSON.parse(json) as { id: string }[]).map((s) => s.id);
      for (const id of ids) state.posts.set(id, (state.posts.get(id) ?? 0) + 1);
      const refused = ids.find((id) => state.refuse.has(id));
      if (refused)
        return new Response(JSON.stringify({ error: `statement ${refused}: the verb is not one this LRS accepts`, where: 'statement[0].verb' }), {
          status: 400,
        });
      if (state.down) return new Response(JSON.stringify({ error: 'down for maintenance' }), { status: 503 });
      const response = await hub.app.request(request);
      if (response.ok) for (const id of ids) state.acknowledged.set(id, (state.acknowledged.get(id) ?? 0) + 1);
      return response;
    },
    stored: async () => (await hub.db.query<{ id: string }>('select id::text as id from statement order by id')).map((row) => row.id),
  };
  return state;
}

const fast: ForwardOptions = { ...defaultForwardOptions, baseDelayMs: 2_000 };

/** Runs passes at `now` until one claims nothing. */
async function drain(db: Database, to: Receiver, now: Date): Promise<void> {
  for (let pass = 0; pass < 100; pass++) if ((await forwardOnce(db, to.config, to.fetch, now, fast)).claimed === 0) return;
  throw new Error('the queue did not empty in 100 passes');
}

const queued = async (db: Database) => (await db.query<{ n: number }>('select count(*)::int as n from forward_queue'))[0]!.n;

describe.each(drivers)('forwarding statements on %s', (driver) => {
  let sender: TestHub;
  let to: Receiver;
  const t0 = new Date('2026-11-30T09:00:00Z');

  beforeAll(async () => {
    [sender, to] = await Promise.all([testHub(driver), receiver(driver)]);
  });
  afterAll(async () => {
    await Promise.all([sender?.close(), to?.hub.close()]);
  });
  beforeEach(async () => {
    await sender.db.query('delete from forward_queue');
    await sender.db.query('delete from forward_dead_letter');
    await recordForwarding(sender.db, to.config);
    to.posts.clear();
    to.acknowledged.clear();
    to.requests = 0;
    to.failNext = [];
    to.refuse.clear();
    to.down = false;
  });

  it('queues nothing while forwarding is off, as on a hub started without FORWARD_LRS_ENDPOINT', async () => {
    await recordForwarding(sender.db, undefined);
    expect((await sender.request('/xapi/statements', { method: 'POST', json: [learnerStatement(1)] })).status).toBe(200);
    expect(await queued(sender.db)).toBe(0);
    expect(await forwardingStatus(sender.db)).toMatchObject({ enabled: false, endpoint: null, waiting: 0 });
  });

  it('queues every statement stored, voiding ones too, in the transaction that stores them', async () => {
    const batch = [learnerStatement(1), learnerStatement(2), learnerStatement(3)];
    expect((await sender.request('/xapi/statements', { method: 'POST', json: batch })).status).toBe(200);
    const voiding = {
      id: randomUUID(),
      actor: batch[0]!.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: batch[0]!.id },
    };
    expect((await sender.request(`/xapi/statements?statementId=${voiding.id}`, { method: 'PUT', json: voiding })).status).toBe(204);
    const rows = await sender.db.query<{ id: string }>('select s.id::text as id from forward_queue q join statement s on s.seq = q.seq order by q.seq');
    expect(rows.map((row) => row.id)).toEqual([...batch.map((s) => s.id), voiding.id]);
    // A batch refused whole (one id stored already with other content) stores nothing and queues nothing.
    const conflict = [learnerStatement(4), { ...batch[1]!, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }];
    expect((await sender.request('/xapi/statements', { method: 'POST', json: conflict })).status).toBe(409);
    expect(await queued(sender.db)).toBe(4);
    // A transaction that fails after storing a statement takes its queue row with it.
    await expect(
      sender.db.transaction(async (tx) => {
        await tx.query("insert into statement (id, body, verb_iri, stored) values ($1, '{}', 'x', now())", [randomUUID()]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await queued(sender.db)).toBe(4);
  });

  it('sends in batches of 50 with Basic auth, each statement once, as stored', async () => {
    const statements = Array.from({ length: 120 }, (_, index) => learnerStatement(index));
    for (let i = 0; i < statements.length; i += 40) await sender.request('/xapi/statements', { method: 'POST', json: statements.slice(i, i + 40) });
    await drain(sender.db, to, t0);
    expect(to.requests).toBe(3);
    for (const s of statements) expect(to.posts.get(s.id)).toBe(1);
    expect(await queued(sender.db)).toBe(0);
    const [one] = statements;
    const there = (await (await to.hub.request(`/xapi/statements?statementId=${one!.id}`)).json()) as Record<string, unknown>;
    expect(there).toMatchObject({ id: one!.id, actor: one!.actor, verb: one!.verb, object: one!.object, timestamp: one!.timestamp });
  });

  it('waits with a doubling backoff while the LRS answers 500 or cannot be reached, then sends once it answers 200', async () => {
    const s = learnerStatement(9);
    await sender.request('/xapi/statements', { method: 'POST', json: [s] });
    to.failNext = [500, 503];
    expect(await forwardOnce(sender.db, to.config, to.fetch, t0, fast)).toMatchObject({ claimed: 1, postponed: 1 });
    const [first] = await sender.db.query<{ next_attempt: Date }>('select next_attempt from forward_queue');
    expect(new Date(first!.next_attempt).getTime() - t0.getTime()).toBe(2_000);
    expect((await forwardingStatus(sender.db)).lastError).toBe('The LRS answered 500: the LRS is busy');
    // Not due yet: nothing is sent.
    expect((await forwardOnce(sender.db, to.config, to.fetch, new Date(t0.getTime() + 1_999), fast)).claimed).toBe(0);
    const t1 = new Date(t0.getTime() + 2_000);
    expect(await forwardOnce(sender.db, to.config, to.fetch, t1, fast)).toMatchObject({ claimed: 1, postponed: 1 });
    const [second] = await sender.db.query<{ next_attempt: Date }>('select next_attempt from forward_queue');
    expect(new Date(second!.next_attempt).getTime() - t1.getTime()).toBe(4_000);
    // An LRS that cannot be reached at all is the same: the statement waits.
    const unreachable = await forwardOnce(sender.db, to.config, () => Promise.reject(new TypeError('fetch failed')), new Date(t1.getTime() + 4_000), fast);
    expect(unreachable).toMatchObject({ claimed: 1, postponed: 1 });
    expect((await forwardingStatus(sender.db)).lastError).toBe('The LRS could not be reached: fetch failed');
    await drain(sender.db, to, new Date(t1.getTime() + 60_000));
    expect(to.posts.get(s.id)).toBe(1);
    expect(await queued(sender.db)).toBe(0);
    expect(await to.stored()).toContain(s.id);
  });

  it.each([
    [1, 2_000],
    [2, 4_000],
    [9, 512_000],
    // 2 s × 2⁹ is past the 15-minute ceiling.
    [10, 900_000],
  ])('waits %i failures → %i ms before the next try', (attempts, wait) => {
    expect(backoffMs(attempts, fast)).toBe(wait);
  });

  it('finds a statement the LRS refuses by splitting the batch, sends the rest, and after three refusals keeps it as a dead letter', async () => {
    const statements = Array.from({ length: 50 }, (_, index) => learnerStatement(index));
    await sender.request('/xapi/statements', { method: 'POST', json: statements });
    const bad = statements[17]!;
    to.refuse.add(bad.id);
    const first = await forwardOnce(sender.db, to.config, to.fetch, t0, fast);
    expect(first).toMatchObject({ claimed: 50, acknowledged: 49, refused: 1, deadLettered: 0, postponed: 0 });
    for (const s of statements) if (s !== bad) expect(to.acknowledged.get(s.id)).toBe(1);
    // Bisecting 50 to one: log2(50) rounded up levels, each refused batch on the way split in two.
    expect(to.requests).toBeLessThanOrEqual(13);
    expect(await forwardOnce(sender.db, to.config, to.fetch, new Date(t0.getTime() + 2_000), fast)).toMatchObject({ refused: 1, deadLettered: 0 });
    expect(await forwardOnce(sender.db, to.config, to.fetch, new Date(t0.getTime() + 60_000), fast)).toMatchObject({ refused: 1, deadLettered: 1 });
    expect(await queued(sender.db)).toBe(0);
    const status = await forwardingStatus(sender.db);
    expect(status.deadLetterCount).toBe(1);
    expect(status.deadLetters[0]).toMatchObject({
      statementId: bad.id,
      attempts: 3,
      reason: `The LRS answered 400: statement ${bad.id}: the verb is not one this LRS accepts`,
    });
    // A dead letter is never sent again by itself, and holds nothing back.
    const postsOfBad = to.posts.get(bad.id);
    const later = learnerStatement(99);
    await sender.request('/xapi/statements', { method: 'POST', json: [later] });
    await drain(sender.db, to, new Date(t0.getTime() + 3_600_000));
    expect(to.posts.get(bad.id)).toBe(postsOfBad);
    expect(to.acknowledged.get(bad.id)).toBeUndefined();
    expect(to.acknowledged.get(later.id)).toBe(1);
  });

  it('keeps the rest of a split batch waiting, with the LRS’s own reason, when the LRS fails part way', async () => {
    const statements = Array.from({ length: 4 }, (_, index) => learnerStatement(index));
    await sender.request('/xapi/statements', { method: 'POST', json: statements });
    to.refuse.add(statements[0]!.id);
    to.down = true;
    expect(await forwardOnce(sender.db, to.config, to.fetch, t0, fast)).toMatchObject({ claimed: 4, refused: 1, postponed: 3, acknowledged: 0 });
    const rows = await sender.db.query<{ last_error: string; refusals: number }>('select last_error, refusals from forward_queue order by seq');
    expect(rows).toEqual([
      { last_error: `The LRS answered 400: statement ${statements[0]!.id}: the verb is not one this LRS accepts`, refusals: 1 },
      ...Array.from({ length: 3 }, () => ({ last_error: 'The LRS answered 503: down for maintenance', refusals: 0 })),
    ]);
  });

  it('counts a 409 for an id the LRS holds already as delivered, and still sends the rest of the batch', async () => {
    const statements = Array.from({ length: 6 }, (_, index) => learnerStatement(index));
    // The LRS holds statements[2]'s id with other content: it answers 409 for any batch carrying it.
    await to.hub.request('/xapi/statements', { method: 'POST', json: [{ ...statements[2]!, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }] });
    await sender.request('/xapi/statements', { method: 'POST', json: statements });
    const report = await forwardOnce(sender.db, to.config, to.fetch, t0, fast);
    expect(report).toMatchObject({ claimed: 6, acknowledged: 6, refused: 0 });
    expect(await queued(sender.db)).toBe(0);
    expect((await forwardingStatus(sender.db)).deadLetterCount).toBe(0);
    for (const s of statements) expect(await to.stored()).toContain(s.id);
  });

  it('sends attachment content with its statement, as multipart/mixed', async () => {
    const content = Buffer.from('Notes from the reducing parental conflict session');
    const s = {
      ...learnerStatement(3),
      attachments: [
        {
          usageType: 'http://adlnet.gov/expapi/attachments/notes',
          display: { 'en-GB': 'Notes' },
          contentType: 'text/plain',
          length: content.length,
          sha2: sha2Of(content),
        },
      ],
    };
    const boundary = 'forward-test';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify([s])}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2Of(content)}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const posted = await sender.request('/xapi/statements', {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    });
    expect(posted.status).toBe(200);
    await drain(sender.db, to, t0);
    const [row] = await to.hub.db.query<{ content: Uint8Array }>('select content from attachment where sha2 = $1', [sha2Of(content)]);
    expect(Buffer.from(row!.content).toString()).toBe(content.toString());
  });

  it('drops a statement erased before it was sent', async () => {
    const s = learnerStatement(5);
    await sender.request('/xapi/statements', { method: 'POST', json: [s] });
    await sender.db.query('delete from statement where id = $1', [s.id]);
    expect(await forwardOnce(sender.db, to.config, to.fetch, t0, fast)).toMatchObject({ claimed: 0 });
    expect(await queued(sender.db)).toBe(0);
    expect(to.requests).toBe(0);
  });

  it('queues the backlog stored before forwarding was on, leaving dead letters alone', async () => {
    await recordForwarding(sender.db, undefined);
    const before = [learnerStatement(1), learnerStatement(2)];
    await sender.request('/xapi/statements', { method: 'POST', json: before });
    expect(await queued(sender.db)).toBe(0);
    const all = (await sender.db.query<{ n: number }>('select count(*)::int as n from statement'))[0]!.n;
    expect(await enqueueBacklog(sender.db)).toBe(all);
    expect(await enqueueBacklog(sender.db)).toBe(0);
    await recordForwarding(sender.db, to.config);
    await drain(sender.db, to, t0);
    for (const s of before) expect(to.acknowledged.get(s.id)).toBe(1);
  });

  it('runs passes in the background until the queue is empty', async () => {
    const statements = Array.from({ length: 130 }, (_, index) => learnerStatement(index));
    await sender.request('/xapi/statements', { method: 'POST', json: statements.slice(0, 100) });
    await sender.request('/xapi/statements', { method: 'POST', json: statements.slice(100) });
    const forwarder = startForwarder(sender.db, to.config, { fetch: to.fetch, intervalMs: 20 });
    try {
      await expect.poll(() => queued(sender.db), { timeout: 20_000 }).toBe(0);
    } finally {
      await forwarder.stop();
    }
    for (const s of statements) expect(to.posts.get(s.id)).toBe(1);
  });
});

describe('two forwarders on one PostgreSQL database', () => {
  it('share the queue without sending any statement twice', async () => {
    const url = await newPostgresDatabase();
    const [a, b] = await Promise.all([openDatabase({ databaseUrl: url, dataDir: '' }), openDatabase({ databaseUrl: url, dataDir: '' })]);
    const to = await receiver('postgres');
    try {
      await recordForwarding(a, to.config);
      const statements = Array.from({ length: 400 }, (_, index) => learnerStatement(index));
      const { storeStatements } = await import('../../src/hub/xapi/statements-store.ts');
      const { prepareStatement } = await import('../../src/hub/xapi/statements-prepare.ts');
      for (let i = 0; i < statements.length; i += 50) {
        await storeStatements(
          a,
          statements
            .slice(i, i + 50)
            .map((s, index) => prepareStatement(structuredClone(s), `statement[${index}]`, { objectType: 'Agent', mbox: 'mailto:hub@example.org' })),
        );
      }
      // A slow LRS, so both forwarders are mid-send at once.
      const slow: Fetch = async (u, init) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return to.fetch(u, init);
      };
      const sentBy = { a: 0, b: 0 };
      const worker = async (db: Database, name: 'a' | 'b') => {
        for (;;) {
          const report = await forwardOnce(db, to.config, slow, new Date(), { ...fast, batchSize: 10 });
          if (report.claimed === 0) return;
          sentBy[name] += report.acknowledged;
        }
      };
      await Promise.all([worker(a, 'a'), worker(b, 'b')]);
      expect(sentBy.a + sentBy.b).toBe(400);
      expect(sentBy.a).toBeGreaterThan(0);
      expect(sentBy.b).toBeGreaterThan(0);
      for (const s of statements) expect(to.posts.get(s.id)).toBe(1);
      expect(await to.stored()).toHaveLength(400);
    } finally {
      await Promise.all([a.close(), b.close(), to.hub.close()]);
    }
  });
});

/**
 * Forwarding between real hub processes. The receiving LRS is a second hub process
 * with its own database: no independent LRS can run here (the only one on npm,
 * Learning Locker's xapi-statements, needs MongoDB). Between them sits a counting
 * proxy in the test: it records, per statement id, every POST that carried it, and
 * can hold a request after passing it on, to kill the sender while it waits.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/hub/db/index.ts';
import { createKey } from '../../src/hub/auth/index.ts';
import { freePort } from './support/global-setup.ts';
import { newPostgresDatabase } from './support/hub.ts';
import { runHub, startHub, type HubProcess } from './support/process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-forward-'));
  dirs.push(dir);
  return dir;
};
const running: HubProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((hub) => hub.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const statements = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    actor: { account: { homePage: 'https://learning.example.org', name: `learner-${index % 9}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: `https://learning.example.org/modules/m${index % 4}` },
  }));

/** An API key with every scope on a hub's database, as Basic auth. */
async function keyFor(env: Record<string, string>): Promise<{ key: string; secret: string; auth: string }> {
  const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, dataDir: '' } : { dataDir: env.HUB_DATA_DIR! });
  try {
    const { key, secret } = await createKey(db, 'forwarding test', ['all']);
    return { key, secret, auth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
  } finally {
    await db.close();
  }
}

const xapiHeaders = (auth: string) => ({ Authorization: auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' });

async function post(hub: HubProcess, auth: string, batch: unknown[]): Promise<void> {
  const response = await fetch(`${hub.url}/xapi/statements`, { method: 'POST', headers: xapiHeaders(auth), body: JSON.stringify(batch) });
  if (response.status !== 200) throw new Error(`POST ${response.status}: ${await response.text()}`);
}

/** Every statement id the receiving LRS holds, paging with `more`. */
async function storedAt(hub: HubProcess, auth: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = '/xapi/statements?limit=500&ascending=true';
  while (next) {
    const page = (await (await fetch(`${hub.url}${next}`, { headers: xapiHeaders(auth) })).json()) as { statements: { id: string }[]; more: string };
    ids.push(...page.statements.map((s) => s.id));
    next = page.more || undefined;
  }
  return ids;
}

interface Proxy {
  url: string;
  /** POSTs that carried each id, and which sender (by the key it used) sent them. */
  posts: Map<string, number>;
  senders: Map<string, number>;
  /** Once this many requests have been answered, the next is passed on but never answered. */
  holdAfter: number;
  held: string[];
  close(): Promise<void>;
}

/** A proxy in front of the receiving hub that counts what passes and swaps each sender's key for the receiver's. */
async function countingProxy(target: HubProcess, auth: string): Promise<Proxy> {
  const port = await freePort();
  const body = (request: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks)));
      request.on('error', reject);
    });
  let answered = 0;
  const proxy: Proxy = { url: `http://127.0.0.1:${port}/xapi/`, posts: new Map(), senders: new Map(), holdAfter: Infinity, held: [], close: async () => {} };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = (await body(request)).toString();
      const ids = (JSON.parse(text) as { id: string }[]).map((s) => s.id);
      for (const id of ids) proxy.posts.set(id, (proxy.posts.get(id) ?? 0) + 1);
      const sender = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':')[0]!;
      proxy.senders.set(sender, (proxy.senders.get(sender) ?? 0) + 1);
      const answer = await fetch(`${target.url}${request.url}`, { method: 'POST', headers: xapiHeaders(auth), body: text });
      const answerText = await answer.text();
      if (answered >= proxy.holdAfter) {
        // Stored at the receiver, but the sender never hears so.
        proxy.held.push(...ids);
        return;
      }
      answered += 1;
      response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answerText);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** The receiving LRS: a hub process on its own database (on the test PostgreSQL server, which starts faster than PGlite). */
async function receivingHub(): Promise<{ hub: HubProcess; auth: string }> {
  const env = { DATABASE_URL: await newPostgresDatabase() };
  const { auth } = await keyFor(env);
  const hub = await startHub(env);
  running.push(hub);
  return { hub, auth };
}

describe('forwarding between hub processes', () => {
  it('refuses to start with a bad FORWARD_LRS_ENDPOINT, saying what is wrong', async () => {
    const result = await runHub([], {
      HUB_DATA_DIR: join(tempDir(), 'hub'),
      HUB_SITE_DIR: '',
      PORT: String(await freePort()),
      FORWARD_LRS_ENDPOINT: 'lrs.council.example/xapi',
      FORWARD_LRS_KEY: 'hub',
      FORWARD_LRS_SECRET: 'secret',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `hub: FORWARD_LRS_ENDPOINT: "lrs.council.example/xapi" is not a web address; give the LRS's xAPI address, such as https://lrs.example.org/xapi/`,
    );
    expect(result.stdout).not.toContain('Hub listening');
  });

  it('killed with SIGKILL mid-queue and started again, delivers every statement, none stored twice', async () => {
    const receiver = await receivingHub();
    const proxy = await countingProxy(receiver.hub, receiver.auth);
    const env = {
      HUB_DATA_DIR: join(tempDir(), 'sender'),
      FORWARD_LRS_ENDPOINT: proxy.url,
      FORWARD_LRS_KEY: 'sender',
      FORWARD_LRS_SECRET: 'secret',
    };
    const { auth } = await keyFor(env);
    try {
      proxy.holdAfter = 4;
      let sender = await startHub(env);
      // The start-up lines may reach the pipe in more than one piece.
      await expect.poll(() => sender.output()).toContain(`Forwarding every statement to ${proxy.url}`);
      const all = statements(600);
      for (let i = 0; i < all.length; i += 50) await post(sender, auth, all.slice(i, i + 50));
      // Four batches answered, the fifth stored at the receiver but never answered: the sender waits on it.
      await expect.poll(() => proxy.held.length, { timeout: 30_000 }).toBeGreaterThan(0);
      sender.child.kill('SIGKILL');
      await sender.exited;
      proxy.holdAfter = Infinity;
      sender = await startHub(env);
      running.push(sender);
      await expect.poll(async () => new Set(await storedAt(receiver.hub, receiver.auth)).size, { timeout: 60_000, interval: 500 }).toBe(all.length);
      const stored = await storedAt(receiver.hub, receiver.auth);
      expect(stored).toHaveLength(all.length);
      expect(new Set(stored)).toEqual(new Set(all.map((s) => s.id)));
      // Only the batch whose answer the kill lost went twice; every other statement went once.
      const twice = all.filter((s) => proxy.posts.get(s.id) !== 1).map((s) => s.id);
      expect(twice.sort()).toEqual([...proxy.held].sort());
      for (const id of twice) expect(proxy.posts.get(id)).toBe(2);
      await sender.stop();
    } finally {
      await proxy.close();
    }
  }, 240_000);

  it('two hub processes on one PostgreSQL share the queue, sending each statement once', async () => {
    const receiver = await receivingHub();
    const proxy = await countingProxy(receiver.hub, receiver.auth);
    const databaseUrl = await newPostgresDatabase();
    const shared = { DATABASE_URL: databaseUrl, FORWARD_LRS_ENDPOINT: proxy.url, FORWARD_LRS_SECRET: 'secret' };
    const { auth } = await keyFor(shared);
    try {
      const [a, b] = await Promise.all([startHub({ ...shared, FORWARD_LRS_KEY: 'hub-a' }), startHub({ ...shared, FORWARD_LRS_KEY: 'hub-b' })]);
      running.push(a, b);
      const all = statements(1000);
      // Both processes take statements, and both forward.
      const batches = Array.from({ length: all.length / 50 }, (_, i) => all.slice(i * 50, i * 50 + 50));
      await Promise.all(batches.map((batch, i) => post(i % 2 === 0 ? a : b, auth, batch)));
      await expect.poll(async () => new Set(await storedAt(receiver.hub, receiver.auth)).size, { timeout: 60_000, interval: 500 }).toBe(all.length);
      for (const s of all) expect(proxy.posts.get(s.id)).toBe(1);
      expect(await storedAt(receiver.hub, receiver.auth)).toHaveLength(all.length);
      expect([...proxy.senders.keys()].sort()).toEqual(['hub-a', 'hub-b']);
    } finally {
      await proxy.close();
    }
  }, 240_000);
});

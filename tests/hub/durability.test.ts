/**
 * The hub as real processes: killed with SIGKILL in the middle of a load, it has
 * kept every statement it acknowledged; two processes on one PostgreSQL sent the
 * same statements at once store each once, without an error.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/hub/db/index.ts';
import { createKey } from '../../src/hub/auth/index.ts';
import { newPostgresDatabase } from './support/hub.ts';
import { startHub } from './support/process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const batch = (size: number) =>
  Array.from({ length: size }, (_, index) => ({
    id: randomUUID(),
    actor: { account: { homePage: 'https://learning.example.org', name: `learner-${index % 7}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: `https://learning.example.org/modules/m${index % 5}` },
  }));

async function keyFor(env: { DATABASE_URL?: string; HUB_DATA_DIR?: string }): Promise<Record<string, string>> {
  const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, dataDir: '' } : { dataDir: env.HUB_DATA_DIR as string });
  try {
    const { key, secret } = await createKey(db, 'load', ['all']);
    return {
      Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
    };
  } finally {
    await db.close();
  }
}

describe.each(['pglite', 'postgres'] as const)('a hub on %s killed mid-load', (driver) => {
  it('keeps every statement it acknowledged', async () => {
    let env: Record<string, string>;
    if (driver === 'postgres') env = { DATABASE_URL: await newPostgresDatabase() };
    else {
      const dir = mkdtempSync(join(tmpdir(), 'hub-kill-'));
      dirs.push(dir);
      env = { HUB_DATA_DIR: join(dir, 'hub') };
    }
    const headers = await keyFor(env);
    const hub = await startHub(env);
    const acknowledged: string[] = [];
    let sent = 0;
    let stopping = false;
    // Four clients post batches until 40 are acknowledged, then the process is killed with
    // requests still in flight.
    const client = async () => {
      while (!stopping) {
        const statements = batch(25);
        sent++;
        try {
          const response = await fetch(`${hub.url}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(statements) });
          if (response.status === 200) {
            acknowledged.push(...((await response.json()) as string[]));
            if (acknowledged.length >= 40 * 25 && !stopping) {
              stopping = true;
              hub.child.kill('SIGKILL');
            }
          }
        } catch {
          return; // the connection died with the process
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    await hub.exited;
    expect(hub.child.signalCode).toBe('SIGKILL');
    expect(sent).toBeGreaterThan(40);

    // Reopen the database the killed process was writing (PGlite replays its log here).
    const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, dataDir: '' } : { dataDir: env.HUB_DATA_DIR as string });
    try {
      const found = await db.query<{ id: string }>('select id::text as id from statement where id = any($1::uuid[])', [acknowledged]);
      const present = new Set(found.map((row) => row.id));
      expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 240_000);
});

describe('two hub processes on one PostgreSQL', () => {
  it('store each statement once when both receive the same ids at once, without an error', async () => {
    const env = { DATABASE_URL: await newPostgresDatabase() };
    // Both start on an empty database together: the migration lock lets one migrate and the other wait.
    const [a, b] = await Promise.all([startHub(env), startHub(env)]);
    try {
      const headers = await keyFor(env);
      const batches = Array.from({ length: 20 }, () => batch(50));
      const send = (url: string, statements: unknown[]) => fetch(`${url}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(statements) });
      const responses = await Promise.all(batches.flatMap((statements) => [send(a.url, statements), send(b.url, statements)]));
      const statuses = await Promise.all(
        responses.map(async (response) => `${response.status} ${response.status === 200 ? '' : await response.text()}`.trim()),
      );
      expect(new Set(statuses)).toEqual(new Set(['200']));
      const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: '' });
      try {
        const ids = batches.flat().map((s) => s.id);
        const rows = await db.query<{ n: number; distinct_ids: number }>(
          'select count(*)::int as n, count(distinct id)::int as distinct_ids from statement where id = any($1::uuid[])',
          [ids],
        );
        expect(rows[0]).toEqual({ n: ids.length, distinct_ids: ids.length });
        const actors = await db.query<{ n: number }>('select count(*)::int as n from statement where id = any($1::uuid[]) and actor_key is not null', [ids]);
        expect(actors[0]?.n).toBe(ids.length);
      } finally {
        await db.close();
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 240_000);
});

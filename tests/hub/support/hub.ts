/**
 * Test helpers: a hub on a fresh database of either driver, with an API key, and
 * a request helper that sends the xAPI version header and Basic auth.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createApp } from '../../../src/hub/app.ts';
import { createKey, type Scope } from '../../../src/hub/auth/index.ts';
import type { HubConfig } from '../../../src/hub/config.ts';
import { openDatabase, type Database } from '../../../src/hub/db/index.ts';

export const drivers = ['pglite', 'postgres'] as const;
export type Driver = (typeof drivers)[number];

/** A new, empty database on the shared test server (postgres) or in memory (pglite), migrated. */
export async function testDatabase(driver: Driver): Promise<Database> {
  if (driver === 'pglite') return openDatabase({ dataDir: 'memory://' });
  return openDatabase({ databaseUrl: await newPostgresDatabase(), dataDir: '' });
}

/** Creates an empty database on the test run's PostgreSQL server and returns its URL. */
export async function newPostgresDatabase(): Promise<string> {
  const url = inject('postgresUrl');
  const name = `hub_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return url.replace(/\/[^/]*$/, `/${name}`);
}

export function testConfig(overrides: Partial<HubConfig> = {}): HubConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    corsOrigins: [],
    bodyLimit: 10 * 1024 * 1024,
    publicUrl: 'http://hub.test',
    courseDir: process.cwd(),
    ...overrides,
  };
}

export interface TestHub {
  db: Database;
  app: ReturnType<typeof createApp>;
  /** Basic auth header value for a key with the scopes asked for (default all). */
  auth: string;
  /** Sends a request with the version header and auth; `init.headers` overrides them. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  keyFor(scopes: Scope[]): Promise<string>;
  close(): Promise<void>;
}

export async function testHub(driver: Driver, config: Partial<HubConfig> = {}): Promise<TestHub> {
  const db = await testDatabase(driver);
  const app = createApp({ db, config: testConfig(config) });
  const keyFor = async (scopes: Scope[]) => {
    const { key, secret } = await createKey(db, `test ${scopes.join(' ')}`, scopes);
    return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  };
  const auth = await keyFor(['all']);
  return {
    db,
    app,
    auth,
    keyFor,
    request: async (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers({ 'X-Experience-API-Version': '1.0.3', Authorization: auth });
      if (json !== undefined) headers.set('Content-Type', 'application/json');
      for (const [name, value] of new Headers(rest.headers)) headers.set(name, value);
      return app.request(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    close: () => db.close(),
  };
}

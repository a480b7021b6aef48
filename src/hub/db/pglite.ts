/**
 * PGlite driver: PostgreSQL compiled to WebAssembly, running in this process on a
 * directory. One connection: PGlite runs queries one at a time. It starts
 * PostgreSQL with fsync off, so a killed process keeps what it wrote but a power
 * cut may not; production uses a PostgreSQL server.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Sql } from './index.ts';

export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const run = async <T>(target: PGlite | Transaction, text: string, params?: readonly unknown[]): Promise<T[]> => {
    const result = await target.query<T>(text, params ? [...params] : undefined);
    return result.rows;
  };
  return {
    kind: 'pglite',
    query: (text, params) => run(pg, text, params),
    transaction: (work) =>
      pg.transaction(async (tx) => {
        const sql: Sql = { query: (text, params) => run(tx, text, params) };
        return work(sql);
      }),
    exec: async (script) => {
      await pg.exec(script);
    },
    listen: async (channel, handler) => {
      const stop = await pg.listen(channel, handler);
      return () => stop();
    },
    close: () => pg.close(),
  };
}

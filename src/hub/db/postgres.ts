/**
 * PostgreSQL server driver (DATABASE_URL), through the `postgres` client with a
 * small pool. Several hub processes may share one server: the hub keeps no
 * state outside it.
 */
import postgres from 'postgres';
import type { Database, Sql } from './index.ts';

type Client = postgres.Sql | postgres.TransactionSql;

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const client = postgres(url, {
    max: options.max ?? 8,
    onnotice: () => {},
    // Dates and jsonb come back parsed, as from PGlite; int8 as a number (counts stay far below 2^53).
    types: { bigint: postgres.BigInt },
  });
  client.options.parsers[20] = (value: string) => Number(value);
  await client.unsafe('select 1');
  const run = async <T>(target: Client, text: string, params?: readonly unknown[]): Promise<T[]> => {
    // Named prepared statements: the server parses and plans each query text once per connection.
    const rows = await target.unsafe(text, params ? ([...params] as postgres.ParameterOrJSON<never>[]) : undefined, {
      prepare: params !== undefined && params.length > 0,
    });
    return [...rows] as T[];
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(client, text, params),
    transaction: async (work) => {
      const result = await client.begin(async (tx) => {
        const sql: Sql = { query: (text, params) => run(tx, text, params) };
        return work(sql);
      });
      return result as never;
    },
    exec: async (script) => {
      await client.unsafe(script);
    },
    listen: async (channel, handler) => {
      // postgres keeps one dedicated connection for every LISTEN of this client.
      const request = await client.listen(channel, handler);
      return () => request.unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}

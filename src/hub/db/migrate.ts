/**
 * Applies the plain SQL files in ./migrations in name order, each once, inside one
 * transaction holding a PostgreSQL advisory lock, so two hub processes starting
 * together on one database never race: the second waits, then finds nothing to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './index.ts';

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** An arbitrary constant naming the hub's migration lock. */
const lockKey = 7_301_481_014;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Returns the names of the migrations it applied (empty when the schema was up to date). */
export async function migrate(db: Database, migrations: readonly Migration[] = readMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [lockKey]);
    await tx.query('create table if not exists hub_migration (name text primary key, applied timestamptz not null default now())');
    const done = new Set((await tx.query<{ name: string }>('select name from hub_migration')).map((row) => row.name));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      try {
        for (const statement of splitSql(migration.sql)) await tx.query(statement);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      await tx.query('insert into hub_migration (name) values ($1)', [migration.name]);
      applied.push(migration.name);
    }
    return applied;
  });
}

/**
 * Splits a migration into statements at semicolons that end a line, outside
 * dollar-quoted bodies, so each runs through the parameterised protocol inside the
 * same transaction on either driver.
 */
export function splitSql(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let dollar: string | null = null;
  for (const line of script.split('\n')) {
    const code = line.replace(/--.*$/, '');
    for (const match of code.matchAll(/\$[a-z_]*\$/gi)) dollar = dollar === null ? match[0] : dollar === match[0] ? null : dollar;
    current += `${line}\n`;
    if (dollar === null && /;\s*$/.test(code)) {
      const text = current.trim();
      if (text.replace(/--.*$/gm, '').trim() !== ';') statements.push(text);
      current = '';
    }
  }
  if (current.replace(/--.*$/gm, '').trim() !== '') statements.push(current.trim());
  return statements;
}

/**
 * The hub's one database interface. Two drivers sit behind it: PGlite (PostgreSQL
 * in WebAssembly, in-process, the zero-set-up default) and a PostgreSQL server
 * reached through DATABASE_URL. Both speak the same SQL, so every query is
 * written once.
 */
import { migrate } from './migrate.ts';

export interface Sql {
  /** Runs one parameterised statement; $1.. placeholders; never interpolate values. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Sql {
  /** Runs `work` in one transaction: all of it is committed, or none of it when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Which driver this is, for the start-up line and the benchmark. */
  readonly kind: 'pglite' | 'postgres';
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Calls `handler` with each payload NOTIFY sends on `channel`, from this process or any other
   * on the same database. Resolves once listening; the function it returns stops listening.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface DatabaseConfig {
  /** A PostgreSQL server; when absent PGlite runs in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's directory; "memory://" keeps it in memory (tests). */
  dataDir: string;
}

/** Opens the database the config names and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const db = config.databaseUrl
    ? await (await import('./postgres.ts')).openPostgres(config.databaseUrl)
    : await (await import('./pglite.ts')).openPglite(config.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

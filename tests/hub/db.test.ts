import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/index.ts';
import { migrate, readMigrations, splitSql } from '../../src/hub/db/migrate.ts';
import { drivers, newPostgresDatabase, testDatabase } from './support/hub.ts';

describe('splitSql', () => {
  it('splits at semicolons that end a line, not inside dollar-quoted bodies or comments', () => {
    const script = `create table a (x int); -- first;\ncreate function f() returns int as $$\nbegin\n  return 1;\nend;\n$$ language plpgsql;\n-- only a comment;\n`;
    expect(splitSql(script)).toEqual([
      'create table a (x int); -- first;',
      'create function f() returns int as $$\nbegin\n  return 1;\nend;\n$$ language plpgsql;',
    ]);
  });
});

describe('readMigrations', () => {
  it('reads numbered .sql files in order and ignores anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-migrations-'));
    try {
      writeFileSync(join(dir, '002_b.sql'), 'select 2;');
      writeFileSync(join(dir, '001_a.sql'), 'select 1;');
      writeFileSync(join(dir, 'notes.txt'), 'not sql');
      expect(readMigrations(dir).map((m) => m.name)).toEqual(['001_a.sql', '002_b.sql']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(drivers)('the database on %s', (driver) => {
  // One database per driver for these cases: opening PGlite takes many seconds on a busy machine.
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(driver);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies each migration once, in order, and nothing on a second run', async () => {
    const names = (await db.query<{ name: string }>('select name from hub_migration order by applied, name')).map((row) => row.name);
    expect(names).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    const extra = [...readMigrations(), { name: '999_test.sql', sql: 'create table test_extra (x int);\ninsert into test_extra values (1);' }];
    expect(await migrate(db, extra)).toEqual(['999_test.sql']);
    expect(await migrate(db, extra)).toEqual([]);
    expect(await db.query('select x from test_extra')).toEqual([{ x: 1 }]);
  });

  it('rolls back a failed migration whole, naming it', async () => {
    const broken = [...readMigrations(), { name: '998_broken.sql', sql: 'create table half (x int);\nselect * from no_such_table;' }];
    await expect(migrate(db, broken)).rejects.toThrow('migration 998_broken.sql failed');
    expect(await db.query(`select 1 from information_schema.tables where table_name = 'half'`)).toEqual([]);
  });

  it('commits a transaction whole or not at all', async () => {
    await db.query('create table t (x int primary key)');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values (1)');
        await tx.query('insert into t values (1)');
      }),
    ).rejects.toThrow();
    expect(await db.query('select x from t')).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.query('insert into t values ($1)', [2]);
      await tx.query('insert into t values ($1)', [3]);
    });
    expect(await db.query('select x from t order by x')).toEqual([{ x: 2 }, { x: 3 }]);
  });
});

describe('migrations on one PostgreSQL database from several processes at once', () => {
  it('take the advisory lock: every migration is applied exactly once', async () => {
    const url = await newPostgresDatabase();
    const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: url, dataDir: '' })));
    try {
      const rows = await dbs[0]!.query<{ name: string; n: number }>('select name, count(*)::int as n from hub_migration group by name order by name');
      expect(rows).toEqual(readMigrations().map((m) => ({ name: m.name, n: 1 })));
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});

describe('PGlite on a directory', () => {
  it('keeps what it stored across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-pglite-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await first.query(`insert into api_key (key, name, secret_sha256, scopes) values ('k1', 'kept', 'x', '{all}')`);
      await first.close();
      const second = await openDatabase({ dataDir: dir });
      expect(await second.query('select name from api_key')).toEqual([{ name: 'kept' }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

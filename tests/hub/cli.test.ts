import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newPostgresDatabase } from './support/hub.ts';
import { runHub, startHub } from './support/process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm run hub -- key', () => {
  it('creates a key printing one line of JSON, lists it without the secret, and revokes it', async () => {
    const env = { DATABASE_URL: await newPostgresDatabase() };
    const created = await runHub(['key', 'create', '--name', 'Council LMS', '--scope', 'statements/write', '--scope', 'statements/read'], env);
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { key, secret } = JSON.parse(lines[0] as string) as { key: string; secret: string };
    expect(key).toMatch(/^[0-9a-f]{24}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

    const listed = await runHub(['key', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(key);
    expect(listed.stdout).not.toContain(secret);
    expect(JSON.parse(listed.stdout.trim())).toMatchObject({ key, name: 'Council LMS', scopes: ['statements/write', 'statements/read'], revoked: null });

    expect((await runHub(['key', 'revoke', key], env)).code).toBe(0);
    const again = await runHub(['key', 'revoke', key], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(key);
  });

  it('refuses an unknown scope or a missing name, saying what is wrong', async () => {
    const env = { DATABASE_URL: await newPostgresDatabase() };
    const scope = await runHub(['key', 'create', '--name', 'x', '--scope', 'everything'], env);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toContain('unknown scope "everything"');
    const name = await runHub(['key', 'create', '--scope', 'all'], env);
    expect(name.code).toBe(1);
    expect(name.stderr).toContain('--name');
  });
});

describe('npm run hub -- progress rebuild', () => {
  it('derives the progress of every confirmed learner again and says how many', async () => {
    const env = { DATABASE_URL: await newPostgresDatabase() };
    const rebuilt = await runHub(['progress', 'rebuild'], env);
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.stdout.trim()).toBe('Derived the progress of 0 confirmed learners again from their statements.');
    expect(rebuilt.code).toBe(0);
  });

  it('will not start on a broken course, naming the file and field', async () => {
    const courseDir = tempDir();
    mkdirSync(join(courseDir, 'courses'));
    writeFileSync(join(courseDir, 'courses', 'matrix.yaml'), 'roles: [');
    const refused = await runHub(['progress', 'rebuild'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', HUB_COURSE_DIR: courseDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('courses/matrix.yaml');
    expect(refused.stderr).toContain('courses/site.yaml');
  });
});

describe('the hub process on PGlite', () => {
  it('serves the site and a working LRS on one port, and says PGlite is for trying, not production', async () => {
    const data = tempDir();
    const site = join(tempDir(), 'dist');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>Family Hub learning</title>');
    const env = { HUB_DATA_DIR: join(data, 'hub'), HUB_SITE_DIR: site };
    const created = await runHub(['key', 'create', '--name', 'curl', '--scope', 'all'], env);
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout) as { key: string; secret: string };
    const hub = await startHub(env);
    try {
      await expect.poll(() => hub.output()).toMatch(/PGlite .*not for production.*fsync off.*DATABASE_URL/s);
      // PGlite belongs to one process: a key command on the same data refuses while the hub runs.
      const refused = await runHub(['key', 'list'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('another hub process');
      const page = await fetch(`${hub.url}/`);
      expect(await page.text()).toContain('Family Hub learning');
      const headers = {
        Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      };
      const id = randomUUID();
      const statement = {
        id,
        actor: { mbox: 'mailto:curl@example.org' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'https://learning.example.org/modules/a' },
      };
      const posted = await fetch(`${hub.url}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(statement) });
      expect(await posted.json()).toEqual([id]);
      const got = await fetch(`${hub.url}/xapi/statements?statementId=${id}`, { headers });
      expect(((await got.json()) as { id: string }).id).toBe(id);
    } finally {
      await hub.stop();
    }
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { newPostgresDatabase } from './support/hub.ts';
import { runHub } from './support/process.ts';

describe('npm run hub -- admin-link', () => {
  it('prints a one-time link for the first admin, keeping only its hash, and needs a name', async () => {
    const env = { DATABASE_URL: await newPostgresDatabase(), HUB_URL: 'https://learning.example.org' };
    const made = await runHub(['admin-link', '--name', 'Ngozi Okafor'], env);
    expect(made.code).toBe(0);
    const link = /https:\/\/learning\.example\.org\/staff\/join\/#([A-Za-z0-9_-]{43})/.exec(made.stdout);
    expect(link).not.toBeNull();
    expect(made.stdout).toContain('Ngozi Okafor');
    expect(made.stdout).toContain('It works once');

    const missing = await runHub(['admin-link'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('admin-link needs --name NAME');
  });
});

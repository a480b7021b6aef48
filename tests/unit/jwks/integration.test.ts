import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { publicSigningKeys } from '../../../src/jwks/integration.ts';
import { generateSigningKey, publicJwkOf } from '../../../src/lib/signing/index.ts';

describe('publishing the hub’s public keys with the built site', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const build = async (dataDir: string) => {
    const dist = tempDir();
    const logged: string[] = [];
    const hook = publicSigningKeys(dataDir).hooks['astro:build:done'] as unknown as (options: {
      dir: URL;
      logger: { info(message: string): void };
    }) => void | Promise<void>;
    await hook({ dir: pathToFileURL(`${dist}/`), logger: { info: (message) => logged.push(message) } });
    return { dist, logged };
  };

  it('copies the keys `signing-key ensure` wrote into dist/.well-known/jwks.json, public halves only', async () => {
    const dataDir = tempDir();
    const key = await generateSigningKey();
    writeFileSync(join(dataDir, 'jwks.json'), JSON.stringify({ keys: [{ ...publicJwkOf(key), d: key.d }] }));
    const { dist, logged } = await build(dataDir);
    expect(JSON.parse(readFileSync(join(dist, '.well-known', 'jwks.json'), 'utf8'))).toEqual({ keys: [publicJwkOf(key)] });
    expect(logged).toEqual(['Published 1 hub signing key at /.well-known/jwks.json']);
  });

  it('publishes none when there are no keys, as on a static host with no hub', async () => {
    const { dist } = await build(tempDir());
    expect(existsSync(join(dist, '.well-known', 'jwks.json'))).toBe(false);
  });

  it('fails the build, naming the file, when the keys file is broken', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'jwks.json'), '{"keys": [');
    await expect(build(dataDir)).rejects.toThrow(`${join(dataDir, 'jwks.json')} is not JSON: run \`npm run hub -- signing-key ensure\` to write it again`);
    writeFileSync(join(dataDir, 'jwks.json'), '{"keys": []}');
    await expect(build(dataDir)).rejects.toThrow('lists no Ed25519 keys');
  });
});

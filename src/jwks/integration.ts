/**
 * Publishes the hub's public signing keys with the site, at
 * /.well-known/jwks.json, so the verify page can check the council's signature
 * with the network off and on a static host. `npm start` writes the keys into
 * the hub's data directory (HUB_DATA_DIR) before it builds; a build without
 * them (a static site with no hub) publishes none, and every certificate then
 * checks as self-issued.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { readJwks } from '../lib/signing/index.ts';
import { jwksFileName } from '../hub/signing/keys.ts';

/** The Astro integration that copies the hub's public keys into dist/.well-known/. */
export function publicSigningKeys(dataDir = resolve(process.env.HUB_DATA_DIR || 'data/hub')): AstroIntegration {
  return {
    name: 'family-hub-signing-keys',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const file = join(dataDir, jwksFileName);
        if (!existsSync(file)) {
          logger.info(`No hub signing keys in ${file}, so none are published with the site`);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          throw new Error(`${file} is not JSON: run \`npm run hub -- signing-key ensure\` to write it again`);
        }
        const jwks = readJwks(json);
        if (jwks.keys.length === 0) throw new Error(`${file} lists no Ed25519 keys: run \`npm run hub -- signing-key ensure\` to write it again`);
        const outDir = join(fileURLToPath(dir), '.well-known');
        mkdirSync(outDir, { recursive: true });
        writeFileSync(join(outDir, 'jwks.json'), JSON.stringify(jwks));
        logger.info(`Published ${jwks.keys.length} hub signing key${jwks.keys.length === 1 ? '' : 's'} at /.well-known/jwks.json`);
      },
    },
  };
}

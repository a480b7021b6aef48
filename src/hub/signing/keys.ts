/**
 * The hub's certificate signing key. It comes from HUB_SIGNING_KEY (an Ed25519
 * private key as a JWK), which every hub process on one PostgreSQL database must
 * share; with PGlite and no HUB_SIGNING_KEY it is made on first use and kept in
 * the data directory. The public half of every key used is listed in the
 * database, so replacing the key never breaks a certificate already signed.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from '../db/index.ts';
import type { HubConfig } from '../config.ts';
import { generateSigningKey, publicJwkOf, readJwks, readPrivateJwk, type Jwks, type PrivateJwk } from '../../lib/signing/index.ts';

/** The private key's file in the PGlite data directory. */
export const signingKeyFileName = 'signing-key.json';
/** The public keys as a JWK Set, written beside it for `astro build` to publish. */
export const jwksFileName = 'jwks.json';

/** What to run to make a key for HUB_SIGNING_KEY. */
export const newKeyCommand = 'npm run hub -- signing-key new';

/** Thrown when the hub has no usable signing key; the message says what to set. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

const keyFile = (config: Pick<HubConfig, 'dataDir'>) => join(config.dataDir, signingKeyFileName);

function writeKeyFile(config: Pick<HubConfig, 'dataDir'>, key: PrivateJwk): void {
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(keyFile(config), `${JSON.stringify(key)}\n`, { mode: 0o600 });
  chmodSync(keyFile(config), 0o600);
}

/**
 * The key this process signs with: HUB_SIGNING_KEY when set; else, with PGlite,
 * the data directory's key, made there the first time.
 * @throws SigningKeyError with DATABASE_URL and no HUB_SIGNING_KEY, or a key that is not right
 */
export async function loadSigningKey(config: Pick<HubConfig, 'dataDir' | 'databaseUrl' | 'signingKey'>): Promise<PrivateJwk> {
  try {
    if (config.signingKey) return await readPrivateJwk(config.signingKey, 'HUB_SIGNING_KEY');
    if (config.databaseUrl) {
      throw new SigningKeyError(
        `HUB_SIGNING_KEY must be set when DATABASE_URL is: every hub process on the database must sign certificates with the same key. Make one with \`${newKeyCommand}\` and set it in the environment of each hub process.`,
      );
    }
    const file = keyFile(config);
    if (existsSync(file)) return await readPrivateJwk(readFileSync(file, 'utf8'), file);
    const key = await generateSigningKey();
    writeKeyFile(config, key);
    return key;
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError(error instanceof Error ? error.message : String(error));
  }
}

/** Lists the key's public half, once. */
export async function listSigningKey(sql: Sql, key: PrivateJwk): Promise<void> {
  await sql.query('insert into signing_key (kid, public_jwk) values ($1, $2::text::jsonb) on conflict (kid) do nothing', [
    key.kid,
    JSON.stringify(publicJwkOf(key)),
  ]);
}

/** Every public key the hub has signed with, newest first. */
export async function publishedKeys(sql: Sql): Promise<Jwks> {
  const rows = await sql.query<{ public_jwk: unknown }>('select public_jwk from signing_key order by added desc, kid');
  return readJwks({ keys: rows.map((row) => row.public_jwk) });
}

/** Writes the public keys into the data directory, where `astro build` finds them to publish with the site. */
export function writeJwksFile(config: Pick<HubConfig, 'dataDir'>, jwks: Jwks): string {
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, jwksFileName);
  writeFileSync(file, `${JSON.stringify(jwks, null, 2)}\n`);
  return file;
}

/**
 * Replaces the signing key, keeping the old one listed. With HUB_SIGNING_KEY the
 * new key is listed and returned for the council to set on every hub process;
 * with PGlite's own key file the file is replaced and the hub uses it at its next start.
 */
export async function rotateSigningKey(
  sql: Sql,
  config: Pick<HubConfig, 'dataDir' | 'databaseUrl' | 'signingKey'>,
): Promise<{ old: PrivateJwk; key: PrivateJwk; where: 'environment' | 'file' }> {
  const old = await loadSigningKey(config);
  await listSigningKey(sql, old);
  const key = await generateSigningKey();
  await listSigningKey(sql, key);
  if (config.signingKey) return { old, key, where: 'environment' };
  writeKeyFile(config, key);
  return { old, key, where: 'file' };
}

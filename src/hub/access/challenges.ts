/**
 * What a sign-in carries from one request to the next (a passkey challenge, an
 * OpenID Connect state and verifier): kept in `auth_challenge` under the hash of
 * a random id only the browser holds, for a few minutes, and taken at most once.
 */
import type { Sql } from '../db/index.ts';
import { hashToken, newToken } from './tokens.ts';

export interface StoredChallenge {
  purpose: string;
  challenge: string;
  personId: string | null;
  detail: Record<string, unknown>;
}

/** Stores a challenge for `minutes` and returns the id the browser keeps. */
export async function storeChallenge(db: Sql, stored: StoredChallenge, minutes: number, now: Date): Promise<string> {
  const id = newToken();
  await db.query('insert into auth_challenge (id_sha256, purpose, challenge, person_id, detail, expires) values ($1, $2, $3, $4, $5, $6)', [
    hashToken(id),
    stored.purpose,
    stored.challenge,
    stored.personId,
    JSON.stringify(stored.detail),
    new Date(now.getTime() + minutes * 60_000),
  ]);
  return id;
}

/**
 * Reads and deletes the challenge `id` names, in one statement, if its purpose is one of `purposes` and it is still
 * live; clears out-of-date ones while there. Undefined when it is unknown, used or out of date.
 */
export async function takeStoredChallenge(db: Sql, id: string, purposes: readonly string[], now: Date): Promise<StoredChallenge | undefined> {
  const rows = await db.query<{ purpose: string; challenge: string; person_id: string | null; detail: unknown; expires: Date | string }>(
    'delete from auth_challenge where id_sha256 = $1 and purpose = any($2::text[]) returning purpose, challenge, person_id, detail, expires',
    [hashToken(id), [...purposes]],
  );
  await db.query('delete from auth_challenge where expires < $1', [now]);
  const row = rows[0];
  if (!row || new Date(row.expires) <= now) return undefined;
  const detail = (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>;
  return { purpose: row.purpose, challenge: row.challenge, personId: row.person_id, detail };
}

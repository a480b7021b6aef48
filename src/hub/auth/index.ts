/**
 * Who is calling. Today: systems with API keys (HTTP Basic auth, key as user
 * name, secret as password). Learner and lead sign-in add other kinds of Caller
 * later; resources only ever ask `requireScope`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Agent } from '@xapi/xapi';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';

export const scopes = ['all', 'all/read', 'statements/write', 'statements/read', 'statements/read/mine', 'state', 'define', 'profile'] as const;
export type Scope = (typeof scopes)[number];

/** A system calling with an API key. */
export interface KeyCaller {
  kind: 'key';
  /** The API key (the Basic auth user name). */
  id: string;
  scopes: readonly Scope[];
  /** The Agent the LRS names as authority on statements this caller stores. */
  authority: Agent;
}

/** A learner's browser calling with its device credential (a Bearer token). */
export interface DeviceCaller {
  kind: 'device';
  /** The device row's id. */
  id: string;
  /** The learner (person.id, also their xAPI account name). */
  personId: string;
  scopes: readonly Scope[];
  authority: Agent;
  /** The learner's own Agent: the only actor this caller may write as, read or keep State for. */
  agent: Agent;
}

export type Caller = KeyCaller | DeviceCaller;

declare module 'hono' {
  interface ContextVariableMap {
    caller: Caller;
  }
}

export const isScope = (value: string): value is Scope => (scopes as readonly string[]).includes(value);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The authority Agent for an API key: an account on the hub named by the key. */
export function keyAuthority(key: string, name: string, publicUrl: string): Agent {
  return { objectType: 'Agent', name, account: { homePage: publicUrl, name: key } };
}

/** Reads Basic credentials and sets c.var.caller; refuses with 401 when they are missing or wrong. */
export function authenticate(db: Sql, publicUrl: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
    if (!match) throw new HubError(401, 'sign in with an API key: send an Authorization: Basic header with the key and secret', 'Authorization');
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new HubError(401, 'the Authorization header must hold "key:secret" in Base64', 'Authorization');
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const rows = await db.query<{ name: string; secret_sha256: string; scopes: string[] }>(
      'select name, secret_sha256, scopes from api_key where key = $1 and revoked is null',
      [key],
    );
    const row = rows[0];
    const expected = Buffer.from(row?.secret_sha256 ?? sha256('no such key'), 'hex');
    const given = Buffer.from(sha256(secret), 'hex');
    if (!row || !timingSafeEqual(expected, given))
      throw new HubError(401, 'that API key and secret are not recognised, or the key has been revoked', 'Authorization');
    c.set('caller', { kind: 'key', id: key, scopes: row.scopes.filter(isScope), authority: keyAuthority(key, row.name, publicUrl) });
    await next();
  };
}

/** Whether the caller holds any of the scopes (or one that includes it). */
export function hasScope(caller: Caller, ...anyOf: Scope[]): boolean {
  return anyOf.some((scope) => {
    if (caller.scopes.includes('all') || caller.scopes.includes(scope)) return true;
    if (caller.scopes.includes('all/read') && (scope.endsWith('/read') || scope === 'statements/read/mine')) return true;
    if (scope === 'statements/read/mine' && caller.scopes.includes('statements/read')) return true;
    return false;
  });
}

/** Throws 403 unless the caller holds one of the scopes. */
export function requireScope(c: Context, ...anyOf: Scope[]): Caller {
  const caller = c.get('caller');
  if (!caller) throw new HubError(401, 'sign in with an API key', 'Authorization');
  if (!hasScope(caller, ...anyOf)) throw new HubError(403, `this key needs one of these scopes: ${anyOf.join(', ')}`);
  return caller;
}

export interface KeySummary {
  key: string;
  name: string;
  scopes: string[];
  created: string;
  revoked: string | null;
}

/** Creates a key with a random 256-bit secret; the secret is returned once and only its hash is kept. */
export async function createKey(db: Sql, name: string, keyScopes: readonly Scope[]): Promise<{ key: string; secret: string }> {
  if (name.trim() === '') throw new Error('--name must not be empty');
  if (keyScopes.length === 0) throw new Error('give at least one --scope');
  const key = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.query('insert into api_key (key, name, secret_sha256, scopes) values ($1, $2, $3, $4)', [key, name.trim(), sha256(secret), [...keyScopes]]);
  return { key, secret };
}

export async function listKeys(db: Sql): Promise<KeySummary[]> {
  const rows = await db.query<{ key: string; name: string; scopes: string[]; created: Date; revoked: Date | null }>(
    'select key, name, scopes, created, revoked from api_key order by created, key',
  );
  return rows.map((row) => ({
    key: row.key,
    name: row.name,
    scopes: row.scopes,
    created: new Date(row.created).toISOString(),
    revoked: row.revoked ? new Date(row.revoked).toISOString() : null,
  }));
}

/** Revokes a key; returns false when no such unrevoked key exists. */
export async function revokeKey(db: Sql, key: string): Promise<boolean> {
  const rows = await db.query('update api_key set revoked = now() where key = $1 and revoked is null returning key', [key]);
  return rows.length > 0;
}

/**
 * Learners' device credentials: a random 256-bit Bearer token per browser, kept
 * only as its SHA-256 hash, that may write, read and void only its learner's
 * statements and keep only its learner's State. It dies after 30 idle days, at
 * the end of the day on a shared computer, or when the learner revokes it.
 * Also the one-time codes that give another device its own credential.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Agent } from '@xapi/xapi';
import type { Sql } from '../db/index.ts';
import type { DeviceCaller, Scope } from '../auth/index.ts';
import { agentKey } from '../xapi/agent-key.ts';
import { HubError, parseJson } from '../xapi/common.ts';
import type { PreparedStatement } from '../xapi/statements-prepare.ts';
import { audit } from './audit.ts';

/** A credential not used for this long stops working. */
export const deviceIdleDays = 30;
/** `last_used` is written at most this often, so reads do not each cost a write. */
export const lastUsedIntervalMs = 60 * 60 * 1000;
/** What a learner's device may do on /xapi/: its own statements and State, nothing else. */
export const deviceScopes: readonly Scope[] = ['statements/write', 'statements/read/mine', 'state'];
/** Longest device label kept ("Library PC 3", "My phone"). */
export const maxLabelLength = 100;

/** SHA-256 of a secret, hex: the only form in which the hub keeps tokens and codes. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A new random 256-bit token, base64url. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** A learner's xAPI Agent: an account on the hub named by their person id. */
export function learnerAgent(publicUrl: string, personId: string, name?: string): Agent & { objectType: 'Agent' } {
  return { objectType: 'Agent', ...(name ? { name } : {}), account: { homePage: publicUrl, name: personId } };
}

/** The first instant of the next calendar day in `timeZone`: when a shared computer's credential ends. */
export function endOfDay(now: Date, timeZone: string): Date {
  const parts = (at: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(at)
        .map((part) => [part.type, Number(part.value)]),
    ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  const offsetAt = (at: Date) => {
    const p = parts(at);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
  };
  const today = parts(now);
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + 1);
  // The zone's offset at midnight can differ from now's (a clock change that night): settle it twice.
  let guess = midnightAsUtc - offsetAt(now);
  guess = midnightAsUtc - offsetAt(new Date(guess));
  return new Date(guess);
}

/** Checks a device label: text in any script, trimmed, at most maxLabelLength characters. */
export function deviceLabel(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new HubError(400, 'must be text', where);
  const label = value.trim().normalize('NFC');
  if (label.length > maxLabelLength) throw new HubError(400, `must be ${maxLabelLength} characters or fewer`, where);
  return label;
}

/** Creates a credential for this browser; the token is returned once and only its hash is kept. */
export async function issueDevice(
  tx: Sql,
  options: { personId: string; personName: string; label: string; shared: boolean; now: Date; timeZone: string },
): Promise<{ id: string; token: string; expires: Date | null }> {
  const id = randomUUID();
  const token = newToken();
  const expires = options.shared ? endOfDay(options.now, options.timeZone) : null;
  await tx.query('insert into device (id, person_id, token_sha256, label, shared, created, last_used, expires) values ($1, $2, $3, $4, $5, $6, $6, $7)', [
    id,
    options.personId,
    hashSecret(token),
    options.label,
    options.shared,
    options.now,
    expires,
  ]);
  await audit(tx, {
    action: 'device-added',
    actor: { id: options.personId, name: options.personName },
    subject: options.label,
    detail: { device: id, shared: options.shared },
  });
  return { id, token, expires };
}

const bearer = /^Bearer\s+([A-Za-z0-9_-]{43})\s*$/;

/** The signed-in learner behind a Bearer token, or a 401 that says what to do. */
export async function authenticateDevice(db: Sql, publicUrl: string, header: string | undefined, now: Date): Promise<DeviceCaller & { personName: string }> {
  const match = header ? bearer.exec(header) : null;
  const signInAgain = 'sign in again on this device: ask your workforce lead for an enrolment link, or enter a code from a device you are signed in on';
  if (!match) throw new HubError(401, `this device is not signed in to the hub: ${signInAgain}`, 'Authorization');
  const rows = await db.query<{ id: string; person_id: string; name: string; last_used: Date; expires: Date | null; revoked: Date | null }>(
    `select d.id, d.person_id, p.name, d.last_used, d.expires, d.revoked
       from device d join person p on p.id = d.person_id
      where d.token_sha256 = $1 and p.kind = 'learner'`,
    [hashSecret(match[1] as string)],
  );
  const row = rows[0];
  if (!row) throw new HubError(401, `this device is not signed in to the hub: ${signInAgain}`, 'Authorization');
  if (row.revoked) throw new HubError(401, `this device has been signed out: ${signInAgain}`, 'Authorization');
  if (row.expires && new Date(row.expires) <= now)
    throw new HubError(401, `this shared computer was signed out at the end of the day: ${signInAgain}`, 'Authorization');
  const lastUsed = new Date(row.last_used);
  if (now.getTime() - lastUsed.getTime() > deviceIdleDays * 24 * 60 * 60 * 1000)
    throw new HubError(401, `this device was signed out after ${deviceIdleDays} days without use: ${signInAgain}`, 'Authorization');
  if (now.getTime() - lastUsed.getTime() >= lastUsedIntervalMs) {
    await db.query('update device set last_used = $2 where id = $1', [row.id, now]);
    await db.query('update person set last_active = $2 where id = $1 and (last_active is null or last_active < $2)', [row.person_id, now]);
  }
  const agent = learnerAgent(publicUrl, row.person_id);
  return { kind: 'device', id: row.id, personId: row.person_id, personName: row.name, scopes: deviceScopes, authority: agent, agent };
}

const deviceResources = ['/xapi/statements', '/xapi/activities/state'];

/**
 * Authenticates a Bearer request on /xapi/ and applies the rules that do not need
 * the body: only Statements and State, and any agent a request names must be the
 * learner's own.
 */
export function deviceAuthentication(db: Sql, publicUrl: string, now: () => Date): MiddlewareHandler {
  return async (c, next) => {
    const caller = await authenticateDevice(db, publicUrl, c.req.header('Authorization'), now());
    const path = c.req.path.replace(/\/+$/, '');
    if (!deviceResources.includes(path)) throw new HubError(403, 'a learner’s device may use only the Statements and State resources');
    checkAgentParam(c, caller);
    c.set('caller', caller);
    await next();
  };
}

function checkAgentParam(c: Context, caller: DeviceCaller): void {
  const text = c.req.query('agent');
  if (text === undefined) return;
  if (agentKey(parseJson(text, 'agent')) !== agentKey(caller.agent)) {
    throw new HubError(403, 'a learner’s device may ask only about its own learner: agent must be the signed-in learner', 'agent');
  }
}

/**
 * The rules on what a device writes: every statement's actor is its learner, and
 * a voiding statement may void only that learner's statements already stored (so
 * no one can void another's statement, now or before it arrives).
 */
export async function checkDeviceStatements(db: Sql, caller: DeviceCaller, statements: readonly PreparedStatement[], single: boolean): Promise<void> {
  const own = agentKey(caller.agent);
  const where = (index: number) => (single ? 'statement' : `statement[${index}]`);
  statements.forEach((statement, index) => {
    if (agentKey(statement.body.actor) !== own) {
      throw new HubError(403, 'a learner’s device may record statements only with its own learner as the actor', `${where(index)}.actor`);
    }
  });
  const targets = statements.flatMap((statement, index) => (statement.voids === null ? [] : [{ id: statement.voids, index }]));
  if (targets.length === 0) return;
  const found = await db.query<{ id: string; authority: unknown }>(
    "select id::text as id, body -> 'authority' as authority from statement where id = any($1::uuid[])",
    [targets.map((target) => target.id)],
  );
  const authorities = new Map(found.map((row) => [row.id, agentKey(row.authority)]));
  for (const target of targets) {
    if (authorities.get(target.id) !== own) {
      throw new HubError(403, 'a learner’s device may void only statements it recorded for its own learner', `${where(target.index)}.object.id`);
    }
  }
}

export interface DeviceSummary {
  id: string;
  label: string;
  shared: boolean;
  created: string;
  lastUsed: string;
  /** When a shared computer's credential ends; null otherwise. */
  expires: string | null;
  /** Whether this is the device asking. */
  current: boolean;
}

/** The learner's devices that still work, newest first. */
export async function listDevices(db: Sql, personId: string, currentId: string, now: Date): Promise<DeviceSummary[]> {
  const rows = await db.query<{ id: string; label: string; shared: boolean; created: Date; last_used: Date; expires: Date | null }>(
    `select id, label, shared, created, last_used, expires from device
      where person_id = $1 and revoked is null and (expires is null or expires > $2) and last_used > $2::timestamptz - make_interval(days => $3)
      order by created desc, id`,
    [personId, now, deviceIdleDays],
  );
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    shared: row.shared,
    created: new Date(row.created).toISOString(),
    lastUsed: new Date(row.last_used).toISOString(),
    expires: row.expires ? new Date(row.expires).toISOString() : null,
    current: row.id === currentId,
  }));
}

/** Revokes one of the learner's own devices; 404 when they have no such device. */
export async function revokeDevice(db: Sql, caller: DeviceCaller & { personName: string }, deviceId: string): Promise<void> {
  const rows = await db.query<{ label: string }>('update device set revoked = now() where id = $1 and person_id = $2 and revoked is null returning label', [
    deviceId,
    caller.personId,
  ]);
  if (rows.length === 0) throw new HubError(404, 'you have no device with that id that is still signed in', 'id');
  await audit(db, {
    action: 'device-revoked',
    actor: { id: caller.personId, name: caller.personName },
    subject: rows[0]?.label ?? '',
    detail: { device: deviceId },
  });
}

// ---- One-time codes for another device ---------------------------------------------------------

/** Crockford's Base32: 32 symbols with no I, L, O or U, so nothing reads as anything else. 8 symbols = 40 bits. */
export const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const codeLength = 8;
export const codeMinutes = 10;
/** Wrong tries, from anyone, after which every code live at the time is dead. */
export const maxWrongTries = 5;

/** A new random code, "7KQ2-M9XD" without the hyphen. */
export function newDeviceCode(): string {
  return Array.from({ length: codeLength }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('');
}

/** A code as typed (any case, spaces, hyphens, O for 0, I or L for 1), or undefined when it cannot be one. */
export function normaliseCode(text: string): string | undefined {
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === codeLength && [...code].every((symbol) => codeAlphabet.includes(symbol)) ? code : undefined;
}

/** A new code for the learner, valid for codeMinutes; only its hash is kept. */
export async function createDeviceCode(db: Sql, personId: string, now: Date): Promise<{ code: string; expires: Date }> {
  const code = newDeviceCode();
  const expires = new Date(now.getTime() + codeMinutes * 60 * 1000);
  await db.query('insert into device_code (code_sha256, person_id, created, expires) values ($1, $2, $3, $4)', [hashSecret(code), personId, now, expires]);
  return { code, expires };
}

/** What a wrong, used, expired or dead code is told. */
export const wrongCodeMessage = 'that code is not right, has been used or is more than 10 minutes old: ask for a new code on the device you are signed in on';

/**
 * Uses a code: marks it used in the same statement that reads it, so it works once.
 * Returns undefined when the code is wrong, used, expired or dead; the caller then
 * counts a wrong try (outside any transaction that would roll the count back).
 */
export async function useDeviceCode(db: Sql, typed: string, now: Date): Promise<{ personId: string; name: string } | undefined> {
  const code = normaliseCode(typed);
  if (!code) return undefined;
  const rows = await db.query<{ person_id: string; name: string }>(
    `update device_code c set used = $2 from person p
      where c.code_sha256 = $1 and c.used is null and c.expires > $2 and c.wrong_tries < $3 and p.id = c.person_id
      returning c.person_id, p.name`,
    [hashSecret(code), now, maxWrongTries],
  );
  const row = rows[0];
  return row ? { personId: row.person_id, name: row.name } : undefined;
}

/**
 * A wrong code cannot say which code it was meant to be, so it counts against every
 * code live at that moment; after maxWrongTries they are all dead.
 */
export async function countWrongCode(db: Sql, now: Date): Promise<void> {
  await db.query('update device_code set wrong_tries = wrong_tries + 1 where used is null and expires > $1 and wrong_tries < $2', [now, maxWrongTries]);
}

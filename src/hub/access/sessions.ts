/**
 * Sessions for leads and admins, as the Copenhagen Book describes them: a random
 * id in an HttpOnly, SameSite=Lax cookie (Secure outside localhost), only its
 * SHA-256 in `staff_session`, a new one at every sign-in, and a CSRF token the
 * page sends back in a header on every change.
 *
 * A session ends after 30 minutes without a request, and 12 hours after sign-in
 * whatever happens: leads often use shared or hot-desk computers, so a forgotten
 * tab must not stay signed in for long, while a working day of checking staff
 * needs one sign-in, not many.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isLoopback } from '../config.ts';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { hashToken, newToken, sameSecret } from './tokens.ts';

/** The cookie's name; distinct from any identity provider's cookies on the same host. */
export const sessionCookie = 'fh_staff_session';
/** The header that carries the CSRF token on changes. */
export const csrfHeader = 'X-CSRF-Token';
export const sessionIdleMinutes = 30;
export const sessionMaxHours = 12;

export type StaffKind = 'admin' | 'lead';

/** A signed-in lead or admin. */
export interface StaffMember {
  id: string;
  kind: StaffKind;
  name: string;
}

export interface StaffSession {
  staff: StaffMember;
  csrfToken: string;
  /** The hash of the session id: the row's key. */
  idSha256: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    session: StaffSession;
  }
}

/** Starts a session for a person; returns the id for the cookie and the CSRF token. */
export async function createSession(db: Sql, personId: string, now: Date): Promise<{ id: string; csrfToken: string }> {
  const id = newToken();
  const csrfToken = newToken();
  const expires = new Date(now.getTime() + sessionMaxHours * 3_600_000);
  await db.query('insert into staff_session (id_sha256, person_id, csrf_token, created, last_seen, expires) values ($1, $2, $3, $4, $4, $5)', [
    hashToken(id),
    personId,
    csrfToken,
    now,
    expires,
  ]);
  return { id, csrfToken };
}

/** The live session with this id, its idle clock restarted; undefined when it is unknown, idle too long or past its end. */
export async function readSession(db: Sql, id: string, now: Date): Promise<StaffSession | undefined> {
  const idSha256 = hashToken(id);
  const idleSince = new Date(now.getTime() - sessionIdleMinutes * 60_000);
  const rows = await db.query<{ person_id: string; kind: StaffKind; name: string; csrf_token: string }>(
    `update staff_session s set last_seen = $2
     from person p
     where s.id_sha256 = $1 and p.id = s.person_id and p.kind in ('admin', 'lead')
       and s.expires > $2 and s.last_seen > $3
     returning s.person_id, p.kind, p.name, s.csrf_token`,
    [idSha256, now, idleSince],
  );
  const row = rows[0];
  if (!row) {
    await db.query('delete from staff_session where id_sha256 = $1', [idSha256]);
    return undefined;
  }
  return { staff: { id: row.person_id, kind: row.kind, name: row.name }, csrfToken: row.csrf_token, idSha256 };
}

/** Starts a fresh session at sign-in (ending any the browser already held) and sets its cookie; returns the CSRF token. */
export async function replaceSession(c: Context, db: Sql, publicUrl: string, personId: string, now: Date): Promise<string> {
  const old = getCookie(c, sessionCookie);
  if (old) await endSession(db, hashToken(old));
  const session = await createSession(db, personId, now);
  setSessionCookie(c, session.id, publicUrl);
  return session.csrfToken;
}

/** Ends one session. */
export async function endSession(db: Sql, idSha256: string): Promise<void> {
  await db.query('delete from staff_session where id_sha256 = $1', [idSha256]);
}

/** Drops sessions that can no longer be used; run by the hub's scheduled clean-up. */
export async function pruneSessions(db: Sql, now: Date): Promise<void> {
  await db.query('delete from staff_session where expires <= $1 or last_seen <= $2', [now, new Date(now.getTime() - sessionIdleMinutes * 60_000)]);
}

/** Whether the hub runs on this machine only, where browsers refuse Secure cookies over http. */
export const isLocal = (publicUrl: string) => isLoopback(new URL(publicUrl).hostname);

/** Sets the session cookie: HttpOnly, SameSite=Lax (an identity provider's redirect back must carry it), Secure unless the hub is on localhost. */
export function setSessionCookie(c: Context, id: string, publicUrl: string): void {
  setCookie(c, sessionCookie, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: !isLocal(publicUrl),
    path: '/',
    maxAge: sessionMaxHours * 3600,
  });
}

export function clearSessionCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, sessionCookie, { path: '/', secure: !isLocal(publicUrl) });
}

/** The session the request's cookie names, if it is live. */
export async function sessionFrom(c: Context, db: Sql, now: Date): Promise<StaffSession | undefined> {
  const id = getCookie(c, sessionCookie);
  return id ? readSession(db, id, now) : undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requires a signed-in lead or admin (401 otherwise) and, on any change, the
 * session's CSRF token in the X-CSRF-Token header (403 when missing or wrong).
 */
export function requireStaff(db: Sql, now: () => Date, publicUrl: string): MiddlewareHandler {
  return async (c, next) => {
    const session = await sessionFrom(c, db, now());
    if (!session) {
      if (getCookie(c, sessionCookie)) clearSessionCookie(c, publicUrl);
      throw new HubError(401, 'you are not signed in, or your session has ended: sign in again', 'cookie');
    }
    if (!safeMethods.has(c.req.method)) {
      const given = c.req.header(csrfHeader);
      if (!given || !sameSecret(given, session.csrfToken)) {
        throw new HubError(403, 'this change was not sent by a page of this site: reload the page and try again', csrfHeader);
      }
    }
    c.set('session', session);
    await next();
  };
}

/** Refuses anyone but an admin with 403. */
export const requireAdmin: MiddlewareHandler = async (c, next) => {
  if (c.get('session').staff.kind !== 'admin') throw new HubError(403, 'only the council’s admins can do this');
  await next();
};

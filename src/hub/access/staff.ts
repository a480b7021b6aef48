/**
 * Staff sign-in under /api/staff/: accepting a one-time invite (the first admin's
 * from `npm run hub -- admin-link`, a lead's from an admin) by creating a passkey,
 * signing in with a passkey, adding another passkey, and signing out.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit } from './audit.ts';
import { finishRegistration, finishSignIn, savePasskey, startRegistration, startSignIn, takeChallenge } from './passkeys.ts';
import { enforceRateLimit, type RateLimit } from './rate-limit.ts';
import { readBody } from './request.ts';
import { clearSessionCookie, endSession, readSession, replaceSession, requireStaff, sessionCookie, type StaffKind } from './sessions.ts';
import { clientAddress } from './client-address.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * Sign-in requests per address (each sign-in takes two): enough for a team of leads
 * behind one council network address, far too few to try stolen passkeys at scale.
 */
export const signInLimit: RateLimit = { limit: 60, windowSeconds: 600 };
/** Invite pages opened per address. */
export const inviteLimit: RateLimit = { limit: 10, windowSeconds: 600 };

/** How long an invite link lasts: a setup link is used at once; a lead may not read their email for days. */
export const inviteDays: Record<StaffKind, number> = { admin: 1, lead: 7 };

export interface InviteRequest {
  kind: StaffKind;
  name: string;
  organisationIds?: readonly string[];
  createdBy?: string | null;
  /** Set to reset this person's passkeys rather than create a new person. */
  personId?: string;
}

/** Creates a one-time invite and returns its link; only the token's hash is kept. */
export async function createInvite(db: Sql, publicUrl: string, invite: InviteRequest, now: Date): Promise<{ url: string; expires: string }> {
  const token = newToken();
  const expires = new Date(now.getTime() + inviteDays[invite.kind] * 86_400_000);
  await db.query(
    'insert into staff_invite (token_sha256, kind, name, organisation_ids, created_by, created, expires, person_id) values ($1, $2, $3, $4, $5, $6, $7, $8)',
    [hashToken(token), invite.kind, invite.name, [...(invite.organisationIds ?? [])], invite.createdBy ?? null, now, expires, invite.personId ?? null],
  );
  return { url: `${publicUrl}/staff/join/#${token}`, expires: expires.toISOString() };
}

interface InviteRow {
  kind: StaffKind;
  name: string;
  organisation_ids: string[];
  person_id: string | null;
}

const deadInvite = () =>
  new HubError(404, 'this invitation link does not work: it has been used or is out of date. Ask your council’s admin for a new one.', 'token');

async function liveInvite(db: Sql, token: string, now: Date): Promise<InviteRow> {
  const rows = await db.query<InviteRow>(
    'select kind, name, organisation_ids, person_id from staff_invite where token_sha256 = $1 and used is null and expires > $2',
    [hashToken(token), now],
  );
  if (!rows[0]) throw deadInvite();
  return rows[0];
}

const tokenBody = z.object({ token: z.string({ error: 'token must be text' }).min(1, 'token is missing').max(200, 'token is too long') });
const answerBody = z.object({ challengeId: z.string({ error: 'challengeId must be text' }).max(200), response: z.record(z.string(), z.unknown()) });
const passkeyName = z.string().trim().max(100, 'the passkey name must be 100 characters or fewer').optional();

/** The names of organisations, for what an invite or a session shows. */
async function organisationNames(db: Sql, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ name: string }>('select name from organisation where id = any($1::uuid[]) order by name', [[...ids]]);
  return rows.map((row) => row.name);
}

export function staffRoutes(deps: HubDeps): Hono {
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const routes = new Hono();
  const staffOnly = requireStaff(db, now, config.publicUrl);

  routes.post('/join/options', async (c) => {
    await enforceRateLimit(db, `staff-invite:${clientAddress(c, config.trustProxy)}`, inviteLimit, now());
    const { token } = await readBody(c, tokenBody);
    const invite = await liveInvite(db, token, now());
    let name = invite.name;
    if (invite.person_id) {
      const people = await db.query<{ name: string }>('select name from person where id = $1', [invite.person_id]);
      name = people[0]?.name ?? name;
    }
    const personId = invite.person_id ?? randomUUID();
    const start = await startRegistration(db, config.publicUrl, { id: personId, name, existing: [] }, { invite: hashToken(token) }, now());
    return c.json({ ...start, kind: invite.kind, name, organisations: await organisationNames(db, invite.organisation_ids), reset: invite.person_id !== null });
  });

  routes.post('/join/verify', async (c) => {
    await enforceRateLimit(db, `staff-invite:${clientAddress(c, config.trustProxy)}`, inviteLimit, now());
    const body = await readBody(c, tokenBody.extend(answerBody.shape).extend({ passkeyName }));
    const challenge = await takeChallenge(db, body.challengeId, 'register', now());
    if (challenge.detail.invite !== hashToken(body.token))
      throw new HubError(400, 'this passkey request belongs to another invitation: start again', 'challengeId');
    const passkey = await finishRegistration(config.publicUrl, challenge.challenge, body.response);
    const at = now();
    const result = await db.transaction(async (tx) => {
      const used = await tx.query<InviteRow>(
        'update staff_invite set used = $2 where token_sha256 = $1 and used is null and expires > $2 returning kind, name, organisation_ids, person_id',
        [hashToken(body.token), at],
      );
      const invite = used[0];
      if (!invite) throw deadInvite();
      const personId = invite.person_id ?? String(challenge.detail.personId);
      if (invite.person_id) {
        // A reset: the old passkeys and any open sessions stop working.
        await tx.query('delete from passkey where person_id = $1', [personId]);
        await tx.query('delete from staff_session where person_id = $1', [personId]);
      } else {
        await tx.query('insert into person (id, kind, name, created) values ($1, $2, $3, $4)', [personId, invite.kind, invite.name, at]);
        await tx.query('insert into lead_organisation (person_id, organisation_id) select $1, id from organisation where id = any($2::uuid[])', [
          personId,
          invite.organisation_ids,
        ]);
      }
      const people = await tx.query<{ name: string; kind: StaffKind }>('select name, kind from person where id = $1', [personId]);
      const person = people[0];
      if (!person) throw deadInvite();
      await savePasskey(tx, personId, passkey, body.passkeyName ?? '');
      const actor = { id: personId, name: person.name };
      const action = invite.person_id ? 'passkey-reset' : invite.kind === 'admin' ? 'admin-created' : 'lead-created';
      await audit(tx, { action, actor, subject: person.name });
      await audit(tx, { action: 'sign-in', actor, detail: { method: 'passkey' } });
      return { personId, ...person };
    });
    const csrfToken = await replaceSession(c, db, config.publicUrl, result.personId, at);
    return c.json({ kind: result.kind, name: result.name, csrfToken });
  });

  routes.post('/sign-in/options', async (c) => {
    await enforceRateLimit(db, `staff-sign-in:${clientAddress(c, config.trustProxy)}`, signInLimit, now());
    return c.json(await startSignIn(db, config.publicUrl, now()));
  });

  routes.post('/sign-in/verify', async (c) => {
    await enforceRateLimit(db, `staff-sign-in:${clientAddress(c, config.trustProxy)}`, signInLimit, now());
    const body = await readBody(c, answerBody);
    const challenge = await takeChallenge(db, body.challengeId, 'sign-in', now());
    const personId = await finishSignIn(db, config.publicUrl, challenge.challenge, body.response, now());
    if (!personId) {
      await audit(db, { action: 'sign-in-failed', detail: { method: 'passkey' } });
      throw new HubError(
        401,
        'that passkey is not one this hub knows, or it could not be checked: try again, or ask your admin to reset your passkey',
        'response',
      );
    }
    const people = await db.query<{ name: string; kind: StaffKind }>('select name, kind from person where id = $1', [personId]);
    const person = people[0]!;
    await audit(db, { action: 'sign-in', actor: { id: personId, name: person.name }, detail: { method: 'passkey' } });
    const csrfToken = await replaceSession(c, db, config.publicUrl, personId, now());
    return c.json({ kind: person.kind, name: person.name, csrfToken });
  });

  routes.get('/me', async (c) => {
    c.header('Cache-Control', 'no-store');
    const id = getCookie(c, sessionCookie);
    const session = id ? await readSession(db, id, now()) : undefined;
    if (!session) throw new HubError(401, 'you are not signed in', 'cookie');
    const { staff } = session;
    const organisations = await db.query<{ id: string; name: string; district: string }>(
      `select id, name, district from organisation
       where id in (select organisation_id from lead_organisation where person_id = $1) or $2
       order by name, id`,
      [staff.id, staff.kind === 'admin'],
    );
    const passkeys = await db.query<{ id: string; name: string; created: Date; last_used: Date | null }>(
      'select id, name, created, last_used from passkey where person_id = $1 order by created',
      [staff.id],
    );
    const identities = await db.query('select 1 from oidc_identity where person_id = $1', [staff.id]);
    return c.json({
      ...staff,
      csrfToken: session.csrfToken,
      oidcLinked: identities.length > 0,
      organisations,
      passkeys: passkeys.map((key) => ({
        name: key.name,
        created: new Date(key.created).toISOString(),
        lastUsed: key.last_used ? new Date(key.last_used).toISOString() : null,
      })),
    });
  });

  routes.post('/sign-out', staffOnly, async (c) => {
    const session = c.get('session');
    await endSession(db, session.idSha256);
    clearSessionCookie(c, config.publicUrl);
    await audit(db, { action: 'sign-out', actor: session.staff });
    return c.json({ signedOut: true });
  });

  routes.post('/passkeys/options', staffOnly, async (c) => {
    const { staff } = c.get('session');
    const existing = await db.query<{ id: string }>('select id from passkey where person_id = $1', [staff.id]);
    return c.json(await startRegistration(db, config.publicUrl, { id: staff.id, name: staff.name, existing: existing.map((row) => row.id) }, {}, now()));
  });

  routes.post('/passkeys/verify', staffOnly, async (c) => {
    const { staff } = c.get('session');
    const body = await readBody(c, answerBody.extend({ passkeyName }));
    const challenge = await takeChallenge(db, body.challengeId, 'register', now());
    if (challenge.detail.personId !== staff.id) throw new HubError(400, 'this passkey request belongs to someone else: start again', 'challengeId');
    const passkey = await finishRegistration(config.publicUrl, challenge.challenge, body.response);
    await savePasskey(db, staff.id, passkey, body.passkeyName ?? '');
    await audit(db, { action: 'passkey-added', actor: staff, subject: body.passkeyName ?? '' });
    return c.json({ added: true });
  });

  return routes;
}

/**
 * Sign-in for leads and admins with the council's OpenID Connect provider, when
 * OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set: the authorization
 * code flow with PKCE, state and nonce (openid-client).
 *
 * The state, the PKCE verifier and the nonce wait in `auth_challenge` for ten
 * minutes, keyed by the state's hash and deleted as they are read, so a callback
 * answers once. The browser that started the flow also holds a short random
 * cookie whose hash the row keeps: a callback address sent to someone else's
 * browser (to sign them in as the sender) finds no matching cookie and is refused.
 * The cookie is SameSite=Lax so the provider's redirect back carries it.
 *
 * The hub never creates a lead or admin from an identity: a subject signs in only
 * once it is linked to one, by that person while signed in with a passkey, or by
 * an admin who records it. Anything else is refused, said plainly and audited.
 */
import * as client from 'openid-client';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import type { OidcConfig } from '../config.ts';
import { isLoopback } from '../config.ts';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit } from './audit.ts';
import { clientAddress } from './client-address.ts';
import { enforceRateLimit } from './rate-limit.ts';
import { idParam, readBody } from './request.ts';
import { isLocal, readSession, replaceSession, requireAdmin, requireStaff, sessionCookie } from './sessions.ts';
import { signInLimit } from './staff.ts';
import { storeChallenge, takeStoredChallenge } from './challenges.ts';
import { hashToken, newToken } from './tokens.ts';

/** The cookie that ties a callback to the browser that started it; distinct from the provider's own cookies. */
export const oidcBrowserCookie = 'fh_oidc_browser';
/** How long a started sign-in waits for the provider to send the person back. */
export const oidcMinutes = 10;
/** Seconds the hub waits for the provider before saying it cannot be reached. */
const providerTimeoutSeconds = 10;

/** Why a sign-in with the provider did not finish: the sign-in page says each in words (`?problem=oidc-…`). */
export type OidcProblem = 'off' | 'unreachable' | 'state' | 'refused' | 'failed' | 'unknown' | 'taken' | 'signed-out';

type Purpose = 'oidc-sign-in' | 'oidc-link';

/** The redirect URI to register with the identity provider. */
export const oidcCallbackUrl = (publicUrl: string): string => `${publicUrl}/api/staff/oidc/callback`;

/**
 * The provider's configuration, discovered on first use and kept; a failed
 * discovery is forgotten so the next sign-in tries again.
 */
function providerFor(oidc: OidcConfig): () => Promise<client.Configuration> {
  let discovered: Promise<client.Configuration> | undefined;
  return () => {
    const issuer = new URL(oidc.issuer);
    discovered ??= client
      .discovery(issuer, oidc.clientId, oidc.clientSecret, client.ClientSecretPost(oidc.clientSecret), {
        timeout: providerTimeoutSeconds,
        // Plain http only for a provider on this machine; the settings refuse it anywhere else.
        execute: [client.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' && isLoopback(issuer.hostname) ? [client.allowInsecureRequests] : [])],
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
}

/** Whether an error means the provider could not be reached (network, timeout), not that it said no. */
function unreachable(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof client.ResponseBodyError || cause instanceof client.AuthorizationResponseError) return false;
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError' || (cause instanceof TypeError && /fetch failed/i.test(cause.message))) return true;
    if ('code' in cause && typeof cause.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)$/.test(cause.code))
      return true;
  }
  return false;
}

/** Where to send the browser when the flow stops short. */
function problemPage(purpose: Purpose | undefined, problem: OidcProblem): string {
  return purpose === 'oidc-link' ? `/lead/staff/?problem=oidc-${problem}` : `/staff/sign-in/?problem=oidc-${problem}`;
}

/** Where to go after signing in: a path on this site, as the sign-in page's `next`, else the person's home page. */
function nextPath(next: unknown, kind: string): string {
  if (typeof next === 'string' && /^\/(?![/\\])/.test(next)) return next;
  return kind === 'admin' ? '/admin/' : '/lead/staff/';
}

const saveState = (db: Sql, purpose: Purpose, personId: string | null, verifier: string, detail: Record<string, unknown>, now: Date) =>
  storeChallenge(db, { purpose, challenge: verifier, personId, detail }, oidcMinutes, now);

interface TakenState {
  purpose: Purpose;
  verifier: string;
  personId: string | null;
  nonce: string;
  next: unknown;
}

/** Reads and deletes the started sign-in the state names, if it is live and this browser started it. */
async function takeState(db: Sql, state: string | undefined, browser: string | undefined, now: Date): Promise<TakenState | undefined> {
  if (!state) return undefined;
  const taken = await takeStoredChallenge(db, state, ['oidc-sign-in', 'oidc-link'], now);
  if (!taken || !browser || taken.detail.browser !== hashToken(browser)) return undefined;
  return { purpose: taken.purpose as Purpose, verifier: taken.challenge, personId: taken.personId, nonce: String(taken.detail.nonce), next: taken.detail.next };
}

/** 502: the hub is working, the provider behind it is not. */
const providerDown = (c: Context) => c.json({ error: 'the council’s sign-in service cannot be reached just now: try again later' }, 502);

const identityBody = z.object({
  subject: z.string({ error: 'subject must be text' }).trim().min(1, 'subject must not be empty').max(255, 'subject must be 255 characters or fewer'),
});

export function oidcRoutes(deps: HubDeps): Hono {
  const { db, config } = deps;
  const now = () => deps.now?.() ?? new Date();
  const routes = new Hono();
  const oidc = config.oidc;
  const provider = oidc ? providerFor(oidc) : undefined;
  const staffOnly = requireStaff(db, now, config.publicUrl);

  routes.get('/', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ enabled: oidc !== undefined });
  });

  /** Sends the browser to the provider, remembering what the callback must find. */
  const begin = async (c: Context, purpose: Purpose, personId: string | null, next: string | undefined): Promise<string> => {
    if (!provider) throw new HubError(404, 'this hub is not set up to sign in with an identity provider');
    const configuration = await provider();
    const browser = newToken();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const state = await saveState(db, purpose, personId, verifier, { nonce, next: next ?? null, browser: hashToken(browser) }, now());
    setCookie(c, oidcBrowserCookie, browser, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: !isLocal(config.publicUrl),
      path: '/api/staff/oidc/',
      maxAge: oidcMinutes * 60,
    });
    return client
      .buildAuthorizationUrl(configuration, {
        redirect_uri: oidcCallbackUrl(config.publicUrl),
        scope: 'openid',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })
      .toString();
  };

  routes.get('/start', async (c) => {
    if (!provider) return c.redirect(problemPage('oidc-sign-in', 'off'));
    await enforceRateLimit(db, `staff-sign-in:${clientAddress(c, config.trustProxy)}`, signInLimit, now());
    try {
      return c.redirect(await begin(c, 'oidc-sign-in', null, c.req.query('next')));
    } catch (error) {
      if (!unreachable(error)) throw error;
      return c.redirect(problemPage('oidc-sign-in', 'unreachable'));
    }
  });

  /** A signed-in lead or admin links their account at the provider: the page sends them to the address this returns. */
  routes.post('/link', staffOnly, async (c) => {
    const { staff } = c.get('session');
    try {
      return c.json({ url: await begin(c, 'oidc-link', staff.id, undefined) });
    } catch (error) {
      if (!unreachable(error)) throw error;
      return providerDown(c);
    }
  });

  routes.get('/callback', async (c) => {
    c.header('Cache-Control', 'no-store');
    const browser = getCookie(c, oidcBrowserCookie);
    deleteCookie(c, oidcBrowserCookie, { path: '/api/staff/oidc/', secure: !isLocal(config.publicUrl) });
    if (!provider || !oidc) return c.redirect(problemPage('oidc-sign-in', 'off'));
    await enforceRateLimit(db, `staff-sign-in:${clientAddress(c, config.trustProxy)}`, signInLimit, now());
    const started = await takeState(db, c.req.query('state'), browser, now());
    if (!started) {
      await audit(db, { action: 'sign-in-failed', detail: { method: 'oidc', reason: 'unknown or used state' } });
      return c.redirect(problemPage(undefined, 'state'));
    }
    const fail = async (problem: OidcProblem, reason: string) => {
      await audit(db, { action: 'sign-in-failed', detail: { method: 'oidc', reason } });
      return c.redirect(problemPage(started.purpose, problem));
    };
    if (c.req.query('error')) return fail('refused', `the identity provider answered ${c.req.query('error')}`);

    let claims: client.IDToken;
    try {
      const search = new URL(c.req.url).search;
      const tokens = await client.authorizationCodeGrant(await provider(), new URL(`${oidcCallbackUrl(config.publicUrl)}${search}`), {
        pkceCodeVerifier: started.verifier,
        expectedState: c.req.query('state')!,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
    } catch (error) {
      if (unreachable(error)) return fail('unreachable', 'the identity provider could not be reached');
      const code = error instanceof client.ResponseBodyError ? error.error : error instanceof client.ClientError ? (error.code ?? error.message) : 'error';
      return fail('failed', `the identity provider's answer was refused (${code})`);
    }
    const issuer = claims.iss;
    const subject = claims.sub;

    if (started.purpose === 'oidc-link') {
      const session = await readSessionOf(c);
      if (!session || session.staff.id !== started.personId) return fail('signed-out', 'linking finished without the session that started it');
      const linked = await db.transaction(async (tx) => {
        const taken = await tx.query<{ person_id: string }>('select person_id from oidc_identity where issuer = $1 and subject = $2', [issuer, subject]);
        if (taken[0] && taken[0].person_id !== session.staff.id) return false;
        await tx.query('delete from oidc_identity where issuer = $1 and person_id = $2', [issuer, session.staff.id]);
        await tx.query('insert into oidc_identity (issuer, subject, person_id) values ($1, $2, $3)', [issuer, subject, session.staff.id]);
        await audit(tx, { action: 'oidc-linked', actor: session.staff, subject: session.staff.name, detail: { issuer, subject } });
        return true;
      });
      if (!linked) return fail('taken', 'that identity is already linked to someone else');
      return c.redirect('/lead/staff/?linked=oidc');
    }

    const people = await db.query<{ id: string; name: string; kind: string }>(
      `select p.id, p.name, p.kind from oidc_identity i join person p on p.id = i.person_id
       where i.issuer = $1 and i.subject = $2 and p.kind in ('admin', 'lead')`,
      [issuer, subject],
    );
    const person = people[0];
    if (!person) {
      // The subject goes in the log so an admin who knows the person can link it.
      await audit(db, { action: 'sign-in-failed', subject, detail: { method: 'oidc', reason: 'identity not linked to a lead or admin', issuer } });
      return c.redirect(problemPage('oidc-sign-in', 'unknown'));
    }
    await audit(db, { action: 'sign-in', actor: { id: person.id, name: person.name }, detail: { method: 'oidc' } });
    await replaceSession(c, db, config.publicUrl, person.id, now());
    return c.redirect(nextPath(started.next, person.kind));
  });

  const readSessionOf = async (c: Context) => {
    const id = getCookie(c, sessionCookie);
    return id ? readSession(db, id, now()) : undefined;
  };

  /** An admin records the subject a lead or admin has at the provider (from its admin console), so they can sign in with it. */
  routes.put('/identities/:id', staffOnly, requireAdmin, async (c) => {
    if (!oidc) throw new HubError(404, 'this hub is not set up to sign in with an identity provider');
    const { staff } = c.get('session');
    const personId = idParam(c);
    const { subject } = await readBody(c, identityBody);
    // The issuer as the provider names itself, as its ID tokens will.
    let issuer: string;
    try {
      issuer = (await provider!()).serverMetadata().issuer;
    } catch (error) {
      if (!unreachable(error)) throw error;
      return providerDown(c);
    }
    await db.transaction(async (tx) => {
      const people = await tx.query<{ name: string }>("select name from person where id = $1 and kind in ('admin', 'lead')", [personId]);
      if (!people[0]) throw new HubError(404, 'there is no lead or admin with that id');
      const taken = await tx.query<{ person_id: string }>('select person_id from oidc_identity where issuer = $1 and subject = $2', [issuer, subject]);
      if (taken[0] && taken[0].person_id !== personId) throw new HubError(409, 'that account is already linked to someone else', 'subject');
      await tx.query('delete from oidc_identity where issuer = $1 and person_id = $2', [issuer, personId]);
      await tx.query('insert into oidc_identity (issuer, subject, person_id) values ($1, $2, $3)', [issuer, subject, personId]);
      await audit(tx, { action: 'oidc-linked', actor: staff, subject: people[0].name, detail: { issuer, subject } });
    });
    return c.json({ linked: true });
  });

  return routes;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcBrowserCookie, oidcCallbackUrl } from '../../src/hub/access/oidc.ts';
import { hashToken } from '../../src/hub/access/tokens.ts';
import { drivers } from './support/hub.ts';
import { deadAddress, startIdentityProvider, type IdentityProvider } from './support/identity-provider.ts';
import { firstAdmin, newLead, newOrganisation, sessionCookieFrom, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';

const publicUrl = 'https://learning.example.org';

/** The browser cookie a response set, as a Cookie header value. */
function browserCookieFrom(response: Response): string {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${oidcBrowserCookie}=`));
  if (!line) throw new Error(`no ${oidcBrowserCookie} cookie was set`);
  return line.split(';')[0]!;
}

interface Started {
  /** Where the hub sent the browser: the provider's authorization address. */
  authorizationUrl: string;
  browserCookie: string;
}

/** Opens the hub's sign-in with the provider in a browser; returns where it was sent. */
async function startSignIn(hub: StaffHub, next = ''): Promise<Started> {
  const response = await hub.request(`/api/staff/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  expect(response.status).toBe(302);
  return { authorizationUrl: response.headers.get('Location')!, browserCookie: browserCookieFrom(response) };
}

/** Brings the browser back from the provider to the hub's callback, with the cookies given. */
const callback = (hub: StaffHub, url: URL, cookies: string[]) =>
  hub.request(`${url.pathname}${url.search}`, { headers: cookies.length > 0 ? { Cookie: cookies.join('; ') } : {} });

/** A whole sign-in as `subject`: start, the provider, back to the hub. */
async function signInAs(hub: StaffHub, idp: IdentityProvider, subject: string, next = ''): Promise<Response> {
  const started = await startSignIn(hub, next);
  idp.subject = subject;
  return callback(hub, await idp.authorize(started.authorizationUrl), [started.browserCookie]);
}

/** A signed-in lead links their account at the provider; returns where the hub sent them back. */
async function link(hub: StaffHub, idp: IdentityProvider, lead: StaffBrowser, subject: string): Promise<Response> {
  const started = await lead.request('/api/staff/oidc/link', { json: {} });
  expect(started.status).toBe(200);
  const { url } = (await started.json()) as { url: string };
  idp.subject = subject;
  return callback(hub, await idp.authorize(url), [browserCookieFrom(started), lead.cookie]);
}

const failures = async (hub: StaffHub) =>
  (await hub.db.query<{ subject: string; detail: unknown }>("select subject, detail from audit_log where action = 'sign-in-failed' order by seq")).map(
    (row) => ({
      subject: row.subject,
      ...((typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>),
    }),
  );

describe.each(drivers)('staff sign-in with the council’s identity provider on %s', (driver) => {
  let idp: IdentityProvider;
  let hub: StaffHub;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  beforeAll(async () => {
    idp = await startIdentityProvider(oidcCallbackUrl(publicUrl));
    hub = await staffHub(driver, { publicUrl, oidc: idp.config });
    admin = await firstAdmin(hub, 'Ngozi Okafor');
    lead = await newLead(hub, admin, 'Priya Shah', [await newOrganisation(admin, 'Riverside Library')]);
  });
  afterAll(async () => {
    await hub?.close();
    await idp?.close();
  });

  it('says it is set up, and sends the browser to the provider with PKCE, state and nonce', async () => {
    expect(await (await hub.request('/api/staff/oidc')).json()).toEqual({ enabled: true });
    const started = await hub.request('/api/staff/oidc/start');
    const url = new URL(started.headers.get('Location')!);
    expect(url.origin).toBe(idp.config.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.config.clientId,
      redirect_uri: 'https://learning.example.org/api/staff/oidc/callback',
      response_type: 'code',
      scope: 'openid',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = started.headers.getSetCookie().find((line) => line.startsWith(`${oidcBrowserCookie}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    // The state is kept only as its hash.
    expect(JSON.stringify(await hub.db.query('select * from auth_challenge'))).not.toContain(url.searchParams.get('state'));
  });

  it('lets a signed-in lead link their account, then sign in with it into a fresh session', async () => {
    const linked = await link(hub, idp, lead, 'priya.shah@council.example');
    expect(linked.status).toBe(302);
    expect(linked.headers.get('Location')).toBe('/lead/staff/?linked=oidc');
    expect(await hub.db.query('select subject from oidc_identity where person_id = $1', [lead.id])).toEqual([{ subject: 'priya.shah@council.example' }]);

    const signedIn = await signInAs(hub, idp, 'priya.shah@council.example', '/lead/live/');
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('Location')).toBe('/lead/live/');
    const session = sessionCookieFrom(signedIn)!;
    expect(session).not.toBe(lead.cookie);
    expect(await (await hub.request('/api/staff/me', { headers: { Cookie: session } })).json()).toMatchObject({
      id: lead.id,
      kind: 'lead',
      name: 'Priya Shah',
    });
    const entries = await hub.db.query<{ actor_name: string; action: string }>(
      "select actor_name, action from audit_log where action in ('oidc-linked', 'sign-in') order by seq desc limit 2",
    );
    expect(entries).toEqual([
      { actor_name: 'Priya Shah', action: 'sign-in' },
      { actor_name: 'Priya Shah', action: 'oidc-linked' },
    ]);
  });

  it('replaces the session the browser held at sign-in', async () => {
    const started = await startSignIn(hub);
    idp.subject = 'priya.shah@council.example';
    const back = await callback(hub, await idp.authorize(started.authorizationUrl), [started.browserCookie, lead.cookie]);
    expect(sessionCookieFrom(back)).toBeDefined();
    expect((await lead.request('/api/staff/me')).status).toBe(401);
    lead = { ...lead, cookie: sessionCookieFrom(back)! };
  });

  it('refuses a subject linked to nobody, creating no one, and audits it', async () => {
    const before = await hub.db.query('select id from person');
    const refused = await signInAs(hub, idp, 'stranger@elsewhere.example');
    expect(refused.status).toBe(302);
    expect(refused.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-unknown');
    expect(sessionCookieFrom(refused)).toBeUndefined();
    expect(await hub.db.query('select id from person')).toEqual(before);
    expect((await failures(hub)).at(-1)).toMatchObject({
      subject: 'stranger@elsewhere.example',
      method: 'oidc',
      reason: 'identity not linked to a lead or admin',
    });
  });

  it('refuses a wrong state, a used state, and a callback in a browser that did not start the sign-in', async () => {
    const started = await startSignIn(hub);
    idp.subject = 'priya.shah@council.example';
    const back = await idp.authorize(started.authorizationUrl);
    const wrong = new URL(back);
    wrong.searchParams.set('state', 'not-the-state-the-hub-sent');
    const refused = await callback(hub, wrong, [started.browserCookie]);
    expect(refused.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-state');
    expect(sessionCookieFrom(refused)).toBeUndefined();

    const elsewhere = await startSignIn(hub);
    const sent = await idp.authorize(elsewhere.authorizationUrl);
    const otherBrowser = await callback(hub, sent, []);
    expect(otherBrowser.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-state');
    expect(sessionCookieFrom(otherBrowser)).toBeUndefined();
    // Refused once, the state is gone: not even the right browser can use it now.
    expect((await callback(hub, sent, [elsewhere.browserCookie])).headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-state');
    expect((await failures(hub)).at(-1)).toMatchObject({ method: 'oidc', reason: 'unknown or used state' });
  });

  it('refuses a replayed code: the same callback again, or the code under a new state', async () => {
    const started = await startSignIn(hub);
    idp.subject = 'priya.shah@council.example';
    const back = await idp.authorize(started.authorizationUrl);
    expect(sessionCookieFrom(await callback(hub, back, [started.browserCookie]))).toBeDefined();
    const again = await callback(hub, back, [started.browserCookie]);
    expect(again.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-state');
    expect(sessionCookieFrom(again)).toBeUndefined();

    const fresh = await startSignIn(hub);
    const replay = new URL(back);
    replay.searchParams.set('state', new URL(fresh.authorizationUrl).searchParams.get('state')!);
    const refused = await callback(hub, replay, [fresh.browserCookie]);
    expect(refused.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-failed');
    expect(sessionCookieFrom(refused)).toBeUndefined();
    expect((await failures(hub)).at(-1)).toMatchObject({ method: 'oidc', reason: "the identity provider's answer was refused (invalid_grant)" });
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const started = await startSignIn(hub);
    const state = new URL(started.authorizationUrl).searchParams.get('state')!;
    // As if the token had been made for another sign-in: the nonce the hub expects is not the one the provider saw.
    const [row] = await hub.db.query<{ detail: unknown }>('select detail from auth_challenge where id_sha256 = $1', [hashToken(state)]);
    const detail = (typeof row!.detail === 'string' ? JSON.parse(row!.detail) : row!.detail) as Record<string, unknown>;
    await hub.db.query('update auth_challenge set detail = $2 where id_sha256 = $1', [hashToken(state), JSON.stringify({ ...detail, nonce: 'another-nonce' })]);
    idp.subject = 'priya.shah@council.example';
    const refused = await callback(hub, await idp.authorize(started.authorizationUrl), [started.browserCookie]);
    expect(refused.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-failed');
    expect(sessionCookieFrom(refused)).toBeUndefined();
    expect(JSON.stringify((await failures(hub)).at(-1))).toMatch(/nonce|claim/i);
  });

  it('does not link an account already linked to someone else', async () => {
    const other = await newLead(hub, admin, 'Tom Reed', [await newOrganisation(admin, 'Hillside School')]);
    const refused = await link(hub, idp, other, 'priya.shah@council.example');
    expect(refused.headers.get('Location')).toBe('/lead/staff/?problem=oidc-taken');
    expect(await hub.db.query('select 1 from oidc_identity where person_id = $1', [other.id])).toEqual([]);
  });

  it('does not link when the browser comes back without the session that started the link', async () => {
    const other = await newLead(hub, admin, 'Sam Green', [await newOrganisation(admin, 'Parkside Jobcentre')]);
    const started = await other.request('/api/staff/oidc/link', { json: {} });
    idp.subject = 'sam.green@council.example';
    const back = await idp.authorize(((await started.json()) as { url: string }).url);
    const refused = await callback(hub, back, [browserCookieFrom(started)]);
    expect(refused.headers.get('Location')).toBe('/lead/staff/?problem=oidc-signed-out');
    expect(await hub.db.query('select 1 from oidc_identity where person_id = $1', [other.id])).toEqual([]);
  });

  it('needs a session and its CSRF token to start linking', async () => {
    expect((await hub.request('/api/staff/oidc/link', { json: {} })).status).toBe(401);
    expect((await hub.request('/api/staff/oidc/link', { json: {}, headers: { Cookie: lead.cookie } })).status).toBe(403);
  });

  it('lets an admin record a lead’s subject, and only an admin', async () => {
    const other = await newLead(hub, admin, 'Ola Bello', [await newOrganisation(admin, 'Northgate Children’s Centre')]);
    expect((await other.request(`/api/staff/oidc/identities/${other.id}`, { method: 'PUT', json: { subject: 'ola' } })).status).toBe(403);
    expect((await admin.request(`/api/staff/oidc/identities/${other.id}`, { method: 'PUT', json: { subject: '' } })).status).toBe(400);
    const taken = await admin.request(`/api/staff/oidc/identities/${other.id}`, { method: 'PUT', json: { subject: 'priya.shah@council.example' } });
    expect(taken.status).toBe(409);
    expect((await admin.request(`/api/staff/oidc/identities/${other.id}`, { method: 'PUT', json: { subject: 'ola.bello@council.example' } })).status).toBe(200);
    const signedIn = await signInAs(hub, idp, 'ola.bello@council.example');
    expect(signedIn.headers.get('Location')).toBe('/lead/staff/');
    expect(await (await hub.request('/api/staff/me', { headers: { Cookie: sessionCookieFrom(signedIn)! } })).json()).toMatchObject({ id: other.id });
  });

  it('sends the browser home after sign-in, never to another site', async () => {
    const signedIn = await signInAs(hub, idp, 'priya.shah@council.example', '//evil.example/');
    expect(signedIn.headers.get('Location')).toBe('/lead/staff/');
  });
});

describe('sign-in with an identity provider that is down or not set up', () => {
  it('says the provider cannot be reached, and works once it is back', async () => {
    const hub = await staffHub('pglite', { publicUrl, oidc: { issuer: await deadAddress(), clientId: 'hub', clientSecret: 'secret' } });
    try {
      const down = await hub.request('/api/staff/oidc/start');
      expect(down.status).toBe(302);
      expect(down.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-unreachable');
      const admin = await firstAdmin(hub);
      const link = await admin.request('/api/staff/oidc/link', { json: {} });
      expect(link.status).toBe(502);
      expect(await link.json()).toEqual({ error: 'the council’s sign-in service cannot be reached just now: try again later' });
    } finally {
      await hub.close();
    }
  });

  it('says the provider cannot be reached when it goes down between sending the person and their return', async () => {
    const idp = await startIdentityProvider(oidcCallbackUrl(publicUrl));
    const hub = await staffHub('pglite', { publicUrl, oidc: idp.config });
    try {
      const started = await startSignIn(hub);
      idp.subject = 'anyone';
      const back = await idp.authorize(started.authorizationUrl);
      await idp.close();
      const refused = await callback(hub, back, [started.browserCookie]);
      expect(refused.headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-unreachable');
    } finally {
      await hub.close();
    }
  });

  it('offers no provider sign-in when the variables are not set', async () => {
    const hub = await staffHub('pglite', { publicUrl });
    try {
      expect(await (await hub.request('/api/staff/oidc')).json()).toEqual({ enabled: false });
      expect((await hub.request('/api/staff/oidc/start')).headers.get('Location')).toBe('/staff/sign-in/?problem=oidc-off');
    } finally {
      await hub.close();
    }
  });
});

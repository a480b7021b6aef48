/**
 * Test helpers for the staff side of the hub: an app with a clock the test moves,
 * staff who join by invite with a software passkey, and requests that carry their
 * session cookie and CSRF token.
 */
import { randomUUID } from 'node:crypto';
import { createApp, type HubDeps } from '../../../src/hub/app.ts';
import { createInvite } from '../../../src/hub/access/staff.ts';
import { loadHubCourse, type HubCourse } from '../../../src/hub/progress/course.ts';
import type { HubConfig } from '../../../src/hub/config.ts';
import type { Database } from '../../../src/hub/db/index.ts';
import { softPasskey, type SoftPasskey } from './authenticator.ts';
import { testConfig, testDatabase, type Driver } from './hub.ts';

export interface Clock {
  now: Date;
  advanceMinutes(minutes: number): void;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
  address?: string;
}

let addresses = 0;
/** A network address no other test browser uses, so rate limits count each test apart. */
export const freshAddress = () => `2001:db8::${(++addresses).toString(16)}`;

export interface StaffHub {
  db: Database;
  app: ReturnType<typeof createApp>;
  config: HubConfig;
  clock: Clock;
  /** A request with no cookie (a stranger's browser), from `address` (default 192.0.2.1) for rate limits. */
  request(path: string, init?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

let course: HubCourse | undefined;

export async function staffHub(driver: Driver, overrides: Partial<HubConfig> = {}, deps: Pick<HubDeps, 'mailer'> = {}): Promise<StaffHub> {
  course ??= loadHubCourse(process.cwd());
  const db = await testDatabase(driver);
  const config = testConfig({ publicUrl: 'https://learning.example.org', ...overrides });
  const clock: Clock = {
    now: new Date('2026-11-30T09:00:00Z'),
    advanceMinutes(minutes) {
      this.now = new Date(this.now.getTime() + minutes * 60_000);
    },
  };
  const app = createApp({ db, config, now: () => clock.now, course, ...deps });
  return {
    db,
    app,
    config,
    clock,
    request: async (path, init = {}) =>
      app.request(
        path,
        {
          method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
          headers: { ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
          ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        },
        // What @hono/node-server passes a handler: the socket, whose address rate limits count by.
        { incoming: { socket: { remoteAddress: init.address ?? '192.0.2.1' } } },
      ),
    close: () => db.close(),
  };
}

/** The session cookie a response set, as a Cookie header value; undefined when it set none. */
export function sessionCookieFrom(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('fh_staff_session='));
  return cookie?.split(';')[0];
}

/** A signed-in lead or admin, as their browser. */
export interface StaffBrowser {
  id: string;
  name: string;
  cookie: string;
  csrfToken: string;
  passkey: SoftPasskey;
  /** A request with the session cookie and (for changes) the CSRF token. */
  request(path: string, init?: RequestOptions): Promise<Response>;
}

export function browserFor(hub: StaffHub, session: { id: string; name: string; cookie: string; csrfToken: string; passkey: SoftPasskey }): StaffBrowser {
  return {
    ...session,
    request: (path, init = {}) => {
      const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
      return hub.request(path, {
        ...init,
        method,
        headers: { Cookie: session.cookie, ...(method === 'GET' ? {} : { 'X-CSRF-Token': session.csrfToken }), ...init.headers },
      });
    },
  };
}

/** Accepts an invite link in a stranger's browser with a new software passkey; throws with the hub's answer when refused. */
export async function acceptInvite(hub: StaffHub, url: string, passkey: SoftPasskey = softPasskey()): Promise<StaffBrowser> {
  const token = new URL(url).hash.slice(1);
  const address = freshAddress();
  const started = await hub.request('/api/staff/join/options', { json: { token }, address });
  if (started.status !== 200) throw new Error(`join/options ${started.status}: ${await started.text()}`);
  const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rp: { id: string } } };
  const finished = await hub.request('/api/staff/join/verify', {
    json: { token, challengeId, response: passkey.register(options, hub.config.publicUrl) },
    address,
  });
  if (finished.status !== 200) throw new Error(`join/verify ${finished.status}: ${await finished.text()}`);
  const { csrfToken, name } = (await finished.json()) as { csrfToken: string; name: string };
  const cookie = sessionCookieFrom(finished)!;
  const me = (await (await hub.request('/api/staff/me', { headers: { Cookie: cookie } })).json()) as { id: string };
  return browserFor(hub, { id: me.id, name, cookie, csrfToken, passkey });
}

/** Signs in with a passkey in a browser that may already hold a cookie; returns the raw answer. */
export async function signInWith(hub: StaffHub, passkey: SoftPasskey, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
  const address = freshAddress();
  const started = await hub.request('/api/staff/sign-in/options', { json: {}, headers, address });
  const { challengeId, options } = (await started.json()) as { challengeId: string; options: { challenge: string; rpId: string } };
  return hub.request('/api/staff/sign-in/verify', { json: { challengeId, response: passkey.signIn(options, hub.config.publicUrl) }, headers, address });
}

/** The first admin, as `npm run hub -- admin-link` makes them. */
export async function firstAdmin(hub: StaffHub, name = 'Ade Admin'): Promise<StaffBrowser> {
  const { url } = await createInvite(hub.db, hub.config.publicUrl, { kind: 'admin', name }, hub.clock.now);
  return acceptInvite(hub, url);
}

/** A new organisation, made by an admin through the API; returns its id. */
export async function newOrganisation(admin: StaffBrowser, name: string, district = ''): Promise<string> {
  const response = await admin.request('/api/admin/organisations', { json: { name, district } });
  if (response.status !== 201) throw new Error(`organisation ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** A lead of the given organisations, invited by the admin and joined. */
export async function newLead(hub: StaffHub, admin: StaffBrowser, name: string, organisationIds: string[]): Promise<StaffBrowser> {
  const response = await admin.request('/api/admin/leads/invite', { json: { name, organisationIds } });
  if (response.status !== 201) throw new Error(`invite ${response.status}: ${await response.text()}`);
  return acceptInvite(hub, ((await response.json()) as { url: string }).url);
}

/** A learner row as enrolment makes one, with one device; returns the ids. */
export async function newLearner(
  db: Database,
  organisationId: string,
  name: string,
  status: 'awaiting' | 'confirmed',
): Promise<{ id: string; deviceId: string }> {
  const id = randomUUID();
  const deviceId = randomUUID();
  await db.query("insert into person (id, kind, name, role_id, organisation_id, status) values ($1, 'learner', $2, 'receptionist', $3, $4)", [
    id,
    name,
    organisationId,
    status,
  ]);
  await db.query('insert into device (id, person_id, token_sha256, label) values ($1, $2, $3, $4)', [deviceId, id, randomUUID(), `${name}'s laptop`]);
  return { id, deviceId };
}

/**
 * Learners on a test hub: an organisation and a lead's enrolment link made in
 * SQL (the lead's pages make them for real), enrolment, and requests with a
 * device credential. The clock is the test's to move.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createApp, type HubDeps } from '../../../src/hub/app.ts';
import { createKey } from '../../../src/hub/auth/index.ts';
import type { Database } from '../../../src/hub/db/index.ts';
import type { LearnerSettings } from '../../../src/hub/access/learners-retention.ts';
import { testConfig, testDatabase, type Driver } from './hub.ts';

export const publicUrl = 'http://hub.test';

export const brookfieldPrivacy: NonNullable<LearnerSettings['privacy']> = {
  lawfulBasis: 'Public task: the council trains the staff who help families.',
  purpose: 'So leads can see who has done the training.',
  retention: { inactiveLearnerMonths: 24, auditLogMonths: 72 },
};

export interface LearnerHub {
  db: Database;
  app: ReturnType<typeof createApp>;
  /** The hub's clock; tests move it. */
  clock: { now: Date };
  /** Basic auth for an API key with every scope. */
  keyAuth: string;
  organisation(name?: string): Promise<string>;
  /** A link for the organisation; returns the token the URL carries. */
  link(organisationId: string, options?: { expires?: Date; maxUses?: number; revoked?: boolean }): Promise<string>;
  /** POSTs JSON to the site API, with a Bearer token when given. */
  api(path: string, options?: { json?: unknown; token?: string; method?: string }): Promise<Response>;
  /** Enrols through a new link of a new organisation (or the given token); returns what the hub answered. */
  enrol(
    fields?: Record<string, unknown>,
  ): Promise<{ token: string; learner: { id: string; name: string }; agent: Record<string, unknown>; device: { id: string } }>;
  /** An xAPI request with a device token (or any Authorization header). */
  xapi(path: string, options: { token?: string; authorization?: string; method?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function learnerHub(
  driver: Driver,
  settings: LearnerSettings = { timeZone: 'Europe/London', privacy: brookfieldPrivacy },
  deps: Pick<HubDeps, 'course' | 'signingKey'> = {},
): Promise<LearnerHub> {
  const db = await testDatabase(driver);
  const clock = { now: new Date('2026-11-30T10:00:00Z') };
  const app = createApp({ db, config: testConfig({ publicUrl }), now: () => clock.now, learners: settings, ...deps });
  const { key, secret } = await createKey(db, 'test all', ['all']);
  const hub: LearnerHub = {
    db,
    app,
    clock,
    keyAuth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    async organisation(name = 'Brookfield Libraries') {
      const id = randomUUID();
      await db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [id, name, 'northgate']);
      return id;
    },
    async link(organisationId, options = {}) {
      const token = randomBytes(32).toString('base64url');
      await db.query('insert into enrolment_link (id, token_sha256, organisation_id, expires, max_uses, revoked) values ($1, $2, $3, $4, $5, $6)', [
        randomUUID(),
        createHash('sha256').update(token).digest('hex'),
        organisationId,
        options.expires ?? new Date(clock.now.getTime() + 7 * 24 * 3600 * 1000),
        options.maxUses ?? 50,
        options.revoked ? clock.now : null,
      ]);
      return token;
    },
    api(path, options = {}) {
      const headers = new Headers();
      if (options.json !== undefined) headers.set('Content-Type', 'application/json');
      if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
      return Promise.resolve(
        app.request(`/api${path}`, {
          method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
          headers,
          ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        }),
      );
    },
    async enrol(fields = {}) {
      const token = typeof fields.token === 'string' ? fields.token : await hub.link(await hub.organisation());
      const response = await hub.api('/enrol', { json: { name: 'Siân Llŷr', roleId: 'library-staff', ...fields, token } });
      if (response.status !== 201) throw new Error(`enrolment refused: ${response.status} ${await response.text()}`);
      return (await response.json()) as Awaited<ReturnType<LearnerHub['enrol']>>;
    },
    xapi(path, options) {
      const headers = new Headers({ 'X-Experience-API-Version': '1.0.3' });
      headers.set('Authorization', options.authorization ?? `Bearer ${options.token ?? ''}`);
      if (options.json !== undefined) headers.set('Content-Type', 'application/json');
      return Promise.resolve(
        app.request(`/xapi${path}`, {
          method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
          headers,
          ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        }),
      );
    },
    close: () => db.close(),
  };
  return hub;
}

/** A statement by `agent` that they opened a module. */
export function opened(agent: Record<string, unknown>, module = 'family-hubs', id: string = randomUUID()): Record<string, unknown> {
  return {
    id,
    actor: agent,
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { en: 'experienced' } },
    object: { id: `https://learning.brookfield.example.org/modules/${module}`, objectType: 'Activity' },
    timestamp: '2026-11-30T09:00:00.000Z',
  };
}

/**
 * What admins see of forwarding and what they may do: the queue and dead letters at
 * /api/admin/forwarding, sending dead letters again (CSRF, audit log), and nobody
 * else getting either. The settings' checks, which stop a hub at start, are here too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardConfigFromEnv } from '../../src/hub/forward/config.ts';
import { recordForwarding } from '../../src/hub/forward/queue.ts';
import { drivers } from './support/hub.ts';
import { firstAdmin, newLead, newOrganisation, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';

const lrs = { endpoint: 'https://lrs.council.example/xapi/', key: 'hub', secret: 's3cret' };

/** Stores a statement row, as the LRS does, and returns its seq. */
async function storedStatement(hub: StaffHub): Promise<{ seq: number; id: string }> {
  const id = randomUUID();
  const [row] = await hub.db.query<{ seq: number }>(
    `insert into statement (id, body, verb_iri, stored) values ($1::uuid, jsonb_build_object('id', $2::text), 'http://adlnet.gov/expapi/verbs/experienced', now()) returning seq`,
    [id, id],
  );
  return { seq: Number(row!.seq), id };
}

describe.each(drivers)('forwarding for admins on %s', (driver) => {
  let hub: StaffHub;
  let admin: StaffBrowser;
  let lead: StaffBrowser;

  beforeAll(async () => {
    hub = await staffHub(driver);
    admin = await firstAdmin(hub, 'Ade Admin');
    lead = await newLead(hub, admin, 'Lead Lola', [await newOrganisation(admin, 'Central Library')]);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it.each([
    ['GET', '/api/admin/forwarding', undefined],
    ['POST', '/api/admin/forwarding/retry', {}],
  ])('refuses %s %s to a lead (403) and a stranger (401)', async (method, path, json) => {
    const init = { method, ...(json === undefined ? {} : { json }) };
    expect((await lead.request(path, init)).status).toBe(403);
    expect((await hub.request(path, init)).status).toBe(401);
  });

  it('shows the queue, its oldest statement, the latest failure and the dead letters with their reasons', async () => {
    await recordForwarding(hub.db, lrs);
    const waiting = [await storedStatement(hub), await storedStatement(hub)];
    await hub.db.query("update forward_queue set enqueued = '2026-11-30T08:00:00Z', last_error = 'The LRS answered 503: down for maintenance' where seq = $1", [
      waiting[0]!.seq,
    ]);
    const dead = await storedStatement(hub);
    await hub.db.query('delete from forward_queue where seq = $1', [dead.seq]);
    await hub.db.query(
      "insert into forward_dead_letter (seq, statement_id, reason, attempts, enqueued, failed) values ($1, $2, 'The LRS answered 400: unknown verb', 3, now(), now())",
      [dead.seq, dead.id],
    );
    const response = await admin.request('/api/admin/forwarding');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      enabled: true,
      endpoint: lrs.endpoint,
      waiting: 2,
      oldestWaiting: '2026-11-30T08:00:00.000Z',
      lastError: 'The LRS answered 503: down for maintenance',
      deadLetterCount: 1,
      deadLetters: [{ statementId: dead.id, reason: 'The LRS answered 400: unknown verb', attempts: 3 }],
    });
    // The key's secret is never shown.
    expect(JSON.stringify(await (await admin.request('/api/admin/forwarding')).json())).not.toContain(lrs.secret);
  });

  it('sends a dead letter again only with the CSRF token, and records who did it in the audit log', async () => {
    const dead = await storedStatement(hub);
    await hub.db.query('delete from forward_queue where seq = $1', [dead.seq]);
    await hub.db.query("insert into forward_dead_letter (seq, statement_id, reason, attempts, enqueued, failed) values ($1, $2, 'refused', 3, now(), now())", [
      dead.seq,
      dead.id,
    ]);
    const withoutToken = await hub.request('/api/admin/forwarding/retry', { json: { statementId: dead.id }, headers: { Cookie: admin.cookie } });
    expect(withoutToken.status).toBe(403);
    expect(await hub.db.query('select 1 from forward_dead_letter where seq = $1', [dead.seq])).toHaveLength(1);

    const retried = await admin.request('/api/admin/forwarding/retry', { json: { statementId: dead.id } });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ queued: 1 });
    expect(await hub.db.query('select 1 from forward_dead_letter where seq = $1', [dead.seq])).toHaveLength(0);
    const [row] = await hub.db.query<{ refusals: number; next_attempt: Date }>('select refusals, next_attempt from forward_queue where seq = $1', [dead.seq]);
    expect(row).toMatchObject({ refusals: 0 });
    expect(new Date(row!.next_attempt).getTime()).toBeLessThanOrEqual(hub.clock.now.getTime());
    const [entry] = (await (await admin.request('/api/admin/audit')).json()).entries as { action: string; actorName: string; subject: string }[];
    expect(entry).toMatchObject({ action: 'forwarding-retried', actorName: 'Ade Admin', subject: dead.id });

    expect((await admin.request('/api/admin/forwarding/retry', { json: { statementId: dead.id } })).status).toBe(404);
    expect(await (await admin.request('/api/admin/forwarding/retry', { json: { statementId: 'drop table' } })).json()).toMatchObject({ where: 'statementId' });
  });

  it('sends every dead letter again at once', async () => {
    for (let i = 0; i < 3; i++) {
      const dead = await storedStatement(hub);
      await hub.db.query('delete from forward_queue where seq = $1', [dead.seq]);
      await hub.db.query(
        "insert into forward_dead_letter (seq, statement_id, reason, attempts, enqueued, failed) values ($1, $2, 'refused', 3, now(), now())",
        [dead.seq, dead.id],
      );
    }
    const before = (await hub.db.query<{ n: number }>('select count(*)::int as n from forward_dead_letter'))[0]!.n;
    const retried = await admin.request('/api/admin/forwarding/retry', { json: {} });
    expect(await retried.json()).toEqual({ queued: before });
    expect(await hub.db.query('select 1 from forward_dead_letter')).toHaveLength(0);
  });
});

describe('the forwarding settings', () => {
  const env = (endpoint: string) => ({ FORWARD_LRS_ENDPOINT: endpoint, FORWARD_LRS_KEY: 'hub', FORWARD_LRS_SECRET: 's3cret' });

  it('are off when none is set', () => {
    expect(forwardConfigFromEnv({})).toBeUndefined();
  });

  it.each([
    ['https://lrs.council.example/xapi', 'https://lrs.council.example/xapi/'],
    ['https://lrs.council.example/xapi/', 'https://lrs.council.example/xapi/'],
    ['http://127.0.0.1:8080/xapi', 'http://127.0.0.1:8080/xapi/'],
    ['http://localhost:8080/', 'http://localhost:8080/'],
  ])('take %s as the xAPI base %s', (given, endpoint) => {
    expect(forwardConfigFromEnv(env(given))).toEqual({ endpoint, key: 'hub', secret: 's3cret' });
  });

  it.each([
    [
      'lrs.council.example',
      `FORWARD_LRS_ENDPOINT: "lrs.council.example" is not a web address; give the LRS's xAPI address, such as https://lrs.example.org/xapi/`,
    ],
    [
      'http://lrs.council.example/xapi/',
      'FORWARD_LRS_ENDPOINT: "http://lrs.council.example/xapi/" must start https:// (the key and secret travel with every request; plain http:// is allowed only to this machine)',
    ],
    ['https://hub:pw@lrs.council.example/xapi/', 'FORWARD_LRS_ENDPOINT: put the key and secret in FORWARD_LRS_KEY and FORWARD_LRS_SECRET, not in the address'],
    [
      'https://lrs.council.example/xapi/?x=1',
      'FORWARD_LRS_ENDPOINT: "https://lrs.council.example/xapi/?x=1" must not have a ? query or # part: give the xAPI base address',
    ],
    [
      'https://lrs.council.example/xapi/statements',
      'FORWARD_LRS_ENDPOINT: give the xAPI base address, without "statements" at the end (the hub adds it): https://lrs.council.example/xapi/',
    ],
  ])('refuse %s', (endpoint, message) => {
    expect(() => forwardConfigFromEnv(env(endpoint))).toThrow(message);
  });

  it('refuse a key or secret missing, naming it', () => {
    expect(() => forwardConfigFromEnv({ FORWARD_LRS_ENDPOINT: 'https://lrs.council.example/xapi/', FORWARD_LRS_KEY: 'hub' })).toThrow(
      "FORWARD_LRS_SECRET: forwarding to the council's LRS needs all of FORWARD_LRS_ENDPOINT, FORWARD_LRS_KEY, FORWARD_LRS_SECRET; FORWARD_LRS_SECRET is not set",
    );
    expect(() => forwardConfigFromEnv({ FORWARD_LRS_SECRET: 'x' })).toThrow('FORWARD_LRS_ENDPOINT and FORWARD_LRS_KEY are not set');
    expect(() => forwardConfigFromEnv({ ...env('https://lrs.council.example/xapi/'), FORWARD_LRS_KEY: 'a:b' })).toThrow('FORWARD_LRS_KEY');
  });
});

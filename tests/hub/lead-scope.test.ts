import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from './support/hub.ts';
import { firstAdmin, newLead, newLearner, newOrganisation, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';

const hostile = `'; drop table person; -- "quoted" <b>bold</b>`;

describe.each(drivers)('what a lead sees, scoped to their organisations, on %s', (driver) => {
  let hub: StaffHub;
  let admin: StaffBrowser;
  let leadA: StaffBrowser;
  let leadB: StaffBrowser;
  let orgA: string;
  let orgB: string;
  const learners: Record<string, { id: string; deviceId: string }> = {};
  let linkB: string;

  beforeAll(async () => {
    hub = await staffHub(driver);
    admin = await firstAdmin(hub);
    orgA = await newOrganisation(admin, 'Riverside Library', 'North');
    orgB = await newOrganisation(admin, hostile, 'South');
    leadA = await newLead(hub, admin, 'Lead of Riverside', [orgA]);
    leadB = await newLead(hub, admin, 'Lead of the other', [orgB]);
    learners.confirmedA = await newLearner(hub.db, orgA, 'Aisha Khan', 'confirmed');
    learners.awaitingA = await newLearner(hub.db, orgA, 'علي حسن', 'awaiting');
    learners.confirmedB = await newLearner(hub.db, orgB, "Siân O'Brien", 'confirmed');
    learners.awaitingB = await newLearner(hub.db, orgB, 'Zhang Wei 张伟', 'awaiting');
    const created = await leadB.request('/api/lead/links', { json: { organisationId: orgB, label: 'Staff room', days: 14, maxUses: 20 } });
    linkB = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('counts only confirmed learners, and only in the lead’s own organisations', async () => {
    expect(await (await leadA.request('/api/lead/organisations')).json()).toEqual([
      { id: orgA, name: 'Riverside Library', district: 'North', confirmed: 1, awaiting: 1 },
    ]);
    const all = (await (await admin.request('/api/lead/organisations')).json()) as { name: string; confirmed: number }[];
    expect(all.map((org) => [org.name, org.confirmed])).toEqual([
      [hostile, 1],
      ['Riverside Library', 1],
    ]);
  });

  it('lists only confirmed learners of the lead’s organisations, with their devices', async () => {
    const listed = (await (await leadA.request('/api/lead/learners')).json()) as { id: string; name: string; devices: { id: string }[] }[];
    expect(listed.map((learner) => learner.name)).toEqual(['Aisha Khan']);
    expect(listed[0]!.devices.map((device) => device.id)).toEqual([learners.confirmedA!.deviceId]);
    const body = JSON.stringify(listed);
    for (const other of ['علي حسن', "Siân O'Brien", 'Zhang Wei 张伟', learners.confirmedB!.deviceId]) expect(body).not.toContain(other);
  });

  it('lists only enrolments awaiting confirmation in the lead’s organisations', async () => {
    const awaiting = (await (await leadA.request('/api/lead/enrolments')).json()) as { id: string; name: string }[];
    expect(awaiting).toEqual([expect.objectContaining({ id: learners.awaitingA!.id, name: 'علي حسن', organisation: 'Riverside Library' })]);
  });

  it('lists only the lead’s organisations’ enrolment links, names stored and returned as text', async () => {
    expect(await (await leadA.request('/api/lead/links')).json()).toEqual([]);
    const linksB = (await (await leadB.request('/api/lead/links')).json()) as { id: string; organisation: string; uses: number; maxUses: number }[];
    expect(linksB).toEqual([expect.objectContaining({ id: linkB, organisation: hostile, label: 'Staff room', uses: 0, maxUses: 20 })]);
    expect(await hub.db.query('select count(*)::int as n from person')).toEqual([{ n: 7 }]);
  });

  it('refuses a lead acting in another organisation with 404, changing nothing and naming nothing', async () => {
    const attempts = [
      leadA.request(`/api/lead/enrolments/${learners.awaitingB!.id}/confirm`, { json: {} }),
      leadA.request(`/api/lead/enrolments/${learners.awaitingB!.id}/refuse`, { json: {} }),
      leadA.request(`/api/lead/devices/${learners.confirmedB!.deviceId}/revoke`, { json: {} }),
      leadA.request(`/api/lead/links/${linkB}/revoke`, { json: {} }),
      leadA.request('/api/lead/links', { json: { organisationId: orgB, label: 'sneaky', days: 7, maxUses: 5 } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain('Zhang');
      expect(text).not.toContain('drop table');
    }
    const [person] = await hub.db.query<{ status: string }>('select status from person where id = $1', [learners.awaitingB!.id]);
    expect(person).toEqual({ status: 'awaiting' });
    expect(await hub.db.query('select revoked from device where id = $1', [learners.confirmedB!.deviceId])).toEqual([{ revoked: null }]);
    expect(await hub.db.query('select revoked from enrolment_link where id = $1', [linkB])).toEqual([{ revoked: null }]);
    expect(await hub.db.query("select 1 from enrolment_link where label = 'sneaky'")).toEqual([]);
  });

  it('confirms an enrolment, after which the learner counts', async () => {
    const extra = await newLearner(hub.db, orgA, 'Late Joiner', 'awaiting');
    expect((await leadA.request(`/api/lead/enrolments/${extra.id}/confirm`, { json: {} })).status).toBe(200);
    expect((await leadA.request(`/api/lead/enrolments/${extra.id}/confirm`, { json: {} })).status).toBe(404);
    const [org] = (await (await leadA.request('/api/lead/organisations')).json()) as { confirmed: number }[];
    expect(org!.confirmed).toBe(2);
    expect(await hub.db.query("select 1 from audit_log where action = 'enrolment-confirmed' and subject = 'Late Joiner'")).toHaveLength(1);
  });

  it('refuses an enrolment by removing the account and its devices', async () => {
    const unwanted = await newLearner(hub.db, orgA, 'Forwarded Link', 'awaiting');
    expect((await leadA.request(`/api/lead/enrolments/${unwanted.id}/refuse`, { json: {} })).status).toBe(200);
    expect(await hub.db.query('select 1 from person where id = $1', [unwanted.id])).toEqual([]);
    expect(await hub.db.query('select 1 from device where id = $1', [unwanted.deviceId])).toEqual([]);
  });

  it('creates an enrolment link shown once, keeping only its hash, and revokes it', async () => {
    const created = await leadA.request('/api/lead/links', { json: { organisationId: orgA, label: hostile, days: 30, maxUses: 25 } });
    expect(created.status).toBe(201);
    const link = (await created.json()) as { id: string; url: string };
    expect(link.url).toMatch(/^https:\/\/learning\.example\.org\/enrol\/#[A-Za-z0-9_-]{43}$/);
    const token = link.url.split('#')[1]!;
    expect(JSON.stringify(await hub.db.query('select * from enrolment_link'))).not.toContain(token);
    const listed = (await (await leadA.request('/api/lead/links')).json()) as Record<string, unknown>[];
    expect(listed).toEqual([expect.objectContaining({ id: link.id, label: hostile, expires: '2026-12-30T09:00:00.000Z', revoked: null })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await leadA.request(`/api/lead/links/${link.id}/revoke`, { json: {} })).status).toBe(200);
    expect((await leadA.request(`/api/lead/links/${link.id}/revoke`, { json: {} })).status).toBe(404);
  });

  it('revokes a device of the lead’s own learner', async () => {
    expect((await leadA.request(`/api/lead/devices/${learners.confirmedA!.deviceId}/revoke`, { json: {} })).status).toBe(200);
    const [learner] = (await (await leadA.request('/api/lead/learners')).json()) as { devices: { revoked: string | null }[] }[];
    expect(learner!.devices[0]!.revoked).toBe('2026-11-30T09:00:00.000Z');
  });

  it('refuses links out of bounds and ids that are not ids, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ organisationId: orgA, days: 0, maxUses: 5 }, 'days'],
      [{ organisationId: orgA, days: 91, maxUses: 5 }, 'days'],
      [{ organisationId: orgA, days: 7, maxUses: 0 }, 'maxUses'],
      [{ organisationId: "'; drop table organisation; --", days: 7, maxUses: 5 }, 'organisationId'],
    ];
    for (const [json, where] of cases) {
      const response = await leadA.request('/api/lead/links', { json });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ where });
    }
    expect((await leadA.request(`/api/lead/devices/'%3B%20drop%20table%20device%3B--/revoke`, { json: {} })).status).toBe(404);
    expect(await hub.db.query('select count(*)::int as n from organisation')).toEqual([{ n: 2 }]);
  });

  it('refuses every lead endpoint without a session', async () => {
    for (const path of ['/api/lead/organisations', '/api/lead/links', '/api/lead/enrolments', '/api/lead/learners']) {
      expect((await hub.request(path)).status).toBe(401);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers } from './support/hub.ts';
import { acceptInvite, firstAdmin, newLead, newLearner, newOrganisation, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';

describe.each(drivers)('the admin API on %s', (driver) => {
  let hub: StaffHub;
  let admin: StaffBrowser;
  let lead: StaffBrowser;
  let organisation: string;

  beforeAll(async () => {
    hub = await staffHub(driver);
    admin = await firstAdmin(hub, 'Ade Admin');
    organisation = await newOrganisation(admin, 'Jobcentre Plus Central', 'Central');
    lead = await newLead(hub, admin, 'Lead Lola', [organisation]);
  });
  afterAll(async () => {
    await hub?.close();
  });

  const adminEndpoints: [string, string, unknown?][] = [
    ['POST', '/api/admin/organisations', { name: 'X' }],
    ['PATCH', '/api/admin/organisations/00000000-0000-4000-8000-000000000000', { name: 'X' }],
    ['GET', '/api/admin/leads'],
    ['POST', '/api/admin/leads/invite', { name: 'X', organisationIds: ['00000000-0000-4000-8000-000000000000'] }],
    ['POST', '/api/admin/leads/00000000-0000-4000-8000-000000000000/reset', {}],
    ['DELETE', '/api/admin/leads/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/admin/keys'],
    ['POST', '/api/admin/keys', { name: 'X', scopes: ['all'] }],
    ['POST', '/api/admin/keys/abc/revoke', {}],
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/audit.csv'],
    ['GET', '/api/admin/learners'],
    ['POST', '/api/admin/learners/00000000-0000-4000-8000-000000000000/erase', {}],
  ];

  it('refuses a lead on every admin endpoint with 403, and a stranger with 401', async () => {
    for (const [method, path, json] of adminEndpoints) {
      const asLead = await lead.request(path, { method, ...(json === undefined ? {} : { json }) });
      expect([path, asLead.status]).toEqual([path, 403]);
      const asStranger = await hub.request(path, { method, ...(json === undefined ? {} : { json }) });
      expect([path, asStranger.status]).toEqual([path, 401]);
    }
  });

  it('creates and renames organisations with names in any script, stored as text', async () => {
    const id = await newOrganisation(admin, `Ysgol Gymraeg Aberystwyth`, 'Ceredigion');
    const renamed = await admin.request(`/api/admin/organisations/${id}`, {
      method: 'PATCH',
      json: { name: `مكتبة "الحي" '; drop table organisation; --`, district: 'Gogledd' },
    });
    expect(renamed.status).toBe(200);
    const [row] = await hub.db.query<{ name: string; district: string }>('select name, district from organisation where id = $1', [id]);
    expect(row).toEqual({ name: `مكتبة "الحي" '; drop table organisation; --`, district: 'Gogledd' });
    const empty = await admin.request('/api/admin/organisations', { json: { name: '   ' } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: 'name must not be empty', where: 'name' });
  });

  it('invites a lead for named organisations only, by a link that works once', async () => {
    const second = await newOrganisation(admin, 'Hillside Primary School');
    const invited = await admin.request('/api/admin/leads/invite', { json: { name: 'Priya Shah', organisationIds: [organisation, second] } });
    expect(invited.status).toBe(201);
    const { url } = (await invited.json()) as { url: string; expires: string };
    const priya = await acceptInvite(hub, url);
    const me = (await (await priya.request('/api/staff/me')).json()) as { kind: string; organisations: { name: string }[] };
    expect(me.kind).toBe('lead');
    expect(me.organisations.map((org) => org.name)).toEqual(['Hillside Primary School', 'Jobcentre Plus Central']);
    await expect(acceptInvite(hub, url)).rejects.toThrow(/404/);
    const missing = await admin.request('/api/admin/leads/invite', { json: { name: 'Nobody', organisationIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(missing.status).toBe(400);
    const leads = (await (await admin.request('/api/admin/leads')).json()) as { name: string; organisations: string[]; passkeys: number }[];
    expect(leads.find((row) => row.name === 'Priya Shah')).toMatchObject({ organisations: ['Hillside Primary School', 'Jobcentre Plus Central'], passkeys: 1 });
  });

  it('refuses an invite link past its seven days', async () => {
    const invited = await admin.request('/api/admin/leads/invite', { json: { name: 'Slow Sol', organisationIds: [organisation] } });
    const { url } = (await invited.json()) as { url: string };
    hub.clock.advanceMinutes(7 * 24 * 60 + 1);
    try {
      await expect(acceptInvite(hub, url)).rejects.toThrow(/404/);
    } finally {
      hub.clock.advanceMinutes(-(7 * 24 * 60 + 1));
      admin = await firstAdmin(hub, 'Ade Admin again');
    }
  });

  it('removes a lead, whose session then stops working', async () => {
    const leaving = await newLead(hub, admin, 'Leaving Leah', [organisation]);
    expect((await admin.request(`/api/admin/leads/${leaving.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await leaving.request('/api/lead/organisations')).status).toBe(401);
  });

  it('creates an API key shown once, lists it without the secret, and revokes it', async () => {
    const created = await admin.request('/api/admin/keys', { json: { name: 'Council LMS', scopes: ['statements/read'] } });
    expect(created.status).toBe(201);
    const { key, secret } = (await created.json()) as { key: string; secret: string };
    const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const read = () => hub.request('/xapi/statements', { headers: { Authorization: basic, 'X-Experience-API-Version': '1.0.3' } });
    expect((await read()).status).toBe(200);
    const listed = await (await admin.request('/api/admin/keys')).text();
    expect(listed).toContain(key);
    expect(listed).not.toContain(secret);
    expect((await admin.request(`/api/admin/keys/${key}/revoke`, { json: {} })).status).toBe(200);
    expect((await read()).status).toBe(401);
    const badScope = await admin.request('/api/admin/keys', { json: { name: 'Bad', scopes: ['everything'] } });
    expect(badScope.status).toBe(400);
    expect(await badScope.json()).toMatchObject({ where: 'scopes.0' });
  });

  it('pages back through the audit log and downloads it as CSV with formulas made harmless', async () => {
    await newOrganisation(admin, '=HYPERLINK("http://evil.example","click")');
    const first = (await (await admin.request('/api/admin/audit')).json()) as { entries: { seq: number; action: string }[]; older: number | null };
    expect(first.entries[0]!.action).toBe('organisation-created');
    for (let i = 0; i < 60; i++) await hub.db.query("insert into audit_log (action, subject) values ('sign-out', $1)", [`filler ${i}`]);
    const page = (await (await admin.request('/api/admin/audit')).json()) as { entries: { seq: number }[]; older: number };
    expect(page.entries).toHaveLength(50);
    const older = (await (await admin.request(`/api/admin/audit?before=${page.older}`)).json()) as { entries: { seq: number }[] };
    expect(older.entries[0]!.seq).toBeLessThan(page.entries.at(-1)!.seq);
    expect((await admin.request('/api/admin/audit?before=1;drop')).status).toBe(400);
    const csv = await admin.request('/api/admin/audit.csv');
    expect(csv.headers.get('Content-Type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('erases a learner: statements, State, profiles, devices and person go; the audit log says only that it happened', async () => {
    const erased = await newLearner(hub.db, organisation, 'Erin Erasable', 'confirmed');
    const kept = await newLearner(hub.db, organisation, 'Kim Kept', 'confirmed');
    const key = (await (await admin.request('/api/admin/keys', { json: { name: 'Loader', scopes: ['all'] } })).json()) as { key: string; secret: string };
    const headers = { Authorization: `Basic ${Buffer.from(`${key.key}:${key.secret}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3' };
    const actor = (id: string) => ({ objectType: 'Agent', account: { homePage: hub.config.publicUrl, name: id } });
    const statement = (id: string) => ({
      actor: actor(id),
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { id: 'https://learning.example.org/modules/welcome' },
    });
    for (const id of [erased.id, erased.id, kept.id]) {
      expect((await hub.request('/xapi/statements', { json: statement(id), headers })).status).toBe(200);
    }
    const stateUrl = (id: string) =>
      `/xapi/activities/state?activityId=${encodeURIComponent('https://learning.example.org/modules/welcome')}&agent=${encodeURIComponent(JSON.stringify(actor(id)))}&stateId=bookmark`;
    const put = await hub.request(stateUrl(erased.id), { method: 'PUT', json: { page: 3 }, headers });
    expect([put.status, await put.text()]).toEqual([204, '']);
    const profileUrl = `/xapi/agents/profile?agent=${encodeURIComponent(JSON.stringify(actor(erased.id)))}&profileId=preferences`;
    expect((await hub.request(profileUrl, { method: 'PUT', json: { language: 'cy' }, headers: { ...headers, 'If-None-Match': '*' } })).status).toBe(204);

    const response = await admin.request(`/api/admin/learners/${erased.id}/erase`, { json: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ erased: true, statements: 2 });

    const mine = await hub.request(`/xapi/statements?agent=${encodeURIComponent(JSON.stringify(actor(erased.id)))}`, { headers });
    expect(((await mine.json()) as { statements: unknown[] }).statements).toEqual([]);
    const theirs = await hub.request(`/xapi/statements?agent=${encodeURIComponent(JSON.stringify(actor(kept.id)))}`, { headers });
    expect(((await theirs.json()) as { statements: unknown[] }).statements).toHaveLength(1);
    expect((await hub.request(stateUrl(erased.id), { headers })).status).toBe(404);
    expect((await hub.request(profileUrl, { headers })).status).toBe(404);
    expect(await hub.db.query('select 1 from person where id = $1', [erased.id])).toEqual([]);
    expect(await hub.db.query('select 1 from device where id = $1', [erased.deviceId])).toEqual([]);
    const log = JSON.stringify(await hub.db.query('select * from audit_log'));
    expect(log).toContain('"erasure"');
    expect(log).not.toContain('Erin');
    expect(log).not.toContain(erased.id);
    expect((await admin.request(`/api/admin/learners/${erased.id}/erase`, { json: {} })).status).toBe(404);
  });
});

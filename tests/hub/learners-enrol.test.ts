import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/hub/access/audit.ts';
import { drivers } from './support/hub.ts';
import { learnerHub, type LearnerHub } from './support/learners.ts';

describe.each(drivers)('enrolment through a lead’s link on %s', (driver) => {
  let hub: LearnerHub;
  beforeAll(async () => {
    hub = await learnerHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });
  // Each test in a new rate-limit window, so only the rate-limit test meets the limit.
  beforeEach(() => {
    hub.clock.now = new Date(hub.clock.now.getTime() + 10 * 60 * 1000);
  });

  it('tells the learner whose link it is, without using it', async () => {
    const token = await hub.link(await hub.organisation('Northgate Library'), { maxUses: 1 });
    const response = await hub.api('/enrol/check', { json: { token } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ organisation: 'Northgate Library', district: 'northgate' });
    expect(await hub.db.query('select uses from enrolment_link')).toContainEqual({ uses: 0 });
  });

  it('makes a new learner awaiting confirmation, with a device credential that works', async () => {
    const organisationId = await hub.organisation('Riverside Jobcentre Plus');
    const token = await hub.link(organisationId);
    const response = await hub.api('/enrol', { json: { token, name: '  Zoë Łukasiewicz ', roleId: 'work-coach', shared: false, deviceLabel: 'Desk 4' } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; learner: { id: string }; agent: unknown };
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.learner).toMatchObject({ name: 'Zoë Łukasiewicz', roleId: 'work-coach', organisation: 'Riverside Jobcentre Plus', status: 'awaiting' });
    expect(body.agent).toEqual({ objectType: 'Agent', name: 'Zoë Łukasiewicz', account: { homePage: 'http://hub.test', name: body.learner.id } });
    const [person] = await hub.db.query<{ kind: string; status: string; organisation_id: string }>(
      'select kind, status, organisation_id from person where id = $1',
      [body.learner.id],
    );
    expect(person).toEqual({ kind: 'learner', status: 'awaiting', organisation_id: organisationId });
    const [device] = await hub.db.query<{ token_sha256: string; label: string }>('select token_sha256, label from device where person_id = $1', [
      body.learner.id,
    ]);
    expect(device?.label).toBe('Desk 4');
    expect(device?.token_sha256).not.toContain(body.token);
    const me = await hub.api('/me', { token: body.token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ learner: { id: body.learner.id, status: 'awaiting' } });
    const actions = (await readAudit(hub.db, { limit: 50 })).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['enrolled', 'device-added']));
  });

  it.each([
    ['expired', { expires: new Date('2026-11-29T10:00:00Z') }, 403, 'this enrolment link has expired: ask your workforce lead for a new link'],
    ['withdrawn', { revoked: true }, 403, 'this enrolment link has been withdrawn: ask your workforce lead for a new link'],
  ])('refuses an %s link with words a learner can act on, making nobody', async (_, options, status, error) => {
    const token = await hub.link(await hub.organisation(), options);
    const before = await hub.db.query('select id from person');
    for (const path of ['/enrol/check', '/enrol']) {
      const response = await hub.api(path, { json: { token, name: 'Sam', roleId: 'library-staff' } });
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error, where: 'token' });
    }
    expect(await hub.db.query('select id from person')).toEqual(before);
  });

  it('refuses a link once it has been used as many times as it allows', async () => {
    const token = await hub.link(await hub.organisation(), { maxUses: 2 });
    await hub.enrol({ token });
    await hub.enrol({ token });
    const third = await hub.api('/enrol', { json: { token, name: 'Sam', roleId: 'library-staff' } });
    expect(third.status).toBe(403);
    expect(await third.json()).toEqual({
      error: 'this enrolment link has been used as many times as it allows: ask your workforce lead for a new link',
      where: 'token',
    });
  });

  it('refuses a link it does not know, or one cut short', async () => {
    for (const token of ['x'.repeat(43), 'abc', 42]) {
      const response = await hub.api('/enrol/check', { json: { token } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toMatch(/^this enrolment link is not (recognised|complete): check you copied all of it/);
    }
  });

  it.each(['id', 'personId', 'actorId', 'agent', 'account', 'status', 'organisationId'])(
    'refuses an enrolment that names %s, so no one can claim an existing account or organisation',
    async (field) => {
      const existing = await hub.enrol({ name: 'First learner' });
      const token = await hub.link(await hub.organisation());
      const value = field === 'agent' ? existing.agent : existing.learner.id;
      const response = await hub.api('/enrol', { json: { token, name: 'Someone else', roleId: 'library-staff', [field]: value } });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: `${field} cannot be given: the hub makes a new account for every enrolment and chooses its id`,
        where: field,
      });
      expect(await hub.db.query('select name from person where id = $1', [existing.learner.id])).toEqual([{ name: 'First learner' }]);
      expect(await hub.db.query("select count(*)::int as n from person where name = 'Someone else'")).toEqual([{ n: 0 }]);
    },
  );

  it('gives every enrolment a new account, even with the same name', async () => {
    const a = await hub.enrol({ name: 'Sam Patel' });
    const b = await hub.enrol({ name: 'Sam Patel' });
    expect(a.learner.id).not.toBe(b.learner.id);
  });

  it.each([
    'Siân Llŷr',
    'محمد عبد الله',
    '李雷',
    "Zoë O'Brien",
    '"; drop table person; --',
    "'); delete from device; --",
    '<script>alert(1)</script>',
    'ñ'.repeat(200),
  ])('stores and returns the name %j exactly, as text', async (name) => {
    const { learner, token } = await hub.enrol({ name, deviceLabel: name.slice(0, 100) });
    expect(learner.name).toBe(name);
    const me = (await (await hub.api('/me', { token })).json()) as { learner: { name: string } };
    expect(me.learner.name).toBe(name);
    const devices = (await (await hub.api('/me/devices', { token })).json()) as { devices: { label: string }[] };
    expect(devices.devices[0]?.label).toBe(name.slice(0, 100));
    expect(await hub.db.query('select count(*)::int as n from device')).not.toEqual([{ n: 0 }]);
  });

  it.each([
    ['a name that is too long', { name: 'a'.repeat(201) }, 'name', 'your name must be 200 characters or fewer'],
    ['no name', { name: '   ' }, 'name', 'enter your name'],
    ['a name with a line break', { name: 'Sam\nPatel' }, 'name', 'your name must not contain control characters such as line breaks'],
    [
      'a role that is not an id',
      { roleId: "x'; drop table person; --" },
      'roleId',
      'choose your role: the role must be lower-case letters, digits and single hyphens, like "safeguarding-basics"',
    ],
    ['a device label that is too long', { deviceLabel: 'd'.repeat(101) }, 'deviceLabel', 'must be 100 characters or fewer'],
  ])('refuses %s, naming the field', async (_, fields, where, error) => {
    const token = await hub.link(await hub.organisation());
    const response = await hub.api('/enrol', { json: { token, name: 'Sam', roleId: 'library-staff', ...fields } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error, where });
    expect(await hub.db.query('select uses from enrolment_link where token_sha256 = encode(sha256(convert_to($1, $2)), $3)', [token, 'UTF8', 'hex'])).toEqual([
      { uses: 0 },
    ]);
  });

  it('rate-limits enrolment per client, counted in the database', async () => {
    hub.clock.now = new Date('2026-12-02T10:00:00Z');
    const token = await hub.link(await hub.organisation());
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await hub.api('/enrol/check', { json: { token } })).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    const refused = await hub.api('/enrol', { json: { token, name: 'Sam', roleId: 'library-staff' } });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'too many attempts: wait 10 minutes and try again' });
    hub.clock.now = new Date('2026-12-02T10:10:00Z');
    expect((await hub.api('/enrol/check', { json: { token } })).status).toBe(200);
  });
});

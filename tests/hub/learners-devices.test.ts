import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/hub/access/audit.ts';
import { codeAlphabet, endOfDay, normaliseCode } from '../../src/hub/access/devices.ts';
import { drivers } from './support/hub.ts';
import { learnerHub, opened, type LearnerHub } from './support/learners.ts';

type Signed = Awaited<ReturnType<LearnerHub['enrol']>>;
const ownAgent = (learner: Signed) => ({ objectType: 'Agent', account: { homePage: 'http://hub.test', name: learner.learner.id } });
const statementsOf = async (response: Response) => ((await response.json()) as { statements: { id: string }[]; more: string }).statements.map((s) => s.id);

describe('codes and the end of a shared computer’s day', () => {
  it('makes the end of the day in the council’s time zone, across clock changes', () => {
    expect(endOfDay(new Date('2026-11-30T10:00:00Z'), 'Europe/London').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(endOfDay(new Date('2026-07-01T22:30:00Z'), 'Europe/London').toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(endOfDay(new Date('2026-03-28T12:00:00Z'), 'Europe/London').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(endOfDay(new Date('2026-10-24T12:00:00Z'), 'Europe/London').toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('uses 32 symbols without look-alikes, so 8 carry 40 bits, and reads them as people type them', () => {
    expect(new Set(codeAlphabet).size).toBe(32);
    expect(codeAlphabet).not.toMatch(/[ILOU]/);
    expect(8 * Math.log2(codeAlphabet.length)).toBeGreaterThanOrEqual(40);
    expect(normaliseCode('7kq2-m9xd')).toBe('7KQ2M9XD');
    expect(normaliseCode('O1L2 I3AB')).toBe('01121 3AB'.replace(' ', ''));
    expect(normaliseCode('7KQ2M9X')).toBeUndefined();
    expect(normaliseCode("'; drop--")).toBeUndefined();
  });
});

describe.each(drivers)('a learner’s device credential on %s', (driver) => {
  let hub: LearnerHub;
  let ana: Signed;
  let ben: Signed;
  beforeAll(async () => {
    hub = await learnerHub(driver);
    ana = await hub.enrol({ name: 'Ana' });
    ben = await hub.enrol({ name: 'Ben' });
  });
  afterAll(async () => {
    await hub?.close();
  });
  beforeEach(() => {
    hub.clock.now = new Date(hub.clock.now.getTime() + 10 * 60 * 1000);
  });

  it('writes its learner’s statements, which the hub stores with the learner as authority', async () => {
    const statement = opened(ana.agent);
    const response = await hub.xapi('/statements', { token: ana.token, json: statement });
    expect(response.status).toBe(200);
    const stored = await hub.xapi(`/statements?statementId=${String(statement.id)}`, { authorization: hub.keyAuth });
    expect(((await stored.json()) as { authority: unknown }).authority).toEqual(ownAgent(ana));
  });

  it.each([
    ['another learner', (): Record<string, unknown> => ben.agent],
    ['an email address', (): Record<string, unknown> => ({ mbox: 'mailto:ben@example.org' })],
    ['the same name on another site', (): Record<string, unknown> => ({ account: { homePage: 'https://elsewhere.example.org', name: ana.learner.id } })],
  ])('refuses to write as %s, and stores none of the batch', async (_, actor) => {
    const good = opened(ana.agent);
    const bad = opened(actor());
    const response = await hub.xapi('/statements', { token: ana.token, json: [good, bad] });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: 'a learner’s device may record statements only with its own learner as the actor',
      where: 'statement[1].actor',
    });
    expect(await hub.db.query('select id from statement where id = any($1::uuid[])', [[good.id, bad.id]])).toEqual([]);
    const put = await hub.xapi(`/statements?statementId=${String(bad.id)}`, { token: ana.token, method: 'PUT', json: bad });
    expect(put.status).toBe(403);
  });

  it('refuses to void another learner’s statement, or one not stored yet', async () => {
    const bens = opened(ben.agent);
    expect((await hub.xapi('/statements', { token: ben.token, json: bens })).status).toBe(200);
    for (const target of [bens.id, randomUUID()]) {
      const voiding = { actor: ana.agent, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target } };
      const response = await hub.xapi('/statements', { token: ana.token, json: voiding });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: 'a learner’s device may void only statements it recorded for its own learner',
        where: 'statement.object.id',
      });
    }
    const still = await hub.xapi(`/statements?statementId=${String(bens.id)}`, { token: ben.token });
    expect(still.status).toBe(200);
  });

  it('voids its own learner’s statement', async () => {
    const mine = opened(ana.agent);
    await hub.xapi('/statements', { token: ana.token, json: mine });
    const voiding = { actor: ana.agent, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: mine.id } };
    expect((await hub.xapi('/statements', { token: ana.token, json: voiding })).status).toBe(200);
    expect((await hub.xapi(`/statements?voidedStatementId=${String(mine.id)}`, { token: ana.token })).status).toBe(200);
  });

  it('reads only its learner’s statements, by every filter and through more links', async () => {
    const anas = [opened(ana.agent, 'family-hubs'), opened(ana.agent, 'safeguarding-basics'), opened(ana.agent, 'family-hubs')];
    const bens = [opened(ben.agent, 'family-hubs'), opened(ben.agent, 'safeguarding-basics')];
    await hub.xapi('/statements', { token: ana.token, json: anas });
    await hub.xapi('/statements', { token: ben.token, json: bens });
    // A system's statement about Ana names her but was not recorded by her devices.
    const bySystem = opened(ana.agent);
    expect((await hub.xapi('/statements', { authorization: hub.keyAuth, json: bySystem })).status).toBe(200);
    const benIds = new Set(bens.map((s) => s.id));
    const queries = [
      '',
      '?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced',
      `?activity=${encodeURIComponent('https://learning.brookfield.example.org/modules/family-hubs')}&related_activities=true`,
      `?agent=${encodeURIComponent(JSON.stringify(ana.agent))}`,
      `?agent=${encodeURIComponent(JSON.stringify(ana.agent))}&related_agents=true`,
      '?since=2000-01-01T00:00:00Z&ascending=true',
    ];
    for (const query of queries) {
      const response = await hub.xapi(`/statements${query}`, { token: ana.token });
      expect(response.status, query).toBe(200);
      const ids = await statementsOf(response);
      expect(ids.length, query).toBeGreaterThan(0);
      expect(
        ids.filter((id) => benIds.has(id) || id === bySystem.id),
        query,
      ).toEqual([]);
    }
    // Page by page through more links: never Ben's.
    let next: string = '/statements?limit=1';
    const seen: string[] = [];
    for (let page = 0; page < 20 && next; page++) {
      const response = await hub.xapi(next, { token: ana.token });
      const body = (await response.json()) as { statements: { id: string }[]; more: string };
      seen.push(...body.statements.map((s) => s.id));
      next = body.more.replace(/^\/xapi/, '');
    }
    expect(seen.filter((id) => benIds.has(id))).toEqual([]);
    expect(seen).toEqual(expect.arrayContaining(anas.map((s) => s.id)));
  });

  it.each([
    ['agent', (): string => `agent=${encodeURIComponent(JSON.stringify(ben.agent))}`],
    ['agent with related_agents', (): string => `agent=${encodeURIComponent(JSON.stringify(ben.agent))}&related_agents=true`],
    ['an agent by email', (): string => `agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:ben@example.org' }))}`],
  ])('refuses to ask about another learner by %s with 403, leaking nothing', async (_, query) => {
    const response = await hub.xapi(`/statements?${query()}`, { token: ana.token });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: 'a learner’s device may ask only about its own learner: agent must be the signed-in learner',
      where: 'agent',
    });
  });

  it('answers another learner’s statement or voided statement by id as if it did not exist', async () => {
    const bens = opened(ben.agent);
    await hub.xapi('/statements', { token: ben.token, json: bens });
    const voidedBens = opened(ben.agent);
    await hub.xapi('/statements', { token: ben.token, json: voidedBens });
    await hub.xapi('/statements', {
      token: ben.token,
      json: { actor: ben.agent, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: voidedBens.id } },
    });
    const byId = await hub.xapi(`/statements?statementId=${String(bens.id)}`, { token: ana.token });
    expect(byId.status).toBe(404);
    expect(await byId.json()).toEqual({ error: `no statement has id ${String(bens.id)}`, where: 'statementId' });
    const voided = await hub.xapi(`/statements?voidedStatementId=${String(voidedBens.id)}`, { token: ana.token });
    expect(voided.status).toBe(404);
    expect(await voided.json()).toEqual({ error: `no voided statement has id ${String(voidedBens.id)}`, where: 'voidedStatementId' });
  });

  it('keeps State only for its own learner', async () => {
    const activity = encodeURIComponent('https://learning.brookfield.example.org/films/health-visiting');
    const state = (agent: unknown) => `/activities/state?activityId=${activity}&agent=${encodeURIComponent(JSON.stringify(agent))}&stateId=position`;
    expect((await hub.xapi(state(ana.agent), { token: ana.token, method: 'PUT', json: { time: 12 } })).status).toBe(204);
    expect((await hub.xapi(state(ana.agent), { token: ana.token })).status).toBe(200);
    expect((await hub.xapi(state(ben.agent), { token: ben.token, method: 'PUT', json: { time: 3 } })).status).toBe(204);
    for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
      const response = await hub.xapi(state(ben.agent), { token: ana.token, method, ...(method === 'PUT' || method === 'POST' ? { json: { time: 99 } } : {}) });
      expect(response.status, method).toBe(403);
      expect(JSON.stringify(await response.json())).not.toContain('"time"');
    }
    const list = await hub.xapi(`/activities/state?activityId=${activity}&agent=${encodeURIComponent(JSON.stringify(ben.agent))}`, { token: ana.token });
    expect(list.status).toBe(403);
    const bensState = await hub.xapi(state(ben.agent), { token: ben.token });
    expect(await bensState.json()).toEqual({ time: 3 });
  });

  it.each([
    '/agents/profile?agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D',
    '/agents?agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D',
    '/activities?activityId=https%3A%2F%2Fexample.org%2Fa',
    '/activities/profile?activityId=https%3A%2F%2Fexample.org%2Fa',
  ])('refuses the other resources (%s)', async (path) => {
    const response = await hub.xapi(path, { token: ana.token });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'a learner’s device may use only the Statements and State resources' });
  });

  it('refuses a token it does not know with 401', async () => {
    const response = await hub.xapi('/statements', { token: 'A'.repeat(43) });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/^this device is not signed in to the hub/);
  });

  it('writes last_used at most once an hour, and refuses a device idle for 30 days', async () => {
    const carl = await hub.enrol({ name: 'Carl' });
    const lastUsed = async () => (await hub.db.query<{ last_used: Date }>('select last_used from device where id = $1', [carl.device.id]))[0]?.last_used;
    const enrolled = await lastUsed();
    hub.clock.now = new Date(hub.clock.now.getTime() + 30 * 60 * 1000);
    expect((await hub.api('/me', { token: carl.token })).status).toBe(200);
    expect(await lastUsed()).toEqual(enrolled);
    hub.clock.now = new Date(hub.clock.now.getTime() + 31 * 60 * 1000);
    expect((await hub.api('/me', { token: carl.token })).status).toBe(200);
    const used = await lastUsed();
    expect(used?.getTime()).toBe(hub.clock.now.getTime());
    hub.clock.now = new Date(used!.getTime() + 29 * 24 * 3600 * 1000);
    expect((await hub.xapi('/statements', { token: carl.token })).status).toBe(200);
    hub.clock.now = new Date(hub.clock.now.getTime() + 30 * 24 * 3600 * 1000 + 1000);
    const idle = await hub.xapi('/statements', { token: carl.token });
    expect(idle.status).toBe(401);
    expect(await idle.json()).toMatchObject({ error: expect.stringMatching(/^this device was signed out after 30 days without use/) as unknown });
  });

  it('ends a shared computer’s credential at the end of the day', async () => {
    hub.clock.now = new Date('2027-02-10T15:00:00Z');
    const dee = await hub.enrol({ name: 'Dee', shared: true, deviceLabel: 'Library PC 3' });
    expect(dee.device).toMatchObject({ shared: true, expires: '2027-02-11T00:00:00.000Z' });
    hub.clock.now = new Date('2027-02-10T23:59:59Z');
    expect((await hub.xapi('/statements', { token: dee.token })).status).toBe(200);
    hub.clock.now = new Date('2027-02-11T00:00:00Z');
    const late = await hub.xapi('/statements', { token: dee.token });
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ error: expect.stringMatching(/^this shared computer was signed out at the end of the day/) as unknown });
    expect((await hub.api('/me', { token: dee.token })).status).toBe(401);
  });

  it('lists the learner’s devices, revokes any of them, and signs this computer out', async () => {
    hub.clock.now = new Date('2027-03-01T09:00:00Z');
    const eve = await hub.enrol({ name: 'Eve', deviceLabel: "Eve's laptop" });
    const code = (await (await hub.api('/device-code', { token: eve.token, method: 'POST', json: {} })).json()) as { code: string };
    const phone = (await (await hub.api('/device-code/redeem', { json: { code: code.code, deviceLabel: 'Phone' } })).json()) as Signed;
    const listed = (await (await hub.api('/me/devices', { token: eve.token })).json()) as { devices: { id: string; label: string; current: boolean }[] };
    expect(listed.devices.map((d) => [d.label, d.current])).toEqual(
      expect.arrayContaining([
        ["Eve's laptop", true],
        ['Phone', false],
      ]),
    );
    // Nobody revokes another learner's device.
    const other = await hub.enrol({ name: 'Other' });
    expect((await hub.api(`/me/devices/${phone.device.id}`, { token: other.token, method: 'DELETE' })).status).toBe(404);
    expect((await hub.api('/me', { token: phone.token })).status).toBe(200);
    expect((await hub.api(`/me/devices/${phone.device.id}`, { token: eve.token, method: 'DELETE' })).status).toBe(204);
    const revoked = await hub.xapi('/statements', { token: phone.token });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: expect.stringMatching(/^this device has been signed out/) as unknown });
    expect((await hub.api('/me/sign-out', { token: eve.token, method: 'POST', json: {} })).status).toBe(204);
    expect((await hub.api('/me', { token: eve.token })).status).toBe(401);
    const actions = (await readAudit(hub.db, { limit: 10 })).map((entry) => entry.action);
    expect(actions.filter((action) => action === 'device-revoked')).toHaveLength(2);
  });

  it('gives another device its own credential with a one-time code, once', async () => {
    const fay = await hub.enrol({ name: 'Fay' });
    const asked = await hub.api('/device-code', { token: fay.token, method: 'POST', json: {} });
    expect(asked.status).toBe(201);
    const { code, expires } = (await asked.json()) as { code: string; expires: string };
    expect(code).toMatch(new RegExp(`^[${codeAlphabet}]{8}$`));
    expect(Date.parse(expires) - hub.clock.now.getTime()).toBe(10 * 60 * 1000);
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const redeemed = await hub.api('/device-code/redeem', { json: { code: typed, shared: true } });
    expect(redeemed.status).toBe(201);
    const second = (await redeemed.json()) as Signed;
    expect(second.learner.id).toBe(fay.learner.id);
    expect(second.token).not.toBe(fay.token);
    expect((await hub.xapi('/statements', { token: second.token, json: opened(fay.agent) })).status).toBe(200);
    const again = await hub.api('/device-code/redeem', { json: { code } });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'that code is not right, has been used or is more than 10 minutes old: ask for a new code on the device you are signed in on',
      where: 'code',
    });
  });

  it('refuses a code more than 10 minutes old', async () => {
    const gus = await hub.enrol({ name: 'Gus' });
    const { code } = (await (await hub.api('/device-code', { token: gus.token, method: 'POST', json: {} })).json()) as { code: string };
    hub.clock.now = new Date(hub.clock.now.getTime() + 10 * 60 * 1000);
    expect((await hub.api('/device-code/redeem', { json: { code } })).status).toBe(400);
  });

  it.each([
    [4, 201],
    [5, 400],
  ])('after %i wrong tries from anywhere, a live code answers %i', async (wrongTries, status) => {
    const hal = await hub.enrol({ name: 'Hal' });
    const { code } = (await (await hub.api('/device-code', { token: hal.token, method: 'POST', json: {} })).json()) as { code: string };
    for (let i = 0; i < wrongTries; i++) {
      const wrong = code === '00000000' ? '11111111' : '00000000';
      expect((await hub.api('/device-code/redeem', { json: { code: wrong } })).status).toBe(400);
    }
    expect((await hub.api('/device-code/redeem', { json: { code } })).status).toBe(status);
  });

  it('rate-limits code tries per client', async () => {
    hub.clock.now = new Date('2027-06-01T10:00:00Z');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await hub.api('/device-code/redeem', { json: { code: 'ZZZZZZZZ' } })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  });

  it('rate-limits the codes one learner asks for', async () => {
    hub.clock.now = new Date('2027-07-01T10:00:00Z');
    const ida = await hub.enrol({ name: 'Ida' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await hub.api('/device-code', { token: ida.token, method: 'POST', json: {} })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it.each(["'; drop table person; --", '"); delete from device; --', "O'Brien\\\"'"])('treats %j as data wherever a learner can send it', async (text) => {
    hub.clock.now = new Date(hub.clock.now.getTime() + 10 * 60 * 1000);
    const jo = await hub.enrol({ name: text, deviceLabel: text });
    expect((await hub.api('/enrol/check', { json: { token: text } })).status).toBe(404);
    expect((await hub.api('/device-code/redeem', { json: { code: text, deviceLabel: text } })).status).toBe(400);
    expect((await hub.api(`/me/devices/${encodeURIComponent(text)}`, { token: jo.token, method: 'DELETE' })).status).toBe(404);
    const activity = encodeURIComponent('https://learning.brookfield.example.org/films/health-visiting');
    const agent = encodeURIComponent(JSON.stringify(jo.agent));
    const stateId = encodeURIComponent(text);
    expect(
      (await hub.xapi(`/activities/state?activityId=${activity}&agent=${agent}&stateId=${stateId}`, { token: jo.token, method: 'PUT', json: { note: text } }))
        .status,
    ).toBe(204);
    expect(await (await hub.xapi(`/activities/state?activityId=${activity}&agent=${agent}&stateId=${stateId}`, { token: jo.token })).json()).toEqual({
      note: text,
    });
    expect((await hub.xapi(`/statements?agent=${encodeURIComponent(text)}`, { token: jo.token })).status).toBe(400);
    const me = (await (await hub.api('/me', { token: jo.token })).json()) as { learner: { name: string } };
    expect(me.learner.name).toBe(text);
    for (const table of ['person', 'device', 'device_code', 'enrolment_link', 'statement']) {
      expect(await hub.db.query(`select count(*)::int as n from ${table}`)).toHaveLength(1);
    }
  });

  it('refuses a code request without a signed-in device', async () => {
    expect((await hub.api('/device-code', { method: 'POST', json: {} })).status).toBe(401);
  });
});

/**
 * The document resources (State, Activity Profile, Agent Profile) over HTTP, on
 * PGlite and on PostgreSQL: storage as sent, ETags, concurrency, merge, listing,
 * deletion and the parameter checks, each refusal naming what is wrong.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, testHub, type TestHub } from './support/hub.ts';

const activityId = 'https://learning.example.org/modules/family-hubs';
const learner = { objectType: 'Agent', account: { homePage: 'https://learning.example.org', name: 'learner-1' } };
const q = (params: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])).toString();
const sha1 = (bytes: Uint8Array | string): string => `"${createHash('sha1').update(bytes).digest('hex')}"`;

describe.each(drivers)('document resources on %s', (driver) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub(driver);
  });
  afterAll(async () => {
    await hub.close();
  });

  const state = (params: Record<string, unknown> = {}) => `/xapi/activities/state?${q({ activityId, agent: learner, ...params })}`;
  const expectRefusal = async (response: Response, status: number, where: string) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string; where?: string };
    expect(body.where).toBe(where);
    expect(body.error.length).toBeGreaterThan(5);
    expect(response.headers.get('X-Experience-API-Version')).toBe('1.0.3');
  };

  describe('State', () => {
    it('stores a document as sent and returns it with its content type, a quoted SHA-1 ETag and Last-Modified', async () => {
      const text = '{"bookmark":"lesson-3"}';
      const put = await hub.request(state({ stateId: 'resume' }), {
        method: 'PUT',
        body: text,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
      expect(put.status).toBe(204);
      expect(put.headers.get('ETag')).toBe(sha1(text));
      const got = await hub.request(state({ stateId: 'resume' }));
      expect(got.status).toBe(200);
      expect(await got.text()).toBe(text);
      expect(got.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      expect(got.headers.get('ETag')).toBe(sha1(text));
      expect(Date.now() - Date.parse(got.headers.get('Last-Modified') as string)).toBeLessThan(60_000);
    });

    it('keeps binary documents byte for byte', async () => {
      const bytes = new Uint8Array(256).map((_, index) => 255 - index);
      expect((await hub.request(state({ stateId: 'picture' }), { method: 'PUT', body: bytes, headers: { 'Content-Type': 'image/png' } })).status).toBe(204);
      const got = await hub.request(state({ stateId: 'picture' }));
      expect(got.headers.get('Content-Type')).toBe('image/png');
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
      expect(got.headers.get('ETag')).toBe(sha1(bytes));
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      await hub.request(state({ stateId: 'head' }), { method: 'PUT', json: { a: 1 } });
      const head = await hub.request(state({ stateId: 'head' }), { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('ETag')).toBe(sha1('{"a":1}'));
      expect(await head.text()).toBe('');
    });

    it('treats the same agent identifier as the same agent, whatever name comes with it', async () => {
      await hub.request(state({ stateId: 'same-agent' }), { method: 'PUT', json: { step: 2 } });
      const renamed = { name: 'Siân Llŷr', account: learner.account };
      expect(await (await hub.request(state({ stateId: 'same-agent', agent: renamed }))).json()).toEqual({ step: 2 });
    });

    it('merges a POSTed JSON object into the stored one, one level deep', async () => {
      const url = state({ stateId: 'merge' });
      expect((await hub.request(url, { method: 'POST', json: { car: { make: 'Ford', model: 'Escape' }, driver: 'Dale' } })).status).toBe(204);
      expect((await hub.request(url, { method: 'POST', json: { car: { make: 'Dodge' }, series: 'sprint' } })).status).toBe(204);
      const got = await hub.request(url);
      expect(await got.json()).toEqual({ car: { make: 'Dodge' }, driver: 'Dale', series: 'sprint' });
      expect(got.headers.get('Content-Type')).toMatch(/^application\/json/);
    });

    it('refuses to merge when either document is not a JSON object, and changes nothing', async () => {
      const jsonDoc = state({ stateId: 'merge-json' });
      await hub.request(jsonDoc, { method: 'POST', json: { kept: true } });
      await expectRefusal(await hub.request(jsonDoc, { method: 'POST', body: 'plain', headers: { 'Content-Type': 'text/plain' } }), 400, 'Content-Type');
      await expectRefusal(await hub.request(jsonDoc, { method: 'POST', body: '{"broken":', headers: { 'Content-Type': 'application/json' } }), 400, 'body');
      await expectRefusal(await hub.request(jsonDoc, { method: 'POST', body: '[1,2]', headers: { 'Content-Type': 'application/json' } }), 400, 'body');
      expect(await (await hub.request(jsonDoc)).json()).toEqual({ kept: true });

      const textDoc = state({ stateId: 'merge-text' });
      await hub.request(textDoc, { method: 'PUT', body: 'not json', headers: { 'Content-Type': 'application/octet-stream' } });
      await expectRefusal(await hub.request(textDoc, { method: 'POST', json: { a: 1 } }), 400, 'Content-Type');
      expect(await (await hub.request(textDoc)).text()).toBe('not json');
    });

    it('stores a POST as a PUT when no document exists, whatever its type', async () => {
      expect((await hub.request(state({ stateId: 'post-new' }), { method: 'POST', body: 'abc', headers: { 'Content-Type': 'text/plain' } })).status).toBe(204);
      expect(await (await hub.request(state({ stateId: 'post-new' }))).text()).toBe('abc');
    });

    it('keeps documents of different registrations apart, and lists and deletes them by registration', async () => {
      const agent = { mbox: 'mailto:registrations@example.org' };
      const [first, second] = ['6f0e8a52-3a57-4b5e-9a48-2b1e0c4d5f61', '7a1f9b63-4b68-4c6f-8b59-3c2f1d5e6a72'];
      await hub.request(state({ agent, stateId: 'a' }), { method: 'PUT', json: { none: true } });
      await hub.request(state({ agent, stateId: 'a', registration: first }), { method: 'PUT', json: { first: true } });
      await hub.request(state({ agent, stateId: 'b', registration: second }), { method: 'PUT', json: { second: true } });
      expect(await (await hub.request(state({ agent, stateId: 'a', registration: first.toUpperCase() }))).json()).toEqual({ first: true });
      expect(await (await hub.request(state({ agent, stateId: 'a' }))).json()).toEqual({ none: true });
      expect(await (await hub.request(state({ agent, registration: first }))).json()).toEqual(['a']);
      expect(await (await hub.request(state({ agent }))).json()).toEqual(['a', 'a', 'b']);

      expect((await hub.request(state({ agent, registration: first }), { method: 'DELETE' })).status).toBe(204);
      expect(await (await hub.request(state({ agent }))).json()).toEqual(['a', 'b']);
      expect((await hub.request(state({ agent, stateId: 'b', registration: second }), { method: 'DELETE' })).status).toBe(204);
      expect(await (await hub.request(state({ agent }))).json()).toEqual(['a']);
      expect((await hub.request(state({ agent }), { method: 'DELETE' })).status).toBe(204);
      expect(await (await hub.request(state({ agent }))).json()).toEqual([]);
    });

    it('lists only documents changed after since', async () => {
      const agent = { mbox: 'mailto:since@example.org' };
      await hub.request(state({ agent, stateId: 'recent' }), { method: 'PUT', json: {} });
      const minuteAgo = new Date(Date.now() - 60_000).toISOString();
      const inAMinute = new Date(Date.now() + 60_000).toISOString();
      const listed = await hub.request(state({ agent, since: minuteAgo }));
      expect(await listed.json()).toEqual(['recent']);
      expect(listed.headers.get('Last-Modified')).not.toBeNull();
      expect(await (await hub.request(state({ agent, since: inAMinute }))).json()).toEqual([]);
    });

    it('answers 404 naming the id for a document that does not exist', async () => {
      await expectRefusal(await hub.request(state({ stateId: 'never-stored' })), 404, 'stateId');
    });

    it('refuses bad parameters with 400, naming the parameter', async () => {
      const refuse = async (url: string, where: string, method = 'GET') =>
        expectRefusal(await hub.request(url, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }) }), 400, where);
      await refuse(`/xapi/activities/state?${q({ agent: learner, stateId: 's' })}`, 'activityId');
      await refuse(state({ activityId: 'not an iri', stateId: 's' }), 'activityId', 'PUT');
      await refuse(`/xapi/activities/state?${q({ activityId, stateId: 's' })}`, 'agent', 'POST');
      await refuse(state({ agent: 'not JSON', stateId: 's' }), 'agent', 'DELETE');
      await refuse(state({ agent: true, stateId: 's' }), 'agent');
      await refuse(state({ agent: { mbox: 'someone@example.org' }, stateId: 's' }), 'agent.mbox');
      await refuse(state({ agent: { name: 'No identifier' }, stateId: 's' }), 'agent');
      await refuse(state({ agent: { objectType: 'Group', mbox: 'mailto:team@example.org' }, stateId: 's' }), 'agent.objectType');
      await refuse(state({ registration: 'true', stateId: 's' }), 'registration', 'PUT');
      await refuse(state({ since: 'yesterday' }), 'since');
      await refuse(state({}), 'stateId', 'PUT');
      await refuse(state({}), 'stateId', 'POST');
      await refuse(state({ stateId: 's', colour: 'blue' }), 'colour');
      await refuse(state({ stateId: 's', since: new Date().toISOString() }), 'since', 'PUT');
      await refuse(`${state({ stateId: 's' })}&stateId=t`, 'stateId');
    });

    it('needs the state scope to write and state or a read scope to read', async () => {
      const reader = await hub.keyFor(['all/read']);
      const statementsOnly = await hub.keyFor(['statements/write']);
      const stateKey = await hub.keyFor(['state']);
      const url = state({ stateId: 'scoped' });
      expect((await hub.request(url, { method: 'PUT', json: { a: 1 }, headers: { Authorization: stateKey } })).status).toBe(204);
      expect((await hub.request(url, { headers: { Authorization: reader } })).status).toBe(200);
      expect((await hub.request(url, { method: 'PUT', json: { a: 2 }, headers: { Authorization: reader } })).status).toBe(403);
      expect((await hub.request(url, { headers: { Authorization: statementsOnly } })).status).toBe(403);
      expect(await (await hub.request(url)).json()).toEqual({ a: 1 });
    });
  });

  describe('concurrency (If-Match, If-None-Match)', () => {
    const profile = (profileId: string) => `/xapi/activities/profile?${q({ activityId, profileId })}`;

    it('creates a profile with If-None-Match: * and refuses a second create with 412', async () => {
      expect((await hub.request(profile('create'), { method: 'PUT', json: { v: 1 }, headers: { 'If-None-Match': '*' } })).status).toBe(204);
      await expectRefusal(await hub.request(profile('create'), { method: 'PUT', json: { v: 2 }, headers: { 'If-None-Match': '*' } }), 412, 'If-None-Match');
      expect(await (await hub.request(profile('create'))).json()).toEqual({ v: 1 });
    });

    it('replaces a profile only when If-Match names its current ETag', async () => {
      await hub.request(profile('replace'), { method: 'PUT', json: { v: 1 }, headers: { 'If-None-Match': '*' } });
      const etag = (await hub.request(profile('replace'))).headers.get('ETag') as string;
      await expectRefusal(
        await hub.request(profile('replace'), { method: 'PUT', json: { v: 2 }, headers: { 'If-Match': `"${'1'.repeat(40)}"` } }),
        412,
        'If-Match',
      );
      expect(await (await hub.request(profile('replace'))).json()).toEqual({ v: 1 });
      expect((await hub.request(profile('replace'), { method: 'PUT', json: { v: 3 }, headers: { 'If-Match': etag } })).status).toBe(204);
      expect(await (await hub.request(profile('replace'))).json()).toEqual({ v: 3 });
      await expectRefusal(await hub.request(profile('replace'), { method: 'DELETE', headers: { 'If-Match': etag } }), 412, 'If-Match');
      await expectRefusal(await hub.request(profile('absent'), { method: 'PUT', json: {}, headers: { 'If-Match': '*' } }), 412, 'If-Match');
    });

    it('refuses a profile PUT with neither header: 409 when the document exists, 400 when it does not', async () => {
      await expectRefusal(await hub.request(profile('bare'), { method: 'PUT', json: { v: 1 } }), 400, 'If-None-Match');
      expect((await hub.request(profile('bare'))).status).toBe(404);
      await hub.request(profile('bare'), { method: 'POST', json: { v: 1 } });
      const conflict = await hub.request(profile('bare'), { method: 'PUT', json: { v: 2 } });
      expect(conflict.status).toBe(409);
      expect(((await conflict.json()) as { error: string }).error).toMatch(/If-Match/);
      expect(await (await hub.request(profile('bare'))).json()).toEqual({ v: 1 });
    });

    it('accepts a State PUT with neither header from a 1.0.3 client', async () => {
      const url = state({ stateId: 'bare-state' });
      expect((await hub.request(url, { method: 'PUT', json: { v: 1 } })).status).toBe(204);
      expect((await hub.request(url, { method: 'PUT', json: { v: 2 } })).status).toBe(204);
    });

    it('refuses a 2.0 client a State PUT with neither header over an existing document with 409', async () => {
      const url = state({ stateId: 'bare-state-2' });
      const v2 = { 'X-Experience-API-Version': '2.0.0' };
      expect((await hub.request(url, { method: 'PUT', json: { v: 1 }, headers: v2 })).status).toBe(204);
      const conflict = await hub.request(url, { method: 'PUT', json: { v: 2 }, headers: v2 });
      expect(conflict.status).toBe(409);
      expect(((await conflict.json()) as { where: string }).where).toBe('If-Match');
      expect(await (await hub.request(url)).json()).toEqual({ v: 1 });
    });

    it('answers a GET whose If-None-Match names the current ETag with 304', async () => {
      await hub.request(profile('cached'), { method: 'PUT', json: { v: 1 }, headers: { 'If-None-Match': '*' } });
      const etag = (await hub.request(profile('cached'))).headers.get('ETag') as string;
      expect((await hub.request(profile('cached'), { headers: { 'If-None-Match': etag } })).status).toBe(304);
    });

    it('lets exactly one of two writers holding the same ETag win', async () => {
      await hub.request(profile('race'), { method: 'PUT', json: { v: 0 }, headers: { 'If-None-Match': '*' } });
      const etag = (await hub.request(profile('race'))).headers.get('ETag') as string;
      const results = await Promise.all(
        [1, 2, 3, 4].map((v) =>
          hub.request(profile('race'), { method: 'PUT', json: { v }, headers: { 'If-Match': etag } }).then((response) => response.status),
        ),
      );
      expect(results.filter((status) => status === 204)).toHaveLength(1);
      expect(results.filter((status) => status === 412)).toHaveLength(3);
    });
  });

  describe('Activity Profile and Agent Profile', () => {
    it('lists an activity profile ids, since included', async () => {
      const activity = `${activityId}/listing`;
      for (const profileId of ['b', 'a']) {
        await hub.request(`/xapi/activities/profile?${q({ activityId: activity, profileId })}`, { method: 'POST', json: { profileId } });
      }
      expect(await (await hub.request(`/xapi/activities/profile?${q({ activityId: activity })}`)).json()).toEqual(['a', 'b']);
      const since = new Date(Date.now() + 60_000).toISOString();
      expect(await (await hub.request(`/xapi/activities/profile?${q({ activityId: activity, since })}`)).json()).toEqual([]);
    });

    it('stores, merges, lists and deletes agent profiles, and needs a profileId to delete', async () => {
      const agent = { openid: 'https://id.example.org/learner-7' };
      const url = `/xapi/agents/profile?${q({ agent, profileId: 'preferences' })}`;
      expect((await hub.request(url, { method: 'PUT', json: { language: 'cy' }, headers: { 'If-None-Match': '*' } })).status).toBe(204);
      expect((await hub.request(url, { method: 'POST', json: { captions: true } })).status).toBe(204);
      expect(await (await hub.request(url)).json()).toEqual({ language: 'cy', captions: true });
      expect(await (await hub.request(`/xapi/agents/profile?${q({ agent })}`)).json()).toEqual(['preferences']);
      await expectRefusal(await hub.request(`/xapi/agents/profile?${q({ agent })}`, { method: 'DELETE' }), 400, 'profileId');
      expect((await hub.request(url, { method: 'DELETE' })).status).toBe(204);
      expect((await hub.request(url)).status).toBe(404);
    });

    it('needs the profile scope', async () => {
      const stateKey = await hub.keyFor(['state']);
      const url = `/xapi/agents/profile?${q({ agent: learner, profileId: 'scoped' })}`;
      expect((await hub.request(url, { method: 'POST', json: {}, headers: { Authorization: stateKey } })).status).toBe(403);
      expect((await hub.request(url, { method: 'POST', json: {}, headers: { Authorization: await hub.keyFor(['profile']) } })).status).toBe(204);
    });
  });

  describe('Agents, Activities and About', () => {
    it('returns a Person with the identifier asked about and every name seen for it', async () => {
      const agent = { mbox: 'mailto:zoe@example.org' };
      await hub.db.query(`insert into agent (agent_key, ifi, names, updated) values ($1, $2::text::jsonb, $3, now())`, [
        'mbox:mailto:zoe@example.org',
        JSON.stringify({ objectType: 'Agent', ...agent }),
        ['Zoë Łukasiewicz', 'Zoe L'],
      ]);
      const person = await (await hub.request(`/xapi/agents?${q({ agent: { ...agent, name: 'Zoë' } })}`)).json();
      expect(person).toEqual({ objectType: 'Person', name: ['Zoë Łukasiewicz', 'Zoe L', 'Zoë'], mbox: ['mailto:zoe@example.org'] });
    });

    it('returns a Person for an agent it has never seen, built from the request', async () => {
      const person = await (await hub.request(`/xapi/agents?${q({ agent: learner })}`)).json();
      expect(person).toEqual({ objectType: 'Person', account: [learner.account] });
      await expectRefusal(await hub.request('/xapi/agents'), 400, 'agent');
      await expectRefusal(await hub.request(`/xapi/agents?${q({ agent: { name: 'No identifier' } })}`), 400, 'agent');
    });

    it('returns the stored definition of an activity, or the activity alone when it has none', async () => {
      const definition = { name: { 'en-GB': 'Family Hubs' }, type: 'http://adlnet.gov/expapi/activities/module' };
      await hub.db.query('insert into activity (iri, definition, updated) values ($1, $2::text::jsonb, now())', [
        `${activityId}/defined`,
        JSON.stringify(definition),
      ]);
      expect(await (await hub.request(`/xapi/activities?${q({ activityId: `${activityId}/defined` })}`)).json()).toEqual({
        objectType: 'Activity',
        id: `${activityId}/defined`,
        definition,
      });
      expect(await (await hub.request(`/xapi/activities?${q({ activityId: `${activityId}/unknown` })}`)).json()).toEqual({
        objectType: 'Activity',
        id: `${activityId}/unknown`,
      });
      await expectRefusal(await hub.request('/xapi/activities'), 400, 'activityId');
      await expectRefusal(await hub.request(`/xapi/activities?activityId=true`), 400, 'activityId');
    });

    it('gathers the languages of an activity name from every statement, in one batch and across batches', async () => {
      const id = `${activityId}/languages`;
      const statement = (name: Record<string, string>) => ({
        actor: learner,
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id, definition: { name, type: 'http://adlnet.gov/expapi/activities/module' } },
      });
      expect(
        (await hub.request('/xapi/statements', { method: 'POST', json: [statement({ 'en-GB': 'Family Hubs' }), statement({ cy: 'Hybiau Teulu' })] })).status,
      ).toBe(200);
      expect((await hub.request('/xapi/statements', { method: 'POST', json: statement({ 'fr-FR': 'Maisons des familles' }) })).status).toBe(200);
      const activity = (await (await hub.request(`/xapi/activities?${q({ activityId: id })}`)).json()) as { definition: { name: Record<string, string> } };
      expect(activity.definition.name).toEqual({ 'en-GB': 'Family Hubs', cy: 'Hybiau Teulu', 'fr-FR': 'Maisons des familles' });
    });

    it('answers About without credentials or a version header', async () => {
      const about = await hub.app.request('/xapi/about');
      expect(about.status).toBe(200);
      const body = (await about.json()) as { version: string[] };
      expect(body.version).toContain('1.0.3');
      expect(body.version).toContain('2.0.0');
    });
  });
});

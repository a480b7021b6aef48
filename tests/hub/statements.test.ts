import { createHash, createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../../src/hub/auth/index.ts';
import { drivers, testHub, type TestHub } from './support/hub.ts';

const actor = { objectType: 'Agent', name: 'Sam Jones', mbox: 'mailto:sam@example.org' };
const otherActor = { objectType: 'Agent', account: { homePage: 'https://learning.example.org', name: 'learner-2' } };
const completed = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed', 'fr-FR': 'terminé' } };
const voided = { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-GB': 'voided' } };
const moduleId = 'https://learning.example.org/modules/family-hubs';
type Json = Record<string, unknown>;
const statement = (extra: Json = {}): Json => ({
  id: randomUUID(),
  actor,
  verb: completed,
  object: { objectType: 'Activity', id: moduleId, definition: { name: { 'en-GB': 'Family hubs', 'fr-FR': 'Centres familiaux' } } },
  ...extra,
});
const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

function multipart(json: unknown, parts: { content: Buffer | string; type: string; hash?: string }[]): { body: Uint8Array<ArrayBuffer>; type: string } {
  const boundary = 'test-boundary-42';
  const chunks = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`)];
  for (const part of parts) {
    const content = Buffer.from(part.content);
    const hash = part.hash ?? createHash('sha256').update(content).digest('hex');
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${part.type}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${hash}\r\n\r\n`),
      content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), type: `multipart/mixed; boundary=${boundary}` };
}

function sign(payload: unknown, header: Json): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256')
    .update(input)
    .sign(readFileSync(new URL('../fixtures/hub/signing-key.pem', import.meta.url)));
  return `${input}.${signature.toString('base64url')}`;
}
const certificate = readFileSync(new URL('../fixtures/hub/signing-cert.pem', import.meta.url), 'utf8')
  .replace(/-----[A-Z ]+-----/g, '')
  .replace(/\s+/g, '');

describe.each(drivers)('statements on %s', (driver) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });
  const post = (json: unknown) => hub.request('/xapi/statements', { method: 'POST', json });
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const response = await hub.request(`/xapi/statements?${query}`, { headers });
    return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
  };
  const count = async (id: string) => (await hub.db.query<{ n: number }>('select count(*)::int as n from statement where id = $1', [id]))[0]?.n;

  it('stores a PUT statement and returns it by id with stored, authority and version set by the LRS', async () => {
    const s = statement({ authority: { mbox: 'mailto:forged@example.org' }, stored: '2001-01-01T00:00:00Z' });
    const put = await hub.request(`/xapi/statements?statementId=${s.id}`, { method: 'PUT', json: s });
    expect(put.status).toBe(204);
    expect(put.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    const { status, body, headers } = await get(`statementId=${s.id}`);
    expect(status).toBe(200);
    expect(body.id).toBe(s.id);
    expect((body.authority as Json).account).toEqual({ homePage: 'http://hub.test', name: expect.any(String) });
    expect(body.stored).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.stored).not.toBe('2001-01-01T00:00:00Z');
    expect(body.version).toBe('1.0.0');
    expect(headers.get('X-Experience-API-Consistent-Through')).toMatch(/^\d{4}-/);
    expect(headers.get('Last-Modified')).toBeTruthy();
  });

  it('refuses a PUT whose body id differs from statementId, or with no statementId', async () => {
    const s = statement();
    expect((await hub.request(`/xapi/statements?statementId=${randomUUID()}`, { method: 'PUT', json: s })).status).toBe(400);
    expect((await hub.request('/xapi/statements', { method: 'PUT', json: s })).status).toBe(400);
    expect(await count(s.id as string)).toBe(0);
  });

  it('POSTs a batch and returns the ids in order, giving an id to a statement without one', async () => {
    const a = statement();
    const b = statement();
    delete b.id;
    const response = await post([a, b]);
    expect(response.status).toBe(200);
    const ids = (await response.json()) as string[];
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(a.id);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get(`statementId=${ids[1]}`)).status).toBe(200);
  });

  it('stores none of a batch when one statement is invalid, and says which and where', async () => {
    const good = statement();
    const bad = statement({ actor: { account: { homePage: 'not an iri', name: 'x' } } });
    const response = await post([good, good === bad ? good : statement(), bad]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.where).toBe('statement[2].actor.account.homePage');
    expect(body.error).toContain('statement[2].actor.account.homePage');
    expect(await count(good.id as string)).toBe(0);
  });

  it('refuses a batch with the same id twice', async () => {
    const s = statement();
    expect((await post([s, s])).status).toBe(400);
    expect(await count(s.id as string)).toBe(0);
  });

  it('accepts the same statement again without a duplicate, compared as the spec says, and refuses different content with 409', async () => {
    const s = statement({
      timestamp: '2026-03-01T09:30:00Z',
      context: { contextActivities: { parent: { id: 'https://learning.example.org/roles/library' } } },
    });
    expect((await post(s)).status).toBe(200);
    const same = {
      ...s,
      id: (s.id as string).toUpperCase(),
      timestamp: '2026-03-01T09:30:00.000+00:00',
      context: { contextActivities: { parent: [{ id: 'https://learning.example.org/roles/library' }] } },
    };
    expect((await post([same])).status).toBe(200);
    expect((await hub.request(`/xapi/statements?statementId=${s.id}`, { method: 'PUT', json: s })).status).toBe(204);
    expect(await count(s.id as string)).toBe(1);
    const different = { ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } };
    const conflict = await post(different);
    expect(conflict.status).toBe(409);
    const fresh = statement();
    expect((await post([fresh, different])).status).toBe(409);
    expect(await count(fresh.id as string)).toBe(0);
  });

  it('gives a statement sent without a timestamp its stored time, and still accepts it again unchanged', async () => {
    const s = statement();
    await post(s);
    const { body } = await get(`statementId=${s.id}`);
    expect(body.timestamp).toBe(body.stored);
    expect((await post(s)).status).toBe(200);
    expect((await post({ ...s, timestamp: '2020-01-01T00:00:00Z' })).status).toBe(409);
  });

  it('returns context activities as lists even when sent as one object', async () => {
    const s = statement({ context: { contextActivities: { category: { id: 'https://learning.example.org/roles/school' } } } });
    await post(s);
    const { body } = await get(`statementId=${s.id}`);
    expect(((body.context as Json).contextActivities as Json).category).toEqual([{ id: 'https://learning.example.org/roles/school' }]);
  });

  it('requires the version header on requests and sets it on every response, errors included', async () => {
    const response = await hub.request('/xapi/statements', { headers: { 'X-Experience-API-Version': '' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    const missing = await hub.app.request('/xapi/statements', { headers: { Authorization: hub.auth } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).where).toBe('X-Experience-API-Version');
    expect(missing.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    expect((await hub.request('/xapi/statements', { headers: { 'X-Experience-API-Version': '0.95' } })).status).toBe(400);
  });

  it('refuses requests without a key, with a wrong secret or with a revoked key', async () => {
    const none = await hub.app.request('/xapi/statements', { headers: { 'X-Experience-API-Version': '1.0.3' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('WWW-Authenticate')).toContain('Basic');
    const [key] = Buffer.from(hub.auth.slice(6), 'base64').toString().split(':');
    expect((await hub.request('/xapi/statements', { headers: { Authorization: basic(key as string, 'wrong') } })).status).toBe(401);
    const revocable = await hub.keyFor(['all']);
    expect((await hub.request('/xapi/statements', { headers: { Authorization: revocable } })).status).toBe(200);
    const [revocableKey] = Buffer.from(revocable.slice(6), 'base64').toString().split(':');
    expect(await revokeKey(hub.db, revocableKey as string)).toBe(true);
    expect((await hub.request('/xapi/statements', { headers: { Authorization: revocable } })).status).toBe(401);
  });

  it('enforces scopes: write cannot read, read cannot write, read/mine sees only its own statements', async () => {
    const writer = await hub.keyFor(['statements/write']);
    const reader = await hub.keyFor(['statements/read']);
    const stateOnly = await hub.keyFor(['state']);
    const s = statement();
    expect((await hub.request('/xapi/statements', { method: 'POST', json: s, headers: { Authorization: stateOnly } })).status).toBe(403);
    expect((await hub.request('/xapi/statements', { method: 'POST', json: s, headers: { Authorization: reader } })).status).toBe(403);
    expect((await hub.request('/xapi/statements', { method: 'POST', json: s, headers: { Authorization: writer } })).status).toBe(200);
    expect((await hub.request(`/xapi/statements?statementId=${s.id}`, { headers: { Authorization: writer } })).status).toBe(403);
    expect((await hub.request(`/xapi/statements?statementId=${s.id}`, { headers: { Authorization: reader } })).status).toBe(200);

    const mine = await hub.keyFor(['statements/read/mine', 'statements/write']);
    const own = statement({ actor: otherActor });
    expect((await hub.request('/xapi/statements', { method: 'POST', json: own, headers: { Authorization: mine } })).status).toBe(200);
    const listed = await hub.request('/xapi/statements?limit=0', { headers: { Authorization: mine } });
    const ids = (((await listed.json()) as Json).statements as Json[]).map((x) => x.id);
    expect(ids).toEqual([own.id]);
    expect((await hub.request(`/xapi/statements?statementId=${s.id}`, { headers: { Authorization: mine } })).status).toBe(404);
  });

  it('voids a statement: gone from statementId and filters, found by voidedStatementId; a voiding statement cannot be voided', async () => {
    const target = statement({ verb: { id: 'http://example.org/verbs/voidable' } });
    await post(target);
    const voiding = statement({ verb: voided, object: { objectType: 'StatementRef', id: target.id } });
    expect((await post(voiding)).status).toBe(200);
    expect((await get(`statementId=${target.id}`)).status).toBe(404);
    expect((await get(`voidedStatementId=${target.id}`)).body.id).toBe(target.id);
    expect((await get(`voidedStatementId=${voiding.id}`)).status).toBe(404);
    const byVerb = await get(`verb=${encodeURIComponent('http://example.org/verbs/voidable')}`);
    // The voided statement is not returned; the voiding statement refers to it, so it is.
    expect((byVerb.body.statements as Json[]).map((x) => x.id)).toEqual([voiding.id]);
    const again = statement({ verb: voided, object: { objectType: 'StatementRef', id: voiding.id } });
    expect((await post(again)).status).toBe(400);
    expect((await post(statement({ verb: voided }))).status).toBe(400);
  });

  it('filters by agent, verb, activity, registration and their related forms', async () => {
    const registration = randomUUID();
    const lead = { objectType: 'Agent', mbox: 'mailto:lead-filter@example.org' };
    const learner = { objectType: 'Agent', mbox: 'mailto:learner-filter@example.org' };
    const course = 'https://learning.example.org/courses/filter-test';
    const mod = 'https://learning.example.org/modules/filter-test';
    const a = statement({ actor: learner, object: { id: mod }, context: { registration, instructor: lead, contextActivities: { parent: [{ id: course }] } } });
    const b = statement({ actor: lead, verb: { id: 'http://example.org/verbs/reviewed' }, object: learner });
    const c = statement({ actor: { objectType: 'Group', member: [learner] }, object: { id: course } });
    expect((await post([a, b, c])).status).toBe(200);
    const ids = async (query: string) => ((await get(query)).body.statements as Json[]).map((x) => x.id);
    const agent = (value: unknown) => `agent=${encodeURIComponent(JSON.stringify(value))}`;
    expect(await ids(agent(learner))).toEqual([c.id, b.id, a.id]);
    expect(await ids(agent(lead))).toEqual([b.id]);
    expect(await ids(`${agent(lead)}&related_agents=true`)).toEqual([b.id, a.id]);
    expect(await ids(`activity=${encodeURIComponent(mod)}`)).toEqual([a.id]);
    expect(await ids(`activity=${encodeURIComponent(course)}`)).toEqual([c.id]);
    expect(await ids(`activity=${encodeURIComponent(course)}&related_activities=true`)).toEqual([c.id, a.id]);
    expect(await ids(`registration=${registration}`)).toEqual([a.id]);
    expect(await ids(`${agent(learner)}&verb=${encodeURIComponent('http://example.org/verbs/reviewed')}`)).toEqual([b.id]);
    expect(await ids(`${agent(learner)}&ascending=true`)).toEqual([a.id, b.id, c.id]);
  });

  it('returns statements that refer to a matching statement by StatementRef', async () => {
    const target = statement({ actor: { mbox: 'mailto:ref-target@example.org' } });
    const referrer = statement({ actor: otherActor, object: { objectType: 'StatementRef', id: target.id } });
    await post([target, referrer]);
    const { body } = await get(`agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:ref-target@example.org' }))}`);
    expect((body.statements as Json[]).map((x) => x.id)).toEqual([referrer.id, target.id]);
  });

  it('filters by since and until on stored time, and pages with more', async () => {
    const who = { mbox: 'mailto:pager@example.org' };
    const first = statement({ actor: who });
    await post(first);
    const stored = (await get(`statementId=${first.id}`)).body.stored as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Array.from({ length: 5 }, () => statement({ actor: who }));
    await post(later);
    const agent = `agent=${encodeURIComponent(JSON.stringify(who))}`;
    const since = await get(`${agent}&since=${encodeURIComponent(stored)}`);
    expect((since.body.statements as Json[]).map((x) => x.id).sort()).toEqual(later.map((x) => x.id).sort());
    const until = await get(`${agent}&until=${encodeURIComponent(stored)}`);
    expect((until.body.statements as Json[]).map((x) => x.id)).toEqual([first.id]);

    const seen: unknown[] = [];
    let page = await get(`${agent}&limit=2`);
    for (;;) {
      seen.push(...(page.body.statements as Json[]).map((x) => x.id));
      if (!page.body.more) break;
      expect(page.body.more).toMatch(/^\/xapi\/statements\?/);
      const response = await hub.request(page.body.more as string);
      page = { status: response.status, body: (await response.json()) as Json, headers: response.headers };
    }
    expect(seen).toEqual(
      [...later]
        .reverse()
        .map((x) => x.id)
        .concat(first.id),
    );
  });

  it('returns ids and canonical formats', async () => {
    const s = statement({ actor: { ...actor, mbox: 'mailto:formats@example.org' } });
    await post(s);
    const ids = (await get(`statementId=${s.id}&format=ids`)).body;
    expect(ids.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:formats@example.org' });
    expect(ids.verb).toEqual({ id: completed.id });
    expect(ids.object).toEqual({ id: moduleId });
    const canonical = (await get(`statementId=${s.id}&format=canonical`, { 'Accept-Language': 'fr-FR, en;q=0.5' })).body;
    expect((canonical.verb as Json).display).toEqual({ 'fr-FR': 'terminé' });
    expect(((canonical.object as Json).definition as Json).name).toEqual({ 'fr-FR': 'Centres familiaux' });
    expect((await get(`statementId=${s.id}&format=long`)).status).toBe(400);
  });

  it('refuses unknown parameters and statementId combined with filters', async () => {
    const refused = await get('colour=blue');
    expect(refused.headers.get('X-Experience-API-Consistent-Through')).toMatch(/^\d{4}-/);
    expect((await get('colour=blue')).status).toBe(400);
    expect((await get(`statementId=${randomUUID()}&verb=${encodeURIComponent(completed.id)}`)).status).toBe(400);
    expect((await get('limit=-1')).status).toBe(400);
    expect((await get('since=yesterday')).status).toBe(400);
    expect((await get(`agent=${encodeURIComponent('{"name":"no id"}')}`)).status).toBe(400);
    expect((await get(`statementId=${randomUUID()}`)).status).toBe(404);
  });

  it('stores attachments sent as multipart/mixed and returns them with attachments=true', async () => {
    const content = 'certificate text';
    const sha2 = createHash('sha256').update(content).digest('hex');
    const s = statement({
      attachments: [
        { usageType: 'http://example.org/certificate', display: { 'en-GB': 'Certificate' }, contentType: 'text/plain', length: content.length, sha2 },
      ],
    });
    const { body, type } = multipart(s, [{ content, type: 'text/plain' }]);
    const response = await hub.request('/xapi/statements', { method: 'POST', body, headers: { 'Content-Type': type } });
    expect(response.status).toBe(200);
    const fetched = await hub.request(`/xapi/statements?statementId=${s.id}&attachments=true`);
    expect(fetched.headers.get('Content-Type')).toMatch(/^multipart\/mixed; boundary=/);
    const text = await fetched.text();
    expect(text).toContain(`X-Experience-API-Hash: ${sha2}`);
    expect(text).toContain(content);

    // Content may also be sent for an attachment that has a fileUrl.
    const withUrl = statement({ attachments: [{ ...(s.attachments as Json[])[0], fileUrl: 'https://files.example.org/certificate.txt' }] });
    const sentAnyway = multipart(withUrl, [{ content, type: 'text/plain' }]);
    expect((await hub.request('/xapi/statements', { method: 'POST', body: sentAnyway.body, headers: { 'Content-Type': sentAnyway.type } })).status).toBe(200);
    expect((await post(statement({ attachments: withUrl.attachments }))).status).toBe(200);

    const missing = statement({ attachments: s.attachments });
    expect((await post(missing)).status).toBe(400);
    const wrongHash = multipart(statement({ attachments: s.attachments }), [{ content: 'other text', type: 'text/plain', hash: sha2 }]);
    expect((await hub.request('/xapi/statements', { method: 'POST', body: wrongHash.body, headers: { 'Content-Type': wrongHash.type } })).status).toBe(400);
    const stray = multipart(statement(), [{ content, type: 'text/plain' }]);
    expect((await hub.request('/xapi/statements', { method: 'POST', body: stray.body, headers: { 'Content-Type': stray.type } })).status).toBe(400);
  });

  it('accepts a signed statement whose signature verifies and refuses one that does not match or uses another algorithm', async () => {
    const send = async (original: Json, jws: string) => {
      const sha2 = createHash('sha256').update(jws).digest('hex');
      const signed = {
        ...original,
        attachments: [
          {
            usageType: 'http://adlnet.gov/expapi/attachments/signature',
            display: { 'en-GB': 'Signature' },
            contentType: 'application/octet-stream',
            length: jws.length,
            sha2,
          },
        ],
      };
      const { body, type } = multipart(signed, [{ content: jws, type: 'application/octet-stream' }]);
      return (await hub.request('/xapi/statements', { method: 'POST', body, headers: { 'Content-Type': type } })).status;
    };
    const original = statement();
    expect(await send(original, sign(original, { alg: 'RS256', x5c: [certificate] }))).toBe(200);
    const other = statement();
    expect(await send(other, sign({ ...other, verb: { id: 'http://example.org/verbs/other' } }, { alg: 'RS256', x5c: [certificate] }))).toBe(400);
    const tampered = sign(other, { alg: 'RS256', x5c: [certificate] }).replace(/\.[^.]+$/, `.${Buffer.from('forged').toString('base64url')}`);
    expect(await send(other, tampered)).toBe(400);
    expect(await send(other, sign(other, { alg: 'HS256' }))).toBe(400);
    expect(await send(other, 'not a jws')).toBe(400);
  });

  it('refuses nesting deeper than the limit', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { 'http://example.org/e': deep };
    const response = await post(statement({ result: { extensions: deep } }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error).toMatch(/^statement\.result\.extensions\.http:\/\/example\.org\/e.*: is nested more than 32 levels deep$/);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await hub.request('/xapi/statements', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    expect(await response.text()).toBe('');
  });

  it('understands the alternate request syntax', async () => {
    const s = statement();
    const form = new URLSearchParams({
      'X-Experience-API-Version': '1.0.3',
      Authorization: hub.auth,
      'Content-Type': 'application/json',
      statementId: s.id as string,
      content: JSON.stringify(s),
    });
    const response = await hub.app.request('/xapi/statements?method=PUT', {
      method: 'POST',
      body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(204);
    expect(await count(s.id as string)).toBe(1);
    // Headers sent as headers count too: a GET as a POST with only its parameters in the form.
    const asGet = await hub.request('/xapi/statements?method=GET', {
      method: 'POST',
      body: 'limit=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(asGet.status).toBe(200);
    expect(((await asGet.json()) as Json).statements).toHaveLength(1);
    const noForm = await hub.request('/xapi/statements?method=PUT', { method: 'POST' });
    expect(noForm.status).toBe(400);
    const asVersion2 = await hub.request('/xapi/statements?method=GET', {
      method: 'POST',
      body: 'limit=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Experience-API-Version': '2.0.0' },
    });
    expect(asVersion2.status).toBe(400);
    const extra = await hub.app.request(`/xapi/statements?method=GET&statementId=${s.id}`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(extra.status).toBe(400);
  });
});

describe('statements limits and CORS', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub('pglite', { bodyLimit: 2000, corsOrigins: ['https://lms.example.org'] });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('refuses a body over the limit with 413 before storing anything', async () => {
    const s = statement({ result: { response: 'x'.repeat(3000) } });
    const response = await hub.request('/xapi/statements', { method: 'POST', json: s });
    expect(response.status).toBe(413);
    expect(response.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    expect((await hub.db.query('select 1 from statement where id = $1', [s.id])).length).toBe(0);
  });

  it('allows CORS only for the listed origins', async () => {
    const allowed = await hub.request('/xapi/statements', { headers: { Origin: 'https://lms.example.org' } });
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://lms.example.org');
    const other = await hub.request('/xapi/statements', { headers: { Origin: 'https://evil.example.org' } });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('sends no CORS headers when no origins are listed', async () => {
    const plain = await testHub('pglite');
    try {
      const response = await plain.request('/xapi/statements', { headers: { Origin: 'https://lms.example.org' } });
      expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    } finally {
      await plain.close();
    }
  }, 120_000);
});

describe.each(drivers)('activity definitions from statements on %s', (driver) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('keeps the latest definition of each activity, gathering the languages of its name and description', async () => {
    const id = `https://learning.example.org/modules/${randomUUID()}`;
    const send = (definition: Json) => hub.request('/xapi/statements', { method: 'POST', json: statement({ object: { id, definition } }) });
    expect((await send({ name: { 'en-GB': 'Family hubs' }, type: 'http://adlnet.gov/expapi/activities/module' })).status).toBe(200);
    expect((await send({ name: { 'fr-FR': 'Centres familiaux' }, description: { 'en-GB': 'About hubs' } })).status).toBe(200);
    const [row] = await hub.db.query<{ definition: Json }>('select definition from activity where iri = $1', [id]);
    expect(row?.definition).toEqual({
      name: { 'en-GB': 'Family hubs', 'fr-FR': 'Centres familiaux' },
      description: { 'en-GB': 'About hubs' },
      type: 'http://adlnet.gov/expapi/activities/module',
    });
  });
});

describe('sameStatement', () => {
  it('ignores what the LRS sets and compares durations to the hundredth of a second', async () => {
    const { sameStatement } = await import('../../src/hub/xapi/statements-format.ts');
    const s = statement({ result: { duration: 'PT1.2345S' } });
    expect(sameStatement(s, { ...s, stored: '2026-01-01T00:00:00Z', authority: { mbox: 'mailto:x@example.org' }, version: '1.0.3' })).toBe(true);
    expect(sameStatement(s, { ...s, result: { duration: 'PT1.23S' } })).toBe(true);
    expect(sameStatement(s, { ...s, result: { duration: 'PT1.24S' } })).toBe(false);
    expect(sameStatement({ ...s, result: { duration: 'PT5S' } }, { ...s, result: { duration: 'PT5.00S' } })).toBe(true);
  });
});

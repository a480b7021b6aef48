import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, testHub, type TestHub } from './support/hub.ts';

const actor = { objectType: 'Agent', name: 'Sam Jones', mbox: 'mailto:sam@example.org' };
const verb = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed', 'fr-FR': 'terminé' } };
const activityId = 'https://learning.example.org/modules/family-hubs';
const statement = (extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  actor,
  verb,
  object: { objectType: 'Activity', id: activityId, definition: { name: { 'en-GB': 'Family hubs' } } },
  ...extra,
});

describe.each(drivers)('statements on %s', (driver) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('stores a PUT statement and returns it by id with stored, authority and version set by the LRS', async () => {
    const s = statement({ authority: { mbox: 'mailto:forged@example.org' }, stored: '2001-01-01T00:00:00Z' });
    const put = await hub.request(`/xapi/statements?statementId=${s.id}`, { method: 'PUT', json: s });
    expect(put.status).toBe(204);
    expect(put.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    const get = await hub.request(`/xapi/statements?statementId=${s.id}`);
    expect(get.status).toBe(200);
    const body = await get.json();
    expect(body.id).toBe(s.id);
    expect(body.authority.account.homePage).toBe('http://hub.test');
    expect(body.stored).not.toBe('2001-01-01T00:00:00Z');
    expect(body.version).toBe('1.0.0');
    expect(get.headers.get('X-Experience-API-Consistent-Through')).toMatch(/^\d{4}-/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/hub/db/index.ts';
import { audit, readAudit } from '../../src/hub/access/audit.ts';
import { enforceRateLimit, pruneRateLimits, takeRateLimit } from '../../src/hub/access/rate-limit.ts';
import { drivers, testDatabase } from './support/hub.ts';

describe.each(drivers)('rate limits and the audit log on %s', (driver) => {
  let db: Database;
  beforeAll(async () => {
    db = await testDatabase(driver);
  });
  afterAll(async () => {
    await db?.close();
  });

  const rule = { limit: 3, windowSeconds: 600 };
  const at = new Date('2026-11-30T10:01:00Z');

  it('allows up to the limit in one window, then refuses with 429 until the next window', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await takeRateLimit(db, 'code:198.51.100.7', rule, at));
    expect(results).toEqual([true, true, true, false]);
    await expect(enforceRateLimit(db, 'code:198.51.100.7', rule, at)).rejects.toMatchObject({ status: 429 });
    expect(await takeRateLimit(db, 'code:198.51.100.8', rule, at)).toBe(true);
    expect(await takeRateLimit(db, 'code:198.51.100.7', rule, new Date('2026-11-30T10:11:00Z'))).toBe(true);
  });

  it('forgets windows older than a day', async () => {
    await pruneRateLimits(db, new Date('2026-12-02T00:00:00Z'));
    expect(await db.query('select 1 from rate_limit')).toEqual([]);
  });

  it('keeps audit entries newest first, names as text, and pages back', async () => {
    await audit(db, {
      action: 'organisation-created',
      actor: { id: '00000000-0000-4000-8000-000000000001', name: "Siân O'Brien" },
      subject: "'; drop table person; --",
    });
    await audit(db, { action: 'erasure', detail: { statements: 12 } });
    const [newest, older] = await readAudit(db, { limit: 10 });
    expect(newest).toMatchObject({ action: 'erasure', actorName: '', subject: '', detail: { statements: 12 } });
    expect(older).toMatchObject({ action: 'organisation-created', actorName: "Siân O'Brien", subject: "'; drop table person; --" });
    expect(await readAudit(db, { limit: 10, beforeSeq: newest!.seq })).toHaveLength(1);
    expect(await db.query('select count(*)::int as n from person')).toEqual([{ n: 0 }]);
  });
});

describe('the site API', () => {
  it('tells a page it is served by a hub, and answers unknown addresses with 404 in JSON', async () => {
    const { testHub } = await import('./support/hub.ts');
    const hub = await testHub('pglite', { publicUrl: 'https://learning.example.org' });
    try {
      const info = await hub.app.request('/api/hub');
      expect(info.status).toBe(200);
      expect(await info.json()).toEqual({ hub: true, publicUrl: 'https://learning.example.org' });
      const missing = await hub.app.request('/api/nothing-here');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'there is nothing at this address' });
    } finally {
      await hub.close();
    }
  });
});

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/hub/access/audit.ts';
import { readLearnerSettings, removeInactiveLearners } from '../../src/hub/access/learners-retention.ts';
import { drivers } from './support/hub.ts';
import { root, runHub } from './support/process.ts';
import { brookfieldPrivacy, learnerHub, opened, type LearnerHub } from './support/learners.ts';

describe('the council’s settings for learners', () => {
  it('reads the time zone and privacy section from courses/site.yaml', () => {
    const settings = readLearnerSettings(root);
    expect(settings.timeZone).toBe('Europe/London');
    expect(settings.privacy?.retention).toEqual({ inactiveLearnerMonths: 24, auditLogMonths: 72 });
  });

  it('names the file and field when a retention period is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    try {
      mkdirSync(join(dir, 'courses'));
      writeFileSync(
        join(dir, 'courses/site.yaml'),
        'privacy:\n  lawfulBasis: Public task, because the council trains staff.\n  purpose: So leads can see training.\n  retention:\n    inactiveLearnerMonths: 1.5\n    auditLogMonths: 72\n',
      );
      expect(() => readLearnerSettings(dir)).toThrow('courses/site.yaml: privacy.retention.inactiveLearnerMonths: must be a whole number of months');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run hub -- retention', () => {
  it('applies site.yaml’s retention periods at once and says what it removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-retention-'));
    try {
      const { code, stdout } = await runHub(['retention'], { HUB_DATA_DIR: dir });
      expect(code).toBe(0);
      expect(stdout).toContain('Removed 0 learners inactive for more than 24 months, 0 of their statements, and 0 audit entries older than 72 months.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A new process starting PGlite: slow on a busy machine.
  }, 240_000);
});

describe.each(drivers)('what the hub holds about a learner on %s', (driver) => {
  let hub: LearnerHub;
  beforeAll(async () => {
    hub = await learnerHub(driver);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('lets a learner download everything the hub holds about them, and nobody else’s', async () => {
    const ana = await hub.enrol({ name: "Ana O'Neill", deviceLabel: 'Desk 1' });
    const ben = await hub.enrol({ name: 'Ben' });
    const mine = opened(ana.agent);
    await hub.xapi('/statements', { token: ana.token, json: mine });
    await hub.xapi('/statements', { token: ben.token, json: opened(ben.agent) });
    const activity = encodeURIComponent('https://learning.brookfield.example.org/films/health-visiting');
    await hub.xapi(`/activities/state?activityId=${activity}&agent=${encodeURIComponent(JSON.stringify(ana.agent))}&stateId=position`, {
      token: ana.token,
      method: 'PUT',
      json: { time: 12 },
    });
    const response = await hub.api('/me/export', { token: ana.token });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="hub-record-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = (await response.json()) as Record<string, unknown> & { statements: { id: string }[]; devices: Record<string, unknown>[] };
    expect(data.learner).toMatchObject({ id: ana.learner.id, name: "Ana O'Neill", status: 'awaiting' });
    expect(data.statements.map((s) => s.id)).toEqual([mine.id]);
    expect(data.devices).toEqual([expect.objectContaining({ label: 'Desk 1', shared: false, revoked: null })]);
    expect(data.state).toEqual([expect.objectContaining({ stateId: 'position', content: '{"time":12}' })]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(ben.learner.id);
    expect(text).not.toContain(ana.token);
    expect(text).not.toContain('token_sha256');
    expect((await readAudit(hub.db, { limit: 1 }))[0]).toMatchObject({ action: 'export', actorName: "Ana O'Neill" });
    expect((await hub.api('/me/export')).status).toBe(401);
  });

  it('removes learners inactive past the retention period, with their statements and State, and audits it without names', async () => {
    const hub = await learnerHub(driver);
    try {
      hub.clock.now = new Date('2027-01-10T10:00:00Z');
      const old = await hub.enrol({ name: 'Olwen Old', deviceLabel: 'Olwen’s laptop' });
      await hub.xapi('/statements', { token: old.token, json: opened(old.agent) });
      hub.clock.now = new Date('2028-06-01T10:00:00Z');
      const recent = await hub.enrol({ name: 'Rhys Recent' });
      await hub.xapi('/statements', { token: recent.token, json: opened(recent.agent) });

      // 24 months after Olwen was last active, less a day: nothing goes.
      const early = await removeInactiveLearners(hub.db, brookfieldPrivacy, 'http://hub.test', new Date('2029-01-09T10:00:00Z'));
      expect(early.learners).toBe(0);
      const report = await removeInactiveLearners(hub.db, brookfieldPrivacy, 'http://hub.test', new Date('2029-01-11T10:00:00Z'));
      expect(report).toMatchObject({ learners: 1, statements: 1 });
      expect(await hub.db.query('select name from person where id = $1', [old.learner.id])).toEqual([]);
      expect(await hub.db.query('select id from device where person_id = $1', [old.learner.id])).toEqual([]);
      expect(await hub.db.query('select seq from statement_agent where agent_key like $1', [`%${old.learner.id}%`])).toEqual([]);
      expect(await hub.db.query("select count(*)::int as n from statement where body -> 'actor' -> 'account' ->> 'name' = $1", [old.learner.id])).toEqual([
        { n: 0 },
      ]);
      expect(await hub.db.query('select name from person where id = $1', [recent.learner.id])).toEqual([{ name: 'Rhys Recent' }]);
      const audit = JSON.stringify(await hub.db.query('select actor_name, subject, detail from audit_log'));
      expect(audit).not.toContain('Olwen');
      expect(audit).not.toContain(old.learner.id);
      expect((await readAudit(hub.db, { limit: 1 }))[0]).toMatchObject({ action: 'retention-removal', actorName: '', detail: { learners: 1, statements: 1 } });
    } finally {
      await hub.close();
    }
  });
});

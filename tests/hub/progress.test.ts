import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, Statement } from '@xapi/xapi';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { matrixPage } from '../../src/hub/progress/matrix.ts';
import { renewalsComingUp, renewalsCsv, renewalsIcs, renewalsPage } from '../../src/hub/progress/renewals.ts';
import { leadSummary } from '../../src/hub/progress/summary.ts';
import { deriveLearner, projectProgress, rebuildProgress } from '../../src/hub/progress/projection.ts';
import { renewalFor } from '../../src/lib/plan/index.ts';
import { actorOf } from '../../src/lib/profile/index.ts';
import { renewalDateOf } from '../../src/lib/progress/index.ts';
import { completionMatrix } from '../../src/lib/report/index.ts';
import { quizPassed, type RecordedStatement } from '../../src/lib/xapi/index.ts';
import { drivers, testConfig, testHub, type TestHub } from './support/hub.ts';

const course = loadHubCourse(process.cwd());
const { siteUrl } = course.site;
// Learners' accounts are on the hub: its public address in the tests' config.
const homePage = testConfig().publicUrl;
// Any council's course: the first role that requires a module, and that module.
const role = course.matrix.roles.find((candidate) => candidate.required.some((id) => course.catalogue[id]?.kind === 'module'))!;
const moduleId = role.required.find((id) => course.catalogue[id]?.kind === 'module')!;
const moduleRef = { id: moduleId, title: course.catalogue[moduleId]!.title, version: course.catalogue[moduleId]!.version };
const renewalMonths = renewalFor(course.matrix, moduleId).months;

describe.each(drivers)('learner progress on the hub (%s)', (driver) => {
  let hub: TestHub;
  const northgate = randomUUID();
  const riverside = randomUUID();
  const sian = randomUUID();
  const tomasz = randomUUID();
  const waiting = randomUUID();

  const learner = (id: string, name: string): Agent => ({ objectType: 'Agent', name, account: { homePage, name: id } });
  const send = async (statements: RecordedStatement[] | Statement[]) => {
    const response = await hub.request('/xapi/statements', { method: 'POST', json: statements });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const pass = (id: string, name: string, when: string) =>
    quizPassed({ actor: learner(id, name), siteUrl, now: new Date(when), module: moduleRef, score: { raw: 5, max: 5 } });
  const rowsOf = async (scope: readonly string[] | 'all', now: Date) => (await matrixPage(hub.db, course, { scope }, now)).rows;

  beforeAll(async () => {
    hub = await testHub(driver);
    await hub.db.query('insert into organisation (id, name, district) values ($1, $2, $3), ($4, $5, $6)', [
      northgate,
      'Northgate Library',
      course.site.districts[0]!.id,
      riverside,
      "Riverside 'Family' Centre",
      '',
    ]);
    await hub.db.query(
      `insert into person (id, kind, name, role_id, organisation_id, status) values
       ($1, 'learner', $2, $3, $4, 'confirmed'), ($5, 'learner', $6, $3, $7, 'confirmed'), ($8, 'learner', $9, $3, $4, 'awaiting')`,
      [sian, 'Siân Llŷr', role.id, northgate, tomasz, 'Tomasz Wiśniewski', riverside, waiting, 'Not Yet Confirmed'],
    );
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('derives confirmed learners only, with the matrix the file-drop view would show for the same statements', async () => {
    const statements = [pass(sian, 'Siân Llŷr', '2026-11-02T10:00:00Z'), pass(waiting, 'Not Yet Confirmed', '2026-11-02T10:00:00Z')];
    await send(statements);
    const now = new Date('2026-11-30T12:00:00Z');
    const result = await projectProgress(hub.db, course, homePage, now);
    expect(result.ran).toBe(true);
    expect(result.changes.find((change) => change.personId === sian)).toMatchObject({
      name: 'Siân Llŷr',
      organisationId: northgate,
      completed: [moduleRef.title],
    });

    const rows = await rowsOf('all', now);
    expect(rows.map((row) => row.name)).toEqual(['Siân Llŷr', 'Tomasz Wiśniewski']);
    const fileDrop = completionMatrix({
      staff: [
        {
          key: 'k',
          profile: { name: 'Siân Llŷr', organisation: 'Northgate Library', roleId: role.id, district: course.site.districts[0]!.id, actorId: sian },
          asOf: now.toISOString(),
          statements: [statements[0]!],
        },
      ],
      matrix: course.matrix,
      catalogue: course.catalogue,
      siteUrl,
      districts: course.site.districts,
      timeZone: course.site.timeZone,
      now,
    }).rows[0]!;
    expect(rows[0]).toMatchObject({
      name: fileDrop.name,
      organisation: fileDrop.organisation,
      district: fileDrop.district,
      role: fileDrop.role,
      status: fileDrop.status,
      cells: fileDrop.cells,
    });
    expect(rows[0]!.cells.find((cell) => cell.itemId === moduleId)).toMatchObject({ status: 'completed', completedAt: '2026-11-02' });
  });

  it('scopes the matrix to the organisations given and filters and pages in SQL', async () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect((await rowsOf([riverside], now)).map((row) => row.name)).toEqual(['Tomasz Wiśniewski']);
    expect(await rowsOf([], now)).toEqual([]);
    const page = await matrixPage(hub.db, course, { scope: 'all', district: "'; drop table person; --", roleId: "' or 1=1 --" }, now);
    expect(page.total).toBe(0);
    const second = await matrixPage(hub.db, course, { scope: 'all', pageSize: 1, page: 2 }, now);
    expect(second).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(second.rows.map((row) => row.name)).toEqual(['Tomasz Wiśniewski']);
    expect((await matrixPage(hub.db, course, { scope: 'all', organisationId: riverside }, now)).rows.map((row) => row.name)).toEqual(['Tomasz Wiśniewski']);
  });

  it('counts a learner once confirmed, and drops one no longer confirmed', async () => {
    const now = new Date('2026-11-30T12:00:01Z');
    await hub.db.query("update person set status = 'confirmed' where id = $1", [waiting]);
    await hub.db.query("update person set status = 'awaiting' where id = $1", [tomasz]);
    await projectProgress(hub.db, course, homePage, now);
    expect((await rowsOf('all', now)).map((row) => row.name)).toEqual(['Not Yet Confirmed', 'Siân Llŷr']);
  });

  it('derives a learner again when a statement of theirs is voided, whoever voids it', async () => {
    const extra = pass(waiting, 'Not Yet Confirmed', '2026-11-20T10:00:00Z');
    await send([extra]);
    const now = new Date('2026-11-30T12:00:02Z');
    await projectProgress(hub.db, course, homePage, now);
    const [original] = await hub.db.query<{ id: string }>('select s.id::text as id from statement s where s.actor_key like $1 and s.id <> $2', [
      `%${waiting}%`,
      extra.id,
    ]);
    for (const id of [original!.id, extra.id]) {
      await send([
        {
          actor: { objectType: 'Agent', mbox: 'mailto:records@example.org' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
          object: { objectType: 'StatementRef', id },
        },
      ]);
    }
    await projectProgress(hub.db, course, homePage, now);
    const row = (await rowsOf('all', now)).find((candidate) => candidate.name === 'Not Yet Confirmed')!;
    expect(row.cells.find((cell) => cell.itemId === moduleId)?.status).toBe('missing');
  });

  it('lists renewals coming up in the organisations given, as CSV and a calendar file', async () => {
    const completed = new Date('2026-11-02T10:00:00Z');
    const renewal = renewalDateOf(completed, renewalMonths);
    const now = new Date(renewal.getTime() - 45 * 24 * 3600 * 1000);
    await projectProgress(hub.db, course, homePage, now);
    expect(await renewalsComingUp(hub.db, course, { scope: [northgate], withinDays: 30, now })).toEqual([]);
    const within60 = await renewalsComingUp(hub.db, course, { scope: [northgate], withinDays: 60, now });
    expect(within60).toEqual([expect.objectContaining({ personId: sian, name: 'Siân Llŷr', itemId: moduleId, title: moduleRef.title, expired: false })]);
    expect(await renewalsComingUp(hub.db, course, { scope: [riverside], withinDays: 90, now })).toEqual([]);
    expect(renewalsCsv(within60)).toContain(
      `Siân Llŷr,Northgate Library,${moduleRef.title.includes(',') ? `"${moduleRef.title}"` : moduleRef.title},${within60[0]!.renewalOn},Due`,
    );
    const ics = renewalsIcs(within60, course, now);
    expect(ics).toContain(`DTSTART;VALUE=DATE:${within60[0]!.renewalOn.replaceAll('-', '')}`);
    expect(ics).toContain('SUMMARY:Siân Llŷr: renew');
    // The list on the page comes a page at a time, with the count of every page; past the last page, none but the count.
    expect(await renewalsPage(hub.db, course, { scope: [northgate], withinDays: 60, now })).toEqual({ rows: within60, total: 1, page: 1, pageSize: 50 });
    expect(await renewalsPage(hub.db, course, { scope: [northgate], withinDays: 60, now, page: 2, pageSize: 1 })).toEqual({
      rows: [],
      total: 1,
      page: 2,
      pageSize: 1,
    });
    expect(await renewalsPage(hub.db, course, { scope: [riverside], withinDays: 90, now, page: 3 })).toEqual({ rows: [], total: 0, page: 3, pageSize: 50 });
  });

  it('sums up standings by organisation and role, and completions by week, within scope', async () => {
    const now = new Date('2026-11-30T12:00:05Z');
    const summary = await leadSummary(hub.db, course, { scope: [northgate], weekCount: 6, now });
    expect(summary.byOrganisation.map((row) => row.label)).toEqual(['Northgate Library']);
    expect(summary.byRole).toEqual([expect.objectContaining({ label: role.name })]);
    expect(summary.weeks).toHaveLength(6);
    expect(summary.weeks.at(-1)!.week).toBe('2026-11-30');
    expect(summary.weeks.find((week) => week.week === '2026-11-02')?.completions).toBe(1);
    const everyone = await leadSummary(hub.db, course, { scope: 'all', now });
    expect(everyone.byOrganisation.length).toBeGreaterThanOrEqual(summary.byOrganisation.length);
  });

  it('moves a learner to due and expired as the calendar passes, with no new statement', async () => {
    const completed = new Date('2026-11-02T10:00:00Z');
    const renewal = renewalDateOf(completed, renewalMonths);
    const dueDay = new Date(renewal.getTime() - 29 * 24 * 3600 * 1000);
    await projectProgress(hub.db, course, homePage, dueDay);
    expect((await rowsOf([northgate], dueDay)).find((row) => row.name === 'Siân Llŷr')!.cells.find((cell) => cell.itemId === moduleId)?.status).toBe('due');
    const after = new Date(renewal.getTime() + 24 * 3600 * 1000);
    await projectProgress(hub.db, course, homePage, after);
    expect((await rowsOf([northgate], after)).find((row) => row.name === 'Siân Llŷr')!.cells.find((cell) => cell.itemId === moduleId)?.status).toBe('expired');
  });

  it('rebuilds from statements to exactly the matrix kept incrementally', async () => {
    // Later than every pass above: the projection's clock only moves forward.
    const now = new Date(renewalDateOf(new Date('2026-11-02T10:00:00Z'), renewalMonths).getTime() + 2 * 24 * 3600 * 1000);
    await projectProgress(hub.db, course, homePage, now);
    const kept = await matrixPage(hub.db, course, { scope: 'all' }, now);
    expect(await rebuildProgress(hub.db, course, homePage, now)).toBe(kept.total);
    expect(await matrixPage(hub.db, course, { scope: 'all' }, now)).toEqual(kept);
  });

  it('derives everyone again when the course changes', async () => {
    const now = new Date(renewalDateOf(new Date('2026-11-02T10:00:00Z'), renewalMonths).getTime() + 3 * 24 * 3600 * 1000);
    const changed = { ...course, version: 'next' };
    const before = await hub.db.query<{ n: number }>("select count(*)::int as n from learner_progress where content_version = 'next'");
    expect(before[0]!.n).toBe(0);
    await projectProgress(hub.db, changed, homePage, now);
    const after = await hub.db.query<{ n: number }>("select count(*)::int as n from learner_progress where content_version = 'next'");
    expect(after[0]!.n).toBe(2);
  });
});

describe('deriveLearner', () => {
  it('gives the moment a status next changes by the calendar', () => {
    const id = randomUUID();
    const statements = [
      quizPassed({
        actor: actorOf({ name: 'A', organisation: '', roleId: role.id, actorId: id }, siteUrl),
        siteUrl,
        now: new Date('2026-01-10T09:00:00Z'),
        module: moduleRef,
        score: { raw: 5, max: 5 },
      }),
    ];
    const facts = { id, name: 'A', role_id: role.id, organisation_id: randomUUID(), organisation: 'Org', district: '' };
    const { staleAfter } = deriveLearner(course, facts, statements, new Date('2026-01-11T00:00:00Z'));
    const renewal = renewalDateOf(new Date('2026-01-10T09:00:00Z'), renewalMonths);
    expect(staleAfter?.toISOString()).toBe(new Date(renewal.getTime() - 30 * 24 * 3600 * 1000).toISOString());
  });
});

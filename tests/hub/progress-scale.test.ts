import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '@xapi/xapi';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { matrixPage, matrixSorts, matrixWhere, staffStatuses, type MatrixQuery } from '../../src/hub/progress/matrix.ts';
import { projectProgress, rebuildProgress } from '../../src/hub/progress/projection.ts';
import { completionMatrix, requirementsOf, type MatrixRow } from '../../src/lib/report/index.ts';
import type { Sql } from '../../src/hub/db/index.ts';
import { generateCouncil } from '../support/hub-council.ts';
import { testConfig, testHub, type TestHub } from './support/hub.ts';

const course = loadHubCourse(process.cwd());
const homePage = testConfig().publicUrl;
const now = new Date('2026-11-30T12:00:00Z');
const council = generateCouncil({ staff: 300, course, homePage, seed: 7, now, organisations: 4 });

/** What the file-drop view derives from the same statements, person by person: the projection must equal it. */
function freshRows(): Map<string, MatrixRow> {
  const voided = new Set(
    council.statements.filter((statement) => statement.verb.id.endsWith('/voided')).map((statement) => (statement.object as { id: string }).id),
  );
  const byLearner = new Map<string, Statement[]>();
  for (const statement of council.statements) {
    const name = (statement.actor as { account?: { name: string } }).account?.name;
    if (!name || voided.has(statement.id!)) continue;
    byLearner.set(name, [...(byLearner.get(name) ?? []), statement]);
  }
  const organisations = new Map(council.organisations.map((organisation) => [organisation.id, organisation]));
  const { rows } = completionMatrix({
    staff: council.learners.map((learner) => ({
      key: learner.id,
      profile: {
        name: learner.name,
        organisation: organisations.get(learner.organisationId)!.name,
        roleId: learner.roleId,
        district: organisations.get(learner.organisationId)!.district || undefined,
        actorId: learner.id,
      },
      asOf: now.toISOString(),
      statements: byLearner.get(learner.id) ?? [],
    })),
    matrix: course.matrix,
    catalogue: course.catalogue,
    siteUrl: course.site.siteUrl,
    districts: course.site.districts,
    timeZone: course.site.timeZone,
    now,
  });
  return new Map(rows.map((row) => [row.name, row]));
}

/**
 * The matrix query as it was written before it was built from the filters given:
 * every filter in one statement as `($n is null or …)`. The reference the new
 * query must agree with, row for row and in the same order.
 */
async function matrixPageAsBefore(sql: Sql, query: MatrixQuery): Promise<{ total: number; ids: string[] }> {
  const orderBy = {
    name: ['lower(p.name)', 'p.id'],
    organisation: ['lower(o.name)', 'lower(p.name)', 'p.id'],
    district: ['lower(o.district)', 'lower(p.name)', 'p.id'],
    role: ['lp.role_id', 'lower(p.name)', 'p.id'],
    status: ["array_position(array['expired','incomplete','due','completed'], lp.status)", 'lower(p.name)', 'p.id'],
  };
  const order = orderBy[query.sort ?? 'name'].map((part) => part + (query.descending ? ' desc' : '')).join(', ');
  const params = [
    query.scope === 'all' ? null : [...query.scope],
    query.organisationId ?? null,
    query.district ?? null,
    query.roleId ?? null,
    query.status ?? null,
  ];
  const where = `p.kind = 'learner' and p.status = 'confirmed'
    and ($1::uuid[] is null or p.organisation_id = any($1::uuid[]))
    and ($2::uuid is null or p.organisation_id = $2::uuid)
    and ($3::text is null or o.district = $3)
    and ($4::text is null or lp.role_id = $4)
    and ($5::text is null or lp.status = $5)`;
  const from = 'learner_progress lp join person p on p.id = lp.person_id join organisation o on o.id = p.organisation_id';
  const [count] = await sql.query<{ n: number }>(`select count(*)::int as n from ${from} where ${where}`, params);
  const pageSize = query.pageSize ?? 100;
  const rows = await sql.query<{ id: string }>(`select p.id::text as id from ${from} where ${where} order by ${order} limit $6 offset $7`, [
    ...params,
    pageSize,
    ((query.page ?? 1) - 1) * pageSize,
  ]);
  return { total: Number(count?.n ?? 0), ids: rows.map((row) => row.id) };
}

describe('the matrix query', () => {
  it('names only the filters given, each value a parameter', () => {
    expect(matrixWhere({ scope: 'all' })).toEqual({ where: "p.kind = 'learner' and p.status = 'confirmed'", params: [] });
    const built = matrixWhere({ scope: ['a'], roleId: "' or 1=1 --", status: 'due' });
    expect(built.where).toBe(
      "p.kind = 'learner' and p.status = 'confirmed' and p.organisation_id = any($1::uuid[]) and lp.role_id = $2::text and lp.status = $3::text",
    );
    expect(built.params).toEqual([['a'], "' or 1=1 --", 'due']);
  });
});

describe('the projection for a generated council', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await testHub('postgres');
    for (const organisation of council.organisations) {
      await hub.db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [organisation.id, organisation.name, organisation.district]);
    }
    await hub.db.query(
      `insert into person (id, kind, name, role_id, organisation_id, status)
       select l.id, 'learner', l.name, l.role_id, l.organisation_id, 'confirmed' from jsonb_to_recordset($1::text::jsonb) as l(id uuid, name text, role_id text, organisation_id uuid)`,
      [
        JSON.stringify(
          council.learners.map((learner) => ({ id: learner.id, name: learner.name, role_id: learner.roleId, organisation_id: learner.organisationId })),
        ),
      ],
    );
    for (let start = 0; start < council.statements.length; start += 500) {
      const response = await hub.request('/xapi/statements', { method: 'POST', json: council.statements.slice(start, start + 500) });
      expect(response.status, await response.clone().text()).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await hub?.close();
  });

  it('equals a fresh derivation from the statements, person by person, and so does a rebuild', async () => {
    await projectProgress(hub.db, course, homePage, now);
    const fresh = freshRows();
    const kept = await matrixPage(hub.db, course, { scope: 'all', pageSize: 500 }, now);
    expect(kept.total).toBe(council.learners.length);
    for (const row of kept.rows) expect(row, row.name).toEqual(fresh.get(row.name));
    // Every status and cell kind turns up, so the comparison covers them all.
    for (const status of ['completed', 'expired', 'incomplete'])
      expect(
        kept.rows.some((row) => row.status === status),
        status,
      ).toBe(true);
    const cells = new Set(kept.rows.flatMap((row) => row.cells.map((cell) => cell.status)));
    for (const status of ['completed', 'due', 'expired', 'missing', 'not-required']) expect(cells.has(status as never), status).toBe(true);
    await rebuildProgress(hub.db, course, homePage, now);
    expect(await matrixPage(hub.db, course, { scope: 'all', pageSize: 500 }, now)).toEqual(kept);
  }, 300_000);

  it('gives, for every combination of scope, filters and sort, the rows the query built with every filter gave, and the fresh derivation filtered', async () => {
    await projectProgress(hub.db, course, homePage, now);
    const fresh = [...freshRows().values()];
    const organisationOf = new Map(council.learners.map((learner) => [learner.id, learner.organisationId]));
    const organisations = council.organisations.map((organisation) => organisation.id);
    const districtOf = new Map(council.organisations.map((organisation) => [organisation.id, organisation.district]));
    const roleIdOf = new Map(council.learners.map((learner) => [learner.id, learner.roleId]));
    const [first, second, third] = organisations as [string, string, string];
    const district = districtOf.get(first)!;
    const roles = course.matrix.roles.map((role) => role.id);
    let combination = 0;
    for (const scope of ['all', [first], [first, second]] as const)
      for (const organisationId of [undefined, first, third])
        for (const districtFilter of [undefined, district])
          for (const roleId of [undefined, roles[0]!, roles[1]!])
            for (const status of [undefined, ...staffStatuses]) {
              combination += 1;
              const sort = matrixSorts[combination % matrixSorts.length]!;
              const query: MatrixQuery = { scope, organisationId, district: districtFilter, roleId, status, sort, descending: combination % 2 === 0 };
              const label = JSON.stringify(query);
              const all = await matrixPage(hub.db, course, { ...query, pageSize: 500 }, now);
              const before = await matrixPageAsBefore(hub.db, { ...query, pageSize: 500 });
              expect(all.total, label).toBe(before.total);
              expect(all.personIds, label).toEqual(before.ids);
              // The same people, cell for cell, as deriving everyone afresh and filtering.
              const expected = fresh.filter(
                (row) =>
                  (scope === 'all' || scope.includes(organisationOf.get(row.key)!)) &&
                  (organisationId === undefined || organisationOf.get(row.key) === organisationId) &&
                  (districtFilter === undefined || districtOf.get(organisationOf.get(row.key)!) === districtFilter) &&
                  (roleId === undefined || roleIdOf.get(row.key) === roleId) &&
                  (status === undefined || row.status === status),
              );
              const byKey = (a: MatrixRow, b: MatrixRow) => a.key.localeCompare(b.key);
              expect([...all.rows].sort(byKey), label).toEqual(expected.sort(byKey));
              // A later page holds what the query with every filter put there.
              if (before.total > 7) {
                const page = await matrixPage(hub.db, course, { ...query, page: 2, pageSize: 7 }, now);
                expect(page.personIds, label).toEqual((await matrixPageAsBefore(hub.db, { ...query, page: 2, pageSize: 7 })).ids);
              }
            }
    expect(requirementsOf(course.matrix, course.catalogue).length).toBeGreaterThan(0);
  }, 300_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '@xapi/xapi';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { matrixPage } from '../../src/hub/progress/matrix.ts';
import { projectProgress, rebuildProgress } from '../../src/hub/progress/projection.ts';
import { completionMatrix, type MatrixRow } from '../../src/lib/report/index.ts';
import { generateCouncil } from '../support/hub-council.ts';
import { testConfig, testHub, type TestHub } from './support/hub.ts';

const course = loadHubCourse(process.cwd());
const homePage = testConfig().publicUrl;
const now = new Date('2026-11-30T12:00:00Z');
const council = generateCouncil({ staff: 300, course, homePage, seed: 7, now });

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
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/hub/auth/index.ts';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { projectProgress } from '../../src/hub/progress/projection.ts';
import { readAudit } from '../../src/hub/access/audit.ts';
import { quizPassed } from '../../src/lib/xapi/index.ts';
import { drivers } from './support/hub.ts';
import { firstAdmin, newLead, newOrganisation, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';

const course = loadHubCourse(process.cwd());
const { siteUrl } = course.site;
const role = course.matrix.roles.find((candidate) => candidate.required.some((id) => course.catalogue[id]?.kind === 'module'))!;
const moduleId = role.required.find((id) => course.catalogue[id]?.kind === 'module')!;
const moduleRef = { id: moduleId, title: course.catalogue[moduleId]!.title, version: course.catalogue[moduleId]!.version };

describe.each(drivers)("the lead's live view on %s", (driver) => {
  let hub: StaffHub;
  let admin: StaffBrowser;
  let northgateLead: StaffBrowser;
  let riversideLead: StaffBrowser;
  let northgate: string;
  let riverside: string;
  const sian = randomUUID();
  const tomasz = randomUUID();

  beforeAll(async () => {
    hub = await staffHub(driver);
    admin = await firstAdmin(hub);
    northgate = await newOrganisation(admin, 'Northgate Library', 'north');
    riverside = await newOrganisation(admin, 'Riverside Centre');
    northgateLead = await newLead(hub, admin, 'Nia Lead', [northgate]);
    riversideLead = await newLead(hub, admin, 'Rhys Lead', [riverside]);
    await hub.db.query(
      `insert into person (id, kind, name, role_id, organisation_id, status) values ($1, 'learner', $2, $3, $4, 'confirmed'), ($5, 'learner', $6, $3, $7, 'confirmed')`,
      [sian, 'Siân Llŷr', role.id, northgate, tomasz, 'Tomasz Wiśniewski', riverside],
    );
    const { key, secret } = await createKey(hub.db, 'records', ['all']);
    const statements = [sian, tomasz].map((id) =>
      quizPassed({
        actor: { objectType: 'Agent', account: { homePage: hub.config.publicUrl, name: id } },
        siteUrl,
        now: new Date('2026-11-20T10:00:00Z'),
        module: moduleRef,
        score: { raw: 5, max: 5 },
      }),
    );
    const stored = await hub.app.request('/xapi/statements', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(statements),
    });
    expect(stored.status).toBe(200);
    await projectProgress(hub.db, course, hub.config.publicUrl, hub.clock.now);
  });
  afterAll(async () => {
    await hub?.close();
  });

  const names = async (browser: StaffBrowser, query = '') => {
    const response = await browser.request(`/api/progress/matrix${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { rows: { name: string }[] }).rows.map((row) => row.name);
  };

  it("shows a lead only their organisations' learners, whatever the request names", async () => {
    expect(await names(northgateLead)).toEqual(['Siân Llŷr']);
    expect(await names(riversideLead)).toEqual(['Tomasz Wiśniewski']);
    expect(await names(northgateLead, `?organisation=${riverside}`)).toEqual([]);
    expect(await names(admin)).toEqual(['Siân Llŷr', 'Tomasz Wiśniewski']);
  });

  it('shows each cell as the matrix does, and filters by status, district and role', async () => {
    const response = await northgateLead.request('/api/progress/matrix');
    const body = (await response.json()) as { rows: { cells: { itemId: string; status: string }[] }[]; total: number };
    expect(body.total).toBe(1);
    expect(body.rows[0]!.cells.find((cell) => cell.itemId === moduleId)?.status).toBe('completed');
    expect(await names(admin, '?district=north')).toEqual(['Siân Llŷr']);
    expect(await names(admin, `?role=${encodeURIComponent(role.id)}&sort=name&order=descending`)).toEqual(['Tomasz Wiśniewski', 'Siân Llŷr']);
  });

  it('refuses a stranger, and names the query field that is wrong', async () => {
    for (const path of ['/api/progress/matrix', '/api/progress/renewals', '/api/progress/summary', '/api/progress/events', '/api/progress/matrix.csv']) {
      expect((await hub.request(path)).status, path).toBe(401);
    }
    const bad = await northgateLead.request('/api/progress/matrix?status=finished');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ where: 'status' });
    const window = await northgateLead.request('/api/progress/renewals?within=45');
    expect(window.status).toBe(400);
    expect(await window.json()).toMatchObject({ where: 'within' });
    const tooMany = await northgateLead.request('/api/progress/renewals?pageSize=1000');
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ where: 'pageSize' });
  });

  it('downloads the matrix and renewals within scope, and records each download in the audit log', async () => {
    const csv = await northgateLead.request('/api/progress/matrix.csv');
    expect(csv.headers.get('Content-Disposition')).toBe('attachment; filename="completion-matrix.csv"');
    const text = await csv.text();
    expect(text).toContain('Siân Llŷr');
    expect(text).not.toContain('Tomasz');
    const ics = await northgateLead.request('/api/progress/renewals.ics?within=90');
    expect(ics.headers.get('Content-Type')).toContain('text/calendar');
    const renewals = await northgateLead.request('/api/progress/renewals?within=90');
    expect(await renewals.json()).toEqual({ rows: [], total: 0, page: 1, pageSize: 50 });
    const exports = (await readAudit(hub.db, { limit: 20 })).filter((entry) => entry.action === 'export');
    expect(exports.map((entry) => entry.subject)).toEqual(['renewals in the next 90 days (ICS)', 'completion matrix (CSV)']);
    expect(exports[0]!.actorName).toBe('Nia Lead');
  });

  it('sums up only the organisations in scope', async () => {
    const summary = (await (await riversideLead.request('/api/progress/summary')).json()) as { byOrganisation: { label: string }[] };
    expect(summary.byOrganisation.map((row) => row.label)).toEqual(['Riverside Centre']);
  });
});

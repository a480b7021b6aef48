/**
 * The lead's live view under /api/progress/: the completion matrix, renewals
 * coming up (JSON, CSV, calendar), the figures behind the charts, and a stream of
 * changes. Signed-in leads see their own organisations, admins all; the
 * organisations come from the database, never from the request.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit } from '../access/audit.ts';
import { requireStaff, type StaffMember } from '../access/sessions.ts';
import { matrixCsv, requirementsOf } from '../../lib/report/index.ts';
import type { HubCourse } from './course.ts';
import { progressStream, type ProgressFeed, type Scope } from './feed.ts';
import { matrixPage, matrixSorts, maxPageSize, staffStatuses } from './matrix.ts';
import { maxRenewalPageSize, renewalsComingUp, renewalsCsv, renewalsIcs, renewalsPage, renewalWindows } from './renewals.ts';
import { leadSummary } from './summary.ts';

/** The organisations a signed-in member of staff may see: every one for an admin, those they lead otherwise. */
export async function scopeOf(sql: Sql, staff: StaffMember): Promise<Scope> {
  if (staff.kind === 'admin') return 'all';
  const rows = await sql.query<{ id: string }>('select organisation_id::text as id from lead_organisation where person_id = $1', [staff.id]);
  return rows.map((row) => row.id);
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an organisation id from this hub');
const matrixQuery = z.object({
  organisation: uuid.optional(),
  district: z.string().max(200, 'must be 200 characters or fewer').optional(),
  role: z.string().max(200, 'must be 200 characters or fewer').optional(),
  status: z.enum(staffStatuses as [string, ...string[]], `must be one of ${staffStatuses.join(', ')}`).optional(),
  sort: z.enum(matrixSorts, `must be one of ${matrixSorts.join(', ')}`).optional(),
  order: z.enum(['ascending', 'descending'], 'must be ascending or descending').optional(),
  page: z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more').max(1_000_000, 'is too large').optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more').max(maxPageSize, `must be ${maxPageSize} or fewer`).optional(),
});
const renewalQuery = z.object({
  within: z.coerce
    .number()
    .refine((value) => (renewalWindows as readonly number[]).includes(value), `must be one of ${renewalWindows.join(', ')}`)
    .optional(),
  organisation: uuid.optional(),
});
const renewalPageQuery = renewalQuery.extend({
  page: z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more').max(1_000_000, 'is too large').optional(),
  pageSize: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(maxRenewalPageSize, `must be ${maxRenewalPageSize} or fewer`)
    .optional(),
});

function queryOf<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'query';
    throw new HubError(400, `${field} ${issue.message}`, field);
  }
  return parsed.data;
}

const attachment = (c: Context, name: string, type: string, body: string) => {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  return c.body(body);
};

/** Most rows a CSV download carries. */
const maxCsvRows = 50_000;

export function leadProgressRoutes(deps: HubDeps & { course: HubCourse; feed?: ProgressFeed | undefined }): Hono {
  const { db, config, course } = deps;
  const now = deps.now ?? (() => new Date());
  const routes = new Hono();
  routes.use('*', requireStaff(db, now, config.publicUrl));
  routes.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  const scope = (c: Context) => scopeOf(db, c.get('session').staff);
  const matrixOptions = (query: z.output<typeof matrixQuery>) => ({
    organisationId: query.organisation,
    district: query.district,
    roleId: query.role,
    status: query.status as (typeof staffStatuses)[number] | undefined,
    sort: query.sort,
    descending: query.order === 'descending',
  });

  routes.get('/matrix', async (c) => {
    const query = queryOf(c, matrixQuery);
    return c.json(await matrixPage(db, course, { scope: await scope(c), ...matrixOptions(query), page: query.page, pageSize: query.pageSize }, now()));
  });

  routes.get('/matrix.csv', async (c) => {
    const query = queryOf(c, matrixQuery);
    const who = c.get('session').staff;
    const rows = [];
    for (let page = 1; rows.length < maxCsvRows; page++) {
      const part = await matrixPage(db, course, { scope: await scope(c), ...matrixOptions(query), page, pageSize: maxPageSize }, now());
      rows.push(...part.rows);
      if (part.rows.length < maxPageSize) break;
    }
    await audit(db, { action: 'export', actor: { id: who.id, name: who.name }, subject: 'completion matrix (CSV)', detail: { rows: rows.length } });
    return attachment(
      c,
      'completion-matrix.csv',
      'text/csv; charset=utf-8',
      matrixCsv({ requirements: requirementsOf(course.matrix, course.catalogue) }, rows),
    );
  });

  routes.get('/renewals', async (c) => {
    const query = queryOf(c, renewalPageQuery);
    return c.json(
      await renewalsPage(db, course, {
        scope: await scope(c),
        withinDays: (query.within ?? 30) as 30,
        organisationId: query.organisation,
        now: now(),
        page: query.page,
        pageSize: query.pageSize,
      }),
    );
  });

  for (const [suffix, type, write] of [
    ['csv', 'text/csv; charset=utf-8', (rows: Awaited<ReturnType<typeof renewalsComingUp>>) => renewalsCsv(rows)],
    ['ics', 'text/calendar; charset=utf-8', (rows: Awaited<ReturnType<typeof renewalsComingUp>>) => renewalsIcs(rows, course, now())],
  ] as const) {
    routes.get(`/renewals.${suffix}`, async (c) => {
      const query = queryOf(c, renewalQuery);
      const within = (query.within ?? 30) as 30;
      const rows = await renewalsComingUp(db, course, { scope: await scope(c), withinDays: within, organisationId: query.organisation, now: now() });
      const who = c.get('session').staff;
      await audit(db, {
        action: 'export',
        actor: { id: who.id, name: who.name },
        subject: `renewals in the next ${within} days (${suffix.toUpperCase()})`,
        detail: { rows: rows.length },
      });
      return attachment(c, `renewals-next-${within}-days.${suffix}`, type, write(rows));
    });
  }

  routes.get('/summary', async (c) => c.json(await leadSummary(db, course, { scope: await scope(c), now: now() })));

  routes.get('/events', async (c) => {
    if (!deps.feed) throw new HubError(404, 'this hub does not stream changes');
    return progressStream(c, deps.feed, await scope(c));
  });
  return routes;
}

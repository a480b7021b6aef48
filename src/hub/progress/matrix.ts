/**
 * The lead's completion matrix from the projection: filtered, sorted and paged in
 * SQL, scoped in SQL to the organisations the caller may see. Only confirmed
 * learners are in the projection, so only they count.
 */
import type { Sql } from '../db/index.ts';
import { requirementsOf, type CompletionMatrix, type MatrixRow, type StaffStatus } from '../../lib/report/index.ts';
import type { HubCourse } from './course.ts';

export const matrixSorts = ['name', 'organisation', 'district', 'role', 'status'] as const;
export type MatrixSortKey = (typeof matrixSorts)[number];
export const staffStatuses: readonly StaffStatus[] = ['completed', 'due', 'expired', 'incomplete'];

export interface MatrixQuery {
  /** The organisations the caller may see, from the database (a lead's), or 'all' (an admin). */
  scope: readonly string[] | 'all';
  organisationId?: string | undefined;
  /** An organisation's district, as stored. */
  district?: string | undefined;
  roleId?: string | undefined;
  status?: StaffStatus | undefined;
  sort?: MatrixSortKey | undefined;
  descending?: boolean | undefined;
  /** 1-based. */
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface MatrixPage extends CompletionMatrix {
  total: number;
  page: number;
  pageSize: number;
  /** Each row's learner id, in row order. */
  personIds: string[];
}

export const maxPageSize = 500;

// Fixed SQL per sort key: the request picks one of these, never writes SQL.
// Each key's ORDER BY terms, one string each: a direction is added to every term.
const orderBy: Record<MatrixSortKey, readonly string[]> = {
  name: ['lower(p.name)', 'p.id'],
  organisation: ['lower(o.name)', 'lower(p.name)', 'p.id'],
  district: ['lower(o.district)', 'lower(p.name)', 'p.id'],
  role: ['lp.role_id', 'lower(p.name)', 'p.id'],
  status: ["array_position(array['expired','incomplete','due','completed'], lp.status)", 'lower(p.name)', 'p.id'],
};

/**
 * The WHERE clause for the filters given, and only those, with their values as
 * parameters. A condition such as `($2 is null or …)` for a filter left out
 * would keep PostgreSQL's plan generic and stop it using an index; here each
 * combination of filters is its own query text, planned for what it asks.
 */
export function matrixWhere(query: Omit<MatrixQuery, 'sort' | 'descending' | 'page' | 'pageSize'>): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const value = (given: unknown, type: string) => {
    params.push(given);
    return `$${params.length}::${type}`;
  };
  const conditions = ["p.kind = 'learner'", "p.status = 'confirmed'"];
  if (query.scope !== 'all') conditions.push(`p.organisation_id = any(${value([...query.scope], 'uuid[]')})`);
  if (query.organisationId !== undefined) conditions.push(`p.organisation_id = ${value(query.organisationId, 'uuid')}`);
  if (query.district !== undefined) conditions.push(`o.district = ${value(query.district, 'text')}`);
  if (query.roleId !== undefined) conditions.push(`lp.role_id = ${value(query.roleId, 'text')}`);
  if (query.status !== undefined) conditions.push(`lp.status = ${value(query.status, 'text')}`);
  return { where: conditions.join(' and '), params };
}

/** One page of the matrix for the caller's organisations, with the total that match. */
export async function matrixPage(sql: Sql, course: HubCourse, query: MatrixQuery, now: Date = new Date()): Promise<MatrixPage> {
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize ?? 100), 1), maxPageSize);
  const page = Math.max(Math.trunc(query.page ?? 1), 1);
  const sort = orderBy[query.sort ?? 'name'];
  const direction = query.descending ? ' desc' : '';
  const order = sort.map((part) => part + direction).join(', ');
  const { where, params } = matrixWhere(query);
  const from = 'learner_progress lp join person p on p.id = lp.person_id join organisation o on o.id = p.organisation_id';
  // The page's people are chosen first and only their rows read: sorting every match
  // with its row (about 1.5 KB of jsonb each) would move megabytes to keep a hundred.
  const [[count], rows] = await Promise.all([
    sql.query<{ n: number }>(`select count(*)::int as n from ${from} where ${where}`, params),
    sql.query<{ id: string; name: string; organisation: string; district: string; row: MatrixRow }>(
      `select p.id::text as id, p.name, o.name as organisation, o.district, lp.row
       from (select p.id from ${from} where ${where} order by ${order} limit $${params.length + 1} offset $${params.length + 2}) chosen
       join ${from} on p.id = chosen.id
       order by ${order}`,
      [...params, pageSize, (page - 1) * pageSize],
    ),
  ]);
  const districts = new Map(course.site.districts.map((district) => [district.id, district.name]));
  return {
    requirements: requirementsOf(course.matrix, course.catalogue),
    // The name and organisation as they are now, even if the row was derived before a change.
    rows: rows.map((row) => ({ ...row.row, name: row.name, organisation: row.organisation, district: districts.get(row.district) ?? row.district })),
    personIds: rows.map((row) => row.id),
    now: now.toISOString(),
    total: Number(count?.n ?? 0),
    page,
    pageSize,
  };
}

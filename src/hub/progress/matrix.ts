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
const orderBy: Record<MatrixSortKey, string> = {
  name: 'lower(p.name), p.id',
  organisation: 'lower(o.name), lower(p.name), p.id',
  district: 'lower(o.district), lower(p.name), p.id',
  role: 'lp.role_id, lower(p.name), p.id',
  status: "array_position(array['expired','incomplete','due','completed'], lp.status), lower(p.name), p.id",
};

/** One page of the matrix for the caller's organisations, with the total that match. */
export async function matrixPage(sql: Sql, course: HubCourse, query: MatrixQuery, now: Date = new Date()): Promise<MatrixPage> {
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize ?? 100), 1), maxPageSize);
  const page = Math.max(Math.trunc(query.page ?? 1), 1);
  const sort = orderBy[query.sort ?? 'name'];
  const direction = query.descending ? ' desc' : '';
  const order = sort
    .split(', ')
    .map((part) => part + direction)
    .join(', ');
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
  const rows = await sql.query<{ id: string; name: string; organisation: string; district: string; row: MatrixRow }>(
    `select p.id::text as id, p.name, o.name as organisation, o.district, lp.row from ${from} where ${where}
     order by ${order} limit $6 offset $7`,
    [...params, pageSize, (page - 1) * pageSize],
  );
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

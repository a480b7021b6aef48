/**
 * Training coming up for renewal, per person, for the lead: what falls due in
 * the next 30, 60 or 90 days and what has already expired, from the projection,
 * scoped in SQL to the caller's organisations. Downloadable as CSV and as a
 * calendar file.
 */
import type { Sql } from '../db/index.ts';
import { renewalsCalendar } from '../../lib/certificate/index.ts';
import { calendarDayIn } from '../../lib/dates/index.ts';
import { requirementsOf, toCsv } from '../../lib/report/index.ts';
import type { HubCourse } from './course.ts';
import type { Scope } from './feed.ts';

export const renewalWindows = [30, 60, 90] as const;
export type RenewalWindow = (typeof renewalWindows)[number];

export interface RenewalRow {
  personId: string;
  name: string;
  organisation: string;
  itemId: string;
  title: string;
  /** The council's calendar day the item must be renewed by. @example "2027-01-14" */
  renewalOn: string;
  expired: boolean;
}

/** Most rows a download carries; a lead with more narrows by organisation. */
export const maxRenewalRows = 10_000;
/** Most rows one page of the list carries. */
export const maxRenewalPageSize = 200;

export interface RenewalsQuery {
  scope: Scope;
  withinDays: RenewalWindow;
  organisationId?: string | undefined;
  now?: Date;
}

export interface RenewalsPage {
  rows: RenewalRow[];
  /** Every item that matches, on every page. */
  total: number;
  page: number;
  pageSize: number;
}

/** Items whose renewal day is within `withinDays` of today in the council's time zone, expired ones first, a page at a time. */
async function renewalRows(sql: Sql, course: HubCourse, options: RenewalsQuery, limit: number, offset: number) {
  const today = calendarDayIn((options.now ?? new Date()).toISOString(), course.site.timeZone);
  const rows = await sql.query<{ person_id: string; name: string; organisation: string; item_id: string; renewal_on: string; total: number }>(
    `select p.id::text as person_id, p.name, o.name as organisation, li.item_id, to_char(li.renewal_on, 'YYYY-MM-DD') as renewal_on,
            count(*) over ()::int as total
     from learner_item li join person p on p.id = li.person_id join organisation o on o.id = p.organisation_id
     where p.kind = 'learner' and p.status = 'confirmed' and li.renewal_on is not null
       and li.renewal_on <= $1::date + $2::int
       and ($3::uuid[] is null or p.organisation_id = any($3::uuid[]))
       and ($4::uuid is null or p.organisation_id = $4::uuid)
     order by li.renewal_on, lower(p.name), p.id, li.item_id
     limit $5 offset $6`,
    [today, options.withinDays, options.scope === 'all' ? null : [...options.scope], options.organisationId ?? null, limit, offset],
  );
  const titles = new Map(requirementsOf(course.matrix, course.catalogue).map((requirement) => [requirement.id, requirement.title]));
  return {
    total: rows[0]?.total,
    rows: rows.map((row): RenewalRow => ({
      personId: row.person_id,
      name: row.name,
      organisation: row.organisation,
      itemId: row.item_id,
      title: titles.get(row.item_id) ?? row.item_id,
      renewalOn: row.renewal_on,
      expired: row.renewal_on <= today,
    })),
  };
}

/** Every item coming up for renewal (up to `maxRenewalRows`), expired ones first: for the CSV and calendar downloads. */
export async function renewalsComingUp(sql: Sql, course: HubCourse, options: RenewalsQuery): Promise<RenewalRow[]> {
  return (await renewalRows(sql, course, options, maxRenewalRows, 0)).rows;
}

/** One page of the renewals list, from 1, with how many there are in all. */
export async function renewalsPage(sql: Sql, course: HubCourse, options: RenewalsQuery & { page?: number; pageSize?: number }): Promise<RenewalsPage> {
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 50), 1), maxRenewalPageSize);
  const page = Math.max(Math.trunc(options.page ?? 1), 1);
  const found = await renewalRows(sql, course, options, pageSize, (page - 1) * pageSize);
  // Past the last page there are no rows to carry the count: count once more from the start.
  const total = found.total ?? (page > 1 ? ((await renewalRows(sql, course, options, 1, 0)).total ?? 0) : 0);
  return { rows: found.rows, total, page, pageSize };
}

export function renewalsCsv(rows: readonly RenewalRow[]): string {
  return toCsv([
    ['Name', 'Organisation', 'Training', 'Renew by', 'Status'],
    ...rows.map((row) => [row.name, row.organisation, row.title, row.renewalOn, row.expired ? 'Expired' : 'Due']),
  ]);
}

/** One all-day event per person and item on its renewal day, with a reminder a week before. */
export function renewalsIcs(rows: readonly RenewalRow[], course: HubCourse, now: Date = new Date()): string {
  const host = new URL(course.site.siteUrl).host;
  return renewalsCalendar(
    rows.map((row) => ({
      uid: `${row.personId}-${row.itemId}-${row.renewalOn}@${host}`,
      renewalDate: row.renewalOn,
      timeZone: course.site.timeZone,
      summary: `${row.name}: renew ${row.title}`,
      description: `${row.name} (${row.organisation}) needs to renew ${row.title} by this day.`,
      alarmDaysBefore: 7,
    })),
    now,
  );
}

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

/** Most rows one answer carries; a lead with more narrows by organisation. */
export const maxRenewalRows = 10_000;

/** Items whose renewal day is within `withinDays` of today in the council's time zone, expired ones first. */
export async function renewalsComingUp(
  sql: Sql,
  course: HubCourse,
  options: { scope: Scope; withinDays: RenewalWindow; organisationId?: string | undefined; now?: Date },
): Promise<RenewalRow[]> {
  const today = calendarDayIn((options.now ?? new Date()).toISOString(), course.site.timeZone);
  const rows = await sql.query<{ person_id: string; name: string; organisation: string; item_id: string; renewal_on: string }>(
    `select p.id::text as person_id, p.name, o.name as organisation, li.item_id, to_char(li.renewal_on, 'YYYY-MM-DD') as renewal_on
     from learner_item li join person p on p.id = li.person_id join organisation o on o.id = p.organisation_id
     where p.kind = 'learner' and p.status = 'confirmed' and li.renewal_on is not null
       and li.renewal_on <= $1::date + $2::int
       and ($3::uuid[] is null or p.organisation_id = any($3::uuid[]))
       and ($4::uuid is null or p.organisation_id = $4::uuid)
     order by li.renewal_on, lower(p.name), p.id, li.item_id
     limit $5`,
    [today, options.withinDays, options.scope === 'all' ? null : [...options.scope], options.organisationId ?? null, maxRenewalRows],
  );
  const titles = new Map(requirementsOf(course.matrix, course.catalogue).map((requirement) => [requirement.id, requirement.title]));
  return rows.map((row) => ({
    personId: row.person_id,
    name: row.name,
    organisation: row.organisation,
    itemId: row.item_id,
    title: titles.get(row.item_id) ?? row.item_id,
    renewalOn: row.renewal_on,
    expired: row.renewal_on <= today,
  }));
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

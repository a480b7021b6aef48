/**
 * Figures for the lead's charts, from the projection, scoped in SQL: where
 * people stand by organisation and by role, and completions week by week.
 */
import type { Sql } from '../db/index.ts';
import type { StandingCount, WeekCount } from '../../lib/report/charts.ts';
import type { HubCourse } from './course.ts';
import type { Scope } from './feed.ts';

export interface LeadSummary {
  byOrganisation: StandingCount[];
  byRole: StandingCount[];
  weeks: WeekCount[];
}

const counts = `count(*) filter (where lp.status = 'completed')::int as completed, count(*) filter (where lp.status = 'due')::int as due,
  count(*) filter (where lp.status = 'expired')::int as expired, count(*) filter (where lp.status = 'incomplete')::int as incomplete`;
const scoped = `from learner_progress lp join person p on p.id = lp.person_id join organisation o on o.id = p.organisation_id
  where p.kind = 'learner' and p.status = 'confirmed' and ($1::uuid[] is null or p.organisation_id = any($1::uuid[]))`;

/** The summary for the caller's organisations; `weeks` counts the last `weekCount` weeks, oldest first, empty weeks included. */
export async function leadSummary(sql: Sql, course: HubCourse, options: { scope: Scope; weekCount?: number; now?: Date }): Promise<LeadSummary> {
  const scope = options.scope === 'all' ? null : [...options.scope];
  const weekCount = Math.min(Math.max(options.weekCount ?? 12, 1), 104);
  const byOrganisation = await sql.query<StandingCount>(`select o.name as label, ${counts} ${scoped} group by o.id, o.name order by lower(o.name), o.id`, [
    scope,
  ]);
  const roles = await sql.query<StandingCount>(`select lp.role_id as label, ${counts} ${scoped} group by lp.role_id`, [scope]);
  const roleNames = new Map(course.matrix.roles.map((role, index) => [role.id, { name: role.name, index }]));
  const order = (roleId: string) => roleNames.get(roleId)?.index ?? Number.MAX_SAFE_INTEGER;
  const byRole = [...roles]
    .sort((a, b) => order(a.label) - order(b.label) || a.label.localeCompare(b.label))
    .map((row) => ({ ...row, label: roleNames.get(row.label)?.name ?? `${row.label} (not in the current matrix)` }));
  const weeks = await sql.query<WeekCount>(
    `with bounds as (select date_trunc('week', $2::date)::date as last_week),
     series as (select (last_week - 7 * g)::date as week from bounds, generate_series(0, $3::int - 1) as g)
     select to_char(series.week, 'YYYY-MM-DD') as week,
       (select count(*)::int from learner_item li join person p on p.id = li.person_id
        where li.completed_on >= series.week and li.completed_on < series.week + 7
          and p.kind = 'learner' and p.status = 'confirmed' and ($1::uuid[] is null or p.organisation_id = any($1::uuid[]))) as completions
     from series order by series.week`,
    [scope, (options.now ?? new Date()).toISOString().slice(0, 10), weekCount],
  );
  return { byOrganisation, byRole, weeks };
}

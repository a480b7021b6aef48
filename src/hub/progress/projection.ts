/**
 * Each confirmed learner's progress, derived when their statements change (not
 * per request) and kept in learner_progress / learner_item for the lead's
 * matrix. It is a cache: `rebuildProgress` derives all of it again from the
 * statements, and a test proves both ways give the same matrix.
 *
 * A pass reads the statements stored since the last one (by seq), finds whose
 * they are, and derives those learners again, plus learners whose status changes
 * by the calendar (an item falls due or expires), learners confirmed since, and
 * everyone when the course changed. Passes run under an advisory lock, so with
 * several hub processes on one database only one derives at a time.
 */
import type { Statement } from '@xapi/xapi';
import type { Sql, Database } from '../db/index.ts';
import { countsAsValid, deriveProgress, dueWithinDays } from '../../lib/progress/index.ts';
import { matrixRowOf, requirementsOf, unknownRoleRow, type MatrixRow, type Requirement, type StaffStatus } from '../../lib/report/index.ts';
import { learnerKey } from '../access/learner-statements.ts';
import type { HubCourse } from './course.ts';

/** An arbitrary constant naming the projection's lock. */
const lockKey = 7_301_481_017;
/** Statements stored less than this long ago are read again on the next pass: a transaction may commit late. */
const settleMs = 10_000;
const dayMs = 24 * 60 * 60 * 1000;

/** The person id inside a learner's agent key, when the key is an account on `homePage`. */
function personIdOf(key: string, homePage: string): string | undefined {
  if (!key.startsWith('account:')) return undefined;
  try {
    const [home, name] = JSON.parse(key.slice('account:'.length)) as [string, string];
    return home === homePage && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name) ? name.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** A learner whose matrix row changed in a pass: what an open lead page is told. */
export interface ProgressChange {
  personId: string;
  organisationId: string;
  name: string;
  status: StaffStatus;
  /** Titles of required items that became complete in this pass. */
  completed: string[];
}

interface LearnerFacts {
  id: string;
  name: string;
  role_id: string;
  organisation_id: string;
  organisation: string;
  district: string;
}

interface Derived {
  row: MatrixRow;
  items: { itemId: string; status: string; completedOn: string | null; renewalOn: string | null }[];
  staleAfter: Date | null;
}

/**
 * Derives one learner's matrix row with the same code the file-drop lead view uses,
 * and from the same derived progress, the next moment their row changes by the calendar.
 */
export function deriveLearner(course: HubCourse, learner: LearnerFacts, statements: readonly Statement[], now: Date): Derived {
  const { matrix, catalogue, site } = course;
  const requirements = requirementsOf(matrix, catalogue);
  const person = {
    key: learner.id,
    name: learner.name,
    organisation: learner.organisation,
    district: learner.district ? (site.districts.find((district) => district.id === learner.district)?.name ?? learner.district) : '',
  };
  const role = matrix.roles.find((candidate) => candidate.id === learner.role_id);
  let row: MatrixRow;
  // The next moment a status changes with no new statement: an item falling due, or expiring.
  let staleAfter: Date | null = null;
  if (!role) row = unknownRoleRow(person, learner.role_id, requirements);
  else {
    const progress = deriveProgress({ statements, matrix, catalogue, roleId: role.id, siteUrl: site.siteUrl, now });
    row = matrixRowOf(person, role, progress, requirements, site.timeZone);
    for (const item of progress.items) {
      if (!item.renewalDate) continue;
      const renewal = new Date(item.renewalDate).getTime();
      for (const moment of [renewal - dueWithinDays * dayMs, renewal]) {
        if (moment > now.getTime() && (staleAfter === null || moment < staleAfter.getTime())) staleAfter = new Date(moment);
      }
    }
  }
  const items = row.cells
    .filter((cell) => cell.status !== 'not-required')
    .map((cell) => ({ itemId: cell.itemId, status: cell.status, completedOn: cell.completedAt ?? null, renewalOn: cell.renewalDate ?? null }));
  return { row, items, staleAfter };
}

/** Learners derived together: one query for their statements and one write per table. */
const chunkSize = 500;

/** Each learner's statements that still count (not voided), oldest first, and the newest seq among all of theirs, by agent key. */
async function statementsOf(sql: Sql, keys: readonly string[]): Promise<Map<string, { statements: Statement[]; lastSeq: number }>> {
  const rows = await sql.query<{ agent_key: string; seq: number; body: Statement; voided: boolean }>(
    `select s.actor_key as agent_key, s.seq, s.body, s.voided from statement s
     where s.actor_key = any($1::text[])
     order by s.seq`,
    [keys],
  );
  const found = new Map<string, { statements: Statement[]; lastSeq: number }>(keys.map((key) => [key, { statements: [], lastSeq: 0 }]));
  for (const row of rows) {
    const entry = found.get(row.agent_key)!;
    entry.lastSeq = Math.max(entry.lastSeq, Number(row.seq));
    if (!row.voided) entry.statements.push(row.body);
  }
  return found;
}

const sameCells = (a: MatrixRow | undefined, b: MatrixRow) => a !== undefined && a.status === b.status && JSON.stringify(a.cells) === JSON.stringify(b.cells);

/**
 * Derives the learners named (confirmed learners only; anyone else loses their row).
 * `force` derives even when no newer statement arrived (voiding, the calendar, a new course).
 */
async function refreshLearners(
  sql: Sql,
  course: HubCourse,
  homePage: string,
  personIds: ReadonlySet<string>,
  force: ReadonlySet<string>,
  now: Date,
): Promise<ProgressChange[]> {
  if (personIds.size === 0) return [];
  const ids = [...personIds];
  const learners = await sql.query<LearnerFacts>(
    `select p.id::text as id, p.name, p.role_id, o.id::text as organisation_id, o.name as organisation, o.district
     from person p join organisation o on o.id = p.organisation_id
     where p.id = any($1::uuid[]) and p.kind = 'learner' and p.status = 'confirmed' and p.role_id is not null`,
    [ids],
  );
  const present = new Set(learners.map((learner) => learner.id));
  const gone = ids.filter((id) => !present.has(id));
  if (gone.length > 0) await sql.query('delete from learner_progress where person_id = any($1::uuid[])', [gone]);
  if (gone.length > 0) await sql.query('delete from learner_item where person_id = any($1::uuid[])', [gone]);

  const before = new Map(
    (
      await sql.query<{ person_id: string; row: MatrixRow; last_seq: number; content_version: string }>(
        'select person_id::text as person_id, row, last_seq, content_version from learner_progress where person_id = any($1::uuid[])',
        [[...present]],
      )
    ).map((row) => [row.person_id, row]),
  );
  const titles = new Map(requirementsOf(course.matrix, course.catalogue).map((requirement) => [requirement.id, requirement.title]));
  const changes: ProgressChange[] = [];
  for (let start = 0; start < learners.length; start += chunkSize) {
    const chunk = learners.slice(start, start + chunkSize);
    const statements = await statementsOf(
      sql,
      chunk.map((learner) => learnerKey(homePage, learner.id)),
    );
    const written: { learner: LearnerFacts; key: string; lastSeq: number; derived: Derived }[] = [];
    for (const learner of chunk) {
      const key = learnerKey(homePage, learner.id);
      const { statements: theirs, lastSeq } = statements.get(key)!;
      const old = before.get(learner.id);
      if (old && !force.has(learner.id) && Number(old.last_seq) === lastSeq && old.content_version === course.version) continue;
      try {
        written.push({ learner, key, lastSeq, derived: deriveLearner(course, learner, theirs, now) });
      } catch (error) {
        // One learner's record must never stop everyone else's: keep their last row and say whose it was.
        console.error(`hub: could not derive the progress of learner ${learner.id}:`, error);
      }
    }
    if (written.length === 0) continue;
    await sql.query(
      `insert into learner_progress (person_id, agent_key, role_id, status, row, content_version, last_seq, derived, stale_after)
       select r.person_id, r.agent_key, r.role_id, r.status, r.row, $2, r.last_seq, $3, r.stale_after
       from jsonb_to_recordset($1::text::jsonb) as r(person_id uuid, agent_key text, role_id text, status text, row jsonb, last_seq bigint, stale_after timestamptz)
       on conflict (person_id) do update set agent_key = excluded.agent_key, role_id = excluded.role_id, status = excluded.status,
         row = excluded.row, content_version = excluded.content_version, last_seq = excluded.last_seq,
         derived = excluded.derived, stale_after = excluded.stale_after`,
      [
        JSON.stringify(
          written.map(({ learner, key, lastSeq, derived }) => ({
            person_id: learner.id,
            agent_key: key,
            role_id: learner.role_id,
            status: derived.row.status,
            row: derived.row,
            last_seq: lastSeq,
            stale_after: derived.staleAfter?.toISOString() ?? null,
          })),
        ),
        course.version,
        now,
      ],
    );
    await sql.query('delete from learner_item where person_id = any($1::uuid[])', [written.map(({ learner }) => learner.id)]);
    await sql.query(
      `insert into learner_item (person_id, item_id, status, completed_on, renewal_on)
       select i.person_id, i.item_id, i.status, i.completed_on::date, i.renewal_on::date
       from jsonb_to_recordset($1::text::jsonb) as i(person_id uuid, item_id text, status text, completed_on text, renewal_on text)`,
      [
        JSON.stringify(
          written.flatMap(({ learner, derived }) =>
            derived.items.map((item) => ({
              person_id: learner.id,
              item_id: item.itemId,
              status: item.status,
              completed_on: item.completedOn,
              renewal_on: item.renewalOn,
            })),
          ),
        ),
      ],
    );
    for (const { learner, derived } of written) {
      const old = before.get(learner.id);
      if (sameCells(old?.row, derived.row)) continue;
      const wasComplete = new Set((old?.row.cells ?? []).filter((cell) => countsAsValid(cell.status)).map((cell) => cell.itemId));
      changes.push({
        personId: learner.id,
        organisationId: learner.organisation_id,
        name: learner.name,
        status: derived.row.status,
        completed: derived.row.cells
          .filter((cell) => countsAsValid(cell.status) && !wasComplete.has(cell.itemId))
          .map((cell) => titles.get(cell.itemId) ?? cell.itemId),
      });
    }
  }
  return changes;
}

export interface PassResult {
  /** False when another hub process held the lock; nothing was done. */
  ran: boolean;
  changes: ProgressChange[];
}

/**
 * One pass of the projection (see the file's comment). Announces each change on the `hub_progress` channel.
 * `homePage` is the hub's public address: learners' accounts are on it.
 */
export async function projectProgress(db: Database, course: HubCourse, homePage: string, now: Date = new Date()): Promise<PassResult> {
  return db.transaction(async (sql) => {
    const [lock] = await sql.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [lockKey]);
    if (!lock?.ok) return { ran: false, changes: [] };
    const [cursor] = await sql.query<{ seq: number }>('select seq from progress_cursor');
    const from = Number(cursor?.seq ?? 0);

    const named = new Set<string>();
    const force = new Set<string>();
    const add = (set: Set<string>, key: string) => {
      const id = personIdOf(key, homePage);
      if (id) set.add(id);
    };
    const actors = await sql.query<{ agent_key: string }>('select distinct actor_key as agent_key from statement where seq > $1 and actor_key is not null', [
      from,
    ]);
    for (const { agent_key } of actors) add(named, agent_key);
    // A voiding statement changes the voided statement's learner, whoever sent it.
    const voided = await sql.query<{ agent_key: string }>(
      `select distinct t.actor_key as agent_key from statement s join statement t on t.id = s.voids
       where s.seq > $1 and s.voids is not null and t.actor_key is not null`,
      [from],
    );
    for (const { agent_key } of voided) add(force, agent_key);
    const due = await sql.query<{ id: string }>(
      `select person_id::text as id from learner_progress where stale_after <= $1 or content_version <> $2
       union
       select p.id::text from person p where p.kind = 'learner' and p.status = 'confirmed'
         and not exists (select 1 from learner_progress lp where lp.person_id = p.id)
       union
       select lp.person_id::text from learner_progress lp join person p on p.id = lp.person_id where p.status <> 'confirmed'`,
      [now, course.version],
    );
    for (const { id } of due) force.add(id);

    const changes = await refreshLearners(sql, course, homePage, new Set([...named, ...force]), force, now);
    const [settled] = await sql.query<{ seq: number | null }>('select max(seq) as seq from statement where seq > $1 and stored < $2', [
      from,
      new Date(now.getTime() - settleMs),
    ]);
    if (settled?.seq !== null && settled?.seq !== undefined) await sql.query('update progress_cursor set seq = $1', [settled.seq]);
    for (const change of changes) await sql.query('select pg_notify($1, $2)', ['hub_progress', JSON.stringify(change)]);
    return { ran: true, changes };
  });
}

/** Forgets the projection and derives every confirmed learner again from the statements. */
export async function rebuildProgress(db: Database, course: HubCourse, homePage: string, now: Date = new Date()): Promise<number> {
  await db.transaction(async (sql) => {
    await sql.query('select pg_advisory_xact_lock($1)', [lockKey]);
    await sql.query('delete from learner_item');
    await sql.query('delete from learner_progress');
    await sql.query('update progress_cursor set seq = 0');
  });
  await projectProgress(db, course, homePage, now);
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from learner_progress');
  return Number(count?.n ?? 0);
}

export type { Requirement };

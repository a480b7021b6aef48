/**
 * Writing and reading statements. A request's statements are written in one
 * transaction with one SQL statement (plus a few only when needed), so a batch
 * is stored whole or not at all, and a statement id already stored is accepted
 * again only with the same content.
 */
import type { Database, Sql } from '../db/index.ts';
import { HubError } from './common.ts';
import { sameStatement } from './statements-format.ts';
import { mergeDefinitions, type PreparedStatement } from './statements-prepare.ts';

type Json = Record<string, unknown>;

export interface AttachmentContent {
  sha2: string;
  contentType: string;
  content: Uint8Array;
}

// One statement writes the statements, their links, the people they name and the activity
// definitions they carry. People and definitions change rarely: rows already up to date are
// skipped, so concurrent batches about the same people do not queue on their rows. An
// activity's canonical definition is the latest one sent, with the languages of its name and
// description gathered from every statement.
export const insertSql = `
with input as (
  select * from jsonb_to_recordset($1::text::jsonb)
    as r(ord int, id uuid, body jsonb, verb_iri text, registration uuid, voids uuid, actor_key text, object_agent_key text, object_activity text, authority_key text)
), clock as (
  select date_trunc('milliseconds', now()) as t, to_char(date_trunc('milliseconds', now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as text
), ins as (
  insert into statement (id, body, verb_iri, registration, stored, voids, actor_key, object_agent_key, object_activity, authority_key, voided)
  -- stored is the transaction's start; a statement sent without a timestamp gets stored as its timestamp.
  select i.id, i.body || case when i.body ? 'timestamp' then jsonb_build_object('stored', c.text) else jsonb_build_object('stored', c.text, 'timestamp', c.text) end,
         i.verb_iri, i.registration, c.t, i.voids, i.actor_key, i.object_agent_key, i.object_activity, i.authority_key,
         -- Voided already when its voiding statement came first (looked up once, by index, for the batch's ids).
         i.voids is null and i.id = any(array(select v.voids from statement v where v.voids = any($5::uuid[])))
  from input i cross join clock c
  order by i.ord
  on conflict (id) do nothing
  returning id, seq
), agents as (
  insert into statement_agent (seq, agent_key, usage)
  select ins.seq, l.k, l.u from jsonb_to_recordset($2::text::jsonb) as l(id uuid, k text, u text) join ins on ins.id = l.id
), activities as (
  insert into statement_activity (seq, activity_iri, usage)
  select ins.seq, l.k, l.u from jsonb_to_recordset($3::text::jsonb) as l(id uuid, k text, u text) join ins on ins.id = l.id
), refs as (
  insert into statement_ref (seq, target)
  select ins.seq, l.target from jsonb_to_recordset($4::text::jsonb) as l(id uuid, target uuid) join ins on ins.id = l.id
), people as (
  insert into agent (agent_key, ifi, names, updated)
  select p.k, p.ifi, case when p.name is null then '{}'::text[] else array[p.name] end, now()
  from jsonb_to_recordset($6::text::jsonb) as p(k text, ifi jsonb, name text)
  -- A scalar subquery per person: an index lookup, where an anti-join would scan the whole table.
  where not coalesce((select p.name is null or p.name = any(a.names) from agent a where a.agent_key = p.k), false)
  order by p.k
  on conflict (agent_key) do update set names = agent.names || excluded.names, updated = excluded.updated
  where not (excluded.names <@ agent.names)
), definitions as (
  insert into activity (iri, definition, updated)
  select d.iri, d.definition, now()
  from jsonb_to_recordset($7::text::jsonb) as d(iri text, definition jsonb)
  where not coalesce((select d.definition is null or a.definition @> d.definition from activity a where a.iri = d.iri), false)
  order by d.iri
  on conflict (iri) do update set
    definition = coalesce(activity.definition, '{}'::jsonb) || excluded.definition || jsonb_strip_nulls(jsonb_build_object(
      'name', case when activity.definition ? 'name' or excluded.definition ? 'name'
                   then coalesce(activity.definition -> 'name', '{}'::jsonb) || coalesce(excluded.definition -> 'name', '{}'::jsonb) end,
      'description', case when activity.definition ? 'description' or excluded.definition ? 'description'
                   then coalesce(activity.definition -> 'description', '{}'::jsonb) || coalesce(excluded.definition -> 'description', '{}'::jsonb) end)),
    updated = excluded.updated
  where excluded.definition is not null and not (coalesce(activity.definition, '{}'::jsonb) @> excluded.definition)
)
select id::text as id from ins`;

/** PostgreSQL's unique_violation: insertWholeSql met an id stored already. */
const uniqueViolation = '23505';

/**
 * insertSql as one statement that stores the whole batch or nothing: a plain INSERT,
 * without insertSql's ON CONFLICT (a speculative insertion per row costs more), so an
 * id stored already fails it with unique_violation, PostgreSQL rolls it all back and the
 * caller compares contents in a transaction. One round trip, no BEGIN or COMMIT.
 */
export const insertWholeSql = `${insertSql
  .slice(0, insertSql.lastIndexOf('select id::text as id from ins'))
  .replace('\n  on conflict (id) do nothing', '')}select count(*)::int as stored from ins`;

/**
 * The parameters of insertSql for a batch: what the one INSERT of storeStatements
 * writes (the benchmark's SQL ceiling inserts the same rows with them).
 */
export function insertParams(statements: readonly PreparedStatement[]): unknown[] {
  const rows = statements.map((s, ord) => ({
    ord,
    id: s.id,
    body: s.body,
    verb_iri: s.verb,
    registration: s.registration,
    voids: s.voids,
    actor_key: s.actorKey,
    object_agent_key: s.objectAgentKey,
    object_activity: s.objectActivity,
    authority_key: s.authorityKey,
  }));
  const agentLinks = statements.flatMap((s) => s.agents.map(([k, u]) => ({ id: s.id, k, u })));
  const activityLinks = statements.flatMap((s) => s.activities.map(([k, u]) => ({ id: s.id, k, u })));
  const refs = statements.filter((s) => s.ref !== null).map((s) => ({ id: s.id, target: s.ref }));
  const people = new Map<string, { k: string; ifi: Json; name: string | null }>();
  const definitions = new Map<string, Json | null>();
  for (const s of statements) {
    for (const [k, person] of s.people) if (!people.has(k) || person.name !== null) people.set(k, { k, ...person });
    for (const [iri, definition] of s.definitions) definitions.set(iri, mergeDefinitions(definitions.get(iri) ?? null, definition));
  }
  return [
    JSON.stringify(rows),
    JSON.stringify(agentLinks),
    JSON.stringify(activityLinks),
    JSON.stringify(refs),
    statements.map((s) => s.id),
    JSON.stringify([...people.values()]),
    JSON.stringify([...definitions].map(([iri, definition]) => ({ iri, definition }))),
  ];
}

const retryable = new Set(['40P01', '40001']);

/**
 * Stores the statements (and attachment content) in one transaction. Returns
 * nothing; throws HubError(409) when an id is already stored with other content,
 * HubError(400) for a voiding rule, and rolls everything back on any error.
 */
export async function storeStatements(db: Database, statements: readonly PreparedStatement[], attachments: readonly AttachmentContent[] = []): Promise<void> {
  const seen = new Set<string>();
  statements.forEach((statement, index) => {
    if (seen.has(statement.id)) throw new HubError(400, `the id ${statement.id} appears more than once in this batch`, `statement[${index}].id`);
    seen.add(statement.id);
  });
  const params = insertParams(statements);
  const voiding = statements.filter((s) => s.voids !== null);

  for (let attempt = 1; ; attempt++) {
    try {
      // Most batches are new statements only: one statement, atomic by itself.
      if (voiding.length === 0 && attachments.length === 0 && attempt === 1) {
        try {
          await db.query(insertWholeSql, params);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== uniqueViolation) throw error;
        }
      }
      await db.transaction(async (tx) => {
        if (voiding.length > 0) await checkVoidTargets(tx, statements);
        const inserted = await tx.query<{ id: string }>(insertSql, params);
        if (inserted.length < statements.length) await checkDuplicates(tx, statements, new Set(inserted.map((row) => row.id)));
        if (voiding.length > 0) {
          await tx.query('update statement set voided = true where id = any($1::uuid[]) and voids is null and not voided', [voiding.map((s) => s.voids)]);
        }
        for (const attachment of attachments) {
          await tx.query('insert into attachment (sha2, content_type, content) values ($1, $2, $3) on conflict (sha2) do nothing', [
            attachment.sha2,
            attachment.contentType,
            attachment.content,
          ]);
        }
      });
      return;
    } catch (error) {
      // Two transactions writing the same new ids or people in other orders: PostgreSQL picks one to retry.
      const code = (error as { code?: string }).code;
      if (code && retryable.has(code) && attempt < 5) continue;
      throw error;
    }
  }
}

/** A voiding statement may not target another voiding statement. */
async function checkVoidTargets(tx: Sql, statements: readonly PreparedStatement[]): Promise<void> {
  const targets = statements.filter((s) => s.voids !== null).map((s) => s.voids as string);
  const voidingHere = new Set(statements.filter((s) => s.voids !== null).map((s) => s.id));
  const stored = await tx.query<{ id: string }>('select id::text as id from statement where id = any($1::uuid[]) and voids is not null', [targets]);
  const voidingIds = new Set([...stored.map((row) => row.id), ...voidingHere]);
  statements.forEach((s, index) => {
    if (s.voids !== null && voidingIds.has(s.voids)) {
      throw new HubError(400, `statement ${s.voids} is itself a voiding statement, and a voiding statement cannot be voided`, `statement[${index}].object.id`);
    }
  });
}

async function checkDuplicates(tx: Sql, statements: readonly PreparedStatement[], inserted: Set<string>): Promise<void> {
  const existingIds = statements.filter((s) => !inserted.has(s.id)).map((s) => s.id);
  const existing = await tx.query<{ id: string; body: Json }>('select id::text as id, body from statement where id = any($1::uuid[])', [existingIds]);
  const bodies = new Map(existing.map((row) => [row.id, row.body]));
  statements.forEach((s, index) => {
    if (inserted.has(s.id)) return;
    const stored = bodies.get(s.id);
    // A timestamp the LRS filled in is not part of what the client sent.
    const comparable = stored !== undefined && s.body.timestamp === undefined ? { ...stored, timestamp: undefined } : stored;
    if (stored !== undefined && !sameStatement(comparable, s.body)) {
      throw new HubError(409, `a different statement with id ${s.id} is already stored; statements cannot be changed`, `statement[${index}].id`);
    }
  });
}

export interface StoredStatement {
  seq: number;
  body: Json;
  voided: boolean;
}

export async function statementById(db: Sql, id: string): Promise<StoredStatement | undefined> {
  const rows = await db.query<StoredStatement>('select seq, body, voided from statement where id = $1', [id]);
  return rows[0];
}

export async function attachmentsFor(db: Sql, hashes: readonly string[]): Promise<AttachmentContent[]> {
  if (hashes.length === 0) return [];
  const rows = await db.query<{ sha2: string; content_type: string; content: Uint8Array }>(
    'select sha2, content_type, content from attachment where sha2 = any($1::text[])',
    [[...new Set(hashes)]],
  );
  return rows.map((row) => ({ sha2: row.sha2, contentType: row.content_type, content: row.content }));
}

export interface StatementQuery {
  agent?: string;
  relatedAgents?: boolean;
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  registration?: string;
  since?: string;
  until?: string;
  /** Only statements whose authority is this agent key (statements/read/mine). */
  authority?: string;
  ascending: boolean;
  limit: number;
  /** Continue after this seq (from a `more` link). */
  after?: number;
}

const actorUsages = ['actor', 'object'];
const relatedAgentUsages = ['actor', 'object', 'authority', 'instructor', 'team', 'sub_actor', 'sub_object', 'sub_instructor', 'sub_team'];

/**
 * Finds statements matching the filters, newest first unless ascending; also
 * statements that refer (by StatementRef, at any depth) to a matching one, as the
 * spec requires. Voided statements are never returned. Returns up to limit + 1
 * rows so the caller knows whether there is more.
 */
export async function queryStatements(db: Sql, query: StatementQuery): Promise<StoredStatement[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const matches: string[] = [];
  // The row's columns hold the actor, the object and the authority; link rows hold every other
  // mention. Each filter is a set of seqs gathered by index, never an OR across tables.
  if (query.agent !== undefined) {
    const agent = param(query.agent);
    const usages = query.relatedAgents ? relatedAgentUsages : actorUsages;
    const authority = query.relatedAgents ? ` union all select seq from statement where authority_key = ${agent}` : '';
    matches.push(
      `m.seq in (select seq from statement where actor_key = ${agent} union all select seq from statement where object_agent_key = ${agent}${authority}` +
        ` union all select seq from statement_agent where agent_key = ${agent} and usage = any(${param(usages)}::text[]))`,
    );
  }
  if (query.activity !== undefined) {
    const activity = param(query.activity);
    if (query.relatedActivities) {
      matches.push(
        `m.seq in (select seq from statement where object_activity = ${activity} union all select seq from statement_activity where activity_iri = ${activity})`,
      );
    } else {
      matches.push(`m.object_activity = ${activity}`);
    }
  }
  if (query.verb !== undefined) matches.push(`m.verb_iri = ${param(query.verb)}`);
  if (query.registration !== undefined) matches.push(`m.registration = ${param(query.registration)}::uuid`);

  const own: string[] = ['not s.voided'];
  if (query.since !== undefined) own.push(`s.stored > ${param(query.since)}::timestamptz`);
  if (query.until !== undefined) own.push(`s.stored <= ${param(query.until)}::timestamptz`);
  if (query.after !== undefined) own.push(`s.seq ${query.ascending ? '>' : '<'} ${param(query.after)}`);
  if (query.authority !== undefined) {
    const authority = param(query.authority);
    own.push(
      `s.seq in (select seq from statement where authority_key = ${authority} union all select seq from statement_agent where agent_key = ${authority} and usage = 'authority')`,
    );
  }
  const order = query.ascending ? 'asc' : 'desc';
  const limit = param(query.limit + 1);
  if (matches.length === 0) {
    return db.query<StoredStatement>(
      `select s.seq, s.body, s.voided from statement s where ${own.join(' and ')} order by s.seq ${order} limit ${limit}`,
      params,
    );
  }
  return db.query<StoredStatement>(
    `with recursive matched(seq, id) as (
       select m.seq, m.id from statement m where ${matches.join(' and ')}
       union
       select r.seq, s2.id from matched join statement_ref r on r.target = matched.id join statement s2 on s2.seq = r.seq
     )
     select s.seq, s.body, s.voided from statement s where s.seq in (select seq from matched) and ${own.join(' and ')}
     order by s.seq ${order} limit ${limit}`,
    params,
  );
}

/**
 * The time up to which every statement is visible: now on PGlite (one
 * connection), else the start of the oldest transaction still running on the
 * server, since a statement's stored time is its transaction's start.
 */
export async function consistentThrough(db: Database): Promise<string> {
  if (db.kind === 'pglite') return new Date().toISOString();
  const rows = await db.query<{ t: Date }>(
    `select least(now(), coalesce((select date_trunc('milliseconds', min(xact_start)) from pg_stat_activity where datname = current_database() and state <> 'idle' and pid <> pg_backend_pid() and xact_start is not null), now())) as t`,
  );
  return new Date(rows[0]?.t ?? Date.now()).toISOString();
}

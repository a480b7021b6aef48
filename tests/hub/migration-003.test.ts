/**
 * Migration 003 moves the actor, object and authority of statements already stored
 * (one link row per mention, as 001 wrote them) onto the statement row, with the
 * same keys agent-key.ts gives, and keeps only the link rows the columns do not hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/hub/db/index.ts';
import { migrate, readMigrations } from '../../src/hub/db/migrate.ts';
import { openPglite } from '../../src/hub/db/pglite.ts';
import { openPostgres } from '../../src/hub/db/postgres.ts';
import { agentKey } from '../../src/hub/xapi/agent-key.ts';
import { queryStatements } from '../../src/hub/xapi/statements-store.ts';
import { drivers, newPostgresDatabase } from './support/hub.ts';

type Json = Record<string, unknown>;

const authority = { objectType: 'Agent', account: { homePage: 'http://hub.test', name: 'key-1' } };
const member = { objectType: 'Agent', mbox: 'mailto:member@example.org' };
const course = 'https://example.org/courses/one';
const statements: Json[] = [
  // An account with characters JSON escapes, and a name outside ASCII.
  {
    id: '00000000-0000-4000-8000-000000000001',
    actor: { objectType: 'Agent', account: { homePage: 'https://example.org/a"b\\c', name: 'Siân Llŷr 李雷' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { objectType: 'Activity', id: course },
    context: { contextActivities: { parent: [{ id: 'https://example.org/courses' }] } },
    authority,
  },
  // A group with a member as actor, an agent as object, a hash in capitals.
  {
    id: '00000000-0000-4000-8000-000000000002',
    actor: { objectType: 'Group', mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', member: [member] },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { objectType: 'Agent', openid: 'https://openid.example.org/someone' },
    authority,
  },
  // An anonymous group (no key of its own) and a StatementRef object.
  {
    id: '00000000-0000-4000-8000-000000000003',
    actor: { objectType: 'Group', member: [member] },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { objectType: 'StatementRef', id: '00000000-0000-4000-8000-000000000001' },
    authority,
  },
];

/** The link rows 001 wrote for these statements: every mention, with where. */
function oldLinks(statement: Json): { agents: [string, string][]; activities: [string, string][] } {
  const agents: [string, string][] = [];
  const activities: [string, string][] = [];
  const addAgent = (agent: Json, usage: string) => {
    const key = agentKey(agent);
    if (key !== undefined) agents.push([key, usage]);
    for (const m of (agent.member as Json[] | undefined) ?? []) addAgent(m, usage);
  };
  addAgent(statement.actor as Json, 'actor');
  addAgent(statement.authority as Json, 'authority');
  const object = statement.object as Json;
  if (object.objectType === 'Agent' || object.objectType === 'Group') addAgent(object, 'object');
  if (object.objectType === 'Activity') activities.push([object.id as string, 'object']);
  const parents = ((statement.context as Json | undefined)?.contextActivities as Json | undefined)?.parent as Json[] | undefined;
  for (const parent of parents ?? []) activities.push([parent.id as string, 'parent']);
  return { agents, activities };
}

describe.each(drivers)('migration 003 on %s', (driver) => {
  let db: Database;
  beforeAll(async () => {
    db = driver === 'pglite' ? await openPglite('memory://') : await openPostgres(await newPostgresDatabase());
    await migrate(
      db,
      readMigrations().filter((m) => m.name < '003'),
    );
    for (const statement of statements) {
      const [{ seq }] = await db.query<{ seq: number }>(
        `insert into statement (id, body, verb_iri, stored) values ($1, $2::text::jsonb, $3, now()) returning seq`,
        [statement.id, JSON.stringify(statement), (statement.verb as Json).id],
      );
      const links = oldLinks(statement);
      for (const [key, usage] of links.agents) await db.query('insert into statement_agent (seq, agent_key, usage) values ($1, $2, $3)', [seq, key, usage]);
      for (const [iri, usage] of links.activities)
        await db.query('insert into statement_activity (seq, activity_iri, usage) values ($1, $2, $3)', [seq, iri, usage]);
      if ((statement.object as Json).objectType === 'StatementRef') {
        await db.query('insert into statement_ref (seq, target) values ($1, $2)', [seq, (statement.object as Json).id]);
      }
    }
    expect(await migrate(db)).toContain('003_statement_columns.sql');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('puts the keys agent-key.ts gives on each statement row', async () => {
    const rows = await db.query<Json>('select id::text as id, actor_key, object_agent_key, object_activity, authority_key from statement order by seq');
    expect(rows).toEqual([
      {
        id: statements[0]?.id,
        actor_key: agentKey(statements[0]?.actor),
        object_agent_key: null,
        object_activity: course,
        authority_key: agentKey(authority),
      },
      {
        id: statements[1]?.id,
        actor_key: 'mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01',
        object_agent_key: 'openid:https://openid.example.org/someone',
        object_activity: null,
        authority_key: agentKey(authority),
      },
      { id: statements[2]?.id, actor_key: null, object_agent_key: null, object_activity: null, authority_key: agentKey(authority) },
    ]);
  });

  it('keeps only the link rows the columns do not hold', async () => {
    expect(await db.query('select agent_key, usage from statement_agent order by seq, agent_key')).toEqual([
      { agent_key: agentKey(member), usage: 'actor' },
      { agent_key: agentKey(member), usage: 'actor' },
    ]);
    expect(await db.query('select activity_iri, usage from statement_activity')).toEqual([{ activity_iri: 'https://example.org/courses', usage: 'parent' }]);
  });

  it('finds the statements moved across by agent, activity and authority as before', async () => {
    const ids = async (query: Parameters<typeof queryStatements>[1]) => (await queryStatements(db, query)).map((row) => row.body.id);
    const [first, second, third] = statements.map((s) => s.id);
    const base = { ascending: true, limit: 10 };
    expect(await ids({ ...base, agent: agentKey(statements[0]?.actor) })).toEqual([first, third]);
    expect(await ids({ ...base, agent: agentKey(member) })).toEqual([second, third]);
    expect(await ids({ ...base, agent: 'openid:https://openid.example.org/someone' })).toEqual([second]);
    expect(await ids({ ...base, agent: agentKey(authority) })).toEqual([]);
    expect(await ids({ ...base, agent: agentKey(authority), relatedAgents: true })).toEqual([first, second, third]);
    expect(await ids({ ...base, activity: course })).toEqual([first, third]);
    expect(await ids({ ...base, activity: 'https://example.org/courses' })).toEqual([]);
    expect(await ids({ ...base, activity: 'https://example.org/courses', relatedActivities: true })).toEqual([first, third]);
    expect(await ids({ ...base, authority: agentKey(authority) })).toEqual([first, second, third]);
  });
});

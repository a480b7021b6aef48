/**
 * Turns one received statement into what the store writes: validated by the one
 * xAPI validator in src/lib/xapi, completed with what the LRS sets (id, authority,
 * version), and indexed (every agent and activity it mentions, with where).
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from '@xapi/xapi';
import { specIris, validateStatement } from '../../lib/xapi/index.ts';
import { agentIfi, agentKey } from './agent-key.ts';
import { HubError } from './common.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Two definitions of one activity as the Activities resource keeps them: the later
 * one's properties win, but the languages of name and description are gathered from both.
 */
export function mergeDefinitions(earlier: Json | null, later: Json | null): Json | null {
  if (!earlier || !later) return later ?? earlier;
  const merged: Json = { ...earlier, ...later };
  for (const key of ['name', 'description']) {
    if (isObject(earlier[key]) || isObject(later[key]))
      merged[key] = { ...(isObject(earlier[key]) ? earlier[key] : {}), ...(isObject(later[key]) ? later[key] : {}) };
  }
  return merged;
}

export const voidedVerb = specIris.voided;
export const signatureUsage = specIris.signatureUsage;

export interface PreparedStatement {
  id: string;
  /** The statement as stored, without `stored` (the database sets it). */
  body: Json;
  verb: string;
  registration: string | null;
  /** For a voiding statement, the id it voids. */
  voids: string | null;
  /** The statement row's own columns: the actor's key, an Agent or Group object's key, an Activity object's IRI, the authority's key. */
  actorKey: string | null;
  objectAgentKey: string | null;
  objectActivity: string | null;
  authorityKey: string | null;
  /** Every other agent and activity mentioned, with where: the link rows. */
  agents: [key: string, usage: string][];
  activities: [iri: string, usage: string][];
  /** The statement a StatementRef object points to. */
  ref: string | null;
  definitions: Map<string, Json | null>;
  people: Map<string, { ifi: Json; name: string | null }>;
  /** Every attachment the statement declares; those without a fileUrl must be sent in the request. */
  attachments: { sha2: string; contentType: string; usageType: string; required: boolean }[];
}

/** What the store needs of an agent: its key, and its identifier and name for the agent table. */
interface AgentFacts {
  key: string | undefined;
  ifi: Json | undefined;
  name: string | null;
}

function agentFacts(agent: Json): AgentFacts {
  return { key: agentKey(agent), ifi: agentIfi(agent), name: typeof agent.name === 'string' ? agent.name : null };
}

// A request's statements share one authority object: its facts are worked out once.
const authorityFacts = new WeakMap<Agent, AgentFacts>();
function factsOfAuthority(authority: Agent): AgentFacts {
  let facts = authorityFacts.get(authority);
  if (!facts) {
    facts = agentFacts(authority as Json);
    authorityFacts.set(authority, facts);
  }
  return facts;
}

/**
 * Validates and completes a statement; `where` names it in errors ("statement" or
 * "statement[3]"). Throws HubError(400) listing every problem, the first as `where`.
 */
export function prepareStatement(value: unknown, where: string, authority: Agent, id?: string): PreparedStatement {
  // The validator measures size and nesting first, without recursion, so nothing deeper is walked.
  const checked = validateStatement(value);
  if (!checked.ok) {
    const [first] = checked.problems;
    const path = (field: string) => (field ? `${where}.${field}` : where);
    const message = checked.problems.map((problem) => `${path(problem.field)}: ${problem.reason}`).join('; ');
    throw new HubError(400, message, path(first?.field ?? ''));
  }
  // The statement was parsed from this request's body, so it is completed in place.
  const statement = value as Json;
  if (id !== undefined) {
    if (statement.id !== undefined && (typeof statement.id !== 'string' || statement.id.toLowerCase() !== id.toLowerCase())) {
      throw new HubError(400, `the statement's id ${JSON.stringify(statement.id)} differs from the statementId parameter ${id}`, `${where}.id`);
    }
    statement.id = statement.id ?? id;
  }
  statement.id ??= randomUUID();
  statement.authority = authority;
  statement.version ??= '1.0.0';
  delete statement.stored;
  normaliseContext(statement.context);
  const object = statement.object as Json;
  if (object.objectType === 'SubStatement') normaliseContext(object.context);

  const verb = (statement.verb as Json).id as string;
  const voids = verb === voidedVerb ? voidTarget(object, where) : null;
  const authorityFacts = factsOfAuthority(authority);
  const prepared: PreparedStatement = {
    id: String(statement.id).toLowerCase(),
    body: statement,
    verb,
    registration: isObject(statement.context) && typeof statement.context.registration === 'string' ? statement.context.registration : null,
    voids,
    actorKey: null,
    objectAgentKey: null,
    objectActivity: object.objectType === undefined || object.objectType === 'Activity' ? String(object.id) : null,
    authorityKey: authorityFacts.key ?? null,
    agents: [],
    activities: [],
    ref: object.objectType === 'StatementRef' ? String(object.id).toLowerCase() : null,
    definitions: new Map(),
    people: new Map(),
    attachments: [],
  };
  // The row's own columns: what they hold needs no link row.
  const actorFacts = isObject(statement.actor) ? agentFacts(statement.actor) : undefined;
  prepared.actorKey = actorFacts?.key ?? null;
  const objectFacts = object.objectType === 'Agent' || object.objectType === 'Group' ? agentFacts(object) : undefined;
  prepared.objectAgentKey = objectFacts?.key ?? null;
  if (actorFacts) addPerson(prepared, actorFacts);
  if (objectFacts) addPerson(prepared, objectFacts);
  addPerson(prepared, authorityFacts);
  index(prepared, statement, '', true);
  if (Array.isArray((authority as Json).member)) for (const member of (authority as Json).member as unknown[]) addAgent(prepared, member, 'authority');
  if (object.objectType === 'SubStatement') index(prepared, object, 'sub_', false);
  for (const part of [statement, object.objectType === 'SubStatement' ? object : undefined]) {
    if (!part || !Array.isArray(part.attachments)) continue;
    for (const attachment of part.attachments as Json[]) {
      prepared.attachments.push({
        sha2: String(attachment.sha2),
        contentType: String(attachment.contentType),
        usageType: String(attachment.usageType),
        required: attachment.fileUrl === undefined,
      });
    }
  }
  return prepared;
}

function voidTarget(object: Json, where: string): string {
  if (object.objectType !== 'StatementRef') throw new HubError(400, 'a voiding statement must have a StatementRef as its object', `${where}.object`);
  return String(object.id).toLowerCase();
}

/** xAPI 1.0 allowed one activity where 2.0 requires a list; the LRS stores and returns lists. */
function normaliseContext(context: unknown): void {
  if (!isObject(context) || !isObject(context.contextActivities)) return;
  const lists = context.contextActivities;
  for (const key in lists) if (!Array.isArray(lists[key])) lists[key] = [lists[key]];
}

function addPerson(prepared: PreparedStatement, facts: AgentFacts): void {
  if (facts.key === undefined || !facts.ifi) return;
  const known = prepared.people.get(facts.key);
  if (!known || (known.name === null && facts.name !== null)) prepared.people.set(facts.key, { ifi: facts.ifi, name: facts.name });
}

/** Records an agent (and a group's members) mentioned with this usage, for the link rows and the agent table. */
function addAgent(prepared: PreparedStatement, agent: unknown, usage: string): void {
  if (!isObject(agent)) return;
  const facts = agentFacts(agent);
  if (facts.key !== undefined) {
    prepared.agents.push([facts.key, usage]);
    addPerson(prepared, facts);
  }
  if (Array.isArray(agent.member)) for (const member of agent.member) addAgent(prepared, member, usage);
}

function addActivity(prepared: PreparedStatement, activity: unknown, usage: string, link = true): void {
  if (!isObject(activity) || typeof activity.id !== 'string') return;
  if (link) prepared.activities.push([activity.id, usage]);
  const definition = isObject(activity.definition) ? activity.definition : null;
  prepared.definitions.set(activity.id, mergeDefinitions(prepared.definitions.get(activity.id) ?? null, definition));
}

/**
 * Indexes a statement or SubStatement (`prefix` "sub_"). For the statement itself (`columns`),
 * the actor, an Agent or Group object and an Activity object are the row's own columns, so
 * only a group's members get link rows there.
 */
function index(prepared: PreparedStatement, part: Json, prefix: string, columns: boolean): void {
  const members = (agent: unknown, usage: string) => {
    if (isObject(agent) && Array.isArray(agent.member)) for (const member of agent.member) addAgent(prepared, member, usage);
  };
  if (columns) members(part.actor, 'actor');
  else addAgent(prepared, part.actor, `${prefix}actor`);
  const object = part.object as Json;
  if (object.objectType === 'Agent' || object.objectType === 'Group') {
    if (columns) members(object, 'object');
    else addAgent(prepared, object, `${prefix}object`);
  } else if (object.objectType === undefined || object.objectType === 'Activity') addActivity(prepared, object, `${prefix}object`, !columns);
  const context = part.context;
  if (isObject(context)) {
    addAgent(prepared, context.instructor, `${prefix}instructor`);
    addAgent(prepared, context.team, `${prefix}team`);
    if (isObject(context.contextActivities)) {
      const lists = context.contextActivities;
      for (const usage in lists) {
        const list = lists[usage];
        for (const activity of Array.isArray(list) ? list : [list]) addActivity(prepared, activity, `${prefix}${usage}`);
      }
    }
  }
}

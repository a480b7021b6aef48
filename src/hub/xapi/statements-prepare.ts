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
/** Deepest nesting of arrays and objects accepted in a statement. */
export const maxDepth = 32;

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

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || typeof value !== 'object' || value === null) return depth;
  let deepest = depth;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}

/**
 * Validates and completes a statement; `where` names it in errors ("statement" or
 * "statement[3]"). Throws HubError(400) listing every problem, the first as `where`.
 */
export function prepareStatement(value: unknown, where: string, authority: Agent, id?: string): PreparedStatement {
  if (depthOf(value, maxDepth) > maxDepth) throw new HubError(400, `nesting is deeper than ${maxDepth} levels`, where);
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
  const prepared: PreparedStatement = {
    id: String(statement.id).toLowerCase(),
    body: statement,
    verb,
    registration: isObject(statement.context) && typeof statement.context.registration === 'string' ? statement.context.registration : null,
    voids,
    actorKey: agentKey(statement.actor) ?? null,
    objectAgentKey: object.objectType === 'Agent' || object.objectType === 'Group' ? (agentKey(object) ?? null) : null,
    objectActivity: object.objectType === undefined || object.objectType === 'Activity' ? String(object.id) : null,
    authorityKey: agentKey(authority) ?? null,
    agents: [],
    activities: [],
    ref: object.objectType === 'StatementRef' ? String(object.id).toLowerCase() : null,
    definitions: new Map(),
    people: new Map(),
    attachments: [],
  };
  index(prepared, statement, '');
  index(prepared, statement.authority as Json, 'authority', true);
  if (object.objectType === 'SubStatement') index(prepared, object, 'sub_');
  // What the row's columns hold needs no link row.
  prepared.agents = prepared.agents.filter(
    ([key, usage]) =>
      !(
        (usage === 'actor' && key === prepared.actorKey) ||
        (usage === 'object' && key === prepared.objectAgentKey) ||
        (usage === 'authority' && key === prepared.authorityKey)
      ),
  );
  prepared.activities = prepared.activities.filter(([iri, usage]) => !(usage === 'object' && iri === prepared.objectActivity));
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
  for (const [key, list] of Object.entries(context.contextActivities)) {
    if (!Array.isArray(list)) context.contextActivities[key] = [list];
  }
}

function index(prepared: PreparedStatement, part: Json, prefix: string, authorityOnly = false): void {
  const addAgent = (agent: unknown, usage: string) => {
    if (!isObject(agent)) return;
    const key = agentKey(agent);
    if (key !== undefined) {
      prepared.agents.push([key, usage]);
      const ifi = agentIfi(agent);
      const name = typeof agent.name === 'string' ? agent.name : null;
      const known = prepared.people.get(key);
      if (ifi && (!known || (known.name === null && name !== null))) prepared.people.set(key, { ifi, name });
    }
    if (Array.isArray(agent.member)) for (const member of agent.member) addAgent(member, usage);
  };
  const addActivity = (activity: unknown, usage: string) => {
    if (!isObject(activity) || typeof activity.id !== 'string') return;
    prepared.activities.push([activity.id, usage]);
    const definition = isObject(activity.definition) ? activity.definition : null;
    prepared.definitions.set(activity.id, mergeDefinitions(prepared.definitions.get(activity.id) ?? null, definition));
  };
  if (authorityOnly) return addAgent(part, prefix);
  addAgent(part.actor, `${prefix}actor`);
  const object = part.object as Json;
  if (object.objectType === 'Agent' || object.objectType === 'Group') addAgent(object, `${prefix}object`);
  else if (object.objectType === undefined || object.objectType === 'Activity') addActivity(object, `${prefix}object`);
  const context = part.context;
  if (isObject(context)) {
    addAgent(context.instructor, `${prefix}instructor`);
    addAgent(context.team, `${prefix}team`);
    if (isObject(context.contextActivities)) {
      for (const [usage, list] of Object.entries(context.contextActivities)) {
        for (const activity of Array.isArray(list) ? list : [list]) addActivity(activity, `${prefix}${usage}`);
      }
    }
  }
}

/**
 * The Statements resource, /xapi/statements (xAPI 1.0.3): PUT one statement,
 * POST one or a batch (stored whole or not at all), GET by id, voided id or with
 * filters and `more` paging, attachments as multipart/mixed, signed statements.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { isIri, isTimestamp, isUuid, validateActor } from '../../lib/xapi/index.ts';
import type { HubDeps } from '../app.ts';
import type { Sql } from '../db/index.ts';
import { hasScope, requireScope, type Caller } from '../auth/index.ts';
import { agentKey } from './agent-key.ts';
import { HubError, parseJson } from './common.ts';
import { formatStatement, preferredLanguages, type Format } from './statements-format.ts';
import { prepareStatement, type PreparedStatement } from './statements-prepare.ts';
import { matchAttachments, multipartBody, multipartBoundary, parseMultipart } from './statements-attachments.ts';
import { verifySignatures } from './statements-signature.ts';
import { checkDeviceStatements } from '../access/devices.ts';
import {
  attachmentsFor,
  consistentThrough,
  queryStatements,
  statementById,
  storeStatements,
  type AttachmentContent,
  type StatementQuery,
  type StoredStatement,
} from './statements-store.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Largest page a GET returns, and the page size when limit is 0 or absent. */
export const maxPage = 500;
export const defaultPage = 100;

const queryParams = new Set([
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'more',
]);
const singleParams = new Set(['statementId', 'voidedStatementId', 'attachments', 'format']);

interface Received {
  statements: unknown[];
  /** Whether the body was one statement (not a list). */
  single: boolean;
  attachments: AttachmentContent[];
  declared: PreparedStatement[];
}

/** Reads the body (JSON or multipart/mixed), validates every statement and matches attachments. */
async function receive(c: Context, db: Sql, caller: Caller, statementId?: string): Promise<Received> {
  const contentType = c.req.header('Content-Type');
  const boundary = multipartBoundary(contentType);
  let json: unknown;
  let parts: ReturnType<typeof parseMultipart> = [];
  if (boundary !== undefined) {
    const all = parseMultipart(Buffer.from(await c.req.arrayBuffer()), boundary);
    const first = all[0];
    if (!first || !/^application\/json\b/i.test(first.headers.get('content-type') ?? '')) {
      throw new HubError(400, 'the first part of a multipart/mixed request must be the statements, as application/json', 'Content-Type');
    }
    json = parseJson(first.body.toString('utf8'), 'statement');
    parts = all.slice(1);
  } else {
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
      throw new HubError(400, `statements must be sent as application/json or multipart/mixed, not ${contentType}`, 'Content-Type');
    }
    json = parseJson(await c.req.text(), 'statement');
  }
  const single = !Array.isArray(json);
  const statements = single ? [json] : (json as unknown[]);
  if (statementId !== undefined && !single) throw new HubError(400, 'PUT takes one statement, not a list', 'statement');
  const where = (index: number) => (single ? 'statement' : `statement[${index}]`);
  const declared = statements.map((statement, index) => prepareStatement(statement, where(index), caller.authority, statementId));
  const attachments = matchAttachments(
    parts,
    declared.flatMap((s) => s.attachments),
  );
  statements.forEach((statement, index) => {
    if (isObject(statement)) verifySignatures({ ...statement, id: declared[index]?.body.id }, attachments, where(index));
  });
  if (caller.kind === 'device') await checkDeviceStatements(db, caller, declared, single);
  return { statements, single, attachments, declared };
}

export function statementRoutes(deps: HubDeps): Hono {
  const { db } = deps;
  const app = new Hono();

  // Every GET answer carries X-Experience-API-Consistent-Through, refusals included.
  app.use('/', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const consistent = consistentThrough(db);
    consistent.catch(() => {}); // awaited below; a failure there is the request's error
    await next();
    c.header('X-Experience-API-Consistent-Through', await consistent);
  });

  app.put('/', async (c) => {
    const caller = requireScope(c, 'statements/write');
    const id = c.req.query('statementId');
    if (id === undefined) throw new HubError(400, 'PUT needs a statementId parameter', 'statementId');
    if (!isUuid(id)) throw new HubError(400, 'statementId must be a UUID', 'statementId');
    for (const key of Object.keys(c.req.queries())) if (key !== 'statementId') throw new HubError(400, `PUT does not take a ${key} parameter`, key);
    const received = await receive(c, db, caller, id);
    await storeStatements(db, received.declared, received.attachments);
    return c.body(null, 204);
  });

  app.post('/', async (c) => {
    const caller = requireScope(c, 'statements/write');
    for (const key of Object.keys(c.req.queries())) throw new HubError(400, `POST does not take a ${key} parameter`, key);
    const received = await receive(c, db, caller);
    await storeStatements(db, received.declared, received.attachments);
    return c.json(received.declared.map((s) => String(s.body.id)));
  });

  app.get('/', async (c) => {
    const caller = requireScope(c, 'statements/read', 'statements/read/mine');
    const mine = !hasScope(caller, 'statements/read');
    const params = c.req.queries();
    for (const [key, values] of Object.entries(params)) {
      if (!queryParams.has(key)) throw new HubError(400, `${key} is not a parameter of the Statements resource`, key);
      if (values.length > 1) throw new HubError(400, `${key} is given more than once`, key);
    }
    const one = (key: string) => params[key]?.[0];
    const format = (one('format') ?? 'exact') as Format;
    if (!['exact', 'ids', 'canonical'].includes(format)) throw new HubError(400, 'format must be exact, ids or canonical', 'format');
    const withAttachments = booleanParam(one('attachments'), 'attachments');
    const languages = preferredLanguages(c.req.header('Accept-Language'));
    const authorityKey = mine ? agentKey(caller.authority) : undefined;

    const byId = one('statementId') ?? one('voidedStatementId');
    if (byId !== undefined) {
      const key = one('statementId') !== undefined ? 'statementId' : 'voidedStatementId';
      if (one('statementId') !== undefined && one('voidedStatementId') !== undefined)
        throw new HubError(400, 'give statementId or voidedStatementId, not both', 'voidedStatementId');
      for (const name of Object.keys(params)) if (!singleParams.has(name)) throw new HubError(400, `${name} cannot be combined with ${key}`, name);
      if (!isUuid(byId)) throw new HubError(400, `${key} must be a UUID`, key);
      const found = await statementById(db, byId);
      const wanted = key === 'voidedStatementId';
      if (!found || found.voided !== wanted || (authorityKey !== undefined && agentKey(found.body.authority) !== authorityKey)) {
        throw new HubError(
          404,
          wanted
            ? `no voided statement has id ${byId}`
            : `no statement has id ${byId}${found?.voided ? ' (it has been voided: ask with voidedStatementId)' : ''}`,
          key,
        );
      }
      c.header('Last-Modified', new Date(String(found.body.stored)).toUTCString());
      return reply(c, db, formatStatement(found.body, format, languages), [found], withAttachments);
    }

    const query = parseQuery(one);
    if (authorityKey !== undefined) query.authority = authorityKey;
    const rows = await queryStatements(db, query);
    const page = rows.slice(0, query.limit);
    let more = '';
    if (rows.length > query.limit) {
      const next = new URLSearchParams();
      for (const [key, values] of Object.entries(params)) if (key !== 'more') next.set(key, values[0] as string);
      next.set('more', String(page[page.length - 1]?.seq));
      more = `/xapi/statements?${next}`;
    }
    const result = { statements: page.map((row) => formatStatement(row.body, format, languages)), more };
    return reply(c, db, result, page, withAttachments);
  });

  return app;
}

async function reply(c: Context, db: Sql, json: unknown, rows: readonly StoredStatement[], withAttachments: boolean): Promise<Response> {
  if (!withAttachments) return c.json(json);
  const hashes = rows.flatMap((row) => attachmentHashes(row.body));
  const { body, contentType } = multipartBody(json, await attachmentsFor(db, hashes));
  return c.body(new Uint8Array(body), 200, { 'Content-Type': contentType });
}

function attachmentHashes(statement: Json): string[] {
  const list = [statement, isObject(statement.object) ? statement.object : {}].flatMap((part) =>
    Array.isArray(part.attachments) ? (part.attachments as Json[]) : [],
  );
  return list.map((a) => String(a.sha2).toLowerCase());
}

function booleanParam(value: string | undefined, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new HubError(400, `${name} must be true or false`, name);
}

function parseQuery(one: (key: string) => string | undefined): StatementQuery {
  const query: StatementQuery = { ascending: booleanParam(one('ascending'), 'ascending'), limit: defaultPage };
  const agentText = one('agent');
  if (agentText !== undefined) {
    const agent = parseJson(agentText, 'agent');
    const problems = validateActor(agent, 'agent');
    if (problems.length > 0) throw new HubError(400, problems.map((p) => `${p.field}: ${p.reason}`).join('; '), problems[0]?.field);
    const key = agentKey(agent);
    if (key === undefined) throw new HubError(400, 'agent must have an identifier (mbox, mbox_sha1sum, openid or account)', 'agent');
    query.agent = key;
  }
  query.relatedAgents = booleanParam(one('related_agents'), 'related_agents');
  query.relatedActivities = booleanParam(one('related_activities'), 'related_activities');
  const verb = one('verb');
  if (verb !== undefined) {
    if (!isIri(verb)) throw new HubError(400, 'verb must be an IRI', 'verb');
    query.verb = verb;
  }
  const activity = one('activity');
  if (activity !== undefined) {
    if (!isIri(activity)) throw new HubError(400, 'activity must be an IRI', 'activity');
    query.activity = activity;
  }
  const registration = one('registration');
  if (registration !== undefined) {
    if (!isUuid(registration)) throw new HubError(400, 'registration must be a UUID', 'registration');
    query.registration = registration;
  }
  for (const key of ['since', 'until'] as const) {
    const value = one(key);
    if (value === undefined) continue;
    if (!isTimestamp(value)) throw new HubError(400, `${key} must be an ISO 8601 timestamp`, key);
    query[key] = value;
  }
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit)) throw new HubError(400, 'limit must be a whole number, 0 or more', 'limit');
    const n = Number(limit);
    query.limit = n === 0 ? maxPage : Math.min(n, maxPage);
  }
  const more = one('more');
  if (more !== undefined) {
    if (!/^\d+$/.test(more)) throw new HubError(400, 'more must be the value from a previous page’s more link', 'more');
    query.after = Number(more);
  }
  return query;
}

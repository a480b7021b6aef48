/**
 * What the three xAPI document resources share (State, Activity Profile, Agent
 * Profile): reading their parameters, storing a document as the bytes the client
 * sent with its content type, ETags (quoted SHA-1 of the bytes), If-Match /
 * If-None-Match concurrency, Last-Modified, and the JSON merge a POST performs.
 * Each resource says which table it uses and which parameters name a document.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#22-documents-resources
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { HubDeps } from '../app.ts';
import { requireScope, type Scope } from '../auth/index.ts';
import type { Sql } from '../db/index.ts';
import { isIri, isTimestamp, isUuid, validateActor } from '../../lib/xapi/index.ts';
import { agentKey } from './agent-key.ts';
import { HubError, parseJson, responseVersion } from './common.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored document. */
export interface StoredDocument {
  contentType: string;
  content: Uint8Array;
  /** Quoted SHA-1 of content, as sent in the ETag header. */
  etag: string;
  updated: Date;
}

/** The columns (beside the document id) that name one document, with their values for a request. */
export type DocumentKey = ReadonlyArray<readonly [column: string, value: string]>;

/** One document resource: its table, its parameters and its rules. */
export interface DocumentResource {
  /** Used in messages: "state", "activity profile", "agent profile". */
  label: string;
  table: 'state_document' | 'activity_profile_document' | 'agent_profile_document';
  idColumn: 'state_id' | 'profile_id';
  idParam: 'stateId' | 'profileId';
  /** Query parameters that name the set of documents (besides the id and since). */
  keyParams: readonly string[];
  /** Profiles: a PUT must carry If-Match or If-None-Match (State accepts a bare PUT). */
  putNeedsPrecondition: boolean;
  /** State: DELETE without an id deletes every document under the key. */
  deleteMany: boolean;
  /**
   * Key columns that narrow a listing or a DELETE of many only when the request
   * gives them (State's registration: without it, every registration's documents).
   */
  optionalColumns?: readonly string[];
  /** Scopes that allow writing; reading also allows all/read. */
  scopes: readonly Scope[];
  /** Reads and checks the key parameters of a request. */
  keyOf(c: Context): DocumentKey;
}

/** The ETag of some bytes: their SHA-1 in hexadecimal, quoted. */
export function etagOf(content: Uint8Array): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

/** Whether a content type is JSON (application/json with or without parameters). */
export function isJsonType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*application\/json\s*(;|$)/i.test(contentType);
}

/** Parses bytes as a JSON object, or returns undefined when they are not one. */
function jsonObjectOf(content: Uint8Array): Json | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The merge a POST performs on two JSON objects: top-level properties of the new
 * document replace those of the stored one; nothing deeper is merged.
 */
export function mergeDocuments(stored: Json, incoming: Json): Json {
  return { ...stored, ...incoming };
}

// ---- Parameters -------------------------------------------------------------------------------

/** Refuses parameters the resource does not know, and parameters given twice. */
export function checkParams(c: Context, allowed: readonly string[]): void {
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!allowed.includes(name)) {
      throw new HubError(
        400,
        `"${name}" is not a parameter of this resource${c.req.method === 'GET' ? '' : ` for ${c.req.method}`}; it accepts ${allowed.join(', ')}`,
        name,
      );
    }
    if (values.length > 1) throw new HubError(400, 'is given more than once; give it once', name);
  }
}

/** A parameter the request must carry. */
export function requiredParam(c: Context, name: string): string {
  const value = c.req.query(name);
  if (value === undefined || value === '') throw new HubError(400, `is missing: this request needs the ${name} parameter`, name);
  return value;
}

/** A parameter that must be an absolute IRI (activityId). */
export function iriParam(c: Context, name: string): string {
  const value = requiredParam(c, name);
  if (!isIri(value))
    throw new HubError(400, `must be an absolute IRI such as "https://learning.example.org/modules/family-hubs", not ${JSON.stringify(value)}`, name);
  return value;
}

/** An optional UUID parameter (registration), in lower case; '' when absent. */
export function uuidParam(c: Context, name: string): string {
  const value = c.req.query(name);
  if (value === undefined) return '';
  if (!isUuid(value)) throw new HubError(400, `must be a UUID such as "0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e", not ${JSON.stringify(value)}`, name);
  return value.toLowerCase();
}

/** The agent parameter: an Agent in JSON with one identifier, and its canonical key. */
export function agentParam(c: Context, name = 'agent'): { agent: Json; key: string } {
  const agent = parseJson(requiredParam(c, name), name);
  if (!isObject(agent)) throw new HubError(400, 'must be an Agent object in JSON, such as {"mbox":"mailto:someone@example.org"}', name);
  if (agent.objectType !== undefined && agent.objectType !== 'Agent')
    throw new HubError(400, 'must be "Agent": this parameter names one person', `${name}.objectType`);
  const problem = validateActor(agent, name)[0];
  if (problem) throw new HubError(400, problem.reason, problem.field);
  return { agent, key: agentKey(agent) as string };
}

/** The optional since parameter, as a Date. */
function sinceParam(c: Context): Date | undefined {
  const value = c.req.query('since');
  if (value === undefined) return undefined;
  if (!isTimestamp(value)) throw new HubError(400, `must be a timestamp such as "2026-03-01T09:30:00.000Z", not ${JSON.stringify(value)}`, 'since');
  return new Date(value);
}

// ---- Storage ---------------------------------------------------------------------------------

interface DocumentRow {
  content_type: string;
  content: Uint8Array;
  etag: string;
  updated: Date | string;
}

const toDocument = (row: DocumentRow): StoredDocument => ({
  contentType: row.content_type,
  content: new Uint8Array(row.content.buffer, row.content.byteOffset, row.content.byteLength),
  etag: row.etag,
  updated: new Date(row.updated),
});

/** The key for GET of ids and DELETE of many: optional columns the request left empty match any value. */
function setKeyOf(resource: DocumentResource, key: DocumentKey): DocumentKey {
  return key.filter(([column, value]) => !(value === '' && resource.optionalColumns?.includes(column)));
}

/** "col1 = $1 and col2 = $2 …" for a key; column names come from the resource, never the request. */
function whereOf(key: DocumentKey, first = 1): string {
  return key.map(([column], index) => `${column} = $${first + index}`).join(' and ');
}

export async function readDocument(sql: Sql, resource: DocumentResource, key: DocumentKey, id: string): Promise<StoredDocument | undefined> {
  const rows = await sql.query<DocumentRow>(
    `select content_type, content, etag, updated from ${resource.table} where ${whereOf(key)} and ${resource.idColumn} = $${key.length + 1}`,
    [...key.map(([, value]) => value), id],
  );
  return rows[0] ? toDocument(rows[0]) : undefined;
}

export async function listDocumentIds(sql: Sql, resource: DocumentResource, fullKey: DocumentKey, since?: Date): Promise<{ id: string; updated: Date }[]> {
  const key = setKeyOf(resource, fullKey);
  const params: unknown[] = key.map(([, value]) => value);
  let text = `select ${resource.idColumn} as id, updated from ${resource.table} where ${whereOf(key)}`;
  if (since) {
    params.push(since);
    text += ` and updated > $${params.length}`;
  }
  const rows = await sql.query<{ id: string; updated: Date | string }>(`${text} order by ${resource.idColumn}`, params);
  return rows.map((row) => ({ id: row.id, updated: new Date(row.updated) }));
}

async function writeDocument(sql: Sql, resource: DocumentResource, key: DocumentKey, id: string, doc: StoredDocument): Promise<void> {
  const columns = [...key.map(([column]) => column), resource.idColumn];
  const values = [...key.map(([, value]) => value), id, doc.contentType, doc.content, doc.etag, doc.updated];
  const placeholders = values.map((_, index) => `$${index + 1}`).join(', ');
  await sql.query(
    `insert into ${resource.table} (${columns.join(', ')}, content_type, content, etag, updated) values (${placeholders})
     on conflict (${columns.join(', ')}) do update set content_type = excluded.content_type, content = excluded.content, etag = excluded.etag, updated = excluded.updated`,
    values,
  );
}

/**
 * Runs a read-check-write on one document in a transaction that holds an advisory
 * lock on that document, so two writers (in this process or another hub process)
 * never both pass an If-Match check against the same version.
 */
async function withDocumentLock<T>(deps: HubDeps, resource: DocumentResource, key: DocumentKey, id: string, work: (tx: Sql) => Promise<T>): Promise<T> {
  return deps.db.transaction(async (tx) => {
    const name = JSON.stringify([resource.table, ...key.map(([, value]) => value), id]);
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
    return work(tx);
  });
}

// ---- Concurrency -----------------------------------------------------------------------------

/** Whether an If-Match / If-None-Match header value names this ETag ("*" names any). */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const bare = (tag: string) =>
    tag
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
  return header.split(',').some((tag) => bare(tag) === bare(etag));
}

/** Whether the request speaks xAPI 2.0 (its X-Experience-API-Version header). */
const speaks2 = (c: Context): boolean => responseVersion(c.req.header('X-Experience-API-Version')) === '2.0.0';

/**
 * Applies If-Match and If-None-Match to a write (RFC 7232, as xAPI requires): 412
 * when the precondition fails. A PUT to a profile with neither header is refused:
 * 409 when the document exists (the client may overwrite someone else's change),
 * 400 when it does not (the client must say it expects to create it). xAPI 1.0.3
 * lets clients PUT State documents without either header, and many do, so State
 * keeps that for them; a client speaking 2.0 gets 2.0's rule, 409 on an existing
 * State document too.
 */
export function checkPreconditions(c: Context, resource: DocumentResource, existing: StoredDocument | undefined): void {
  const ifMatch = c.req.header('If-Match');
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifMatch !== undefined) {
    if (!existing) throw new HubError(412, `no ${resource.label} document exists for If-Match to match; send If-None-Match: * to create one`, 'If-Match');
    if (!etagMatches(ifMatch, existing.etag)) {
      throw new HubError(
        412,
        `the ${resource.label} document has changed since that ETag: its ETag is now ${existing.etag}; GET it again and retry`,
        'If-Match',
      );
    }
  }
  if (ifNoneMatch !== undefined && existing && etagMatches(ifNoneMatch, existing.etag)) {
    throw new HubError(
      412,
      ifNoneMatch.trim() === '*'
        ? `a ${resource.label} document already exists here; send If-Match with its ETag to replace it`
        : `the ${resource.label} document still has that ETag`,
      'If-None-Match',
    );
  }
  if (c.req.method === 'PUT' && ifMatch === undefined && ifNoneMatch === undefined && (resource.putNeedsPrecondition || speaks2(c))) {
    if (existing) {
      throw new HubError(
        409,
        `this ${resource.label} document already exists: check its current state with GET, then PUT again with If-Match set to its ETag (${existing.etag})`,
        'If-Match',
      );
    }
    if (!resource.putNeedsPrecondition) return;
    throw new HubError(
      400,
      `a PUT to the ${resource.label} resource needs If-None-Match: * to create a document, or If-Match with its ETag to replace one`,
      'If-None-Match',
    );
  }
}

// ---- Routes ----------------------------------------------------------------------------------

const lastModified = (date: Date): string => date.toUTCString();

async function bodyOf(c: Context): Promise<{ contentType: string; content: Uint8Array }> {
  const contentType = c.req.header('Content-Type')?.trim() || 'application/octet-stream';
  return { contentType, content: new Uint8Array(await c.req.arrayBuffer()) };
}

/** What a PUT or POST starts with: the scope check, the parameters, the document's key and id, and the body. */
async function writeRequestOf(
  c: Context,
  resource: DocumentResource,
): Promise<{ key: DocumentKey; id: string; body: { contentType: string; content: Uint8Array } }> {
  requireScope(c, ...resource.scopes);
  checkParams(c, [...resource.keyParams, resource.idParam]);
  const key = resource.keyOf(c);
  const id = requiredParam(c, resource.idParam);
  return { key, id, body: await bodyOf(c) };
}

/** GET, PUT, POST and DELETE for one document resource. */
export function documentRoutes(deps: HubDeps, resource: DocumentResource): Hono {
  const app = new Hono();
  const now = () => deps.now?.() ?? new Date();
  const { idParam } = resource;

  app.get('/', async (c) => {
    requireScope(c, ...resource.scopes, 'all/read');
    checkParams(c, [...resource.keyParams, idParam, 'since']);
    const key = resource.keyOf(c);
    const id = c.req.query(idParam);
    if (id !== undefined) {
      const doc = await readDocument(deps.db, resource, key, id);
      if (!doc) throw new HubError(404, `no ${resource.label} document has this ${idParam}`, idParam);
      const headers = { ETag: doc.etag, 'Last-Modified': lastModified(doc.updated), 'Content-Type': doc.contentType };
      const ifNoneMatch = c.req.header('If-None-Match');
      if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, doc.etag)) return c.body(null, 304, headers);
      return c.body(doc.content as Uint8Array<ArrayBuffer>, 200, headers);
    }
    const found = await listDocumentIds(deps.db, resource, key, sinceParam(c));
    const latest = found.reduce<Date | undefined>((max, row) => (max === undefined || row.updated > max ? row.updated : max), undefined);
    if (latest) c.header('Last-Modified', lastModified(latest));
    return c.json(found.map((row) => row.id));
  });

  app.put('/', async (c) => {
    const { key, id, body } = await writeRequestOf(c, resource);
    const doc: StoredDocument = { ...body, etag: etagOf(body.content), updated: now() };
    await withDocumentLock(deps, resource, key, id, async (tx) => {
      checkPreconditions(c, resource, await readDocument(tx, resource, key, id));
      await writeDocument(tx, resource, key, id, doc);
    });
    return c.body(null, 204, { ETag: doc.etag });
  });

  app.post('/', async (c) => {
    const { key, id, body } = await writeRequestOf(c, resource);
    const incoming = isJsonType(body.contentType) ? jsonObjectOf(body.content) : undefined;
    if (isJsonType(body.contentType) && !incoming)
      throw new HubError(400, 'the body is sent as application/json but is not a JSON object, so it cannot be stored or merged', 'body');
    const etag = await withDocumentLock(deps, resource, key, id, async (tx) => {
      const existing = await readDocument(tx, resource, key, id);
      checkPreconditions(c, resource, existing);
      let doc: StoredDocument;
      if (!existing) {
        // No document yet: a POST stores it as a PUT would.
        doc = { ...body, etag: etagOf(body.content), updated: now() };
      } else {
        if (!incoming)
          throw new HubError(
            400,
            `a POST merges JSON objects, but this body is ${body.contentType}; send application/json, or PUT to replace the document`,
            'Content-Type',
          );
        const stored = isJsonType(existing.contentType) ? jsonObjectOf(existing.content) : undefined;
        if (!stored)
          throw new HubError(
            400,
            `the stored ${resource.label} document is ${existing.contentType}, not a JSON object, so it cannot be merged; PUT replaces it`,
            'Content-Type',
          );
        const content = new TextEncoder().encode(JSON.stringify(mergeDocuments(stored, incoming)));
        doc = { contentType: 'application/json', content, etag: etagOf(content), updated: now() };
      }
      await writeDocument(tx, resource, key, id, doc);
      return doc.etag;
    });
    return c.body(null, 204, { ETag: etag });
  });

  app.delete('/', async (c) => {
    requireScope(c, ...resource.scopes);
    checkParams(c, [...resource.keyParams, idParam]);
    const key = resource.keyOf(c);
    const id = resource.deleteMany ? c.req.query(idParam) : requiredParam(c, idParam);
    if (id === undefined) {
      const many = setKeyOf(resource, key);
      await deps.db.query(
        `delete from ${resource.table} where ${whereOf(many)}`,
        many.map(([, value]) => value),
      );
    } else {
      await withDocumentLock(deps, resource, key, id, async (tx) => {
        checkPreconditions(c, resource, await readDocument(tx, resource, key, id));
        await tx.query(`delete from ${resource.table} where ${whereOf(key)} and ${resource.idColumn} = $${key.length + 1}`, [
          ...key.map(([, value]) => value),
          id,
        ]);
      });
    }
    return c.body(null, 204);
  });

  return app;
}

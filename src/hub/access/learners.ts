/**
 * Learners on the hub: enrolment through a lead's link (a new account every time,
 * never one the browser names), what the hub holds about a learner, and its
 * download.
 */
import { learnerKey, statementsOf } from './learner-statements.ts';
import { randomUUID } from 'node:crypto';
import { idMessage, idPattern } from '../../lib/content/id.ts';
import type { Database, Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit } from './audit.ts';
import { deviceLabel, hashSecret, issueDevice, learnerAgent } from './devices.ts';

/** Longest name kept; the same limit as the learner's profile in the browser. */
export const maxNameLength = 200;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a learner sees before enrolling: whose link it is. */
export interface EnrolmentLinkInfo {
  organisation: string;
  district: string;
  expires: string;
}

interface LinkRow {
  id: string;
  organisation_id: string;
  organisation: string;
  district: string;
  expires: Date;
  max_uses: number;
  uses: number;
  revoked: Date | null;
}

const askLead = 'ask your workforce lead for a new link';

/** The link a token opens, or a refusal a learner can act on. */
async function usableLink(db: Sql, token: unknown, now: Date): Promise<LinkRow> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    throw new HubError(404, `this enrolment link is not complete: check you copied all of it, or ${askLead}`, 'token');
  }
  const rows = await db.query<LinkRow>(
    `select l.id, l.organisation_id, o.name as organisation, o.district, l.expires, l.max_uses, l.uses, l.revoked
       from enrolment_link l join organisation o on o.id = l.organisation_id where l.token_sha256 = $1`,
    [hashSecret(token)],
  );
  const link = rows[0];
  if (!link) throw new HubError(404, `this enrolment link is not recognised: check you copied all of it, or ${askLead}`, 'token');
  if (link.revoked) throw new HubError(403, `this enrolment link has been withdrawn: ${askLead}`, 'token');
  if (new Date(link.expires) <= now) throw new HubError(403, `this enrolment link has expired: ${askLead}`, 'token');
  if (link.uses >= link.max_uses) throw new HubError(403, `this enrolment link has been used as many times as it allows: ${askLead}`, 'token');
  return link;
}

/** Whose link a token is, for the enrolment page, without using it. */
export async function enrolmentLinkInfo(db: Sql, token: unknown, now: Date): Promise<EnrolmentLinkInfo> {
  const link = await usableLink(db, token, now);
  return { organisation: link.organisation, district: link.district, expires: new Date(link.expires).toISOString() };
}

/** A person's name as they write it: any script, trimmed, NFC, 1 to maxNameLength characters, no control characters. */
export function personName(value: unknown, where = 'name'): string {
  if (typeof value !== 'string') throw new HubError(400, 'enter your name', where);
  const name = value.trim().normalize('NFC');
  if (name === '') throw new HubError(400, 'enter your name', where);
  if (name.length > maxNameLength) throw new HubError(400, `your name must be ${maxNameLength} characters or fewer`, where);
  if (/\p{Cc}/u.test(name)) throw new HubError(400, 'your name must not contain control characters such as line breaks', where);
  return name;
}

/** What the enrolment form sends. */
export interface EnrolmentRequest {
  token: string;
  name: string;
  roleId: string;
  shared: boolean;
  deviceLabel: string;
}

const enrolmentFields = new Set(['token', 'name', 'roleId', 'shared', 'deviceLabel']);

/**
 * Checks an enrolment request. Only the fields above are accepted: an account id,
 * person id or actor in the request is refused, since the hub always makes a new one.
 */
export function readEnrolmentRequest(body: unknown): EnrolmentRequest {
  if (!isObject(body)) throw new HubError(400, 'send the enrolment form as a JSON object');
  for (const key of Object.keys(body)) {
    if (!enrolmentFields.has(key)) {
      throw new HubError(400, `${key} cannot be given: the hub makes a new account for every enrolment and chooses its id`, key);
    }
  }
  if (typeof body.roleId !== 'string' || !idPattern.test(body.roleId)) throw new HubError(400, `choose your role: the role ${idMessage}`, 'roleId');
  if (body.shared !== undefined && typeof body.shared !== 'boolean') throw new HubError(400, 'must be true or false', 'shared');
  return {
    token: typeof body.token === 'string' ? body.token : '',
    name: personName(body.name),
    roleId: body.roleId,
    shared: body.shared === true,
    deviceLabel: deviceLabel(body.deviceLabel, 'deviceLabel'),
  };
}

/** What a learner's browser keeps after enrolling or redeeming a code. */
export interface SignedIn {
  /** The device credential: sent as `Authorization: Bearer …`. Shown once. */
  token: string;
  device: { id: string; shared: boolean; expires: string | null };
  learner: LearnerSummary;
  /** The xAPI actor for this learner's statements. */
  agent: ReturnType<typeof learnerAgent>;
}

export interface LearnerSummary {
  id: string;
  name: string;
  roleId: string;
  organisation: string;
  district: string;
  /** 'awaiting' until a lead of the organisation confirms the enrolment. */
  status: 'awaiting' | 'confirmed';
  created: string;
}

/**
 * Uses one of the link's places and makes a new learner (status awaiting) with a
 * credential for this browser, in one transaction: a link used up meanwhile
 * refuses, and nothing is half made.
 */
export async function enrol(db: Database, request: EnrolmentRequest, options: { publicUrl: string; now: Date; timeZone: string }): Promise<SignedIn> {
  const { now } = options;
  return db.transaction(async (tx) => {
    const link = await usableLink(tx, request.token, now);
    const taken = await tx.query(
      'update enrolment_link set uses = uses + 1 where id = $1 and uses < max_uses and revoked is null and expires > $2 returning id',
      [link.id, now],
    );
    if (taken.length === 0) throw new HubError(403, `this enrolment link has been used as many times as it allows: ${askLead}`, 'token');
    const id = randomUUID();
    await tx.query(
      `insert into person (id, kind, name, role_id, organisation_id, status, created, last_active, enrolled_by_link)
       values ($1, 'learner', $2, $3, $4, 'awaiting', $5, $5, $6)`,
      [id, request.name, request.roleId, link.organisation_id, now, link.id],
    );
    await audit(tx, { action: 'enrolled', actor: { id, name: request.name }, subject: link.organisation, detail: { person: id, link: link.id } });
    const device = await issueDevice(tx, {
      personId: id,
      personName: request.name,
      label: request.deviceLabel,
      shared: request.shared,
      now,
      timeZone: options.timeZone,
    });
    return {
      token: device.token,
      device: { id: device.id, shared: request.shared, expires: device.expires?.toISOString() ?? null },
      learner: {
        id,
        name: request.name,
        roleId: request.roleId,
        organisation: link.organisation,
        district: link.district,
        status: 'awaiting',
        created: now.toISOString(),
      },
      agent: learnerAgent(options.publicUrl, id, request.name),
    };
  });
}

/** The learner behind a person id, as their own pages show them. */
export async function learnerSummary(db: Sql, personId: string): Promise<LearnerSummary> {
  const rows = await db.query<{
    id: string;
    name: string;
    role_id: string | null;
    organisation: string;
    district: string;
    status: 'awaiting' | 'confirmed';
    created: Date;
  }>(
    `select p.id, p.name, p.role_id, o.name as organisation, o.district, p.status, p.created
       from person p join organisation o on o.id = p.organisation_id where p.id = $1 and p.kind = 'learner'`,
    [personId],
  );
  const row = rows[0];
  if (!row) throw new HubError(401, 'this device is not signed in to the hub', 'Authorization');
  return {
    id: row.id,
    name: row.name,
    roleId: row.role_id ?? '',
    organisation: row.organisation,
    district: row.district,
    status: row.status,
    created: new Date(row.created).toISOString(),
  };
}

/** Everything the hub holds about one learner, as the JSON they download. */
export async function exportLearner(db: Sql, personId: string, publicUrl: string, now: Date): Promise<Json> {
  const learner = await learnerSummary(db, personId);
  const key = learnerKey(publicUrl, personId);
  const [person] = await db.query<{ confirmed: Date | null; last_active: Date | null; email: string | null }>(
    'select confirmed, last_active, email from person where id = $1',
    [personId],
  );
  const devices = await db.query<{ id: string; label: string; shared: boolean; created: Date; last_used: Date; expires: Date | null; revoked: Date | null }>(
    'select id, label, shared, created, last_used, expires, revoked from device where person_id = $1 order by created, id',
    [personId],
  );
  const statements = await statementsOf(db, [key]);
  const state = await db.query<{ activity_iri: string; registration: string; state_id: string; content_type: string; content: Uint8Array; updated: Date }>(
    'select activity_iri, registration, state_id, content_type, content, updated from state_document where agent_key = $1 order by activity_iri, state_id',
    [key],
  );
  const events = await db.query<{ at: Date; action: string; subject: string }>('select at, action, subject from audit_log where actor_id = $1 order by seq', [
    personId,
  ]);
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    exported: now.toISOString(),
    hub: publicUrl,
    learner: { ...learner, email: person?.email ?? null, confirmed: iso(person?.confirmed ?? null), lastActive: iso(person?.last_active ?? null) },
    agent: learnerAgent(publicUrl, personId, learner.name),
    devices: devices.map((d) => ({
      id: d.id,
      label: d.label,
      shared: d.shared,
      created: iso(d.created),
      lastUsed: iso(d.last_used),
      expires: iso(d.expires),
      revoked: iso(d.revoked),
    })),
    statements: statements.map((row) => row.body),
    state: state.map((doc) => ({
      activityId: doc.activity_iri,
      registration: doc.registration || null,
      stateId: doc.state_id,
      contentType: doc.content_type,
      content: Buffer.from(doc.content).toString('utf8'),
      updated: iso(doc.updated),
    })),
    events: events.map((event) => ({ at: iso(event.at), action: event.action, subject: event.subject })),
  };
}

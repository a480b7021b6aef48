/**
 * The council admin's part of the hub under /api/admin/: organisations, leads
 * (invited by one-time links, passkeys reset, removed), API keys, the audit log
 * (read and downloaded), and erasure of a learner. Only admins get past the door.
 */
import { deleteStatementsOf, learnerKey } from './learner-statements.ts';
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import type { Database } from '../db/index.ts';
import { toCsv } from '../../lib/report/csv.ts';
import { createKey, listKeys, revokeKey, scopes } from '../auth/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit, readAudit } from './audit.ts';
import { enforceRateLimit, type RateLimit } from './rate-limit.ts';
import { idParam, nameField, readBody, uuidField } from './request.ts';
import { requireAdmin, requireStaff } from './sessions.ts';
import { createInvite } from './staff.ts';
import { forwardingRoutes } from '../forward/routes.ts';

/** Invites and resets one admin may make in an hour: a whole council's leads, not a flood of links. */
export const adminInviteLimit: RateLimit = { limit: 60, windowSeconds: 3600 };
/** Audit entries a page. */
export const auditPageSize = 50;

const organisationBody = z.object({
  name: nameField('name'),
  district: z.string({ error: 'district must be text' }).trim().max(200, 'district must be 200 characters or fewer').default(''),
});
const inviteBody = z.object({
  name: nameField('name'),
  organisationIds: z.array(uuidField('organisationIds')).min(1, 'choose at least one organisation').max(200),
});
const keyBody = z.object({
  name: nameField('name'),
  scopes: z.array(z.enum(scopes, { error: `each scope must be one of ${scopes.join(', ')}` })).min(1, 'choose at least one scope'),
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Erases a learner: their statements (as actor, or stored by their devices), State and
 * agent profile documents, devices, codes and person row, in one transaction.
 * Returns how many statements went, or undefined when there is no such learner.
 */
export async function eraseLearner(db: Database, publicUrl: string, personId: string): Promise<{ statements: number } | undefined> {
  const key = learnerKey(publicUrl, personId);
  return db.transaction(async (tx) => {
    const people = await tx.query('select id from person where id = $1 and kind = $2 for update', [personId, 'learner']);
    if (people.length === 0) return undefined;
    const statements = await deleteStatementsOf(tx, [key]);
    await tx.query('delete from state_document where agent_key = $1', [key]);
    await tx.query('delete from agent_profile_document where agent_key = $1', [key]);
    await tx.query('delete from agent where agent_key = $1', [key]);
    await tx.query('delete from person where id = $1', [personId]);
    return { statements };
  });
}

export function adminRoutes(deps: HubDeps): Hono {
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const routes = new Hono();
  routes.use('*', requireStaff(db, now, config.publicUrl), requireAdmin);
  routes.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  routes.post('/organisations', async (c) => {
    const { staff } = c.get('session');
    const body = await readBody(c, organisationBody);
    const id = randomUUID();
    await db.query('insert into organisation (id, name, district, created) values ($1, $2, $3, $4)', [id, body.name, body.district, now()]);
    await audit(db, { action: 'organisation-created', actor: staff, subject: body.name });
    return c.json({ id, ...body }, 201);
  });

  routes.patch('/organisations/:id', async (c) => {
    const { staff } = c.get('session');
    const id = idParam(c);
    const body = await readBody(c, organisationBody);
    const rows = await db.query<{ name: string }>(
      'update organisation o set name = $2, district = $3 from organisation old where o.id = $1 and old.id = o.id returning old.name',
      [id, body.name, body.district],
    );
    if (!rows[0]) throw new HubError(404, 'there is no organisation with that id');
    await audit(db, { action: 'organisation-changed', actor: staff, subject: body.name, detail: { was: rows[0].name } });
    return c.json({ id, ...body });
  });

  routes.get('/leads', async (c) => {
    const rows = await db.query<{ id: string; name: string; kind: string; created: Date; organisations: string[] | null; passkeys: number }>(
      `select p.id, p.name, p.kind, p.created,
         array(select o.name from lead_organisation lo join organisation o on o.id = lo.organisation_id where lo.person_id = p.id order by o.name) as organisations,
         (select count(*)::int from passkey k where k.person_id = p.id) as passkeys
       from person p where p.kind in ('lead', 'admin') order by p.kind, p.name, p.id`,
    );
    return c.json(
      rows.map((row) => ({
        id: row.id,
        name: row.name,
        kind: row.kind,
        created: iso(row.created),
        organisations: row.organisations ?? [],
        passkeys: Number(row.passkeys),
      })),
    );
  });

  routes.post('/leads/invite', async (c) => {
    const { staff } = c.get('session');
    await enforceRateLimit(db, `admin-invite:${staff.id}`, adminInviteLimit, now());
    const body = await readBody(c, inviteBody);
    const found = await db.query<{ name: string }>('select name from organisation where id = any($1::uuid[]) order by name', [body.organisationIds]);
    if (found.length !== new Set(body.organisationIds).size) throw new HubError(400, 'one of the organisations chosen does not exist', 'organisationIds');
    const invite = await createInvite(
      db,
      config.publicUrl,
      { kind: 'lead', name: body.name, organisationIds: body.organisationIds, createdBy: staff.id },
      now(),
    );
    await audit(db, { action: 'lead-invited', actor: staff, subject: body.name, detail: { organisations: found.map((row) => row.name).join(', ') } });
    return c.json(invite, 201);
  });

  routes.post('/leads/:id/reset', async (c) => {
    const { staff } = c.get('session');
    await enforceRateLimit(db, `admin-invite:${staff.id}`, adminInviteLimit, now());
    const id = idParam(c);
    const invite = await db.transaction(async (tx) => {
      const people = await tx.query<{ name: string; kind: 'lead' | 'admin' }>("select name, kind from person where id = $1 and kind in ('lead', 'admin')", [
        id,
      ]);
      const person = people[0];
      if (!person) throw new HubError(404, 'there is no lead or admin with that id');
      // The old passkeys and sessions stop working now, not when the new link is used.
      await tx.query('delete from passkey where person_id = $1', [id]);
      await tx.query('delete from staff_session where person_id = $1', [id]);
      await tx.query('delete from staff_invite where person_id = $1', [id]);
      const created = await createInvite(tx, config.publicUrl, { kind: 'lead', name: person.name, createdBy: staff.id, personId: id }, now());
      await audit(tx, { action: 'passkey-reset', actor: staff, subject: person.name });
      return created;
    });
    return c.json(invite, 201);
  });

  routes.delete('/leads/:id', async (c) => {
    const { staff } = c.get('session');
    const id = idParam(c);
    if (id === staff.id) throw new HubError(409, 'you cannot remove yourself: ask another admin');
    const rows = await db.query<{ name: string }>("delete from person where id = $1 and kind = 'lead' returning name", [id]);
    if (!rows[0]) throw new HubError(404, 'there is no lead with that id');
    await audit(db, { action: 'lead-removed', actor: staff, subject: rows[0].name });
    return c.json({ removed: true });
  });

  routes.get('/keys', async (c) => c.json(await listKeys(db)));
  routes.get('/scopes', (c) => c.json(scopes));

  routes.post('/keys', async (c) => {
    const { staff } = c.get('session');
    const body = await readBody(c, keyBody);
    const created = await createKey(db, body.name, body.scopes);
    await audit(db, { action: 'key-created', actor: staff, subject: body.name, detail: { key: created.key, scopes: body.scopes.join(' ') } });
    return c.json(created, 201);
  });

  routes.post('/keys/:key/revoke', async (c) => {
    const { staff } = c.get('session');
    const key = c.req.param('key');
    if (!(await revokeKey(db, key))) throw new HubError(404, 'there is no key in use with that name');
    await audit(db, { action: 'key-revoked', actor: staff, subject: key });
    return c.json({ revoked: true });
  });

  routes.get('/audit', async (c) => {
    const before = c.req.query('before');
    if (before !== undefined && !/^[1-9][0-9]{0,17}$/.test(before)) throw new HubError(400, 'before must be an entry number', 'before');
    const entries = await readAudit(db, { limit: auditPageSize, ...(before ? { beforeSeq: Number(before) } : {}) });
    return c.json({ entries, older: entries.length === auditPageSize ? entries.at(-1)!.seq : null });
  });

  routes.get('/audit.csv', async (c) => {
    const { staff } = c.get('session');
    const rows: (string | number)[][] = [['Entry', 'When (UTC)', 'Who', 'What', 'Subject', 'Detail']];
    let before: number | undefined;
    for (;;) {
      const page = await readAudit(db, { limit: 1000, ...(before ? { beforeSeq: before } : {}) });
      for (const entry of page) rows.push([entry.seq, entry.at, entry.actorName, entry.action, entry.subject, JSON.stringify(entry.detail)]);
      if (page.length < 1000) break;
      before = page.at(-1)!.seq;
    }
    await audit(db, { action: 'export', actor: staff, subject: 'audit log' });
    return c.body(toCsv(rows), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="hub-audit-log.csv"' });
  });

  routes.get('/learners', async (c) => {
    const rows = await db.query<{ id: string; name: string; status: string; organisation: string; created: Date }>(
      `select p.id, p.name, p.status, o.name as organisation, p.created from person p join organisation o on o.id = p.organisation_id
       where p.kind = 'learner' order by o.name, p.name, p.id`,
    );
    return c.json(rows.map((row) => ({ ...row, created: iso(row.created) })));
  });

  routes.post('/learners/:id/erase', async (c) => {
    const { staff } = c.get('session');
    const erased = await eraseLearner(db, config.publicUrl, idParam(c));
    if (!erased) throw new HubError(404, 'there is no learner with that id');
    // Only that an erasure happened: no name, no id.
    await audit(db, { action: 'erasure', actor: staff, detail: erased });
    return c.json({ erased: true, ...erased });
  });

  routes.route('/forwarding', forwardingRoutes(deps));

  return routes;
}

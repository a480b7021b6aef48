/**
 * The lead's part of the hub under /api/lead/: their organisations with counts,
 * enrolment links, enrolments awaiting confirmation, and learners with their
 * devices. Which organisations a caller may see comes from the database only
 * (`lead_organisation`, or every organisation for an admin), and every query
 * below is limited to them in SQL.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import type { Sql } from '../db/index.ts';
import { HubError } from '../xapi/common.ts';
import { audit } from './audit.ts';
import { idParam, readBody, uuidField } from './request.ts';
import { requireStaff } from './sessions.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * The organisations person $1 may see, as a SQL subquery: those they lead, or
 * all of them for an admin. Built from the database alone, never the request.
 */
export const visibleOrganisations = (param: string) =>
  `(select organisation_id from lead_organisation where person_id = ${param}
    union select id from organisation where exists (select 1 from person where id = ${param} and kind = 'admin'))`;

/** Longest an enrolment link may stay open, and most people one link may enrol. */
export const linkLimits = { days: 90, uses: 500 } as const;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export interface OrganisationSummary {
  id: string;
  name: string;
  district: string;
  /** Learners a lead has confirmed: the only ones that count. */
  confirmed: number;
  awaiting: number;
}

/** The organisations person may see, with confirmed and awaiting learners counted apart. */
export async function organisationSummaries(db: Sql, personId: string): Promise<OrganisationSummary[]> {
  const rows = await db.query<{ id: string; name: string; district: string; confirmed: number; awaiting: number }>(
    `select o.id, o.name, o.district,
       (select count(*)::int from person p where p.organisation_id = o.id and p.kind = 'learner' and p.status = 'confirmed') as confirmed,
       (select count(*)::int from person p where p.organisation_id = o.id and p.kind = 'learner' and p.status = 'awaiting') as awaiting
     from organisation o where o.id in ${visibleOrganisations('$1')}
     order by o.name, o.id`,
    [personId],
  );
  return rows.map((row) => ({ ...row, confirmed: Number(row.confirmed), awaiting: Number(row.awaiting) }));
}

/** Where a learner opens an enrolment link; the token is in the fragment so it never reaches a server log. */
export const enrolmentUrl = (publicUrl: string, token: string) => `${publicUrl}/enrol/#${token}`;

const newLinkBody = z.object({
  organisationId: uuidField('organisationId'),
  label: z.string({ error: 'label must be text' }).trim().max(200, 'label must be 200 characters or fewer').default(''),
  days: z
    .number({ error: 'days must be a number' })
    .int('days must be a whole number')
    .min(1, 'days must be at least 1')
    .max(linkLimits.days, `days must be ${linkLimits.days} or fewer`),
  maxUses: z
    .number({ error: 'maxUses must be a number' })
    .int('maxUses must be a whole number')
    .min(1, 'maxUses must be at least 1')
    .max(linkLimits.uses, `maxUses must be ${linkLimits.uses} or fewer`),
});

const notYours = (what: string) => new HubError(404, `there is no ${what} with that id among your organisations`);

export function leadRoutes(deps: HubDeps): Hono {
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const routes = new Hono();
  routes.use('*', requireStaff(db, now, config.publicUrl));
  routes.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  routes.get('/organisations', async (c) => c.json(await organisationSummaries(db, c.get('session').staff.id)));

  routes.get('/links', async (c) => {
    const rows = await db.query<{
      id: string;
      organisation_id: string;
      organisation: string;
      label: string;
      created: Date;
      expires: Date;
      max_uses: number;
      uses: number;
      revoked: Date | null;
      created_by: string | null;
    }>(
      `select l.id, l.organisation_id, o.name as organisation, l.label, l.created, l.expires, l.max_uses, l.uses, l.revoked, p.name as created_by
       from enrolment_link l join organisation o on o.id = l.organisation_id left join person p on p.id = l.created_by
       where l.organisation_id in ${visibleOrganisations('$1')}
       order by l.created desc, l.id`,
      [c.get('session').staff.id],
    );
    return c.json(
      rows.map((row) => ({
        id: row.id,
        organisationId: row.organisation_id,
        organisation: row.organisation,
        label: row.label,
        created: iso(row.created),
        expires: iso(row.expires),
        maxUses: Number(row.max_uses),
        uses: Number(row.uses),
        revoked: iso(row.revoked),
        createdBy: row.created_by ?? '',
      })),
    );
  });

  routes.post('/links', async (c) => {
    const { staff } = c.get('session');
    const body = await readBody(c, newLinkBody);
    const token = newToken();
    const at = now();
    const expires = new Date(at.getTime() + body.days * 86_400_000);
    const rows = await db.query<{ id: string; organisation: string }>(
      `insert into enrolment_link (id, token_sha256, organisation_id, created_by, label, created, expires, max_uses)
       select gen_random_uuid(), $2, o.id, $1, $4, $5, $6, $7 from organisation o
       where o.id = $3 and o.id in ${visibleOrganisations('$1')}
       returning id, (select name from organisation where id = $3) as organisation`,
      [staff.id, hashToken(token), body.organisationId, body.label, at, expires, body.maxUses],
    );
    const link = rows[0];
    if (!link) throw notYours('organisation');
    await audit(db, { action: 'enrolment-link-created', actor: staff, subject: link.organisation, detail: { label: body.label, maxUses: body.maxUses } });
    return c.json(
      { id: link.id, organisation: link.organisation, url: enrolmentUrl(config.publicUrl, token), expires: expires.toISOString(), maxUses: body.maxUses },
      201,
    );
  });

  routes.post('/links/:id/revoke', async (c) => {
    const { staff } = c.get('session');
    const rows = await db.query<{ label: string }>(
      `update enrolment_link set revoked = $3 where id = $2 and revoked is null and organisation_id in ${visibleOrganisations('$1')} returning label`,
      [staff.id, idParam(c), now()],
    );
    if (!rows[0]) throw notYours('open enrolment link');
    await audit(db, { action: 'enrolment-link-revoked', actor: staff, subject: rows[0].label });
    return c.json({ revoked: true });
  });

  routes.get('/enrolments', async (c) => {
    const rows = await db.query<{ id: string; name: string; role_id: string | null; organisation: string; created: Date; link: string | null }>(
      `select p.id, p.name, p.role_id, o.name as organisation, p.created, l.label as link
       from person p join organisation o on o.id = p.organisation_id left join enrolment_link l on l.id = p.enrolled_by_link
       where p.kind = 'learner' and p.status = 'awaiting' and p.organisation_id in ${visibleOrganisations('$1')}
       order by p.created, p.id`,
      [c.get('session').staff.id],
    );
    return c.json(
      rows.map((row) => ({
        id: row.id,
        name: row.name,
        roleId: row.role_id ?? '',
        organisation: row.organisation,
        created: iso(row.created),
        link: row.link ?? '',
      })),
    );
  });

  routes.post('/enrolments/:id/confirm', async (c) => {
    const { staff } = c.get('session');
    const rows = await db.query<{ name: string }>(
      `update person set status = 'confirmed', confirmed = $3, confirmed_by = $1
       where id = $2 and kind = 'learner' and status = 'awaiting' and organisation_id in ${visibleOrganisations('$1')}
       returning name`,
      [staff.id, idParam(c), now()],
    );
    if (!rows[0]) throw notYours('enrolment awaiting confirmation');
    await audit(db, { action: 'enrolment-confirmed', actor: staff, subject: rows[0].name });
    return c.json({ confirmed: true });
  });

  routes.post('/enrolments/:id/refuse', async (c) => {
    const { staff } = c.get('session');
    // Removing the person removes their devices and codes with them (on delete cascade).
    const rows = await db.query<{ name: string }>(
      `delete from person where id = $2 and kind = 'learner' and status = 'awaiting' and organisation_id in ${visibleOrganisations('$1')} returning name`,
      [staff.id, idParam(c)],
    );
    if (!rows[0]) throw notYours('enrolment awaiting confirmation');
    await audit(db, { action: 'enrolment-refused', actor: staff, subject: rows[0].name });
    return c.json({ refused: true });
  });

  routes.get('/learners', async (c) => {
    const learners = await db.query<{
      id: string;
      name: string;
      role_id: string | null;
      organisation: string;
      confirmed: Date | null;
      last_active: Date | null;
      email_not_working: boolean;
    }>(
      `select p.id, p.name, p.role_id, o.name as organisation, p.confirmed, p.last_active, (p.email is not null and p.email_refused is not null) as email_not_working
       from person p join organisation o on o.id = p.organisation_id
       where p.kind = 'learner' and p.status = 'confirmed' and p.organisation_id in ${visibleOrganisations('$1')}
       order by o.name, p.name, p.id`,
      [c.get('session').staff.id],
    );
    const devices = await db.query<{
      id: string;
      person_id: string;
      label: string;
      shared: boolean;
      created: Date;
      last_used: Date;
      expires: Date | null;
      revoked: Date | null;
    }>(
      `select d.id, d.person_id, d.label, d.shared, d.created, d.last_used, d.expires, d.revoked
       from device d join person p on p.id = d.person_id
       where p.kind = 'learner' and p.status = 'confirmed' and p.organisation_id in ${visibleOrganisations('$1')}
       order by d.created, d.id`,
      [c.get('session').staff.id],
    );
    return c.json(
      learners.map((learner) => ({
        id: learner.id,
        name: learner.name,
        roleId: learner.role_id ?? '',
        organisation: learner.organisation,
        confirmed: iso(learner.confirmed),
        lastActive: iso(learner.last_active),
        /** The mail server refused the learner's email address: reminders cannot reach them. */
        emailNotWorking: learner.email_not_working,
        devices: devices
          .filter((device) => device.person_id === learner.id)
          .map((device) => ({
            id: device.id,
            label: device.label,
            shared: device.shared,
            created: iso(device.created),
            lastUsed: iso(device.last_used),
            expires: iso(device.expires),
            revoked: iso(device.revoked),
          })),
      })),
    );
  });

  routes.post('/devices/:id/revoke', async (c) => {
    const { staff } = c.get('session');
    const rows = await db.query<{ label: string; name: string }>(
      `update device d set revoked = $3 from person p
       where d.id = $2 and d.revoked is null and p.id = d.person_id and p.kind = 'learner' and p.organisation_id in ${visibleOrganisations('$1')}
       returning d.label, p.name`,
      [staff.id, idParam(c), now()],
    );
    if (!rows[0]) throw notYours('device in use');
    await audit(db, { action: 'device-revoked', actor: staff, subject: `${rows[0].name}: ${rows[0].label}` });
    return c.json({ revoked: true });
  });

  return routes;
}

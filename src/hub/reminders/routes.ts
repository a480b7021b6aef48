/**
 * The email address API under /api/email/: a signed-in learner (device
 * credential) or lead (session cookie and CSRF token) gives, checks and removes
 * their own address; the links in emails confirm an address or stop all emails
 * to it. Addresses can be given only when the council has switched reminders on.
 */
import type { Context, Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { HubError, parseJson } from '../xapi/common.ts';
import { authenticateDevice } from '../access/devices.ts';
import { enforceRateLimit, type RateLimit } from '../access/rate-limit.ts';
import { requireStaff } from '../access/sessions.ts';
import { clientAddress } from '../access/client-address.ts';
import { confirmEmail, emailStatus, giveEmail, readEmail, removeEmail, stopEmails, type EmailStatus } from './address.ts';

export const emailRateLimits = {
  /** Per person: addresses given (each sends an email to someone). */
  give: { limit: 5, windowSeconds: 3600 },
  /** Per client address: confirmation and stop links tried. */
  link: { limit: 20, windowSeconds: 600 },
} satisfies Record<string, RateLimit>;

/** What the pages are told about a person's address. */
export interface EmailAnswer extends EmailStatus {
  /** Whether the council has switched email reminders on. */
  on: boolean;
}

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const body = parseJson(await c.req.text(), 'body');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HubError(400, 'send a JSON object', 'body');
  for (const key of Object.keys(body)) if (!['email', 'token'].includes(key)) throw new HubError(400, `${key} cannot be given here`, key);
  return body as Record<string, unknown>;
}

/** Adds the email routes to the site API. */
export function reminderRoutes(api: Hono, deps: HubDeps): void {
  const { db, config } = deps;
  const now = () => deps.now?.() ?? new Date();
  const on = Boolean(deps.mailer && deps.course);
  const off = () => new HubError(404, 'this hub does not send emails: the council has not switched email reminders on', 'email');

  api.use('/email/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  api.get('/email', (c) => c.json({ on }));

  /** The routes for one kind of person, who `who` finds from the request. */
  const ownAddress = (path: string, who: (c: Context) => Promise<{ id: string; name: string }>) => {
    api.get(path, async (c) => {
      const person = await who(c);
      return c.json({ on, ...(await emailStatus(db, person.id)) } satisfies EmailAnswer);
    });
    api.put(path, async (c) => {
      const person = await who(c);
      if (!deps.mailer || !deps.course) throw off();
      const email = readEmail((await bodyOf(c)).email);
      const at = now();
      await enforceRateLimit(db, `email:${person.id}`, emailRateLimits.give, at);
      const status = await giveEmail(db, deps.mailer, {
        personId: person.id,
        name: person.name,
        email,
        council: deps.course.site.council,
        publicUrl: config.publicUrl,
        now: at,
      });
      return c.json({ on, ...status } satisfies EmailAnswer);
    });
    api.delete(path, async (c) => {
      const person = await who(c);
      await removeEmail(db, person.id);
      return c.body(null, 204);
    });
  };

  ownAddress('/email/learner', async (c) => {
    const caller = await authenticateDevice(db, config.publicUrl, c.req.header('Authorization'), now());
    return { id: caller.personId, name: caller.personName };
  });

  // Weekly summaries go to leads, so only leads give an address here.
  api.use('/email/lead', requireStaff(db, now, config.publicUrl), async (c, next) => {
    if (c.get('session').staff.kind !== 'lead') throw new HubError(403, 'weekly summaries go to leads: only a lead can give an email address for them');
    await next();
  });
  ownAddress('/email/lead', (c) => Promise.resolve(c.get('session').staff));

  api.post('/email/confirm', async (c) => {
    const at = now();
    await enforceRateLimit(db, `email-link:${clientAddress(c, config.trustProxy)}`, emailRateLimits.link, at);
    await confirmEmail(db, (await bodyOf(c)).token, at);
    return c.json({ confirmed: true });
  });

  api.post('/email/stop', async (c) => {
    await enforceRateLimit(db, `email-link:${clientAddress(c, config.trustProxy)}`, emailRateLimits.link, now());
    await stopEmails(db, (await bodyOf(c)).token);
    return c.json({ stopped: true });
  });
}

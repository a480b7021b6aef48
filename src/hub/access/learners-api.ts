/**
 * The learner's part of the site API: enrolling through a lead's link, the
 * signed-in learner (`/api/me`), their devices, one-time codes for another
 * device, signing out of this computer, and downloading what the hub holds.
 * Calls after enrolment carry the device credential as a Bearer token, so no
 * cookie is involved and no CSRF token is needed.
 */
import type { Context, Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { HubError, parseJson } from '../xapi/common.ts';
import { audit } from './audit.ts';
import { clientAddress } from './client-address.ts';
import { enforceRateLimit, type RateLimit } from './rate-limit.ts';
import {
  authenticateDevice,
  countWrongCode,
  createDeviceCode,
  deviceLabel,
  issueDevice,
  learnerAgent,
  listDevices,
  revokeDevice,
  useDeviceCode,
  wrongCodeMessage,
} from './devices.ts';
import { enrol, enrolmentLinkInfo, exportLearner, learnerSummary, readEnrolmentRequest, type SignedIn } from './learners.ts';
import { readLearnerSettings, type LearnerSettings } from './learners-retention.ts';

/** Per client address: enrolment attempts, and tries of a one-time code. */
export const learnerRateLimits = {
  enrol: { limit: 20, windowSeconds: 600 },
  redeemCode: { limit: 10, windowSeconds: 600 },
  /** Per learner: new codes asked for. */
  newCode: { limit: 10, windowSeconds: 600 },
} satisfies Record<string, RateLimit>;

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const body = parseJson(await c.req.text(), 'body');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HubError(400, 'send a JSON object', 'body');
  return body as Record<string, unknown>;
}

let siteSettings: LearnerSettings | undefined;
/** The council's settings: from the deps in tests, else read once from courses/site.yaml. */
export function learnerSettingsOf(deps: HubDeps): LearnerSettings {
  return deps.learners ?? (siteSettings ??= readLearnerSettings(process.cwd()));
}

/** Adds the learner routes to the site API. */
export function learnerRoutes(api: Hono, deps: HubDeps): void {
  const { db, config } = deps;
  const now = () => deps.now?.() ?? new Date();
  const signedIn = (c: Context) => authenticateDevice(db, config.publicUrl, c.req.header('Authorization'), now());

  // What the hub says about a learner is theirs alone: never kept by a cache.
  for (const path of ['/me', '/me/*']) {
    api.use(path, async (c, next) => {
      c.header('Cache-Control', 'no-store');
      await next();
    });
  }

  api.post('/enrol/check', async (c) => {
    const at = now();
    await enforceRateLimit(db, `enrol:${clientAddress(c, config.trustProxy)}`, learnerRateLimits.enrol, at);
    const { token } = await bodyOf(c);
    return c.json(await enrolmentLinkInfo(db, token, at));
  });

  api.post('/enrol', async (c) => {
    const at = now();
    await enforceRateLimit(db, `enrol:${clientAddress(c, config.trustProxy)}`, learnerRateLimits.enrol, at);
    const request = readEnrolmentRequest(await bodyOf(c));
    const result = await enrol(db, request, { publicUrl: config.publicUrl, now: at, timeZone: learnerSettingsOf(deps).timeZone });
    c.header('Cache-Control', 'no-store');
    return c.json(result, 201);
  });

  api.get('/me', async (c) => {
    const caller = await signedIn(c);
    return c.json({
      learner: await learnerSummary(db, caller.personId),
      agent: learnerAgent(config.publicUrl, caller.personId, caller.personName),
      device: { id: caller.id },
    });
  });

  api.get('/me/devices', async (c) => {
    const caller = await signedIn(c);
    return c.json({ devices: await listDevices(db, caller.personId, caller.id, now()) });
  });

  api.delete('/me/devices/:id', async (c) => {
    const caller = await signedIn(c);
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new HubError(404, 'you have no device with that id that is still signed in', 'id');
    await revokeDevice(db, caller, id.toLowerCase());
    return c.body(null, 204);
  });

  api.post('/me/sign-out', async (c) => {
    const caller = await signedIn(c);
    await revokeDevice(db, caller, caller.id);
    return c.body(null, 204);
  });

  api.get('/me/export', async (c) => {
    const caller = await signedIn(c);
    const at = now();
    const data = await exportLearner(db, caller.personId, config.publicUrl, at);
    await audit(db, { action: 'export', actor: { id: caller.personId, name: caller.personName }, subject: 'own record' });
    c.header('Content-Disposition', `attachment; filename="hub-record-${at.toISOString().slice(0, 10)}.json"`);
    return c.json(data);
  });

  api.post('/device-code', async (c) => {
    const caller = await signedIn(c);
    const at = now();
    await enforceRateLimit(db, `new-code:${caller.personId}`, learnerRateLimits.newCode, at);
    const { code, expires } = await createDeviceCode(db, caller.personId, at);
    c.header('Cache-Control', 'no-store');
    return c.json({ code, expires: expires.toISOString() }, 201);
  });

  api.post('/device-code/redeem', async (c) => {
    const at = now();
    await enforceRateLimit(db, `redeem-code:${clientAddress(c, config.trustProxy)}`, learnerRateLimits.redeemCode, at);
    const body = await bodyOf(c);
    for (const key of Object.keys(body)) {
      if (!['code', 'shared', 'deviceLabel'].includes(key)) throw new HubError(400, `${key} cannot be given here`, key);
    }
    if (typeof body.code !== 'string') throw new HubError(400, 'enter the code shown on your other device', 'code');
    if (body.shared !== undefined && typeof body.shared !== 'boolean') throw new HubError(400, 'must be true or false', 'shared');
    const label = deviceLabel(body.deviceLabel, 'deviceLabel');
    const shared = body.shared === true;
    const result = await db.transaction(async (tx): Promise<SignedIn | undefined> => {
      const who = await useDeviceCode(tx, body.code as string, at);
      if (!who) return undefined;
      const device = await issueDevice(tx, {
        personId: who.personId,
        personName: who.name,
        label,
        shared,
        now: at,
        timeZone: learnerSettingsOf(deps).timeZone,
      });
      return {
        token: device.token,
        device: { id: device.id, shared, expires: device.expires?.toISOString() ?? null },
        learner: await learnerSummary(tx, who.personId),
        agent: learnerAgent(config.publicUrl, who.personId, who.name),
      };
    });
    if (!result) {
      await countWrongCode(db, at);
      throw new HubError(400, wrongCodeMessage, 'code');
    }
    c.header('Cache-Control', 'no-store');
    return c.json(result, 201);
  });
}

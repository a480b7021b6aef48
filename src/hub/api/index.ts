/**
 * The site's own API under /api/ (enrolment, devices, staff sign-in, the lead's
 * pages): JSON in and out, errors as { error, where } with the right status.
 * Each part adds its routes here; `GET /api/hub` tells the site it is served by a
 * hub, so pages that need one can say so when they are on a static host.
 */
import { Hono, type Context } from 'hono';
import type { HubDeps } from '../app.ts';
import { HubError } from '../xapi/common.ts';
import { adminRoutes } from '../access/admin.ts';
import { leadRoutes } from '../access/lead.ts';
import { staffRoutes } from '../access/staff.ts';
import { oidcRoutes } from '../access/oidc.ts';
import { learnerRoutes } from '../access/learners-api.ts';
import { leadProgressRoutes } from '../progress/routes.ts';
import { certificateRoutes } from '../signing/certificates.ts';
import { reminderRoutes } from '../reminders/routes.ts';

/** What `GET /api/hub` answers: enough for a page to know a hub serves it. */
export interface HubInfo {
  hub: true;
  /** The hub's public address, the homePage of learners' accounts. */
  publicUrl: string;
}

/** Turns a HubError into its status and { error, where }; anything else into a 500 that leaks nothing. */
export function apiErrorResponse(error: unknown, c: Context): Response {
  if (error instanceof HubError) {
    return c.json(error.where === undefined ? { error: error.message } : { error: error.message, where: error.where }, error.status);
  }
  console.error(error);
  return c.json({ error: 'the hub could not complete this request' }, 500);
}

export function apiRoutes(deps: HubDeps): Hono {
  const api = new Hono().basePath('/api');
  api.get('/hub', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ hub: true, publicUrl: deps.config.publicUrl } satisfies HubInfo);
  });
  api.route('/staff/oidc', oidcRoutes(deps));
  api.route('/staff', staffRoutes(deps));
  api.route('/lead', leadRoutes(deps));
  api.route('/admin', adminRoutes(deps));
  if (deps.course) api.route('/progress', leadProgressRoutes({ ...deps, course: deps.course, feed: deps.progressFeed }));
  learnerRoutes(api, deps);
  certificateRoutes(api, deps);
  reminderRoutes(api, deps);
  api.notFound(() => {
    throw new HubError(404, 'there is nothing at this address');
  });
  api.onError(apiErrorResponse);
  return api;
}

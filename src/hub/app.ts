/**
 * The hub's HTTP app: the xAPI resources under /xapi/ and the built site beside
 * them, on one origin. Handlers are tested in-process with `app.request()`.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Database } from './db/index.ts';
import type { HubConfig } from './config.ts';
import type { HubCourse } from './progress/course.ts';
import type { ProgressFeed } from './progress/feed.ts';
import { authenticate } from './auth/index.ts';
import { errorResponse, HubError, versionHeader } from './xapi/common.ts';
import { alternateRequest } from './xapi/alternate.ts';
import { statementRoutes } from './xapi/statements.ts';
import { aboutRoutes } from './xapi/about.ts';
import { activitiesRoutes } from './xapi/activities.ts';
import { activityProfileRoutes } from './xapi/activity-profile.ts';
import { agentProfileRoutes } from './xapi/agent-profile.ts';
import { agentsRoutes } from './xapi/agents.ts';
import { stateRoutes } from './xapi/state.ts';
import { apiRoutes } from './api/index.ts';
import { deviceAuthentication } from './access/devices.ts';
import type { LearnerSettings } from './access/learners-retention.ts';
import type { PrivateJwk } from '../lib/signing/index.ts';
import { jwksRoute } from './signing/certificates.ts';
import type { Mailer } from './reminders/mailer.ts';

export interface HubDeps {
  db: Database;
  config: HubConfig;
  now?: () => Date;
  /** The council's course, read at start: the lead's live view derives progress against it. */
  course?: HubCourse;
  /** Progress changes from every hub process on the database, for open lead pages. */
  progressFeed?: ProgressFeed;
  /** The council's time zone and retention periods; read from courses/site.yaml when not given. */
  learners?: LearnerSettings;
  /** The key certificates are signed with (signing/keys.ts); without it the hub signs none. */
  signingKey?: PrivateJwk;
  /** Sends email reminders; absent when the council has not set SMTP_URL. */
  mailer?: Mailer;
}

/** Each xAPI resource, mounted under /xapi at its path. */
const resources: readonly [path: string, routes: (deps: HubDeps) => Hono][] = [
  ['/statements', statementRoutes],
  ['/activities/state', stateRoutes],
  ['/activities/profile', activityProfileRoutes],
  ['/activities', activitiesRoutes],
  ['/agents/profile', agentProfileRoutes],
  ['/agents', agentsRoutes],
  ['/about', aboutRoutes],
];

export function createApp(deps: HubDeps): Hono {
  const { config, db } = deps;
  const xapi = new Hono().basePath('/xapi');
  if (config.corsOrigins.length > 0) {
    xapi.use(
      '*',
      cors({
        origin: [...config.corsOrigins],
        allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match'],
        exposeHeaders: ['ETag', 'Last-Modified', 'X-Experience-API-Version', 'X-Experience-API-Consistent-Through'],
        credentials: true,
      }),
    );
  }
  xapi.use(
    '*',
    versionHeader((path) => path.endsWith('/about')),
  );
  xapi.use(
    '*',
    bodyLimit({
      maxSize: config.bodyLimit,
      onError: () => {
        throw new HubError(413, `the request body is larger than this hub accepts (${config.bodyLimit} bytes)`);
      },
    }),
  );
  xapi.use('*', async (c, next) => {
    if (c.req.path.endsWith('/about') || c.req.method === 'OPTIONS') return next();
    // A learner's browser signs in with its device credential (a Bearer token); systems with an API key.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
    if (/^Bearer\s/i.test(c.req.header('Authorization') ?? '')) return deviceAuthentication(db, config.publicUrl, () => deps.now?.() ?? new Date())(c, next);
    // Hono types the input of a wildcard route as any; the handler reads only headers and the path.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
    return authenticate(db, config.publicUrl)(c, next);
  });
  for (const [path, routes] of resources) xapi.route(path, routes(deps));
  xapi.notFound(() => {
    throw new HubError(404, 'there is no xAPI resource at this address');
  });
  xapi.onError(errorResponse);

  const app = new Hono();
  // The alternate request syntax (a POST carrying the real method in ?method=) is unwrapped before routing.
  app.all('/xapi/*', async (c) => xapi.fetch(await alternateRequest(c.req.raw, config.bodyLimit), c.env));
  app.onError(errorResponse);
  const api = apiRoutes(deps);
  app.all('/api/*', (c) => api.fetch(c.req.raw, c.env));
  // Served live, ahead of any copy in the built site: the database lists every key, old ones too.
  jwksRoute(app, deps);
  if (config.siteDir && existsSync(config.siteDir)) {
    app.use('*', serveStatic({ root: relative(process.cwd(), config.siteDir) || '.' }));
  }
  return app;
}

/**
 * The admin's view of forwarding, under /api/admin/forwarding (behind the admin
 * routes' door): the queue's length and age, the latest failure, the dead letters,
 * and sending dead letters again, which the audit log records.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubDeps } from '../app.ts';
import { audit } from '../access/audit.ts';
import { readBody, uuidField } from '../access/request.ts';
import { HubError } from '../xapi/common.ts';
import { forwardingStatus, retryDeadLetters } from './queue.ts';

const retryBody = z.object({
  /** One dead letter's statement id; absent to send every dead letter again. */
  statementId: uuidField('statementId').optional(),
});

export function forwardingRoutes(deps: HubDeps): Hono {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const routes = new Hono();

  routes.get('/', async (c) => c.json(await forwardingStatus(db)));

  routes.post('/retry', async (c) => {
    const { staff } = c.get('session');
    const body = await readBody(c, retryBody);
    const count = await retryDeadLetters(db, now(), body.statementId?.toLowerCase());
    if (body.statementId !== undefined && count === 0) throw new HubError(404, 'there is no dead letter with that statement id', 'statementId');
    await audit(db, { action: 'forwarding-retried', actor: staff, subject: body.statementId ?? 'every dead letter', detail: { statements: count } });
    return c.json({ queued: count });
  });

  return routes;
}

/**
 * The Activities resource (/xapi/activities): the canonical definition of an
 * activity, as recorded from the statements that used it (the activity table).
 * An activity the LRS has no definition for is still returned, as its id alone.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#25-activities-resource
 */
import { Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { requireScope } from '../auth/index.ts';
import { checkParams, iriParam } from './documents.ts';

export function activitiesRoutes(deps: HubDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    requireScope(c, 'statements/read', 'profile', 'define', 'all/read');
    checkParams(c, ['activityId']);
    const id = iriParam(c, 'activityId');
    const rows = await deps.db.query<{ definition: Record<string, unknown> | null }>('select definition from activity where iri = $1', [id]);
    const definition = rows[0]?.definition;
    const activity: Record<string, unknown> = { objectType: 'Activity', id };
    if (definition && Object.keys(definition).length > 0) activity.definition = definition;
    return c.json(activity);
  });
  return app;
}

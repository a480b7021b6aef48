/**
 * The Agents resource (/xapi/agents): the Person object for an agent, with every
 * name the LRS has seen it use in statements. The hub does not link one person's
 * several identifiers, so a Person carries the identifier it was asked about; an
 * agent the LRS has never seen still gets a Person built from the request.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#24-agents-resource
 */
import { Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { requireScope } from '../auth/index.ts';
import { agentParam, checkParams } from './documents.ts';

export interface Person {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: { homePage: string; name: string }[];
}

export function agentsRoutes(deps: HubDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    requireScope(c, 'statements/read', 'profile', 'define', 'all/read');
    checkParams(c, ['agent']);
    const { agent, key } = agentParam(c);
    const rows = await deps.db.query<{ names: string[] }>('select names from agent where agent_key = $1', [key]);
    const names = new Set<string>(rows[0]?.names ?? []);
    if (typeof agent.name === 'string' && agent.name !== '') names.add(agent.name);
    const person: Person = { objectType: 'Person' };
    if (names.size > 0) person.name = [...names];
    if (typeof agent.mbox === 'string') person.mbox = [agent.mbox];
    if (typeof agent.mbox_sha1sum === 'string') person.mbox_sha1sum = [agent.mbox_sha1sum];
    if (typeof agent.openid === 'string') person.openid = [agent.openid];
    if (agent.account !== undefined) {
      const account = agent.account as { homePage: string; name: string };
      person.account = [{ homePage: account.homePage, name: account.name }];
    }
    return c.json(person);
  });
  return app;
}

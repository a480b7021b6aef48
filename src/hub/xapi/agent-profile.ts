/**
 * The Agent Profile resource (/xapi/agents/profile): documents about one agent
 * shared by every activity, such as a learner's preferences.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#26-agent-profile-resource
 */
import type { Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { agentParam, documentRoutes, type DocumentResource } from './documents.ts';

export const agentProfileResource: DocumentResource = {
  label: 'agent profile',
  table: 'agent_profile_document',
  idColumn: 'profile_id',
  idParam: 'profileId',
  keyParams: ['agent'],
  putNeedsPrecondition: true,
  deleteMany: false,
  scopes: ['profile'],
  keyOf: (c) => [['agent_key', agentParam(c).key]],
};

export function agentProfileRoutes(deps: HubDeps): Hono {
  return documentRoutes(deps, agentProfileResource);
}

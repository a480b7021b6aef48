/**
 * The State resource (/xapi/activities/state): documents an activity keeps about
 * one agent, optionally within one registration, such as where a learner left off.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#23-state-resource
 */
import type { Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { agentParam, documentRoutes, iriParam, uuidParam, type DocumentResource } from './documents.ts';

export const stateResource: DocumentResource = {
  label: 'state',
  table: 'state_document',
  idColumn: 'state_id',
  idParam: 'stateId',
  keyParams: ['activityId', 'agent', 'registration'],
  putNeedsPrecondition: false,
  deleteMany: true,
  optionalColumns: ['registration'],
  scopes: ['state'],
  keyOf: (c) => [
    ['activity_iri', iriParam(c, 'activityId')],
    ['agent_key', agentParam(c).key],
    ['registration', uuidParam(c, 'registration')],
  ],
};

export function stateRoutes(deps: HubDeps): Hono {
  return documentRoutes(deps, stateResource);
}

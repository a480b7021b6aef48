/**
 * The Activity Profile resource (/xapi/activities/profile): documents about an
 * activity shared by every learner, such as a course's settings.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#27-activity-profile-resource
 */
import type { Hono } from 'hono';
import type { HubDeps } from '../app.ts';
import { documentRoutes, iriParam, type DocumentResource } from './documents.ts';

export const activityProfileResource: DocumentResource = {
  label: 'activity profile',
  table: 'activity_profile_document',
  idColumn: 'profile_id',
  idParam: 'profileId',
  keyParams: ['activityId'],
  putNeedsPrecondition: true,
  deleteMany: false,
  scopes: ['profile'],
  keyOf: (c) => [['activity_iri', iriParam(c, 'activityId')]],
};

export function activityProfileRoutes(deps: HubDeps): Hono {
  return documentRoutes(deps, activityProfileResource);
}

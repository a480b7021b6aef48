/** Progress derived from statements: item and role status, renewal, what to do next. */
export {
  deriveProgress,
  dueWithinDays,
  filmCompletionThreshold,
  type ItemProgress,
  type ItemStatus,
  type LastActivity,
  type LearnerProgress,
  type ProgressInput,
  type RoleStatus,
} from './derive.ts';
export { renewalDateOf } from './dates.ts';
export { countsAsValid, type ValidStatus } from './valid.ts';
export { filmHistory, progressOfItem, type FilmHistory, type FilmRegistration, type ItemCourse } from './item.ts';
export { formatPlayedSegments, parsePlayedSegments, playedFraction, unionSegments, type Segment } from '../xapi/index.ts';

/** xAPI for the site: IRIs, statement builders, validation and played-segments. */
export type { Activity, Agent, Context, Result, Statement, Verb } from '@xapi/xapi';
export {
  activityIris,
  activityTypes,
  catalogueItemOf,
  siteActivityTypes,
  siteExtensions,
  verbs,
  videoExtensions,
  videoProfileIri,
} from './iris.ts';
export {
  certificateEarned,
  moduleCompleted,
  moduleExperienced,
  questionAnswered,
  quizFailed,
  quizPassed,
  videoCompleted,
  videoInitialized,
  videoPaused,
  videoPlayed,
  videoSeeked,
  videoTerminated,
  type CertificateRef,
  type FilmRef,
  type ModuleRef,
  type QuizScore,
  type RecordedStatement,
  type StatementOptions,
} from './builders.ts';
export { isIri, isTimestamp, isUuid, validateActor, validateStatement, type StatementProblem, type StatementValidation } from './validate.ts';
export { isIsoDuration, isoDurationOf } from './duration.ts';
export { formatPlayedSegments, parsePlayedSegments, playedFraction, unionSegments, type Segment } from './segments.ts';

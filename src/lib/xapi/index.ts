/** xAPI for the site: IRIs, statement builders, validation and played-segments. */
export type { Activity, Agent, Context, Result, Statement, Verb } from '@xapi/xapi';
export { activityIris, activityTypes, catalogueItemOf, siteActivityTypes, siteExtensions, specIris, verbs, videoExtensions, videoProfileIri } from './iris.ts';
export {
  certificateEarned,
  moduleExperienced,
  questionAnswered,
  quizFailed,
  quizAttempt,
  quizPassed,
  videoCompleted,
  videoInitialized,
  videoPaused,
  videoPlayed,
  videoSeeked,
  videoTerminated,
  webinarAttended,
  type CertificateRef,
  type FilmRef,
  type ModuleRef,
  type QuestionOutcome,
  type QuizScore,
  type RecordedStatement,
  type StatementOptions,
  type WebinarSessionRef,
} from './builders.ts';
export {
  checkJsonLimits,
  checkStatementLimits,
  isIri,
  isTimestamp,
  isUuid,
  STATEMENT_LIMITS,
  validateActor,
  validateStatement,
  type JsonLimits,
  type StatementProblem,
  type StatementValidation,
} from './validate.ts';
export { canonicalJson, canonicalStatement, CanonicalJsonError } from './canonical.ts';
export { isIsoDuration, isoDurationOf } from './duration.ts';
export { formatPlayedSegments, parsePlayedSegments, playedFraction, unionSegments, type Segment } from './segments.ts';

/**
 * Typed builders for every statement the site makes. Each gives the statement
 * its UUID and timestamp when it is made (statements are immutable) and puts the
 * content version in its context, so progress can tell which version a pass was on.
 */
import type { Activity, Agent, Context, InteractionActivity, Result, Statement, Verb } from '@xapi/xapi';
import type { Question } from '../content/index.ts';
import { isoDurationOf } from './duration.ts';
import { activityIris, activityTypes, siteActivityTypes, siteExtensions, verbs, videoExtensions, videoProfileIri } from './iris.ts';
import { formatPlayedSegments, playedFraction, type Segment } from './segments.ts';

/** What every builder needs: who, on which site, and (in tests) a fixed time and id. */
export interface StatementOptions {
  actor: Agent;
  /** The site's public address, without a trailing slash. */
  siteUrl: string;
  /** When it happened; defaults to now. */
  now?: Date;
  /** The statement id; defaults to a random UUID. */
  id?: string;
  /**
   * `context.registration`: the attempt (quiz) or the film registration (one
   * learner, one film version, one renewal cycle) the statement belongs to.
   */
  registration?: string;
}

/** A module as statements name it. */
export interface ModuleRef {
  id: string;
  title: string;
  /** The module's content version. @example "1.2" */
  version: string;
}

/** A film clip as statements name it. */
export interface FilmRef {
  id: string;
  title: string;
  version: string;
  /** What is played: a film clip, or the recording of the webinar `id`. @default "film" */
  of?: 'film' | 'webinar-recording';
}

/** A webinar session as "I attended" names it. */
export interface WebinarSessionRef {
  webinarId: string;
  webinarTitle: string;
  /** The webinar's content version. */
  version: string;
  sessionId: string;
}

/** A statement as our builders make it: id and timestamp always set. */
export type RecordedStatement = Statement & { id: string; timestamp: string };

const language = 'en-GB';

const moduleActivity = (siteUrl: string, module: ModuleRef): Activity => ({
  objectType: 'Activity',
  id: activityIris.module(siteUrl, module.id),
  definition: { type: activityTypes.module, name: { [language]: module.title } },
});

const filmActivity = (siteUrl: string, film: FilmRef): Activity => ({
  objectType: 'Activity',
  id: film.of === 'webinar-recording' ? activityIris.webinarRecording(siteUrl, film.id) : activityIris.film(siteUrl, film.id),
  definition: { type: activityTypes.video, name: { [language]: film.title } },
});

function statementOf(
  options: StatementOptions,
  verb: Verb,
  object: Activity,
  version: string,
  parts: { result?: Result; context?: Context } = {},
): RecordedStatement {
  const { contextActivities, extensions, ...context } = parts.context ?? {};
  const statement: RecordedStatement = {
    id: options.id ?? crypto.randomUUID(),
    actor: options.actor,
    verb,
    object,
    context: {
      ...(options.registration ? { registration: options.registration } : {}),
      ...context,
      language,
      ...(contextActivities ? { contextActivities } : {}),
      extensions: { ...extensions, [siteExtensions.contentVersion(options.siteUrl)]: version },
    },
    timestamp: (options.now ?? new Date()).toISOString(),
  };
  if (parts.result) statement.result = parts.result;
  return statement;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The learner opened a module's lesson. */
export function moduleExperienced(options: StatementOptions & { module: ModuleRef }): RecordedStatement {
  return statementOf(options, verbs.experienced, moduleActivity(options.siteUrl, options.module), options.module.version);
}

/**
 * The learner answered one quiz question. Every question type is a choice
 * interaction whose response is the chosen option ids joined by "[,]", as
 * the quiz's `responseOf` writes it.
 */
export function questionAnswered(options: StatementOptions & { module: ModuleRef; question: Question; response: string; success: boolean }): RecordedStatement {
  const { siteUrl, module, question } = options;
  const correct = question.options.filter((option) => option.correct).map((option) => option.id);
  const object: InteractionActivity = {
    objectType: 'Activity',
    id: activityIris.question(siteUrl, module.id, question.id),
    definition: {
      type: activityTypes.question,
      name: { [language]: question.prompt },
      interactionType: 'choice',
      correctResponsesPattern: [correct.join('[,]')],
      choices: question.options.map((option) => ({ id: option.id, description: { [language]: option.text } })),
    },
  };
  return statementOf(options, verbs.answered, object, module.version, {
    result: { response: options.response, success: options.success },
    context: { contextActivities: { parent: [quizActivity(siteUrl, module)], grouping: [moduleActivity(siteUrl, module)] } },
  });
}

const quizActivity = (siteUrl: string, module: ModuleRef): Activity => ({
  objectType: 'Activity',
  id: activityIris.quiz(siteUrl, module.id),
  definition: { type: activityTypes.assessment, name: { [language]: `${module.title}: quiz` } },
});

/** Questions right out of the questions asked. */
export interface QuizScore {
  raw: number;
  max: number;
  /** Defaults to 0. */
  min?: number;
}

type QuizOptions = StatementOptions & { module: ModuleRef; score: QuizScore; /** Seconds spent on the attempt. */ durationSeconds?: number };

function quizFinished(options: QuizOptions, success: boolean): RecordedStatement {
  const { siteUrl, module, score } = options;
  const min = score.min ?? 0;
  const result: Result = {
    score: { scaled: score.max > min ? round3((score.raw - min) / (score.max - min)) : 0, raw: score.raw, min, max: score.max },
    success,
  };
  if (options.durationSeconds !== undefined) result.duration = isoDurationOf(options.durationSeconds);
  return statementOf(options, success ? verbs.passed : verbs.failed, quizActivity(siteUrl, module), module.version, {
    result,
    context: { contextActivities: { parent: [moduleActivity(siteUrl, module)] } },
  });
}

/** The learner reached the pass mark on a module's quiz: this is what completes the module. */
export function quizPassed(options: QuizOptions): RecordedStatement {
  return quizFinished(options, true);
}

/** The learner finished a module's quiz below the pass mark. */
export function quizFailed(options: QuizOptions): RecordedStatement {
  return quizFinished(options, false);
}

/** One question's outcome in an attempt. */
export interface QuestionOutcome {
  questionId: string;
  /** The chosen option ids joined by "[,]". */
  response: string;
  success: boolean;
}

/**
 * Everything one quiz attempt records: `answered` for each question, then
 * `passed` or `failed`, all under one registration so the attempt can be told
 * from the learner's other attempts.
 */
export function quizAttempt(
  options: QuizOptions & { questions: readonly Question[]; outcomes: readonly QuestionOutcome[]; passed: boolean },
): RecordedStatement[] {
  const { questions, outcomes, passed, id: _id, ...rest } = options;
  const attempt = { ...rest, registration: options.registration ?? crypto.randomUUID() };
  const answered = outcomes.flatMap((outcome) => {
    const question = questions.find((candidate) => candidate.id === outcome.questionId);
    return question ? [questionAnswered({ ...attempt, question, response: outcome.response, success: outcome.success })] : [];
  });
  return [...answered, (passed ? quizPassed : quizFailed)(attempt)];
}

/** What every video statement carries. */
type VideoOptions = StatementOptions & {
  film: FilmRef;
  /** The id of the session's initialized statement, shared by that session's statements. */
  sessionId: string;
  /** The clip's length in seconds, as the player reports it. */
  length: number;
  /**
   * Share of the clip that counts as watched, 0–1. When it is not 1 the profile
   * requires it on initialized, paused, completed and terminated, so those carry it.
   */
  completionThreshold?: number;
};

/** Verbs whose statements must carry the completion threshold when it is not 1 (Video Profile, completion-threshold). */
const thresholdVerbs = new Set<string>([verbs.initialized.id, verbs.paused.id, verbs.completed.id, verbs.terminated.id]);

function videoStatement(options: VideoOptions, verb: Verb, result?: Result): RecordedStatement {
  const threshold = options.completionThreshold;
  const parts: { result?: Result; context: Context } = {
    context: {
      contextActivities: { category: [{ objectType: 'Activity', id: videoProfileIri, definition: { type: activityTypes.profile } }] },
      extensions: {
        [videoExtensions.length]: round3(options.length),
        [videoExtensions.sessionId]: options.sessionId,
        ...(threshold !== undefined && thresholdVerbs.has(verb.id) ? { [videoExtensions.completionThreshold]: round3(threshold) } : {}),
      },
    },
  };
  if (result) parts.result = result;
  return statementOf(options, verb, filmActivity(options.siteUrl, options.film), options.film.version, parts);
}

const segmentsResult = (options: VideoOptions & { time: number; playedSegments: readonly Segment[] }): Record<string, unknown> => ({
  [videoExtensions.time]: round3(options.time),
  [videoExtensions.playedSegments]: formatPlayedSegments(options.playedSegments),
  [videoExtensions.progress]: round3(playedFraction(options.playedSegments, options.length)),
});

/** The player is ready: starts a video session. Give it `id: sessionId`, as the session is named after it. */
export function videoInitialized(options: VideoOptions): RecordedStatement {
  return videoStatement(options, verbs.initialized);
}

/** Playback started or resumed at `time` seconds. */
export function videoPlayed(options: VideoOptions & { time: number }): RecordedStatement {
  return videoStatement(options, verbs.played, { extensions: { [videoExtensions.time]: round3(options.time) } });
}

/** Playback paused at `time`; carries everything played so far in the registration. */
export function videoPaused(options: VideoOptions & { time: number; playedSegments: readonly Segment[] }): RecordedStatement {
  return videoStatement(options, verbs.paused, { extensions: segmentsResult(options) });
}

/** The learner moved the playhead from `timeFrom` to `timeTo`. */
export function videoSeeked(options: VideoOptions & { timeFrom: number; timeTo: number }): RecordedStatement {
  return videoStatement(options, verbs.seeked, {
    extensions: { [videoExtensions.timeFrom]: round3(options.timeFrom), [videoExtensions.timeTo]: round3(options.timeTo) },
  });
}

/** Enough of the clip has been played, over the whole registration, to count as watched. */
export function videoCompleted(
  options: VideoOptions & { time: number; playedSegments: readonly Segment[]; /** Seconds the registration's sessions have lasted. */ durationSeconds: number },
): RecordedStatement {
  return videoStatement(options, verbs.completed, {
    completion: true,
    duration: isoDurationOf(options.durationSeconds),
    extensions: segmentsResult(options),
  });
}

/** The video session ended (page left or player closed). */
export function videoTerminated(options: VideoOptions & { time: number; playedSegments: readonly Segment[] }): RecordedStatement {
  return videoStatement(options, verbs.terminated, { extensions: segmentsResult(options) });
}

/** A certificate as its statement names it. */
export interface CertificateRef {
  /** The id printed on the certificate. */
  id: string;
  roleId: string;
  roleName: string;
  /** The matrix version the certificate was judged against. */
  matrixVersion: string;
}

/** The learner downloaded a certificate for their role. */
export function certificateEarned(options: StatementOptions & { certificate: CertificateRef }): RecordedStatement {
  const { siteUrl, certificate } = options;
  const object: Activity = {
    objectType: 'Activity',
    id: activityIris.certificate(siteUrl, encodeURIComponent(certificate.id)),
    definition: { type: siteActivityTypes.certificate(siteUrl), name: { [language]: `Certificate: ${certificate.roleName}` } },
  };
  const role: Activity = {
    objectType: 'Activity',
    id: activityIris.role(siteUrl, certificate.roleId),
    definition: { type: siteActivityTypes.role(siteUrl), name: { [language]: certificate.roleName } },
  };
  return statementOf(options, verbs.earned, object, certificate.matrixVersion, {
    result: { completion: true },
    context: { contextActivities: { grouping: [role] } },
  });
}

/**
 * "I attended": the learner says they took part in one session of a webinar.
 * The object is the session, so the statement carries the session's id; the
 * webinar is its parent.
 */
export function webinarAttended(options: StatementOptions & { session: WebinarSessionRef }): RecordedStatement {
  const { siteUrl, session } = options;
  const object: Activity = {
    objectType: 'Activity',
    id: activityIris.webinarSession(siteUrl, session.webinarId, session.sessionId),
    definition: { type: activityTypes.meeting, name: { [language]: `${session.webinarTitle} (session ${session.sessionId})` } },
  };
  const webinar: Activity = {
    objectType: 'Activity',
    id: activityIris.webinar(siteUrl, session.webinarId),
    definition: { type: activityTypes.meeting, name: { [language]: session.webinarTitle } },
  };
  return statementOf(options, verbs.attended, object, session.version, {
    result: { completion: true },
    context: { contextActivities: { parent: [webinar] } },
  });
}

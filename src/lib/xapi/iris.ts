/**
 * Every IRI the site writes into statements, in one place: ADL verbs, the xAPI
 * Video Profile's verbs and extensions, activity types, and our own activity
 * IRIs under the site URL.
 */
import type { Verb } from '@xapi/xapi';

const adlVerb = (name: string): Verb => ({ id: `http://adlnet.gov/expapi/verbs/${name}`, display: { 'en-GB': name } });
const videoVerb = (name: string): Verb => ({ id: `https://w3id.org/xapi/video/verbs/${name}`, display: { 'en-GB': name } });

/** The verbs the site uses, with an English display. */
export const verbs = {
  experienced: adlVerb('experienced'),
  answered: adlVerb('answered'),
  passed: adlVerb('passed'),
  failed: adlVerb('failed'),
  completed: adlVerb('completed'),
  progressed: adlVerb('progressed'),
  /** The learner says they took part in a live webinar session ("I attended"). */
  attended: adlVerb('attended'),
  initialized: adlVerb('initialized'),
  terminated: adlVerb('terminated'),
  played: videoVerb('played'),
  paused: videoVerb('paused'),
  seeked: videoVerb('seeked'),
  /**
   * A certificate is not an ADL concept; the Tin Can registry's "earned" is the
   * published verb for a learner receiving a certificate or badge.
   * @see http://id.tincanapi.com/verb/earned
   */
  earned: { id: 'http://id.tincanapi.com/verb/earned', display: { 'en-GB': 'earned' } },
} as const satisfies Record<string, Verb>;

/** Activity types from the ADL vocabulary and the Video Profile. */
export const activityTypes = {
  module: 'http://adlnet.gov/expapi/activities/module',
  question: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  video: 'https://w3id.org/xapi/video/activity-type/video',
  profile: 'http://adlnet.gov/expapi/activities/profile',
  /** A live webinar and each of its sessions. @see http://adlnet.gov/expapi/activities/meeting */
  meeting: 'http://adlnet.gov/expapi/activities/meeting',
} as const;

/**
 * Activity types no published vocabulary covers, so they live under the site
 * URL like our other IRIs.
 */
export const siteActivityTypes = {
  certificate: (siteUrl: string) => `${siteUrl}/xapi/activity-types/certificate`,
  /** A role in the workforce development matrix. */
  role: (siteUrl: string) => `${siteUrl}/xapi/activity-types/role`,
};

/** The xAPI Video Profile's own IRI, sent as a context category on video statements. */
export const videoProfileIri = 'https://w3id.org/xapi/video';

/** Video Profile extensions (result and context). @see https://w3id.org/xapi/video */
export const videoExtensions = {
  time: 'https://w3id.org/xapi/video/extensions/time',
  timeFrom: 'https://w3id.org/xapi/video/extensions/time-from',
  timeTo: 'https://w3id.org/xapi/video/extensions/time-to',
  progress: 'https://w3id.org/xapi/video/extensions/progress',
  playedSegments: 'https://w3id.org/xapi/video/extensions/played-segments',
  length: 'https://w3id.org/xapi/video/extensions/length',
  sessionId: 'https://w3id.org/xapi/video/extensions/session-id',
  completionThreshold: 'https://w3id.org/xapi/video/extensions/completion-threshold',
} as const;

/** Our own context extensions, under the site URL. */
export const siteExtensions = {
  /** The content version (module, film or matrix) the statement was made on. */
  contentVersion: (siteUrl: string) => `${siteUrl}/xapi/extensions/content-version`,
};

/** Activity IRIs for the site's own things. */
export const activityIris = {
  module: (siteUrl: string, moduleId: string) => `${siteUrl}/modules/${moduleId}`,
  question: (siteUrl: string, moduleId: string, questionId: string) => `${siteUrl}/modules/${moduleId}/questions/${questionId}`,
  quiz: (siteUrl: string, moduleId: string) => `${siteUrl}/modules/${moduleId}/quiz`,
  film: (siteUrl: string, filmId: string) => `${siteUrl}/films/${filmId}`,
  webinar: (siteUrl: string, webinarId: string) => `${siteUrl}/webinars/${webinarId}`,
  /** One session of a webinar: "I attended" names it. */
  webinarSession: (siteUrl: string, webinarId: string, sessionId: string) => `${siteUrl}/webinars/${webinarId}/sessions/${sessionId}`,
  /** A webinar's recording, played with the film player. */
  webinarRecording: (siteUrl: string, webinarId: string) => `${siteUrl}/webinars/${webinarId}/recording`,
  role: (siteUrl: string, roleId: string) => `${siteUrl}/roles/${roleId}`,
  certificate: (siteUrl: string, certificateId: string) => `${siteUrl}/certificates/${certificateId}`,
};

/** Which of our catalogue items an activity IRI belongs to, if any. */
export function catalogueItemOf(siteUrl: string, activityId: string): { kind: 'module' | 'film' | 'webinar'; id: string } | undefined {
  if (!activityId.startsWith(`${siteUrl}/`)) return undefined;
  const match = /^(modules|films|webinars)\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/|$)/.exec(activityId.slice(siteUrl.length + 1));
  if (!match) return undefined;
  return { kind: match[1] === 'modules' ? 'module' : match[1] === 'films' ? 'film' : 'webinar', id: match[2] ?? '' };
}

/** IRIs the xAPI specification itself gives meaning to, which an LRS acts on. */
export const specIris = {
  /** A statement with this verb voids the statement it refers to. @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#voided */
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  /** The attachment usage type of a signed statement's JWS. @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#signed-statements */
  signatureUsage: 'http://adlnet.gov/expapi/attachments/signature',
} as const;

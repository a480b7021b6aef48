import { describe, expect, it } from 'vitest';
import {
  certificateEarned,
  moduleExperienced,
  questionAnswered,
  quizFailed,
  quizPassed,
  validateStatement,
  videoCompleted,
  videoInitialized,
  videoPaused,
  videoPlayed,
  videoSeeked,
  videoTerminated,
  type RecordedStatement,
} from '../../../src/lib/xapi/index.ts';
import { actor, babyHubTourLength, films, modules, question, sessionId, siteUrl } from '../../fixtures/learning-record/course.ts';

const now = new Date('2026-03-02T10:15:30.000Z');
const id = '0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e';
const base = { actor, siteUrl, now, id };
const video = { ...base, film: films.babyHubTour, sessionId, length: babyHubTourLength };
const segments = [
  { start: 0, end: 12 },
  { start: 14, end: 21.5 },
];

const built: [string, () => RecordedStatement][] = [
  ['module experienced', () => moduleExperienced({ ...base, module: modules.familyHubs })],
  ['question answered', () => questionAnswered({ ...base, module: modules.safeguarding, question, response: 'front-door', success: true })],
  ['quiz passed', () => quizPassed({ ...base, module: modules.safeguarding, score: { raw: 4, max: 5 }, durationSeconds: 312.4 })],
  ['quiz failed', () => quizFailed({ ...base, module: modules.safeguarding, score: { raw: 2, max: 5 } })],
  ['video initialized', () => videoInitialized({ ...video, completionThreshold: 0.9 })],
  ['video played', () => videoPlayed({ ...video, time: 0 })],
  ['video paused', () => videoPaused({ ...video, time: 21.5, playedSegments: segments })],
  ['video seeked', () => videoSeeked({ ...video, timeFrom: 12, timeTo: 14 })],
  ['video completed', () => videoCompleted({ ...video, time: 120, playedSegments: [{ start: 0, end: 120 }], durationSeconds: 131 })],
  ['video terminated', () => videoTerminated({ ...video, time: 21.5, playedSegments: segments })],
  [
    'certificate earned',
    () => certificateEarned({ ...base, certificate: { id: 'FH-2026-7Q4K', roleId: 'library-staff', roleName: 'Library staff', matrixVersion: '2026.2' } }),
  ],
];

describe('statement builders', () => {
  it.each(built)('%s passes the validator', (_name, build) => {
    const result = validateStatement(build());
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it.each(built)('%s has the given id, timestamp, actor and a content version', (_name, build) => {
    const statement = build();
    expect(statement.id).toBe(id);
    expect(statement.timestamp).toBe('2026-03-02T10:15:30.000Z');
    expect(statement.actor).toEqual(actor);
    expect(statement.context?.extensions?.[`${siteUrl}/xapi/extensions/content-version`]).toEqual(expect.any(String));
  });

  it('gives each statement a fresh UUID and the current time when none is given', () => {
    const before = Date.now();
    const first = moduleExperienced({ actor, siteUrl, module: modules.familyHubs });
    const second = moduleExperienced({ actor, siteUrl, module: modules.familyHubs });
    expect(first.id).not.toBe(second.id);
    expect(Date.parse(first.timestamp)).toBeGreaterThanOrEqual(before);
  });

  it('builds a quiz pass with the scaled score, the module version and the module as parent', () => {
    expect(quizPassed({ ...base, module: modules.safeguarding, score: { raw: 4, max: 5 }, durationSeconds: 312.4 })).toMatchInlineSnapshot(`
      {
        "actor": {
          "account": {
            "homePage": "https://learning.brookfield.example.org",
            "name": "8c1d2f4e-6a3b-4e5f-9a7c-1b2d3e4f5a6b",
          },
          "name": "Siân Llŷr",
          "objectType": "Agent",
        },
        "context": {
          "contextActivities": {
            "parent": [
              {
                "definition": {
                  "name": {
                    "en-GB": "Safeguarding basics",
                  },
                  "type": "http://adlnet.gov/expapi/activities/module",
                },
                "id": "https://learning.brookfield.example.org/modules/safeguarding-basics",
                "objectType": "Activity",
              },
            ],
          },
          "extensions": {
            "https://learning.brookfield.example.org/xapi/extensions/content-version": "2.0",
          },
          "language": "en-GB",
        },
        "id": "0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e",
        "object": {
          "definition": {
            "name": {
              "en-GB": "Safeguarding basics: quiz",
            },
            "type": "http://adlnet.gov/expapi/activities/assessment",
          },
          "id": "https://learning.brookfield.example.org/modules/safeguarding-basics/quiz",
          "objectType": "Activity",
        },
        "result": {
          "duration": "PT5M12.4S",
          "score": {
            "max": 5,
            "min": 0,
            "raw": 4,
            "scaled": 0.8,
          },
          "success": true,
        },
        "timestamp": "2026-03-02T10:15:30.000Z",
        "verb": {
          "display": {
            "en-GB": "passed",
          },
          "id": "http://adlnet.gov/expapi/verbs/passed",
        },
      }
    `);
  });

  it.each([
    ['4 of 5', { raw: 4, max: 5 }, 0.8],
    ['2 of 3 (rounded to three places)', { raw: 2, max: 3 }, 0.667],
    ['0 of 5', { raw: 0, max: 5 }, 0],
    ['with a minimum', { raw: 6, min: 2, max: 10 }, 0.5],
  ])('scales a quiz score: %s', (_name, score, scaled) => {
    expect(quizFailed({ ...base, module: modules.safeguarding, score }).result?.score?.scaled).toBe(scaled);
  });

  it('answers a question as a choice interaction with the options and the correct response', () => {
    const statement = questionAnswered({ ...base, module: modules.safeguarding, question, response: 'manager-later', success: false });
    expect(statement.object).toMatchObject({
      id: `${siteUrl}/modules/safeguarding-basics/questions/front-door`,
      definition: {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'choice',
        correctResponsesPattern: ['front-door'],
        choices: [
          { id: 'front-door', description: { 'en-GB': "The Children's Services Front Door" } },
          { id: 'manager-later', description: { 'en-GB': 'Your manager at the end of the week' } },
          { id: 'nobody', description: { 'en-GB': 'Nobody, unless you are sure' } },
        ],
      },
    });
    expect(statement.result).toEqual({ response: 'manager-later', success: false });
    expect(statement.context?.contextActivities?.parent?.[0]?.id).toBe(`${siteUrl}/modules/safeguarding-basics/quiz`);
  });

  it('writes Video Profile extensions: played segments, progress, time, length and session', () => {
    const statement = videoPaused({ ...video, time: 21.5, playedSegments: segments });
    expect(statement.verb.id).toBe('https://w3id.org/xapi/video/verbs/paused');
    expect(statement.object).toMatchObject({ id: `${siteUrl}/films/baby-hub-tour`, definition: { type: 'https://w3id.org/xapi/video/activity-type/video' } });
    expect(statement.result?.extensions).toEqual({
      'https://w3id.org/xapi/video/extensions/time': 21.5,
      'https://w3id.org/xapi/video/extensions/played-segments': '0.000[.]12.000[,]14.000[.]21.500',
      'https://w3id.org/xapi/video/extensions/progress': 0.163,
    });
    expect(statement.context?.extensions).toMatchObject({
      'https://w3id.org/xapi/video/extensions/length': 120,
      'https://w3id.org/xapi/video/extensions/session-id': sessionId,
    });
    expect(statement.context?.contextActivities?.category?.[0]?.id).toBe('https://w3id.org/xapi/video');
  });

  it('marks a completed video with completion and a duration', () => {
    const statement = videoCompleted({ ...video, time: 120, playedSegments: [{ start: 0, end: 120 }], durationSeconds: 131 });
    expect(statement.result).toMatchObject({ completion: true, duration: 'PT2M11S' });
    expect(statement.result?.extensions?.['https://w3id.org/xapi/video/extensions/progress']).toBe(1);
  });

  it('puts the completion threshold on initialized, paused, completed and terminated only, as the profile requires when it is not 1', () => {
    const threshold = 'https://w3id.org/xapi/video/extensions/completion-threshold';
    const withThreshold = { ...video, completionThreshold: 0.9 };
    const carried = {
      initialized: videoInitialized(withThreshold),
      played: videoPlayed({ ...withThreshold, time: 0 }),
      paused: videoPaused({ ...withThreshold, time: 21.5, playedSegments: segments }),
      seeked: videoSeeked({ ...withThreshold, timeFrom: 12, timeTo: 14 }),
      completed: videoCompleted({ ...withThreshold, time: 120, playedSegments: segments, durationSeconds: 131 }),
      terminated: videoTerminated({ ...withThreshold, time: 21.5, playedSegments: segments }),
    };
    expect(Object.fromEntries(Object.entries(carried).map(([verb, statement]) => [verb, statement.context?.extensions?.[threshold]]))).toEqual({
      initialized: 0.9,
      played: undefined,
      paused: 0.9,
      seeked: undefined,
      completed: 0.9,
      terminated: 0.9,
    });
  });

  it('puts the registration in the context when one is given, and none otherwise', () => {
    const registration = '5b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
    expect(quizPassed({ ...base, registration, module: modules.safeguarding, score: { raw: 4, max: 5 } }).context?.registration).toBe(registration);
    expect(videoPlayed({ ...video, registration, time: 0 }).context?.registration).toBe(registration);
    expect(quizPassed({ ...base, module: modules.safeguarding, score: { raw: 4, max: 5 } }).context).not.toHaveProperty('registration');
  });

  it('records the seek from and to', () => {
    expect(videoSeeked({ ...video, timeFrom: 12, timeTo: 14 }).result?.extensions).toEqual({
      'https://w3id.org/xapi/video/extensions/time-from': 12,
      'https://w3id.org/xapi/video/extensions/time-to': 14,
    });
  });

  it('names the certificate and its role, with the matrix version as content version', () => {
    const statement = certificateEarned({
      ...base,
      certificate: { id: 'FH 2026/7', roleId: 'library-staff', roleName: 'Library staff', matrixVersion: '2026.2' },
    });
    expect(statement.object).toMatchObject({ id: `${siteUrl}/certificates/FH%202026%2F7` });
    expect(statement.context?.contextActivities?.grouping?.[0]?.id).toBe(`${siteUrl}/roles/library-staff`);
    expect(statement.context?.extensions?.[`${siteUrl}/xapi/extensions/content-version`]).toBe('2026.2');
  });
});

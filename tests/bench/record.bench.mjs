/**
 * Learner record benchmarks that run in Node: deriving progress from a large
 * record. (Appending to IndexedDB is measured in the browser.) The harness
 * calls `run()` and prints its rows.
 */
import { performance } from 'node:perf_hooks';
import { deriveProgress } from '../../src/lib/progress/index.ts';
import {
  moduleExperienced,
  quizAttempt,
  videoCompleted,
  videoInitialized,
  videoPaused,
  videoPlayed,
  videoSeeked,
  videoTerminated,
} from '../../src/lib/xapi/index.ts';
import { filmCompletionThreshold } from '../../src/lib/progress/index.ts';
import { actor, babyHubTourLength, catalogue, films, matrix, modules, question, siteUrl } from '../fixtures/learning-record/course.ts';

const statementCount = 10_000;
const runs = 30;

/**
 * A busy learner's record: years of what the site records, in no particular
 * order: lessons opened, quiz attempts (each answer and the result under the
 * attempt's registration) and film sessions (initialized … terminated, part
 * watched, under the film's registration).
 */
export function busyRecord(count) {
  const start = Date.parse('2022-01-03T09:00:00Z');
  const moduleList = Object.values(modules);
  const statements = [];
  let filmRegistration = crypto.randomUUID();
  let filmSegments = [];
  for (let index = 0; statements.length < count; index += 1) {
    const at = (minutes) => ({ actor, siteUrl, now: new Date(start + index * 37 * 60_000 + minutes * 60_000) });
    const module = moduleList[index % moduleList.length];
    if (index % 3 === 0) {
      statements.push(moduleExperienced({ ...at(0), module }));
    } else if (index % 3 === 1) {
      const success = index % 4 !== 1;
      statements.push(
        ...quizAttempt({
          ...at(0),
          module,
          questions: [question],
          outcomes: [{ questionId: question.id, response: 'front-door', success }],
          passed: success,
          score: { raw: success ? 1 : 0, max: 1 },
        }),
      );
    } else {
      const sessionId = crypto.randomUUID();
      const video = {
        film: films.babyHubTour,
        sessionId,
        registration: filmRegistration,
        length: babyHubTourLength,
        completionThreshold: filmCompletionThreshold,
      };
      const from = (index * 13) % babyHubTourLength;
      const to = Math.min(babyHubTourLength, from + 25);
      filmSegments = [...filmSegments, { start: from, end: to }];
      statements.push(
        videoInitialized({ ...at(0), ...video, id: sessionId }),
        videoSeeked({ ...at(0.1), ...video, timeFrom: 0, timeTo: from }),
        videoPlayed({ ...at(0.2), ...video, time: from }),
        videoPaused({ ...at(1), ...video, time: to, playedSegments: filmSegments }),
        videoTerminated({ ...at(2), ...video, time: to, playedSegments: filmSegments }),
      );
      const covered = filmSegments.reduce((total, segment) => total + segment.end - segment.start, 0) / babyHubTourLength;
      if (covered >= 1) {
        statements.push(videoCompleted({ ...at(1), ...video, time: to, playedSegments: filmSegments, durationSeconds: 120 }));
        filmRegistration = crypto.randomUUID();
        filmSegments = [];
      }
    }
  }
  return statements.slice(0, count).reverse();
}

const percentile = (sorted, share) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];

/** Times `deriveProgress` over 10,000 statements. */
export async function run() {
  const statements = busyRecord(statementCount);
  const input = { statements, matrix, catalogue, roleId: 'library-staff', siteUrl, now: new Date('2026-06-01T00:00:00Z') };
  for (let warm = 0; warm < 5; warm += 1) deriveProgress(input);
  const times = [];
  for (let attempt = 0; attempt < runs; attempt += 1) {
    const began = performance.now();
    deriveProgress(input);
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 100) / 100;
  return [
    { name: `derive progress, ${statementCount.toLocaleString('en-GB')} statements, p50`, value: round(percentile(times, 0.5)), unit: 'ms', target: '< 50 ms' },
    {
      name: `derive progress, ${statementCount.toLocaleString('en-GB')} statements, p95`,
      value: round(percentile(times, 0.95)),
      unit: 'ms',
      target: '< 50 ms',
    },
  ];
}

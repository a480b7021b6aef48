/**
 * Learner record benchmarks that run in Node: deriving progress from a large
 * record. (Appending to IndexedDB is measured in the browser.) The harness
 * calls `run()` and prints its rows.
 */
import { performance } from 'node:perf_hooks';
import { deriveProgress } from '../../src/lib/progress/index.ts';
import { moduleExperienced, questionAnswered, quizFailed, quizPassed, videoPaused, videoPlayed } from '../../src/lib/xapi/index.ts';
import { actor, babyHubTourLength, catalogue, films, matrix, modules, question, sessionId, siteUrl } from '../fixtures/learning-record/course.ts';

const statementCount = 10_000;
const runs = 30;

/** A busy learner's record: years of lessons, quiz attempts and film sessions, in no particular order. */
export function busyRecord(count) {
  const start = Date.parse('2022-01-03T09:00:00Z');
  const moduleList = Object.values(modules);
  const statements = [];
  for (let index = 0; statements.length < count; index += 1) {
    const options = { actor, siteUrl, now: new Date(start + index * 37 * 60_000) };
    const module = moduleList[index % moduleList.length];
    switch (index % 6) {
      case 0:
        statements.push(moduleExperienced({ ...options, module }));
        break;
      case 1:
        statements.push(questionAnswered({ ...options, module, question, response: 'front-door', success: true }));
        break;
      case 2:
        statements.push((index % 4 === 0 ? quizFailed : quizPassed)({ ...options, module, score: { raw: 4, max: 5 } }));
        break;
      case 3:
        statements.push(videoPlayed({ ...options, film: films.babyHubTour, sessionId, length: babyHubTourLength, time: 0 }));
        break;
      default: {
        const from = (index * 13) % babyHubTourLength;
        const playedSegments = [{ start: from, end: Math.min(babyHubTourLength, from + 25) }];
        statements.push(videoPaused({ ...options, film: films.babyHubTour, sessionId, length: babyHubTourLength, time: from + 25, playedSegments }));
      }
    }
  }
  return statements.reverse();
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
    { name: `derive progress, ${statementCount.toLocaleString('en-GB')} statements, p95`, value: round(percentile(times, 0.95)), unit: 'ms', target: '< 50 ms' },
  ];
}

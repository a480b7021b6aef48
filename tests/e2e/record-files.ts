/**
 * Record files for browser tests, made with the site's own statement builders
 * for the real course, as a learner's "Download my record" would write them.
 */
import type { Page } from 'playwright-core';
import type { Course } from '../../src/lib/content/index.ts';
import { createProfile, actorOf, type ProfileInput } from '../../src/lib/profile/index.ts';
import type { Agent } from '@xapi/xapi';
import { recordFileFormat, recordFileVersion, type RecordFile } from '../../src/lib/record/index.ts';
import {
  quizPassed,
  videoCompleted,
  videoInitialized,
  videoPlayed,
  videoTerminated,
  webinarAttended,
  type RecordedStatement,
} from '../../src/lib/xapi/index.ts';

/** A record in which the learner completed every required item of `roleId` at `completedAt`. */
export function completedRecordFile(course: Course, roleId: string, person: Omit<ProfileInput, 'roleId'>, completedAt: Date): RecordFile {
  const profile = createProfile({ ...person, roleId });
  const actor = actorOf(profile, course.site.siteUrl);
  const role = course.matrix.roles.find((candidate) => candidate.id === roleId);
  if (!role) throw new Error(`No role ${roleId} in the course`);
  const statements = role.required.flatMap((id) => completionStatements(course, actor, id, completedAt));
  return { format: recordFileFormat, version: recordFileVersion, exportedAt: completedAt.toISOString(), siteUrl: course.site.siteUrl, profile, statements };
}

/** The statements the site records when a learner passes a module's quiz, watches a whole film or says they attended a webinar, at `completedAt`. */
export function completionStatements(course: Course, actor: Agent, itemId: string, completedAt: Date): RecordedStatement[] {
  const base = { actor, siteUrl: course.site.siteUrl, now: completedAt };
  const module = course.modules[itemId];
  if (module) {
    const questions = course.quizzes[itemId]?.questions.length ?? 10;
    return [quizPassed({ ...base, module: { id: itemId, title: module.title, version: module.version }, score: { raw: questions, max: questions } })];
  }
  const webinar = course.webinars[itemId];
  if (webinar) {
    const session = { webinarId: itemId, webinarTitle: webinar.title, version: webinar.version, sessionId: webinar.sessions[0]?.id ?? 'session' };
    return [webinarAttended({ ...base, session })];
  }
  const film = course.films[itemId];
  if (!film) throw new Error(`No module, film or webinar ${itemId}`);
  const video = { ...base, film: { id: itemId, title: film.title, version: film.version }, sessionId: crypto.randomUUID(), length: film.duration };
  const segments = [{ start: 0, end: film.duration }];
  return [
    videoInitialized({ ...video, completionThreshold: 0.9 }),
    videoPlayed({ ...video, time: 0 }),
    videoCompleted({ ...video, time: film.duration, playedSegments: segments, durationSeconds: film.duration }),
    videoTerminated({ ...video, time: film.duration, playedSegments: segments }),
  ];
}

/** Loads a record file on the privacy page, as a learner would, and waits until it is in. */
export async function loadRecordOnPrivacyPage(page: Page, baseUrl: string, file: RecordFile): Promise<void> {
  await page.goto(`${baseUrl}/privacy/`);
  await page
    .getByLabel('Choose a record file (.json)')
    .setInputFiles({ name: 'record.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByRole('button', { name: 'Load this file' }).click();
  await page
    .locator('[data-import-result]')
    .filter({ hasText: /new learning statements? added/ })
    .waitFor();
}

import { describe, expect, it } from 'vitest';
import { countsAsValid, deriveProgress, filmHistory, progressOfItem, type ItemStatus, type RoleStatus } from '../../../src/lib/progress/index.ts';
import { videoCompleted, videoInitialized, videoPaused, videoSeeked } from '../../../src/lib/xapi/index.ts';
import type { CellStatus, StaffStatus } from '../../../src/lib/report/index.ts';
import { actor, babyHubTourLength, catalogue, films, matrix, modules, sessionId, siteUrl } from '../../fixtures/learning-record/course.ts';
import { nextId, passed } from '../../fixtures/learning-record/statements.ts';

const course = { siteUrl, matrix, catalogue };
const now = new Date('2026-04-01T00:00:00Z');

describe('countsAsValid', () => {
  it.each<[ItemStatus | RoleStatus | CellStatus | StaffStatus, boolean]>([
    ['completed', true],
    ['due', true],
    ['expired', false],
    ['in-progress', false],
    ['not-started', false],
    ['missing', false],
    ['not-required', false],
    ['incomplete', false],
  ])('%s → %s', (status, valid) => {
    expect(countsAsValid(status)).toBe(valid);
  });
});

describe('progressOfItem', () => {
  const statements = [passed(modules.parentalConflict, '2026-03-10T09:00:00.000Z')];

  it("takes the item from the learner's own role when it lists the item", () => {
    const roles: string[] = [];
    const item = progressOfItem(
      (input) => {
        roles.push(input.roleId);
        return deriveProgress(input);
      },
      course,
      statements,
      'parental-conflict',
      'jobcentre-work-coach',
      now,
    );
    expect(roles).toEqual(['jobcentre-work-coach']);
    expect(item?.status).toBe('completed');
  });

  it('falls back to the first role that lists the item, for a learner without a role', () => {
    const roles: string[] = [];
    const item = progressOfItem((input) => (roles.push(input.roleId), deriveProgress(input)), course, statements, 'parental-conflict', undefined, now);
    expect(roles).toEqual(['library-staff']);
    expect(item?.item.required).toBe(false);
    expect(item?.completedAt).toBe('2026-03-10T09:00:00.000Z');
  });

  it('gives nothing for an item no role lists', () => {
    expect(progressOfItem(deriveProgress, course, statements, 'not-in-the-matrix', 'library-staff', now)).toBeUndefined();
  });
});

describe('filmHistory', () => {
  const film = films.babyHubTour;
  const registration = 'a1b2c3d4-0000-4000-8000-00000000aaaa';
  const video = { actor, siteUrl, film, sessionId, registration, length: babyHubTourLength };
  const at = (when: string) => ({ now: new Date(when), id: nextId() });

  it('is empty for a film never watched', () => {
    expect(filmHistory(siteUrl, film.id, film.version, [])).toEqual({});
  });

  it('resumes at the last position and continues the open registration', () => {
    const statements = [
      videoInitialized({ ...video, ...at('2026-03-10T09:00:00.000Z'), completionThreshold: 0.9 }),
      videoPaused({ ...video, ...at('2026-03-10T09:00:30.000Z'), time: 30, playedSegments: [{ start: 0, end: 30 }] }),
      videoSeeked({ ...video, ...at('2026-03-10T09:00:40.000Z'), timeFrom: 30, timeTo: 60 }),
    ];
    expect(filmHistory(siteUrl, film.id, film.version, statements)).toEqual({
      lastPosition: 60,
      filmRegistration: { id: registration, playedSegments: [{ start: 0, end: 30 }], seconds: 40 },
    });
  });

  it('starts a new registration once the last one counted', () => {
    const statements = [
      videoPaused({ ...video, ...at('2026-03-10T09:02:00.000Z'), time: 120, playedSegments: [{ start: 0, end: 120 }] }),
      videoCompleted({ ...video, ...at('2026-03-10T09:02:01.000Z'), time: 120, playedSegments: [{ start: 0, end: 120 }], durationSeconds: 121 }),
    ];
    expect(filmHistory(siteUrl, film.id, film.version, statements)).toEqual({ lastPosition: 120 });
  });

  it('ignores statements about another version of the film', () => {
    const statements = [videoPaused({ ...video, film: { ...film, version: '0.9' }, ...at('2026-03-10T09:00:30.000Z'), time: 30, playedSegments: [] })];
    expect(filmHistory(siteUrl, film.id, film.version, statements)).toEqual({});
  });
});

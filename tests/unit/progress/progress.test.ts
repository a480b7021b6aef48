import { describe, expect, it } from 'vitest';
import type { Statement } from '@xapi/xapi';
import { UnknownRoleError } from '../../../src/lib/plan/index.ts';
import { deriveProgress, renewalDateOf, type LearnerProgress } from '../../../src/lib/progress/index.ts';
import { catalogue, films, matrix, modules, siteUrl } from '../../fixtures/learning-record/course.ts';
import { answered, experienced, failed, passed, watched } from '../../fixtures/learning-record/statements.ts';

const derive = (statements: readonly Statement[], now: string, roleId = 'library-staff') =>
  deriveProgress({ statements, matrix, catalogue, roleId, siteUrl, now: new Date(now) });

const itemOf = (progress: LearnerProgress, id: string) => {
  const found = progress.items.find((item) => item.item.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};

/** Every required item of the library role done, on the given days. */
const libraryRoleDone = (when = '2026-03-10T09:00:00.000Z') => [
  passed(modules.familyHubs, when, 5),
  passed(modules.safeguarding, when, 4),
  ...watched(when, [{ start: 0, end: 120 }]),
];

describe('deriveProgress: modules', () => {
  it('starts with nothing started and the first required module next', () => {
    const progress = derive([], '2026-03-01T00:00:00Z');
    expect(progress.items.map((item) => [item.item.id, item.status])).toEqual([
      ['family-hubs', 'not-started'],
      ['safeguarding-basics', 'not-started'],
      ['baby-hub-tour', 'not-started'],
      ['parental-conflict', 'not-started'],
    ]);
    expect(progress.status).toBe('not-started');
    expect(progress.next?.item.id).toBe('family-hubs');
    expect(progress.lastActivity).toBeUndefined();
    expect(progress.validUntil).toBeUndefined();
  });

  it.each([
    ['opening the lesson', () => [experienced(modules.safeguarding, '2026-03-01T09:00:00Z')]],
    ['answering a question', () => [answered(modules.safeguarding, '2026-03-01T09:00:00Z')]],
    ['failing the quiz', () => [failed(modules.safeguarding, '2026-03-01T09:00:00Z')]],
  ])('counts %s as in progress', (_name, statements) => {
    const progress = derive(statements(), '2026-03-02T00:00:00Z');
    expect(itemOf(progress, 'safeguarding-basics')).toMatchObject({ status: 'in-progress', lastActivityAt: '2026-03-01T09:00:00.000Z' });
    expect(itemOf(progress, 'safeguarding-basics').completedAt).toBeUndefined();
    expect(progress.status).toBe('in-progress');
  });

  it('completes a module with a pass on its current version, with date, score, version and renewal', () => {
    const progress = derive(
      [experienced(modules.safeguarding, '2026-03-10T08:50:00Z'), passed(modules.safeguarding, '2026-03-10T09:00:00Z', 4)],
      '2026-04-01T00:00:00Z',
    );
    expect(itemOf(progress, 'safeguarding-basics')).toEqual({
      item: expect.objectContaining({ id: 'safeguarding-basics', version: '2.0', required: true }),
      status: 'completed',
      completedAt: '2026-03-10T09:00:00.000Z',
      score: 0.8,
      version: '2.0',
      renewalDate: '2027-03-10T09:00:00.000Z',
      lastActivityAt: '2026-03-10T09:00:00.000Z',
    });
  });

  it('asks for a retake when the only pass was on an older version', () => {
    const progress = derive([passed(modules.safeguarding, '2025-11-03T14:00:00Z', 5, '1.4')], '2026-03-01T00:00:00Z');
    expect(itemOf(progress, 'safeguarding-basics')).toMatchObject({
      status: 'in-progress',
      outdated: { version: '1.4', completedAt: '2025-11-03T14:00:00.000Z' },
    });
    expect(itemOf(progress, 'safeguarding-basics').completedAt).toBeUndefined();
  });

  it('counts a retake on the current version after an old-version pass', () => {
    const progress = derive(
      [passed(modules.safeguarding, '2025-11-03T14:00:00Z', 5, '1.4'), passed(modules.safeguarding, '2026-02-01T10:00:00Z', 4)],
      '2026-03-01T00:00:00Z',
    );
    expect(itemOf(progress, 'safeguarding-basics')).toMatchObject({ status: 'completed', version: '2.0', completedAt: '2026-02-01T10:00:00.000Z' });
    expect(itemOf(progress, 'safeguarding-basics').outdated).toBeUndefined();
  });

  it('lets the most recent pass win, whatever order the statements arrive in, and a later fail take nothing away', () => {
    const progress = derive(
      [
        failed(modules.safeguarding, '2026-09-01T10:00:00Z'),
        passed(modules.safeguarding, '2026-08-01T10:00:00Z', 5),
        passed(modules.safeguarding, '2025-08-01T10:00:00Z', 4),
      ],
      '2026-09-02T00:00:00Z',
    );
    expect(itemOf(progress, 'safeguarding-basics')).toMatchObject({
      status: 'completed',
      completedAt: '2026-08-01T10:00:00.000Z',
      score: 1,
      renewalDate: '2027-08-01T10:00:00.000Z',
      lastActivityAt: '2026-09-01T10:00:00.000Z',
    });
  });

  it('reads timestamps written with an offset or without milliseconds', () => {
    const early = passed(modules.safeguarding, '2026-06-01T09:30:00Z', 3);
    const late = { ...passed(modules.safeguarding, '2026-06-01T09:00:00Z', 5), timestamp: '2026-06-01T10:45:00+01:00' };
    expect(itemOf(derive([late, { ...early, timestamp: '2026-06-01T09:30:00Z' }], '2026-07-01T00:00:00Z'), 'safeguarding-basics')).toMatchObject({
      completedAt: '2026-06-01T09:45:00.000Z',
      score: 1,
    });
  });

  it('does not count a pass without a content version', () => {
    const pass = passed(modules.safeguarding, '2026-03-10T09:00:00Z');
    delete pass.context?.extensions?.[`${siteUrl}/xapi/extensions/content-version`];
    expect(itemOf(derive([pass], '2026-04-01T00:00:00Z'), 'safeguarding-basics').status).toBe('in-progress');
  });

  it('ignores statements about another site or about things not in the catalogue', () => {
    const elsewhere = passed(modules.safeguarding, '2026-03-10T09:00:00Z');
    elsewhere.object = { ...elsewhere.object, id: 'https://learning.other.example.org/modules/safeguarding-basics/quiz' } as typeof elsewhere.object;
    const unknown = experienced({ id: 'retired-module', title: 'Retired', version: '1.0' }, '2026-03-11T09:00:00Z');
    const progress = derive([elsewhere, unknown], '2026-04-01T00:00:00Z');
    expect(progress.items.every((item) => item.status === 'not-started')).toBe(true);
    expect(progress.lastActivity).toBeUndefined();
  });

  it('throws for a role the matrix does not have', () => {
    expect(() => derive([], '2026-04-01T00:00:00Z', 'astronaut')).toThrow(UnknownRoleError);
  });
});

describe('deriveProgress: renewal at the boundaries', () => {
  // Safeguarding renews after 12 months: completed 10 March 2026 09:00 → renew 10 March 2027 09:00.
  const statements = [passed(modules.safeguarding, '2026-03-10T09:00:00.000Z')];
  it.each([
    ['the day after completion', '2026-03-11T09:00:00.000Z', 'completed'],
    ['a moment before the 30-day window', '2027-02-08T08:59:59.999Z', 'completed'],
    ['exactly 30 days before renewal', '2027-02-08T09:00:00.000Z', 'due'],
    ['a moment before renewal', '2027-03-10T08:59:59.999Z', 'due'],
    ['exactly at renewal', '2027-03-10T09:00:00.000Z', 'expired'],
    ['years later', '2030-01-01T00:00:00.000Z', 'expired'],
  ])('%s: %s → %s', (_name, now, status) => {
    expect(itemOf(derive(statements, now), 'safeguarding-basics').status).toBe(status);
  });

  it('renews a quarterly item completed on 30 November on the last day of February', () => {
    const progress = derive([passed(modules.localOffer, '2026-11-30T16:45:00Z')], '2026-12-01T00:00:00Z', 'jobcentre-work-coach');
    expect(itemOf(progress, 'local-offer-briefing').renewalDate).toBe('2027-02-28T16:45:00.000Z');
  });
});

describe('renewalDateOf', () => {
  it.each([
    ['31 Jan + 1 month', '2026-01-31T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['31 Jan + 1 month in a leap year', '2028-01-31T10:00:00.000Z', 1, '2028-02-29T10:00:00.000Z'],
    ['29 Feb + 12 months', '2028-02-29T12:00:00.000Z', 12, '2029-02-28T12:00:00.000Z'],
    ['29 Feb + 48 months', '2028-02-29T12:00:00.000Z', 48, '2032-02-29T12:00:00.000Z'],
    ['31 Mar + 1 month', '2026-03-31T00:00:00.000Z', 1, '2026-04-30T00:00:00.000Z'],
    ['30 Nov + 3 months', '2026-11-30T23:59:59.999Z', 3, '2027-02-28T23:59:59.999Z'],
    ['15 Dec + 1 month crosses the year', '2026-12-15T08:00:00.000Z', 1, '2027-01-15T08:00:00.000Z'],
    ['31 Aug + 24 months', '2026-08-31T09:30:00.000Z', 24, '2028-08-31T09:30:00.000Z'],
    ['1 Jan + 120 months', '2026-01-01T00:00:00.000Z', 120, '2036-01-01T00:00:00.000Z'],
  ])('%s', (_name, completed, months, renewal) => {
    expect(renewalDateOf(new Date(completed), months).toISOString()).toBe(renewal);
  });
});

describe('deriveProgress: films', () => {
  const film = (statements: readonly Statement[], now = '2026-04-01T00:00:00Z') => itemOf(derive(statements, now), 'baby-hub-tour');

  it.each([
    ['89 % in one go', [[{ start: 0, end: 106.8 }]], 'in-progress', 0.89],
    ['exactly 90 %', [[{ start: 0, end: 108 }]], 'completed', 0.9],
    ['all of it', [[{ start: 0, end: 120 }]], 'completed', 1],
    ['the same first half three times', [[{ start: 0, end: 60 }], [{ start: 0, end: 60 }], [{ start: 0, end: 60 }]], 'in-progress', 0.5],
    [
      'overlapping pieces adding to 90 %',
      [
        [
          { start: 0, end: 50 },
          { start: 40, end: 100 },
        ],
        [{ start: 90, end: 108 }],
      ],
      'completed',
      0.9,
    ],
    [
      'skipping the middle',
      [
        [
          { start: 0, end: 30 },
          { start: 90, end: 120 },
        ],
      ],
      'in-progress',
      0.5,
    ],
  ])('%s → %s', (_name, sessions, status, share) => {
    const statements = sessions.flatMap((segments, index) => watched(`2026-03-0${index + 1}T10:00:00Z`, segments));
    const progress = film(statements);
    expect(progress.status).toBe(status);
    expect(progress.watched).toBeCloseTo(share, 6);
  });

  it('dates the completion at the session that reached 90 %', () => {
    const progress = film([...watched('2026-03-01T10:00:00Z', [{ start: 0, end: 70 }]), ...watched('2026-03-05T15:30:00Z', [{ start: 60, end: 110 }])]);
    expect(progress).toMatchObject({ status: 'completed', completedAt: '2026-03-05T15:30:00.000Z', renewalDate: '2028-03-05T15:30:00.000Z', version: '1.0' });
  });

  it('renews when the film is watched again later: the most recent completion wins', () => {
    const progress = film(
      [...watched('2024-03-01T10:00:00Z', [{ start: 0, end: 120 }]), ...watched('2026-02-20T10:00:00Z', [{ start: 0, end: 120 }])],
      '2026-03-01T00:00:00Z',
    );
    expect(progress).toMatchObject({ status: 'completed', completedAt: '2026-02-20T10:00:00.000Z' });
  });

  it('asks to watch again when only an older version of the clip was watched', () => {
    const progress = film(watched('2026-03-01T10:00:00Z', [{ start: 0, end: 120 }], { film: { ...films.babyHubTour, version: '0.9' } }));
    expect(progress).toMatchObject({ status: 'in-progress', outdated: { version: '0.9', completedAt: '2026-03-01T10:00:00.000Z' } });
  });

  it('does not mix segments from an older version into the current one', () => {
    const statements = [
      ...watched('2026-03-01T10:00:00Z', [{ start: 0, end: 60 }], { film: { ...films.babyHubTour, version: '0.9' } }),
      ...watched('2026-03-02T10:00:00Z', [{ start: 60, end: 120 }]),
    ];
    expect(film(statements)).toMatchObject({ status: 'in-progress', watched: 0.5 });
  });

  it('uses the length the player reported', () => {
    expect(film(watched('2026-03-01T10:00:00Z', [{ start: 0, end: 108 }], { length: 200 }))).toMatchObject({ status: 'in-progress', watched: 0.54 });
  });
});

describe('deriveProgress: the role', () => {
  it('is complete when every required item is, valid until the earliest renewal, with the recommended module next', () => {
    const progress = derive(libraryRoleDone(), '2026-04-01T00:00:00Z');
    expect(progress.status).toBe('completed');
    expect(progress.validUntil).toBe('2027-03-10T09:00:00.000Z');
    expect(progress.next?.item.id).toBe('parental-conflict');
  });

  it('is due when a required item is due, and that item is next', () => {
    const progress = derive(libraryRoleDone(), '2027-02-20T00:00:00Z');
    expect(progress.status).toBe('due');
    expect(progress.next).toMatchObject({ item: { id: 'safeguarding-basics' }, status: 'due' });
    expect(progress.validUntil).toBe('2027-03-10T09:00:00.000Z');
  });

  it('is expired when a required item has expired, and that item is next', () => {
    const progress = derive(libraryRoleDone(), '2027-03-10T09:00:00.000Z');
    expect(progress.status).toBe('expired');
    expect(progress.next).toMatchObject({ item: { id: 'safeguarding-basics' }, status: 'expired' });
    expect(progress.validUntil).toBeUndefined();
  });

  it('is in progress with the first unfinished required item next, whatever else is done', () => {
    const progress = derive(
      [passed(modules.safeguarding, '2026-03-10T09:00:00Z'), passed(modules.parentalConflict, '2026-03-11T09:00:00Z')],
      '2026-04-01T00:00:00Z',
    );
    expect(progress.status).toBe('in-progress');
    expect(progress.next?.item.id).toBe('family-hubs');
  });

  it('gives the level and a plan in the matrix order, and where the learner left off', () => {
    const progress = derive(
      [...libraryRoleDone('2026-03-10T09:00:00.000Z'), experienced(modules.parentalConflict, '2026-03-12T18:20:00Z')],
      '2026-04-01T00:00:00Z',
    );
    expect({
      level: progress.plan.level.name,
      status: progress.status,
      validUntil: progress.validUntil,
      lastActivity: progress.lastActivity,
      items: progress.items.map(({ item, status, completedAt, score, renewalDate }) => ({ id: item.id, status, completedAt, score, renewalDate })),
    }).toMatchInlineSnapshot(`
      {
        "items": [
          {
            "completedAt": "2026-03-10T09:00:00.000Z",
            "id": "family-hubs",
            "renewalDate": "2028-03-10T09:00:00.000Z",
            "score": 1,
            "status": "completed",
          },
          {
            "completedAt": "2026-03-10T09:00:00.000Z",
            "id": "safeguarding-basics",
            "renewalDate": "2027-03-10T09:00:00.000Z",
            "score": 0.8,
            "status": "completed",
          },
          {
            "completedAt": "2026-03-10T09:00:00.000Z",
            "id": "baby-hub-tour",
            "renewalDate": "2028-03-10T09:00:00.000Z",
            "score": undefined,
            "status": "completed",
          },
          {
            "completedAt": undefined,
            "id": "parental-conflict",
            "renewalDate": undefined,
            "score": undefined,
            "status": "in-progress",
          },
        ],
        "lastActivity": {
          "activityId": "https://learning.brookfield.example.org/modules/parental-conflict",
          "at": "2026-03-12T18:20:00.000Z",
          "itemId": "parental-conflict",
          "kind": "module",
          "verbId": "http://adlnet.gov/expapi/verbs/experienced",
        },
        "level": "Front door",
        "status": "completed",
        "validUntil": "2027-03-10T09:00:00.000Z",
      }
    `);
  });
});

/**
 * A small team handed in to a workforce lead, on the shared test course:
 * learners in three organisations, each with a realistic record.
 * Dates are relative to `now` (15 June 2026) so every status appears.
 */
import { createProfile, actorOf, type Profile } from '../../../src/lib/profile/index.ts';
import type { ProfileSighting } from '../../../src/lib/report/index.ts';
import { moduleExperienced, quizPassed, videoPaused, type ModuleRef, type RecordedStatement } from '../../../src/lib/xapi/index.ts';
import { babyHubTourLength, catalogue, films, matrix, modules, siteUrl } from '../../fixtures/learning-record/course.ts';

export { catalogue, matrix, siteUrl };

export const now = new Date('2026-06-15T12:00:00.000Z');

export const districts = [
  { id: 'northgate', name: 'Northgate' },
  { id: 'riverside', name: 'Riverside' },
  { id: 'eastmoor', name: 'Eastmoor' },
];

let counter = 0;
const nextId = () => {
  counter += 1;
  return `10000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
};

function person(name: string, organisation: string, roleId: string, district: string | undefined, actorNumber: number): Profile {
  return createProfile({ name, organisation, roleId, district, actorId: `20000000-0000-4000-8000-${String(actorNumber).padStart(12, '0')}` });
}

export const people = {
  sian: person('Siân Llŷr', 'Brookfield Libraries', 'library-staff', 'northgate', 1),
  dev: person('Dev Patel', 'Jobcentre Plus Riverside', 'jobcentre-work-coach', 'riverside', 2),
  formula: person('=HYPERLINK("x")', 'Brookfield Libraries', 'volunteer-champion', 'eastmoor', 3),
  zoe: person('Zoë Łukasiewicz', 'Brookfield Libraries', 'library-staff', undefined, 4),
};

/** A passed quiz for a module, with the statements around it, as a learner's browser records them. */
export const passed = (profile: Profile, module: ModuleRef, when: string): RecordedStatement[] => {
  const options = { actor: actorOf(profile, siteUrl), siteUrl, now: new Date(when) };
  return [moduleExperienced({ ...options, id: nextId(), module }), quizPassed({ ...options, id: nextId(), module, score: { raw: 4, max: 5 } })];
};

const watchedAll = (profile: Profile, when: string): RecordedStatement[] => [
  videoPaused({
    actor: actorOf(profile, siteUrl),
    siteUrl,
    now: new Date(when),
    id: nextId(),
    film: films.babyHubTour,
    sessionId: '2f0c7b1e-5d4a-4c3b-8e9f-0a1b2c3d4e5f',
    length: babyHubTourLength,
    time: babyHubTourLength,
    playedSegments: [{ start: 0, end: babyHubTourLength }],
  }),
];

/** Each person's record, as their record files hold it. */
export const records = {
  // Family hubs complete, safeguarding due on 1 July 2026, the film complete: due for renewal.
  sian: [
    ...passed(people.sian, modules.familyHubs, '2026-01-10T10:00:00.000Z'),
    ...passed(people.sian, modules.safeguarding, '2025-07-01T09:30:00.000Z'),
    ...watchedAll(people.sian, '2026-02-01T14:00:00.000Z'),
  ],
  // Safeguarding lapsed on 1 March 2026, parental conflict only opened: expired.
  dev: [
    ...passed(people.dev, modules.familyHubs, '2025-11-01T11:00:00.000Z'),
    ...passed(people.dev, modules.safeguarding, '2025-03-01T11:00:00.000Z'),
    moduleExperienced({
      actor: actorOf(people.dev, siteUrl),
      siteUrl,
      now: new Date('2026-06-01T09:00:00.000Z'),
      id: nextId(),
      module: modules.parentalConflict,
    }),
    ...passed(people.dev, modules.localOffer, '2026-05-01T15:00:00.000Z'),
  ],
  // The one requirement of a volunteer, done: complete.
  formula: passed(people.formula, modules.familyHubs, '2026-04-01T10:00:00.000Z'),
  // Nothing yet.
  zoe: [] as RecordedStatement[],
};

/** Profiles as the handed-in files state them. */
export const sightings: ProfileSighting[] = Object.entries(people).map(([, profile]) => ({ homePage: siteUrl, profile, asOf: '2026-06-10T09:00:00.000Z' }));

export const allStatements = Object.values(records).flat();

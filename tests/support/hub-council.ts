/**
 * A generated council for the hub: organisations, confirmed learners in every
 * role of the course, and the statements they would have made — passes, fails,
 * passes on an older version, passes long enough ago to be due or expired, films
 * part-watched and watched, voided statements, and statements about activities
 * the site does not have. Repeatable for a seed. Used by the projection's tests
 * (a few hundred staff) and by the bench (20,000).
 */
import { randomUUID } from 'node:crypto';
import type { Agent, Statement } from '@xapi/xapi';
import type { HubCourse } from '../../src/hub/progress/course.ts';
import { quizFailed, quizPassed, videoPaused, type RecordedStatement } from '../../src/lib/xapi/index.ts';

export interface GeneratedCouncil {
  organisations: { id: string; name: string; district: string }[];
  learners: { id: string; name: string; roleId: string; organisationId: string }[];
  statements: Statement[];
}

/** A small, fast, seeded generator (mulberry32), so a council is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const given = ['Siân', 'Tomasz', 'Aisha', 'Oluwaseun', 'Zhang Wei', 'Mária', 'Dafydd', 'Priya', 'Fatima', 'Seán', 'Ngozi', 'Björn', 'محمد', 'Chloé', 'Kofi'];
const family = [
  'Llŷr',
  'Wiśniewski',
  'Okafor',
  'Adeyemi',
  'Li',
  'Horváth',
  'Jones',
  'Shah',
  'Begum',
  "O'Neill",
  'Eze',
  'Sørensen',
  'الحسن',
  'Dubois',
  'Mensah',
];

export function generateCouncil(options: {
  staff: number;
  course: HubCourse;
  homePage: string;
  seed?: number;
  now: Date;
  organisations?: number;
}): GeneratedCouncil {
  const { course, homePage, now } = options;
  const next = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const day = 24 * 3600 * 1000;
  const districts = course.site.districts.map((district) => district.id);
  const organisations = Array.from({ length: options.organisations ?? Math.max(2, Math.ceil(options.staff / 250)) }, (_, index) => ({
    id: randomUUID(),
    name: `${pick(['Library', 'Jobcentre', 'School office', 'Contact centre', 'Family Hub'])} ${index + 1}`,
    district: districts.length > 0 ? pick(districts) : '',
  }));
  const learners: GeneratedCouncil['learners'] = [];
  const statements: Statement[] = [];
  for (let n = 0; n < options.staff; n++) {
    const role = pick(course.matrix.roles);
    const learner = { id: randomUUID(), name: `${pick(given)} ${pick(family)} ${n}`, roleId: role.id, organisationId: pick(organisations).id };
    learners.push(learner);
    const actor: Agent = { objectType: 'Agent', name: learner.name, account: { homePage, name: learner.id } };
    const base = { actor, siteUrl: course.site.siteUrl };
    // About a third keep everything in date; the rest are spread over every state.
    const diligent = next() < 0.35;
    for (const itemId of [...role.required, ...role.recommended]) {
      const item = course.catalogue[itemId];
      if (!item) continue;
      const roll = diligent ? 0.5 + next() / 2 : next();
      if (roll < 0.2) continue;
      // The diligent in the last 200 days; others anywhere in the last three years: in date, due or expired.
      const when = new Date(now.getTime() - Math.floor(next() * (diligent ? 200 : 3 * 365)) * day - Math.floor(next() * day));
      const made: RecordedStatement[] = [];
      if (item.kind === 'module') {
        const ref = { id: itemId, title: item.title, version: roll < 0.3 ? '0.9' : item.version };
        if (roll < 0.4) made.push(quizFailed({ ...base, now: when, module: ref, score: { raw: 2, max: 5 } }));
        else made.push(quizPassed({ ...base, now: when, module: ref, score: { raw: 4 + Math.floor(next() * 2), max: 5 } }));
      } else {
        const length = 120;
        const end = roll < 0.4 ? 60 : length;
        made.push(
          videoPaused({
            ...base,
            now: when,
            film: { id: itemId, title: item.title, version: item.version },
            sessionId: randomUUID(),
            length,
            time: end,
            playedSegments: [{ start: 0, end }],
          }),
        );
      }
      statements.push(...made);
      if (next() < 0.02) {
        // Someone sent it by mistake and voided it.
        statements.push({
          actor: { objectType: 'Agent', mbox: 'mailto:records@example.org' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
          object: { objectType: 'StatementRef', id: made[0]!.id },
        });
      }
    }
    if (next() < 0.05) {
      // Statements about activities this site does not have, and a version no module ever had.
      statements.push({ ...quizPassed({ ...base, now, module: { id: 'not-a-module', title: 'Elsewhere', version: '1' }, score: { raw: 5, max: 5 } }) });
      statements.push({
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        object: { objectType: 'Activity', id: 'https://elsewhere.example.org/course/1' },
        timestamp: now.toISOString(),
      });
    }
  }
  return { organisations, learners, statements };
}

/**
 * Makes a realistic set of files staff hand to a workforce lead: learning
 * record exports and role certificates for N people across organisations,
 * districts and roles, with every status (completed, due, expired, missing).
 * Built with the site's own statement builders and certificate code, dated
 * relative to `now`, so the files are never stale when tests and benches run.
 *
 *   npx node scripts/make-lead-fixtures.mjs <out-dir> [--staff 40] [--certificates 5] [--seed 1]
 *
 * Writes <out-dir>/records/*.json, <out-dir>/certificates/*.pdf and
 * <out-dir>/manifest.json (who is in which file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCertificate, certificateInputOf, roleCertificateReady } from '../src/lib/certificate/index.ts';
import { readCourse } from '../src/lib/content/read.ts';
import { catalogueOf } from '../src/lib/plan/index.ts';
import { actorOf, createProfile } from '../src/lib/profile/index.ts';
import { deriveProgress } from '../src/lib/progress/index.ts';
import { createMemoryRecordStore, recordFileNameOf } from '../src/lib/record/index.ts';
import {
  moduleExperienced,
  quizAttempt,
  videoCompleted,
  videoInitialized,
  videoPaused,
  videoPlayed,
  videoTerminated,
  webinarAttended,
} from '../src/lib/xapi/index.ts';
import { filmCompletionThreshold } from '../src/lib/progress/index.ts';
import { loadFontFromNodeModules } from '../tests/fixtures/certificate/fonts.ts';

const root = resolve(import.meta.dirname, '..');
const dayMs = 86_400_000;

/** Where each role works, as a council's partners would be named. */
const organisations = {
  'library-staff': ['Brookfield Libraries'],
  'jobcentre-work-coach': ['Jobcentre Plus Brookfield', 'Jobcentre Plus Eastmoor'],
  'customer-service-adviser': ['Brookfield Council Customer Services'],
  receptionist: ['Northgate Health Centre', 'Riverside Leisure Centre', 'Brookfield Town Hall'],
  'school-staff': ["St Mary's CE Primary School", 'Eastmoor Academy', 'Riverside Nursery School'],
  'family-hub-practitioner': ['Brookfield Family Hubs'],
  'volunteer-champion': ['Home-Start Brookfield', 'Brookfield Family Hubs'],
};
const firstNames = [
  'Siân',
  'Zoë',
  'Mohammed',
  'Aisha',
  'Dev',
  'Grace',
  'Tomasz',
  'Chloé',
  'Oluwaseun',
  'Niamh',
  'Li',
  'Fatima',
  'Callum',
  'Priya',
  'Dmitri',
  'Eleni',
  'Rhys',
  'Amara',
  'Jack',
  'Nguyễn',
];
const surnames = [
  'Llŷr',
  'Łukasiewicz',
  'Patel',
  'Okafor',
  'Hughes',
  'Khan',
  'Nowak',
  'Dubois',
  'Adeyemi',
  "O'Brien",
  'Wei',
  'Begum',
  'MacLeod',
  'Sharma',
  'Ivanov',
  'Papadopoulou',
  'Evans',
  'Mensah',
  'Smith',
  'Thị Lan',
];

/** A small seeded generator, so the same seed gives the same staff. */
function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = '89ab'[Math.floor(next() * 4)];
    const text = hex.join('');
    return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
  };
  return { next, int, pick, uuid };
}

const addMonths = (date, months) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()));

/** When an item was completed so that, at `now`, it is in the wanted state. */
function completionFor(state, months, now, random) {
  if (state === 'completed') return new Date(now.getTime() - random.int(5, months * 30 - 60) * dayMs);
  if (state === 'due') return addMonths(new Date(now.getTime() + random.int(3, 26) * dayMs), -months);
  return addMonths(new Date(now.getTime() - random.int(3, 200) * dayMs), -months);
}

/**
 * The statements a learner's browser records for one item done at `when`, as the
 * site makes them: a lesson opened, then one quiz attempt answered right (each
 * answer and the pass under the attempt's registration); or a film watched
 * through in one session (initialized, played, completed at the threshold,
 * paused at the end, terminated), every statement under the film registration,
 * named by the session's initialized statement; or "I attended" a webinar.
 */
function itemStatements(item, when, context) {
  const { actor, siteUrl, random, course } = context;
  const at = (offsetSeconds) => ({ actor, siteUrl, now: new Date(when.getTime() + offsetSeconds * 1000), id: random.uuid() });
  if (item.kind === 'module') {
    const module = { id: item.id, title: item.title, version: item.version };
    const questions = course.quizzes[item.id]?.questions ?? [];
    const wrong = random.int(0, 1);
    const outcomes = questions.map((question, index) => {
      const success = index >= wrong;
      const chosen = question.options.filter((option) => option.correct === success).slice(0, success ? undefined : 1);
      return { questionId: question.id, response: chosen.map((option) => option.id).join('[,]'), success };
    });
    const durationSeconds = random.int(90, 400);
    const attempt = quizAttempt({
      ...at(0),
      registration: random.uuid(),
      module,
      questions,
      outcomes,
      passed: true,
      score: { raw: questions.length - wrong, max: questions.length },
      durationSeconds,
    });
    // Each statement its own seeded id, as the browser gives each its own.
    for (const statement of attempt) statement.id = random.uuid();
    return [moduleExperienced({ ...at(-12 * 60), module }), ...attempt];
  }
  if (item.kind === 'webinar') {
    // Said "I attended" for its first session, a few minutes after the start.
    const sessionId = course.webinars[item.id]?.sessions[0]?.id ?? 'session';
    return [webinarAttended({ ...at(0), session: { webinarId: item.id, webinarTitle: item.title, version: item.version, sessionId } })];
  }
  const film = { id: item.id, title: item.title, version: item.version };
  const length = course.films[item.id]?.duration ?? 60;
  const sessionId = random.uuid();
  const video = { film, sessionId, registration: random.uuid(), length, completionThreshold: filmCompletionThreshold };
  const start = -Math.ceil(length) - 5;
  const threshold = Math.round(length * filmCompletionThreshold * 1000) / 1000;
  return [
    videoInitialized({ ...at(start), ...video, id: sessionId }),
    videoPlayed({ ...at(start + 1), ...video, time: 0 }),
    videoCompleted({ ...at(start + 1 + threshold), ...video, time: threshold, playedSegments: [{ start: 0, end: threshold }], durationSeconds: threshold + 1 }),
    videoPaused({ ...at(start + 1 + length), ...video, time: length, playedSegments: [{ start: 0, end: length }] }),
    videoTerminated({ ...at(start + 3 + length), ...video, time: length, playedSegments: [{ start: 0, end: length }] }),
  ];
}

/**
 * Makes the files. `people` puts given people first (name, roleId, organisation,
 * district, states by item id); the rest are random.
 * @returns the manifest: one entry per person with their files.
 */
export async function makeLeadFixtures({ dir, staff = 40, certificates = 5, seed = 1, now = new Date(), people = [] }) {
  const course = readCourse(root);
  const { site, matrix } = course;
  const siteUrl = site.siteUrl;
  const catalogue = catalogueOf(course.modules, course.films, course.webinars);
  const random = randomSource(seed);
  mkdirSync(join(dir, 'records'), { recursive: true });
  mkdirSync(join(dir, 'certificates'), { recursive: true });
  const manifest = [];
  let certificatesLeft = certificates;
  // Distinct names while there are combinations left, so a lead (and a test) can tell every person apart by name.
  const usedNames = new Set(people.map((person) => person.name));
  const randomName = () => {
    let name = `${random.pick(firstNames)} ${random.pick(surnames)}`;
    while (usedNames.has(name) && usedNames.size < firstNames.length * surnames.length) name = `${random.pick(firstNames)} ${random.pick(surnames)}`;
    usedNames.add(name);
    return name;
  };
  for (let index = 0; index < staff; index += 1) {
    const given = people[index] ?? {};
    const role = given.roleId ? matrix.roles.find((candidate) => candidate.id === given.roleId) : random.pick(matrix.roles);
    const district = 'district' in given ? given.district : random.next() < 0.9 ? random.pick(site.districts).id : undefined;
    const profile = createProfile({
      name: given.name ?? randomName(),
      organisation: given.organisation ?? random.pick(organisations[role.id] ?? ['Brookfield Council']),
      roleId: role.id,
      district,
      actorId: random.uuid(),
    });
    const context = { actor: actorOf(profile, siteUrl), siteUrl, random, course };
    const statements = [];
    const states = {};
    // When too few people are left to hold the certificates asked for, the rest finish their plan.
    const mustFinish = certificatesLeft > 0 && staff - index <= certificatesLeft;
    for (const itemId of role.required) {
      const roll = random.next();
      const state = given.states?.[itemId] ?? (mustFinish || roll < 0.62 ? 'completed' : roll < 0.72 ? 'due' : roll < 0.82 ? 'expired' : 'missing');
      states[itemId] = state;
      const item = catalogue[itemId];
      if (state === 'missing') {
        // Half of those who have not finished have at least opened it.
        if (item.kind === 'module' && random.next() < 0.5)
          statements.push(
            moduleExperienced({ actor: context.actor, siteUrl, now: new Date(now.getTime() - random.int(1, 60) * dayMs), id: random.uuid(), module: item }),
          );
        continue;
      }
      const months = (matrix.renewal[itemId] ?? matrix.defaultRenewal).months;
      statements.push(...itemStatements(item, completionFor(state, months, now, random), context));
    }
    statements.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    const store = createMemoryRecordStore({ statements, profile });
    const exportedAt = new Date(now.getTime() - random.int(0, 10) * dayMs);
    const record = await store.exportRecord({ siteUrl, now: exportedAt });
    const number = String(index + 1).padStart(4, '0');
    const recordFile = `records/${number}-${recordFileNameOf(exportedAt, site.timeZone)}`;
    writeFileSync(join(dir, recordFile), JSON.stringify(record, null, 2));
    const entry = {
      name: profile.name,
      organisation: profile.organisation,
      roleId: role.id,
      district: profile.district ?? null,
      actorId: profile.actorId,
      states,
      recordFile,
    };

    const progress = deriveProgress({ statements, matrix, catalogue, roleId: role.id, siteUrl, now });
    if (certificatesLeft > 0 && roleCertificateReady(progress)) {
      certificatesLeft -= 1;
      const input = certificateInputOf({
        kind: 'role',
        progress,
        profile,
        statements,
        council: { name: site.council, siteUrl, timeZone: site.timeZone },
        certificateId: random.uuid(),
        now: new Date(now.getTime() - random.int(0, 5) * dayMs),
      });
      const certificate = await buildCertificate(input, { loadFont: loadFontFromNodeModules });
      entry.certificateFile = `certificates/${number}-${certificate.fileName}`;
      writeFileSync(join(dir, entry.certificateFile), certificate.bytes);
    }
    manifest.push(entry);
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) {
    console.error('Usage: npx node scripts/make-lead-fixtures.mjs <out-dir> [--staff 40] [--certificates 5] [--seed 1]');
    process.exit(1);
  }
  const option = (name, fallback) => {
    const at = rest.indexOf(`--${name}`);
    return at >= 0 ? Number(rest[at + 1]) : fallback;
  };
  const started = performance.now();
  const manifest = await makeLeadFixtures({ dir: resolve(dir), staff: option('staff', 40), certificates: option('certificates', 5), seed: option('seed', 1) });
  const made = manifest.filter((entry) => entry.certificateFile).length;
  console.log(`Made ${manifest.length} record files and ${made} certificates in ${dir} (${Math.round(performance.now() - started)} ms).`);
}

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentError } from '../../../src/lib/content/index.ts';
import { readCourse } from '../../../src/lib/content/read.ts';

const fixture = join(import.meta.dirname, '../../fixtures/course');
const copies: string[] = [];

/** A copy of the fixture course with one file changed by `edit`. */
function courseWith(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'fh-course-'));
  copies.push(root);
  cpSync(fixture, root, { recursive: true });
  const path = join(root, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return root;
}

/** The message readCourse throws for a course, or undefined when it loads. */
function mistakesIn(root: string): string | undefined {
  try {
    readCourse(root);
    return undefined;
  } catch (error) {
    if (error instanceof ContentError) return error.message;
    throw error;
  }
}

afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('readCourse', () => {
  it('loads a correct course with every part parsed', () => {
    const course = readCourse(fixture);
    expect(course.site.siteUrl).toBe('https://learning.fixture.example.org');
    expect(Object.keys(course.modules)).toEqual(['first-steps', 'keeping-safe']);
    expect(course.quizzes['first-steps']?.passMark).toBe(0.8);
    expect(course.quizzes['first-steps']?.shuffle).toBe(true);
    expect(Object.keys(course.films)).toEqual(['stay-and-play']);
    expect(Object.keys(course.services).sort()).toEqual(['money-advice', 'stay-and-play']);
    expect(course.matrix.roles[0]?.recommended).toEqual(['stay-and-play']);
    expect(course.site.captionsOnByDefault).toBe(true);
    expect(course.site.timeZone).toBe('Europe/London');
    expect(course.site.demo).toBe(false);
  });

  it('fails a lesson that links to the glossary when the course has none', () => {
    const root = courseWith('courses/modules/keeping-safe/index.mdx', (text) => text.replace('Some lesson text.', 'See the [glossary](/glossary/).'));
    rmSync(join(root, 'courses/glossary.yaml'));
    expect(mistakesIn(root)).toContain('courses/modules/keeping-safe/index.mdx: line 18: links to the glossary, but there is no courses/glossary.yaml');
  });

  it('loads the real course in courses/', () => {
    expect(() => readCourse(process.cwd())).not.toThrow();
  });

  it.each([
    [
      'a matrix naming a module that does not exist',
      'courses/matrix.yaml',
      (text: string) => text.replace('required: [first-steps, keeping-safe]', 'required: [first-steps, safegarding]'),
      "courses/matrix.yaml: roles[0].required[1]: no module, film or webinar 'safegarding'",
    ],
    [
      'a renewal period for an item that does not exist',
      'courses/matrix.yaml',
      (text: string) => text.replace('  keeping-safe:\n    months', '  keeping-saf:\n    months'),
      "courses/matrix.yaml: renewal.keeping-saf: no module, film or webinar 'keeping-saf'",
    ],
    [
      'a role on a level the matrix lacks',
      'courses/matrix.yaml',
      (text: string) => text.replace('level: 2', 'level: 3'),
      'courses/matrix.yaml: roles[1].level: no level 3',
    ],
    [
      'a role that still says "tier", the earlier name of its level',
      'courses/matrix.yaml',
      (text: string) => text.replace('level: 2', 'tier: 2'),
      [
        'courses/matrix.yaml: roles[1].level: Invalid input: expected number, received undefined',
        'courses/matrix.yaml: roles[1].tier: is now called "level": rename it to "level", the word the site shows',
      ],
    ],
    [
      'a matrix that still says "tiers", the earlier name of its levels',
      'courses/matrix.yaml',
      (text: string) => text.replace('levels:', 'tiers:'),
      [
        'courses/matrix.yaml: levels: Invalid input: expected array, received undefined',
        'courses/matrix.yaml: tiers: is now called "levels": rename it to "levels", the word the site shows',
      ],
    ],
    [
      'two roles with one id',
      'courses/matrix.yaml',
      (text: string) => text.replace('id: work-coach', 'id: library-staff'),
      "courses/matrix.yaml: roles[1].id: duplicate role id 'library-staff'",
    ],
    [
      'an item listed twice for a role',
      'courses/matrix.yaml',
      (text: string) => text.replace('recommended: [stay-and-play]', 'recommended: [first-steps]'),
      "courses/matrix.yaml: roles[0].recommended[0]: 'first-steps' is listed twice for this role",
    ],
    [
      'a single-choice question with two correct answers',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('text: That one', 'text: That one\n        correct: true'),
      'courses/modules/first-steps/quiz.yaml: questions[0].options: a single question needs exactly one correct option, found 2',
    ],
    [
      'a single-choice question with no correct answer',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('text: This one\n        correct: true', 'text: This one'),
      'courses/modules/first-steps/quiz.yaml: questions[0].options: a single question needs exactly one correct option, found 0',
    ],
    [
      'a multiple-choice question with no correct answer',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replaceAll('text: A\n        correct: true', 'text: A').replace('text: B\n        correct: true', 'text: B'),
      'courses/modules/first-steps/quiz.yaml: questions[1].options: a multiple-choice question needs at least one correct option',
    ],
    [
      'a scenario question without its case',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('type: single', 'type: scenario'),
      'courses/modules/first-steps/quiz.yaml: questions[0].scenario: a scenario question needs the case it is about',
    ],
    [
      'two questions with one id',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('id: two', 'id: one'),
      "courses/modules/first-steps/quiz.yaml: questions[1].id: duplicate question id 'one'",
    ],
    [
      'two options with one id',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('id: wrong', 'id: right'),
      "courses/modules/first-steps/quiz.yaml: questions[0].options[1].id: duplicate option id 'right'",
    ],
    [
      'an option without feedback',
      'courses/modules/first-steps/quiz.yaml',
      (text: string) => text.replace('        feedback: No.\n  - id: two', '  - id: two'),
      'courses/modules/first-steps/quiz.yaml: questions[0].options[1].feedback: Invalid input: expected string, received undefined',
    ],
    [
      'a lesson that writes out a telephone number',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace('Some lesson text.', 'Some lesson text.\n\nIf a child is in danger, call 999.'),
      'courses/modules/keeping-safe/index.mdx: line 20: writes out the number 999: put it in site.yaml (nationalContacts or contacts) and use <Call of="…" /> or <National of="…" />',
    ],
    [
      'a lesson that names a national contact site.yaml lacks',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace('Some lesson text.', 'Some lesson text, then <Call of="emergency" />.'),
      'courses/modules/keeping-safe/index.mdx: line 18: <Call of="emergency" />: courses/site.yaml has no nationalContacts.emergency; use one of: (none yet)',
    ],
    [
      'a lesson that names a council contact site.yaml lacks',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace('Some lesson text.', '<Contact of="frontdoor" />'),
      'courses/modules/keeping-safe/index.mdx: line 18: <Contact of="frontdoor" />: courses/site.yaml has no contacts.frontdoor; use one of: safeguardingFrontDoor, familyHubs',
    ],
    [
      'a national contact whose number is not a telephone number',
      'courses/site.yaml',
      (text: string) =>
        text.replace(
          'hubs:',
          'nationalContacts:\n  emergency:\n    label: "999"\n    name: Emergency services\n    phone: nine nine nine\n    source: https://www.nhs.uk\n    reviewed: 2026-11-30\nhubs:',
        ),
      'courses/site.yaml: nationalContacts.emergency.phone: must be a UK telephone number such as "0808 800 5000", or a short code such as "999"',
    ],
    [
      'a glossary that lists a term twice',
      'courses/glossary.yaml',
      (text: string) => `${text}  - term: family hub\n    meaning: Again.\n`,
      "courses/glossary.yaml: terms[1].term: 'family hub' is listed twice",
    ],
    [
      'a glossary term without a meaning',
      'courses/glossary.yaml',
      (text: string) => text.replace('    meaning: A place where families can get help.\n', ''),
      'courses/glossary.yaml: terms[0].meaning: Invalid input: expected string, received undefined',
    ],
    [
      'a module that cites no source',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace(/sources:[\s\S]*?reviewed: 2026-11-01\n(?=---)/, 'sources: []\n'),
      'courses/modules/keeping-safe/index.mdx: sources: every module must cite at least one source',
    ],
    [
      'a source without a reviewed date',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace('    reviewed: 2026-11-01\n', ''),
      'courses/modules/keeping-safe/index.mdx: sources[0].reviewed: is missing: add a date written as YYYY-MM-DD',
    ],
    [
      'a module with no time given',
      'courses/modules/keeping-safe/index.mdx',
      (text: string) => text.replace('minutes: 12', 'minutes: 0'),
      'courses/modules/keeping-safe/index.mdx: minutes: Too small: expected number to be >0',
    ],
    [
      'a film whose video file is missing',
      'courses/films/stay-and-play.yaml',
      (text: string) => text.replace('/films/stay-and-play.webm', '/films/stay-and-play-v2.webm'),
      'courses/films/stay-and-play.yaml: media[0].src: file public/films/stay-and-play-v2.webm does not exist',
    ],
    [
      'a film whose captions are missing',
      'courses/films/stay-and-play.yaml',
      (text: string) => text.replace('/films/stay-and-play.en.vtt', '/films/stay-and-play.cy.vtt'),
      'courses/films/stay-and-play.yaml: captions[0].src: file public/films/stay-and-play.cy.vtt does not exist',
    ],
    [
      'a film with no captions at all',
      'courses/films/stay-and-play.yaml',
      (text: string) => text.replace(/captions:[\s\S]*?label: English\n/, 'captions: []\n'),
      'courses/films/stay-and-play.yaml: captions: every film needs captions',
    ],
    [
      'a film about a service that is not in the local offer',
      'courses/films/stay-and-play.yaml',
      (text: string) => text.replace('service: stay-and-play', 'service: stay-and-learn'),
      "courses/films/stay-and-play.yaml: service: no service 'stay-and-learn' in courses/services/",
    ],
    [
      'a service in an area the council does not have',
      'courses/services/stay-and-play.yaml',
      (text: string) => text.replace('districts: [north]', 'districts: [west]'),
      "courses/services/stay-and-play.yaml: districts[0]: no district 'west' in courses/site.yaml",
    ],
    [
      'a service with an unknown theme',
      'courses/services/money-advice.yaml',
      (text: string) => text.replace('theme: money-employment-housing', 'theme: money'),
      'courses/services/money-advice.yaml: theme: Invalid option: expected one of "best-start-for-life"|"school-age"|"young-people"|"health-and-wellbeing"|"parenting-and-family-support"|"send"|"money-employment-housing"',
    ],
    [
      'a hub in an area the council does not have',
      'courses/site.yaml',
      (text: string) => text.replace('district: north', 'district: nrth'),
      "courses/site.yaml: hubs[0].district: no district 'nrth' in districts",
    ],
    [
      'a site address that is not a web address',
      'courses/site.yaml',
      (text: string) => text.replace('siteUrl: https://learning.fixture.example.org/', 'siteUrl: learning.fixture'),
      'courses/site.yaml: siteUrl: must be a full web address starting https://',
    ],
    [
      'a time zone that does not exist',
      'courses/site.yaml',
      (text: string) => `${text}timeZone: Europe/Brookfield\n`,
      'courses/site.yaml: timeZone: must be a time zone name such as "Europe/London"',
    ],
    [
      'a file that is not valid YAML',
      'courses/services/money-advice.yaml',
      (text: string) => text.replace('access: [self-referral, referral]', 'access: [self-referral, referral'),
      expect.stringMatching(/^courses\/services\/money-advice\.yaml: is not valid YAML: /),
    ],
  ])('rejects %s, naming the file and field', (_name, file, edit, expected) => {
    const message = mistakesIn(courseWith(file, edit));
    expect(message?.split('\n').slice(1)).toEqual(Array.isArray(expected) ? expected : [expected]);
  });

  it('rejects a module id that is also a film id', () => {
    const root = courseWith('courses/matrix.yaml', (text) => text);
    cpSync(join(root, 'courses/modules/first-steps'), join(root, 'courses/modules/stay-and-play'), { recursive: true });
    expect(mistakesIn(root)).toContain("courses/films/stay-and-play.yaml: id 'stay-and-play' is also a module; module and film ids must be unique");
  });

  it('rejects a module without a quiz', () => {
    const root = courseWith('courses/matrix.yaml', (text) => text);
    rmSync(join(root, 'courses/modules/keeping-safe/quiz.yaml'));
    expect(mistakesIn(root)).toContain("courses/modules/keeping-safe/quiz.yaml: module 'keeping-safe' has no quiz.yaml");
  });

  it('lists every mistake at once, one per line', () => {
    const root = courseWith('courses/matrix.yaml', (text) => text.replace('[first-steps, keeping-safe]', '[first-step, keeping-saf]'));
    expect(mistakesIn(root)).toMatchInlineSnapshot(`
      "The course content has 2 mistakes:
      courses/matrix.yaml: roles[0].required[0]: no module, film or webinar 'first-step'
      courses/matrix.yaml: roles[0].required[1]: no module, film or webinar 'keeping-saf'"
    `);
  });
});

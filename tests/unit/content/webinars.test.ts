import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ContentError } from '../../../src/lib/content/index.ts';
import { readCourse } from '../../../src/lib/content/read.ts';

const fixture = join(import.meta.dirname, '../../fixtures/course');
const copies: string[] = [];
/** The build's clock in these tests. */
const now = new Date('2027-01-15T12:00:00Z');

const webinar = {
  title: 'Local offer update',
  summary: 'What is new in the local offer.',
  audience: ['library-staff'],
  host: 'Fixture family hubs',
  timeZone: 'Europe/London',
  sessions: [{ id: 'march', start: '2027-03-18T10:00', minutes: 45, joinUrl: 'https://meet.fixture.example.org/j/1', platform: 'Zoom' }],
};
const recording = {
  duration: 60,
  media: [{ src: '/films/stay-and-play.webm', type: 'video/webm' }],
  captions: [{ src: '/films/stay-and-play.en.vtt', lang: 'en', label: 'English' }],
  transcript: 'Narrator: hello.',
};

/** A copy of the fixture course with one webinar, and the matrix changed by `editMatrix`. */
function courseWithWebinar(data: Record<string, unknown>, editMatrix: (text: string) => string = (text) => text): string {
  const root = mkdtempSync(join(tmpdir(), 'fh-webinar-'));
  copies.push(root);
  cpSync(fixture, root, { recursive: true });
  mkdirSync(join(root, 'courses/webinars'));
  writeFileSync(join(root, 'courses/webinars/update.yaml'), stringify(data));
  const matrix = join(root, 'courses/matrix.yaml');
  writeFileSync(matrix, editMatrix(readFileSync(matrix, 'utf8')));
  return root;
}

function mistakesIn(root: string): string[] {
  try {
    readCourse(root, now);
    return [];
  } catch (error) {
    if (error instanceof ContentError) return error.message.split('\n').slice(1);
    throw error;
  }
}

const requireIt = (text: string) => text.replace('required: [first-steps, keeping-safe]\n', 'required: [first-steps, keeping-safe, update]\n');

afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('webinars in the content model', () => {
  it('loads a webinar and lets the matrix require it', () => {
    const course = readCourse(courseWithWebinar(webinar, requireIt), now);
    expect(course.webinars['update']?.sessions[0]?.start).toBe('2027-03-18T10:00');
    expect(course.webinars['update']?.version).toBe('1.0');
    expect(course.matrix.roles[0]?.required).toContain('update');
  });

  it('rejects a webinar without a time zone, naming file and field', () => {
    const { timeZone: _left, ...noZone } = webinar;
    expect(mistakesIn(courseWithWebinar(noZone))).toEqual([
      'courses/webinars/update.yaml: timeZone: is missing: add the time zone the session times are in, such as "Europe/London"',
    ]);
    expect(mistakesIn(courseWithWebinar({ ...webinar, timeZone: 'London' }))).toEqual([
      'courses/webinars/update.yaml: timeZone: must be a time zone name such as "Europe/London"',
    ]);
  });

  it('rejects a recording without captions, naming file and field', () => {
    const { captions: _left, ...noCaptions } = recording;
    expect(mistakesIn(courseWithWebinar({ ...webinar, recording: noCaptions }))).toEqual([
      'courses/webinars/update.yaml: recording.captions: is missing: every recording needs captions',
    ]);
    expect(mistakesIn(courseWithWebinar({ ...webinar, recording: { ...recording, captions: [] } }))).toEqual([
      'courses/webinars/update.yaml: recording.captions: every recording needs captions',
    ]);
  });

  it('rejects a matrix entry naming an unknown webinar, naming file and field', () => {
    const root = courseWithWebinar(webinar, (text) => text.replace('recommended: [stay-and-play]', 'recommended: [stay-and-play, updates]'));
    expect(mistakesIn(root)).toEqual(["courses/matrix.yaml: roles[0].recommended[1]: no module, film or webinar 'updates'"]);
  });

  it('rejects a required webinar with neither a session to come nor a recording', () => {
    const past = { ...webinar, sessions: [{ ...webinar.sessions[0], start: '2027-01-14T10:00' }] };
    expect(mistakesIn(courseWithWebinar(past, requireIt))).toEqual([
      "courses/matrix.yaml: roles[0].required[2]: webinar 'update' is required, but it has no session still to come and no recording: add a session or the recording",
    ]);
    // The same webinar is fine once it has its recording, or when only recommended.
    expect(mistakesIn(courseWithWebinar({ ...past, recording }, requireIt))).toEqual([]);
    expect(mistakesIn(courseWithWebinar(past, (text) => text.replace('recommended: [stay-and-play]', 'recommended: [stay-and-play, update]')))).toEqual([]);
  });

  it('rejects a session at a time the clocks skip, a joining link that is not https and a webinar with nothing to attend or watch', () => {
    const bad = {
      ...webinar,
      sessions: [
        { ...webinar.sessions[0], start: '2027-03-28T01:30' },
        { ...webinar.sessions[0], id: 'april', joinUrl: 'http://meet.fixture.example.org/j/2' },
      ],
    };
    expect(mistakesIn(courseWithWebinar(bad))).toEqual([
      'courses/webinars/update.yaml: sessions[1].joinUrl: must be a full web address starting https://',
      'courses/webinars/update.yaml: sessions[0].start: 2027-03-28T01:30 does not exist in Europe/London: the clocks go forward then',
    ]);
    expect(mistakesIn(courseWithWebinar({ ...webinar, sessions: [] }))).toEqual([
      'courses/webinars/update.yaml: sessions: a webinar needs at least one session or a recording',
    ]);
  });

  it('rejects an audience role the matrix does not have, and a recording file that does not exist', () => {
    const root = courseWithWebinar({
      ...webinar,
      audience: ['librarians'],
      recording: { ...recording, media: [{ src: '/films/missing.mp4', type: 'video/mp4' }] },
    });
    expect(mistakesIn(root)).toEqual([
      "courses/webinars/update.yaml: audience[0]: no role 'librarians' in courses/matrix.yaml",
      'courses/webinars/update.yaml: recording.media[0].src: file public/films/missing.mp4 does not exist',
    ]);
  });

  it('rejects a webinar id that is also a module or film', () => {
    const root = courseWithWebinar(webinar);
    writeFileSync(join(root, 'courses/webinars/stay-and-play.yaml'), stringify(webinar));
    expect(mistakesIn(root)).toEqual(["courses/webinars/stay-and-play.yaml: id 'stay-and-play' is also a film; module, film and webinar ids must be unique"]);
  });
});

/**
 * Checks the local offer and film clips in courses/, whichever council's they are: clips last
 * as long as their media files say, point at real services and have valid WebVTT captions.
 * For the demonstration council also: every core offer theme is covered, clips are short and
 * small, and its contact details cannot reach a real person.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readCourse } from '../../../src/lib/content/read.ts';
import { themes } from '../../../src/lib/content/schema.ts';

const root = process.cwd();
const course = readCourse(root);
const demo = course.site.demo;
const films = Object.entries(course.films);
const publicFile = (src: string) => join(root, 'public', src);
const maxBytes = 2 * 1024 * 1024;

// ------------------------------------------------------------ media readers

/** Length in seconds from an MP4's movie header (moov → mvhd). */
function mp4Duration(bytes: Buffer): number {
  const boxes = function* (start: number, end: number) {
    let offset = start;
    while (offset + 8 <= end) {
      let size = bytes.readUInt32BE(offset);
      const type = bytes.toString('latin1', offset + 4, offset + 8);
      let header = 8;
      if (size === 1) {
        size = Number(bytes.readBigUInt64BE(offset + 8));
        header = 16;
      } else if (size === 0) size = end - offset;
      if (size < header) throw new Error(`bad MP4 box '${type}'`);
      yield { type, body: offset + header, end: offset + size };
      offset += size;
    }
  };
  for (const box of boxes(0, bytes.length)) {
    if (box.type !== 'moov') continue;
    for (const child of boxes(box.body, box.end)) {
      if (child.type !== 'mvhd') continue;
      const version = bytes[child.body];
      const timescale = bytes.readUInt32BE(child.body + (version === 1 ? 20 : 12));
      const duration = version === 1 ? Number(bytes.readBigUInt64BE(child.body + 24)) : bytes.readUInt32BE(child.body + 16);
      return duration / timescale;
    }
  }
  throw new Error('no moov/mvhd box');
}

/** Length in seconds from a WebM's Segment → Info (TimecodeScale, Duration). */
function webmDuration(bytes: Buffer): number {
  const vint = (offset: number, keepMarker: boolean) => {
    const first = bytes[offset] ?? 0;
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
    if (length > 8) throw new Error('bad EBML number');
    let value = keepMarker ? first : first & (0xff >> length);
    let allOnes = value === (keepMarker ? first : 0xff >> length);
    for (let i = 1; i < length; i++) {
      const byte = bytes[offset + i] ?? 0;
      value = value * 256 + byte;
      allOnes &&= byte === 0xff;
    }
    return { value, length, unknown: !keepMarker && allOnes };
  };
  const elements = function* (start: number, end: number) {
    let offset = start;
    while (offset < end) {
      const id = vint(offset, true);
      const size = vint(offset + id.length, false);
      const body = offset + id.length + size.length;
      const elementEnd = size.unknown ? end : body + size.value;
      yield { id: id.value, body, end: elementEnd };
      offset = elementEnd;
    }
  };
  for (const top of elements(0, bytes.length)) {
    if (top.id !== 0x18538067) continue; // Segment
    for (const child of elements(top.body, top.end)) {
      if (child.id !== 0x1549a966) continue; // Info
      let scale = 1_000_000;
      let duration: number | undefined;
      for (const field of elements(child.body, child.end)) {
        const length = field.end - field.body;
        if (field.id === 0x2ad7b1) scale = bytes.readUIntBE(field.body, length);
        if (field.id === 0x4489) duration = length === 4 ? bytes.readFloatBE(field.body) : bytes.readDoubleBE(field.body);
      }
      if (duration === undefined) throw new Error('no Duration in the WebM Info element');
      return (duration * scale) / 1e9;
    }
  }
  throw new Error('no Segment/Info element');
}

function mediaDuration(src: string, type: string): number {
  const bytes = readFileSync(publicFile(src));
  return type === 'video/mp4' ? mp4Duration(bytes) : webmDuration(bytes);
}

/** Parses a WebVTT file into cues, or throws naming what is wrong. */
function parseVtt(text: string): { start: number; end: number; text: string }[] {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!/^WEBVTT(?:[ \t][^\n]*)?(?:\n|$)/.test(body)) throw new Error('does not start with WEBVTT');
  const time = (value: string) => {
    const parts = value.split(':').map(Number);
    return parts.reduce((total, part) => total * 60 + part, 0);
  };
  const timing = /^((?:\d{2,}:)?\d{2}:\d{2}\.\d{3}) --> ((?:\d{2,}:)?\d{2}:\d{2}\.\d{3})(?:[ \t].*)?$/;
  const cues: { start: number; end: number; text: string }[] = [];
  for (const block of body.split(/\n{2,}/).slice(1)) {
    const lines = block.split('\n').filter((line) => line !== '');
    if (lines.length === 0 || /^(NOTE|STYLE|REGION)\b/.test(lines[0]!)) continue;
    const at = lines.findIndex((line) => line.includes('-->'));
    if (at < 0 || at > 1) throw new Error(`block without a cue timing line: "${lines[0]}"`);
    const match = timing.exec(lines[at]!);
    if (!match) throw new Error(`bad cue timing line: "${lines[at]}"`);
    const cueText = lines.slice(at + 1).join('\n');
    if (!cueText.trim()) throw new Error(`cue at ${match[1]} has no text`);
    cues.push({ start: time(match[1]!), end: time(match[2]!), text: cueText });
  }
  return cues;
}

// ------------------------------------------------------------ the offer

describe('the local offer', () => {
  it('has at least one service', () => {
    expect(Object.keys(course.services).length).toBeGreaterThan(0);
  });

  it.runIf(demo)('has at least one service for every core offer theme', () => {
    const covered = new Set(Object.values(course.services).map((service) => service.theme));
    const missing = Object.keys(themes).filter((theme) => !covered.has(theme as keyof typeof themes));
    expect(missing, 'themes with no service in courses/services/').toEqual([]);
  });
});

describe('film clips', () => {
  it.runIf(demo)('has at least six clips', () => {
    expect(films.length).toBeGreaterThanOrEqual(6);
  });

  it.each(films)('%s shows a service in the local offer', (_id, film) => {
    expect(Object.keys(course.services)).toContain(film.service);
  });

  it.runIf(demo).each(films)('%s lasts 45 to 120 seconds', (_id, film) => {
    expect(film.duration).toBeGreaterThanOrEqual(45);
    expect(film.duration).toBeLessThanOrEqual(120);
  });

  it.each(films)('%s lasts as long as its media files do', (_id, film) => {
    for (const media of film.media) {
      const actual = mediaDuration(media.src, media.type);
      expect(Math.abs(actual - film.duration), `${media.src} lasts ${actual.toFixed(2)} s, the yaml says ${film.duration} s`).toBeLessThan(0.5);
    }
  });

  it.runIf(demo).each(films)('%s has media files of 2 MB or less', (_id, film) => {
    const files = [...film.media.map((media) => media.src), ...film.captions.map((track) => track.src), ...(film.poster ? [film.poster] : [])];
    for (const src of files) expect(statSync(publicFile(src)).size, src).toBeLessThanOrEqual(maxBytes);
  });

  it.each(films)('%s has valid WebVTT captions timed within the clip', (_id, film) => {
    for (const track of film.captions) {
      const cues = parseVtt(readFileSync(publicFile(track.src), 'utf8'));
      expect(cues.length, `${track.src} has no cues`).toBeGreaterThan(0);
      let previous = 0;
      for (const cue of cues) {
        expect(cue.start, `${track.src}: cue "${cue.text}" starts before the one before it`).toBeGreaterThanOrEqual(previous);
        expect(cue.end, `${track.src}: cue "${cue.text}" ends before it starts`).toBeGreaterThan(cue.start);
        expect(cue.end, `${track.src}: cue "${cue.text}" runs past the end of the clip`).toBeLessThanOrEqual(film.duration + 0.1);
        previous = cue.start;
      }
    }
  });
});

// ------------------------------------------------------------ fictional contacts

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Ofcom's numbers kept for drama, plus the real emergency and helpline numbers lessons may give. */
const allowedNumbers = [/^01134960\d{3}$/, /^02079460\d{3}$/, /^07700900\d{3}$/, /^08088005000$/, /^08001111$/, /^08082000247$/];
const isAllowedNumber = (text: string) => {
  const digits = text.replace(/^\+44/, '0').replace(/\D/g, '');
  return allowedNumbers.some((pattern) => pattern.test(digits));
};

describe.runIf(demo)('contact details of the demo council', () => {
  it('recognises allowed and real telephone numbers', () => {
    for (const ok of ['0113 496 0410', '020 7946 0123', '07700 900456', '0808 800 5000', '0800 1111', '0808 2000 247', '+44 113 496 0999'])
      expect(isAllowedNumber(ok), ok).toBe(true);
    for (const bad of ['0113 496 1000', '0114 496 0410', '020 7946 1000', '0800 123 4567']) expect(isAllowedNumber(bad), bad).toBe(false);
  });

  it('uses only telephone numbers kept for drama, or 999 and the national helplines', () => {
    const phone = /(?<![\d])(?:\+44 ?|0)\d(?:[ -]?\d){6,11}(?![\d])/g;
    const wrong: string[] = [];
    let found = 0;
    for (const file of filesUnder(join(root, 'courses'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(phone)) {
        found++;
        if (!isAllowedNumber(match[0])) wrong.push(`${file.slice(root.length + 1)}: ${match[0]}`);
      }
    }
    expect(found, 'no telephone numbers found at all: is the pattern right?').toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('puts every email and web address in site.yaml and the services on example.org', () => {
    // nationalContacts are real services (999, NHS 111, national helplines), checked against their sources.
    const { nationalContacts: _national, ...site } = parseYaml(readFileSync(join(root, 'courses/site.yaml'), 'utf8')) as Record<string, unknown>;
    const sources: [string, unknown][] = [
      ['courses/site.yaml', site],
      ...Object.keys(course.services).map((id): [string, unknown] => [
        `courses/services/${id}.yaml`,
        parseYaml(readFileSync(join(root, 'courses/services', `${id}.yaml`), 'utf8')),
      ]),
    ];
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
    const onExampleOrg = (host: string) => host === 'example.org' || host.endsWith('.example.org');
    const wrong: string[] = [];
    let checked = 0;
    for (const [file, data] of sources) {
      for (const text of strings(data)) {
        for (const [, host] of text.matchAll(/[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/g)) {
          checked++;
          if (!onExampleOrg(host!.toLowerCase())) wrong.push(`${file}: ${text}`);
        }
        for (const [url] of text.matchAll(/\bhttps?:\/\/[^\s"'<>)]+/g)) {
          checked++;
          if (!onExampleOrg(new URL(url).hostname)) wrong.push(`${file}: ${url}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});

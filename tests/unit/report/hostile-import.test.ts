/**
 * Fuzz test of the lead's import pipeline (reading, validating, merging) and of
 * the learner's own import: a pile of genuine files with more than twenty kinds
 * of hostile file mixed in. Every file gets its own outcome and reason, every
 * genuine person counts exactly as they would without the hostile files, and
 * nothing throws, overflows or pollutes a prototype.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLeadFixtures } from '../../../scripts/make-lead-fixtures.mjs';
import { readCourse } from '../../../src/lib/content/read.ts';
import { catalogueOf } from '../../../src/lib/plan/index.ts';
import { createMemoryRecordStore, RecordFileError } from '../../../src/lib/record/index.ts';
import { completionMatrix, staffOf, type MatrixRow } from '../../../src/lib/report/index.ts';
import { importHandedIn, type LeadHoldings } from '../../../src/pages/lead/_import.ts';
import { makeHostileFiles, type HostileFile } from '../../fixtures/hostile/hostile-files.ts';

const course = readCourse(process.cwd());
const siteUrl = course.site.siteUrl;
const catalogue = catalogueOf(course.modules, course.films, course.webinars);
const now = new Date();
const dir = mkdtempSync(join(tmpdir(), 'fh-hostile-'));

interface Entry {
  name: string;
  recordFile: string;
  certificateFile?: string;
}

let manifest: Entry[];
let genuine: Array<{ name: string; bytes: Uint8Array }>;
let hostile: HostileFile[];
let victim: Entry;

const emptyHoldings = (): LeadHoldings => ({ statements: new Map(), sources: new Map(), persons: new Map() });

async function importPile(files: ReadonlyArray<{ name: string; bytes: Uint8Array }>, held = emptyHoldings()) {
  const result = await importHandedIn(
    files.map((file) => new File([file.bytes as Uint8Array<ArrayBuffer>], file.name)),
    held,
    { siteUrl, matrix: course.matrix, now },
  );
  const { staff } = staffOf(
    [...held.statements.values()],
    [...held.persons.values()].map((person) => person.sighting),
  );
  const matrix = completionMatrix({ staff, matrix: course.matrix, catalogue, siteUrl, districts: course.site.districts, timeZone: course.site.timeZone, now });
  return { ...result, held, rows: new Map(matrix.rows.map((row) => [row.name, row] as [string, MatrixRow])) };
}

beforeAll(async () => {
  manifest = (await makeLeadFixtures({ dir, staff: 10, certificates: 4, seed: 11 })) as Entry[];
  const read = (path: string) => new Uint8Array(readFileSync(join(dir, path)));
  genuine = manifest
    .flatMap((entry) => [entry.recordFile, ...(entry.certificateFile ? [entry.certificateFile] : [])])
    .map((path) => ({ name: basename(path), bytes: read(path) }));
  victim = manifest.find(
    (entry) =>
      !entry.certificateFile &&
      JSON.parse(readFileSync(join(dir, entry.recordFile), 'utf8')).statements.some((s: { result?: { score?: unknown } }) => s.result?.score),
  )!;
  const withCertificate = manifest.find((entry) => entry.certificateFile)!;
  hostile = await makeHostileFiles({
    record: { name: basename(victim.recordFile), text: readFileSync(join(dir, victim.recordFile), 'utf8') },
    otherRecord: readFileSync(join(dir, withCertificate.recordFile), 'utf8'),
    certificate: read(withCertificate.certificateFile!),
    huge: true,
  });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a pile of genuine and hostile files handed to the lead', () => {
  it('has more than twenty kinds of hostile file', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20);
    expect(new Set(hostile.map((file) => file.name)).size).toBe(hostile.length);
  });

  it('gives every file its own outcome and reason, and counts every genuine person as it would without the hostile files', { timeout: 120_000 }, async () => {
    const clean = await importPile(genuine);
    // The hostile copy of a genuine statement comes first, then hostile and genuine files alternate; the byte-order-mark copy comes after its original.
    const [conflicting, ...others] = [...hostile].sort((a, b) => Number(b.name === 'conflicting-copy.json') - Number(a.name === 'conflicting-copy.json'));
    const late = others.filter((file) => file.name === 'utf8-bom-copy.json');
    const mixed = others.filter((file) => file.name !== 'utf8-bom-copy.json');
    const pile = [
      conflicting!,
      ...genuine.flatMap((file, index) => [file, ...mixed.slice(index * 4, index * 4 + 4)]),
      ...mixed.slice(genuine.length * 4),
      ...late,
    ];
    expect(pile).toHaveLength(genuine.length + hostile.length);

    const { outcomes, rows } = await importPile(pile);
    expect(outcomes.map((outcome) => outcome.fileName)).toEqual(pile.map((file) => file.name));
    for (const file of hostile) {
      const outcome = outcomes.find((candidate) => candidate.fileName === file.name)!;
      expect({ file: file.name, status: outcome.status }).toEqual({ file: file.name, status: file.status });
      expect(outcome.message, file.name).toMatch(file.message);
    }
    const victimFile = basename(victim.recordFile);
    for (const file of genuine) {
      const outcome = outcomes.find((candidate) => candidate.fileName === file.name)!;
      if (file.name === victimFile) {
        expect(outcome.status).toBe('conflict');
        expect(outcome.message).toMatch(
          new RegExp(
            `^${victimFile.replace('.', '\\.')} and conflicting-copy\\.json both hold statement [0-9a-f-]{36} with different content; neither was used\\. \\d+ other new learning statements in .* were imported\\.$`,
          ),
        );
      } else {
        // As without the hostile files: a certificate after its owner's record file has nothing new.
        expect(outcome).toEqual(clean.outcomes.find((candidate) => candidate.fileName === file.name));
      }
    }

    // Every genuine person is in the matrix, each as a clean import shows them; only the victim's disputed statement is left out.
    for (const entry of manifest) {
      expect(rows.has(entry.name), entry.name).toBe(true);
      if (entry !== victim) expect(rows.get(entry.name)).toEqual(clean.rows.get(entry.name));
    }
    expect(rows.get(victim.name)!.organisation).toBe(clean.rows.get(victim.name)!.organisation);
    // Nothing in a file reached a prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps a statement held from an earlier import and names both files when a later file disagrees', async () => {
    const conflicting = hostile.find((file) => file.name === 'conflicting-copy.json')!;
    const victimFile = genuine.find((file) => file.name === basename(victim.recordFile))!;
    const first = await importPile([victimFile]);
    const later = await importPile([conflicting], first.held);
    expect(later.outcomes[0]!.status).toBe('conflict');
    expect(later.outcomes[0]!.message).toMatch(
      new RegExp(
        `^conflicting-copy\\.json and ${victimFile.name.replace('.', '\\.')}, imported before, both hold statement [0-9a-f-]{36} with different content; the one imported before is kept`,
      ),
    );
    expect(later.rows.get(victim.name)).toEqual(first.rows.get(victim.name));
  });
});

describe("the learner's own import of the same hostile files", () => {
  it('answers every JSON file with a report or a reason naming the file, never another error', { timeout: 60_000 }, async () => {
    const store = createMemoryRecordStore();
    for (const file of hostile.filter((candidate) => candidate.name.endsWith('.json'))) {
      const text = new TextDecoder().decode(file.bytes);
      const outcome = await store.importRecord(text, file.name).then(
        (report) => ({ report }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        expect(outcome.error, file.name).toBeInstanceOf(RecordFileError);
        expect((outcome.error as Error).message).toContain(`"${file.name}"`);
      } else if (file.status === 'imported') {
        expect(outcome.report.problems.length, file.name).toBeGreaterThan(0);
      }
    }
    const empty = await store.importRecord('', 'empty.json').catch((error: unknown) => error);
    expect((empty as Error).message).toBe('"empty.json" is empty. Choose the .json file you saved with "Download my record".');
  });
});

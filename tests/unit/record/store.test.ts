import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Statement } from '@xapi/xapi';
import {
  createMemoryRecordStore,
  InvalidStatementError,
  loadPouchDB,
  openPouchRecordStore,
  RecordFileEmptyError,
  RecordFileFormatError,
  RecordFileNotJsonError,
  RecordFileTooLargeError,
  RecordFileVersionError,
  maxRecordFileSize,
  type RecordChange,
  StoredDocumentError,
  type RecordStore,
} from '../../../src/lib/record/index.ts';
import { deriveProgress } from '../../../src/lib/progress/index.ts';
import { STATEMENT_LIMITS } from '../../../src/lib/xapi/index.ts';
import { catalogue, matrix, modules, profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { experienced, failed, nextId, passed, watched } from '../../fixtures/learning-record/statements.ts';

let opened: RecordStore[] = [];
let databases = 0;

const stores: [string, () => Promise<RecordStore>][] = [
  ['memory', async () => createMemoryRecordStore()],
  ['PouchDB', () => openPouchRecordStore(`record-test-${process.pid}-${(databases += 1)}`)],
];

afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

/** A realistic morning: a lesson, a failed and a passed quiz, part of a film. */
const morning = (): Statement[] => [
  experienced(modules.safeguarding, '2026-03-02T09:00:00Z'),
  failed(modules.safeguarding, '2026-03-02T09:10:00Z'),
  passed(modules.safeguarding, '2026-03-02T09:20:00Z', 4),
  ...watched('2026-03-02T09:30:00Z', [{ start: 0, end: 40 }]),
];

/** What an LRS adds when it stores a statement. */
const fromLrsOf = (statement: Statement) => ({ stored: '2026-03-02T12:00:01Z', version: '1.0.3', id: statement.id });
const progressOf = (statements: readonly Statement[]) =>
  deriveProgress({ statements, matrix, catalogue, roleId: 'library-staff', siteUrl, now: new Date('2026-04-01T00:00:00Z') });

describe.each(stores)('%s record store', (_name, open) => {
  const fresh = async () => {
    const store = await open();
    opened.push(store);
    return store;
  };

  it('keeps statements oldest first, whatever order they were appended in', async () => {
    const store = await fresh();
    const statements = morning();
    await store.append(statements.slice(3));
    await store.append(statements.slice(0, 3));
    expect((await store.all()).map((statement) => statement.timestamp)).toEqual(statements.map((statement) => statement.timestamp));
  });

  it('appends idempotently: the same statements twice are recorded once', async () => {
    const store = await fresh();
    const statements = morning();
    expect(await store.append(statements)).toEqual({ added: 7, alreadyRecorded: 0 });
    expect(await store.append(statements)).toEqual({ added: 0, alreadyRecorded: 7 });
    expect(await store.all()).toHaveLength(7);
  });

  it('never overwrites: a second statement with a recorded id leaves the first', async () => {
    const store = await fresh();
    const original = passed(modules.safeguarding, '2026-03-02T09:20:00Z', 4);
    await store.append([original]);
    await store.append([{ ...original, result: { ...original.result, score: { scaled: 1, raw: 5, min: 0, max: 5 } } }]);
    expect(await store.all()).toEqual([original]);
  });

  it('refuses an invalid statement and records nothing of that batch', async () => {
    const store = await fresh();
    const good = experienced(modules.familyHubs, '2026-03-02T09:00:00Z');
    const bad = { ...experienced(modules.familyHubs, '2026-03-02T09:01:00Z'), verb: { id: 'experienced' } };
    await expect(store.append([good, bad])).rejects.toThrow(InvalidStatementError);
    await expect(store.append([good, bad])).rejects.toThrow(/verb\.id must be an absolute IRI/);
    expect(await store.all()).toEqual([]);
  });

  it.each([
    ['by activity', { activityId: `${siteUrl}/modules/safeguarding-basics/quiz` }, 2],
    ['by verb', { verbId: 'http://adlnet.gov/expapi/verbs/passed' }, 1],
    ['by both', { activityId: `${siteUrl}/films/baby-hub-tour`, verbId: 'https://w3id.org/xapi/video/verbs/paused' }, 1],
    ['matching nothing', { activityId: `${siteUrl}/films/other` }, 0],
    ['with no filter', {}, 7],
  ])('queries %s', async (_name, query, count) => {
    const store = await fresh();
    await store.append(morning());
    expect(await store.query(query)).toHaveLength(count);
  });

  it('saves the profile and changes it in place', async () => {
    const store = await fresh();
    expect(await store.getProfile()).toBeUndefined();
    await store.saveProfile(profile);
    expect(await store.getProfile()).toEqual(profile);
    await store.saveProfile({ ...profile, roleId: 'jobcentre-work-coach' });
    expect(await store.getProfile()).toEqual({ ...profile, roleId: 'jobcentre-work-coach' });
    expect(await store.all()).toEqual([]);
  });

  it('tells subscribers after a change, once per batch, until they unsubscribe', async () => {
    const store = await fresh();
    const listener = vi.fn<(change?: RecordChange) => void>();
    const unsubscribe = store.subscribe(listener);
    await store.append(morning());
    // A later change is told after every notice of the batch before it, so once it arrives the batch's count is final.
    const marker = experienced(modules.familyHubs, '2026-03-03T08:00:00Z');
    await store.append([marker]);
    const heardMarker = () => listener.mock.calls.some(([change]) => change?.ids.includes(marker.id!));
    // The memory store's notices name no documents; it tells each change in the same turn, so two calls mean the marker's has come.
    await vi.waitFor(() => expect(_name === 'memory' ? listener.mock.calls.length >= 2 : heardMarker()).toBe(true));
    const markerCall = _name === 'memory' ? 1 : listener.mock.calls.findIndex(([change]) => change?.ids.includes(marker.id!));
    // The feed may split a batch over two turns of the event loop, never over more.
    expect(markerCall).toBeGreaterThanOrEqual(1);
    expect(markerCall).toBeLessThanOrEqual(_name === 'memory' ? 1 : 2);
    expect(listener).toHaveBeenCalledTimes(markerCall + 1);

    // After unsubscribing: another subscriber hears the next change, and the one that left does not.
    unsubscribe();
    listener.mockClear();
    const witness = vi.fn();
    store.subscribe(witness);
    await store.append([experienced(modules.familyHubs, '2026-03-03T09:00:00Z')]);
    await vi.waitFor(() => expect(witness).toHaveBeenCalled());
    expect(listener).not.toHaveBeenCalled();
  });

  it('exports a versioned file with the profile and every statement', async () => {
    const store = await fresh();
    const statements = morning();
    await store.append(statements);
    await store.saveProfile(profile);
    const file = await store.exportRecord({ siteUrl, now: new Date('2026-03-02T12:00:00Z') });
    expect(file).toEqual({ format: 'fh-learning-record', version: 1, exportedAt: '2026-03-02T12:00:00.000Z', siteUrl, profile, statements });
  });

  it('restores the same progress and profile when the export is imported on a fresh device', async () => {
    const store = await fresh();
    await store.append(morning());
    await store.saveProfile(profile);
    const text = JSON.stringify(await store.exportRecord({ siteUrl }));
    const elsewhere = await fresh();
    expect(await elsewhere.importRecord(text, 'learning-record-2026-03-02.json')).toEqual({
      added: 7,
      skipped: 0,
      problems: [],
      profileRestored: true,
      siteUrl,
    });
    expect(await elsewhere.getProfile()).toEqual(profile);
    expect(progressOf(await elsewhere.all())).toEqual(progressOf(await store.all()));
  });

  it('merges by id: new statements are added, recorded ones skipped, and the profile here is kept', async () => {
    const store = await fresh();
    const statements = morning();
    await store.append(statements.slice(0, 4));
    const mine = { ...profile, name: 'Siân Llŷr-Jones' };
    await store.saveProfile(mine);
    const file = { format: 'fh-learning-record', version: 1, exportedAt: '2026-03-02T12:00:00Z', siteUrl, profile, statements: statements.slice(2) };
    expect(await store.importRecord(file, 'work-pc.json')).toEqual({ added: 3, skipped: 2, problems: [], profileRestored: false, siteUrl });
    expect(await store.all()).toHaveLength(7);
    expect(await store.getProfile()).toEqual(mine);
  });

  it('reports bad statements one by one while the good ones import', async () => {
    const store = await fresh();
    const recorded = passed(modules.safeguarding, '2026-03-02T09:20:00Z', 4);
    await store.append([recorded]);
    const good = experienced(modules.familyHubs, '2026-03-02T09:00:00Z');
    const statements = [
      good,
      { ...experienced(modules.familyHubs, '2026-03-02T09:05:00Z'), timestamp: 'last Tuesday' },
      { ...passed(modules.familyHubs, '2026-03-02T09:06:00Z'), result: { score: { scaled: 1.5 } } },
      { actor: good.actor, verb: good.verb, object: good.object },
      { ...recorded, result: { success: true, score: { scaled: 1 } } },
      good,
      'not a statement',
    ];
    const report = await store.importRecord(
      { format: 'fh-learning-record', version: 1, exportedAt: '2026-03-02T12:00:00Z', siteUrl, profile: null, statements },
      'tampered.json',
    );
    expect(report.added).toBe(1);
    expect(report.skipped).toBe(1);
    expect(report.problems).toEqual([
      { index: 1, statementId: (statements[1] as Statement).id, field: 'timestamp', reason: expect.stringContaining('ISO 8601') },
      { index: 2, statementId: (statements[2] as Statement).id, field: 'result.score.scaled', reason: 'must be between -1 and 1, not 1.5' },
      { index: 3, field: 'id', reason: 'is missing: a learning record keeps every statement by its id' },
      { index: 4, statementId: recorded.id, field: 'id', reason: 'a different statement with this id is already recorded; the one already there is kept' },
      { index: 6, field: '', reason: 'a statement must be a JSON object' },
    ]);
    expect(await store.all()).toEqual([good, recorded]);
  });

  it('adds neither of two statements in a file with one id and different content, and counts the same content stored by an LRS as already there', async () => {
    const store = await fresh();
    const first = experienced(modules.familyHubs, '2026-03-02T09:00:00Z');
    const clash = { ...first, timestamp: '2026-03-01T09:00:00Z' };
    // The same statement as an LRS returns it: keys in another order, with stored, authority and version added.
    const fromLrs = {
      version: '1.0.3',
      stored: '2026-03-02T09:00:01Z',
      authority: { account: { homePage: siteUrl, name: 'lrs' } },
      ...Object.fromEntries(Object.entries(first).reverse()),
    };
    const other = experienced(modules.safeguarding, '2026-03-02T09:10:00Z');
    const file = {
      format: 'fh-learning-record',
      version: 1,
      exportedAt: '2026-03-02T12:00:00Z',
      siteUrl,
      profile: null,
      statements: [first, other, clash, { ...other, ...fromLrsOf(other) }],
    };
    const report = await store.importRecord(file, 'two-versions.json');
    const reason = 'the file holds two different statements with this id, so neither was added';
    expect(report.problems).toEqual([
      { index: 0, statementId: first.id, field: 'id', reason },
      { index: 2, statementId: first.id, field: 'id', reason },
    ]);
    expect(report).toMatchObject({ added: 1, skipped: 1 });
    expect(await store.all()).toEqual([other]);
    expect((await store.importRecord({ ...file, statements: [fromLrs] }, 'lrs.json')).added).toBe(1);
  });

  it('erases everything, after which it records afresh', async () => {
    const store = await fresh();
    const statements = morning();
    await store.append(statements);
    await store.saveProfile(profile);
    await store.erase();
    expect(await store.all()).toEqual([]);
    expect(await store.getProfile()).toBeUndefined();
    expect(await store.append(statements)).toEqual({ added: 7, alreadyRecorded: 0 });
    expect(await store.all()).toHaveLength(7);
  });
});

describe('importing a file that is not a usable record', () => {
  const store = createMemoryRecordStore();
  const header = { format: 'fh-learning-record', version: 1, exportedAt: '2026-03-02T12:00:00Z', siteUrl, profile: null, statements: [] };

  it.each([
    ['a record cut short', JSON.stringify(header).slice(0, 40), RecordFileNotJsonError],
    ['a certificate PDF', '%PDF-1.7\n...', RecordFileNotJsonError],
    ['someone else’s JSON', JSON.stringify({ name: 'Siân', courses: [] }), RecordFileFormatError],
    ['a JSON list', JSON.stringify([header]), RecordFileFormatError],
    ['a record with no statements list', JSON.stringify({ ...header, statements: undefined }), RecordFileFormatError],
    ['a record with a bad profile', JSON.stringify({ ...header, profile: { name: '' } }), RecordFileFormatError],
    ['a newer format', JSON.stringify({ ...header, version: 2 }), RecordFileVersionError],
    ['a format written as text', JSON.stringify({ ...header, version: '1' }), RecordFileVersionError],
    ['a huge file', ' '.repeat(maxRecordFileSize + 1), RecordFileTooLargeError],
    ['an empty file', '', RecordFileEmptyError],
    ['a file of white space after a byte order mark', '\uFEFF \n', RecordFileEmptyError],
    [
      'a file with more statements than any record',
      JSON.stringify({ ...header, statements: new Array(STATEMENT_LIMITS.maxStatementsPerFile + 1).fill({}) }),
      RecordFileFormatError,
    ],
  ])('%s', async (_name, text, errorClass) => {
    const error = await store.importRecord(text, 'sian-record.json').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toContain('"sian-record.json"');
    expect((error as { fileName: string }).fileName).toBe('sian-record.json');
    expect(await store.all()).toEqual([]);
  });

  it('says what to do', async () => {
    await expect(store.importRecord('{"format":"fh-learning-rec', 'sian-record.json')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RecordFileNotJsonError: "sian-record.json" cannot be read: it is not a learning record file, or it was cut short while copying. Choose the .json file you saved with "Download my record".]`,
    );
    await expect(store.importRecord({ ...header, format: 'xapi-statements' }, 'statements.json')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RecordFileFormatError: "statements.json" is not a learning record from this site (its "format" is not "fh-learning-record"). Choose the .json file you saved with "Download my record".]`,
    );
    await expect(store.importRecord({ ...header, version: 3 }, 'new.json')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RecordFileVersionError: "new.json" was saved by a newer version of this site (record format 3); this site reads format 1. Open it on the site it came from, or ask for the site to be updated.]`,
    );
  });
});

describe('PouchDB record store', () => {
  it('keeps the record when it is closed and opened again', async () => {
    const name = `record-reopen-${nextId()}`;
    const first = await openPouchRecordStore(name);
    await first.append(morning());
    await first.saveProfile(profile);
    await first.close();
    const again = await openPouchRecordStore(name);
    opened.push(again);
    expect(await again.all()).toHaveLength(7);
    expect(await again.getProfile()).toEqual(profile);
  });

  it('keeps two open copies (two tabs) in step through the changes feed', async () => {
    const name = `record-tabs-${nextId()}`;
    const [tabA, tabB] = [await openPouchRecordStore(name), await openPouchRecordStore(name)];
    opened.push(tabA, tabB);
    const listener = vi.fn();
    tabB.subscribe(listener);
    await tabA.append(morning());
    await vi.waitFor(() => expect(listener).toHaveBeenCalled());
    expect(await tabB.all()).toHaveLength(7);
    listener.mockClear();
    await tabA.erase();
    await vi.waitFor(() => expect(listener).toHaveBeenCalled());
    expect(await tabB.all()).toEqual([]);
  });

  it.each<[string, Record<string, unknown> | 'no verb' | 'other id', string]>([
    ['not a statement', { kind: 'note', statement: {} }, 'kind: it is not marked as a statement'],
    ['a statement with no verb', 'no verb', 'statement.verb: '],
    ['a statement filed under another id', 'other id', 'statement.id: it is '],
  ])('reports a stored document that is %s, naming it, instead of passing it on', async (_, change, detail) => {
    const name = `record-damaged-${nextId()}`;
    const store = await openPouchRecordStore(name);
    opened.push(store);
    const [statement] = morning() as [Statement];
    await store.append([statement]);
    // Something other than the record writes to its database.
    const PouchDB = await loadPouchDB();
    const raw = new PouchDB(name);
    const id = statement.id as string;
    const doc = await raw.get(id);
    const { verb: _verb, ...withoutVerb } = statement;
    const damaged =
      change === 'no verb' ? { statement: withoutVerb } : change === 'other id' ? { statement: { ...statement, id: crypto.randomUUID() } } : change;
    await raw.put({ ...doc, ...damaged });
    await raw.close();
    const error = await store.all().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StoredDocumentError);
    expect((error as Error).message).toContain(`The stored document "${id}" is not a learning record entry (${detail}`);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRecordStore, openLearnerRecord, openPouchRecordStore, type RecordStore } from '../../../src/lib/record/index.ts';
import { modules } from '../../fixtures/learning-record/course.ts';
import { experienced, passed } from '../../fixtures/learning-record/statements.ts';

let opened: RecordStore[] = [];
let databases = 0;
const name = () => `hub-marks-test-${process.pid}-${(databases += 1)}`;

const stores: [string, () => Promise<RecordStore>][] = [
  ['memory', async () => createMemoryRecordStore()],
  ['PouchDB', () => openPouchRecordStore(name())],
  ['learner record over PouchDB', async () => (await openLearnerRecord(name())).store],
];

afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

describe.each(stores)('hub marks in the %s store', (_name, open) => {
  const fresh = async () => {
    const store = await open();
    opened.push(store);
    return store;
  };

  it('starts with nothing acknowledged, refused or pulled', async () => {
    const store = await fresh();
    const marks = await store.hubMarks();
    expect([marks.acknowledged.size, marks.refused.size, marks.pulledUntil]).toEqual([0, 0, undefined]);
  });

  it('keeps acknowledged and refused ids beside the statements, which stay statements only', async () => {
    const store = await fresh();
    const statements = [experienced(modules.safeguarding, '2026-03-02T09:00:00Z'), passed(modules.safeguarding, '2026-03-02T09:20:00Z', 4)];
    await store.append(statements);
    await store.markHub({ acknowledged: [statements[0]!.id!] });
    await store.markHub({ refused: [{ id: statements[1]!.id!, reason: 'the result is out of range' }] });
    await store.markHub({ refused: [{ id: statements[1]!.id!, reason: 'a second reason' }] });
    const marks = await store.hubMarks();
    expect([...marks.acknowledged]).toEqual([statements[0]!.id]);
    expect([...marks.refused]).toEqual([[statements[1]!.id, 'the result is out of range']]);
    expect((await store.all()).map((statement) => statement.id)).toEqual(statements.map((statement) => statement.id));
  });

  it('moves the pull cursor only forwards', async () => {
    const store = await fresh();
    await store.markHub({ pulledUntil: '2026-03-02T10:00:00.000Z' });
    await store.markHub({ pulledUntil: '2026-03-02T09:00:00.000Z' });
    expect((await store.hubMarks()).pulledUntil).toBe('2026-03-02T10:00:00.000Z');
  });

  it('forgets the marks when the record is erased', async () => {
    const store = await fresh();
    await store.append([experienced(modules.safeguarding, '2026-03-02T09:00:00Z')]);
    await store.markHub({ acknowledged: ['0d5a3c2e-8f1b-4c7d-9e2a-6b4f1d3c5a7e'], pulledUntil: '2026-03-02T10:00:00.000Z' });
    await store.erase();
    const marks = await store.hubMarks();
    expect([marks.acknowledged.size, marks.refused.size, marks.pulledUntil]).toEqual([0, 0, undefined]);
  });
});

describe('hub marks after a reload', () => {
  it('survive closing and opening the record again', async () => {
    const recordName = name();
    const first = await openLearnerRecord(recordName);
    const statement = experienced(modules.safeguarding, '2026-03-02T09:00:00Z');
    await first.store.append([statement]);
    await first.store.markHub({ acknowledged: [statement.id!], pulledUntil: '2026-03-02T10:00:00.000Z' });
    await first.store.close();
    const second = await openLearnerRecord(recordName);
    opened.push(second.store);
    const marks = await second.store.hubMarks();
    expect([...marks.acknowledged]).toEqual([statement.id]);
    expect(marks.pulledUntil).toBe('2026-03-02T10:00:00.000Z');
  });
});

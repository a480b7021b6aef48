import { afterEach, describe, expect, it } from 'vitest';
import { openLearnerRecord, type RecordStore } from '../../../src/lib/record/index.ts';
import { openHubMarks, type HubMarksStore } from '../../../src/lib/record/hub-marks.ts';
import { modules } from '../../fixtures/learning-record/course.ts';
import { experienced, passed } from '../../fixtures/learning-record/statements.ts';

let opened: (RecordStore | HubMarksStore)[] = [];
let databases = 0;

afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

/** A learner record with two statements, and its hub marks. */
async function recordWithMarks() {
  const name = `hub-marks-test-${process.pid}-${(databases += 1)}`;
  const { store } = await openLearnerRecord(name);
  const statements = [experienced(modules.safeguarding, '2026-03-02T09:00:00Z'), passed(modules.safeguarding, '2026-03-02T09:20:00Z', 4)];
  await store.append(statements);
  const marks = await openHubMarks(name);
  opened.push(store, marks);
  return { name, store, marks, ids: statements.map((statement) => statement.id as string) };
}

describe('hub marks', () => {
  it('start with nothing acknowledged, refused or pulled', async () => {
    const { marks } = await recordWithMarks();
    const held = await marks.read();
    expect([held.acknowledged.size, held.refused.size, held.pulledUntil]).toEqual([0, 0, undefined]);
  });

  it('keep acknowledged and refused ids beside the statements, which stay statements only', async () => {
    const { store, marks, ids } = await recordWithMarks();
    await marks.mark({ acknowledged: [ids[0]!] });
    await marks.mark({ refused: [{ id: ids[1]!, reason: 'the result is out of range' }] });
    await marks.mark({ refused: [{ id: ids[1]!, reason: 'a second reason' }] });
    const held = await marks.read();
    expect([...held.acknowledged]).toEqual([ids[0]]);
    expect([...held.refused]).toEqual([[ids[1], 'the result is out of range']]);
    expect((await store.all()).map((statement) => statement.id)).toEqual(ids);
  });

  it('move the pull cursor only forwards', async () => {
    const { marks } = await recordWithMarks();
    await marks.mark({ pulledUntil: '2026-03-02T10:00:00.000Z' });
    await marks.mark({ pulledUntil: '2026-03-02T09:00:00.000Z' });
    expect((await marks.read()).pulledUntil).toBe('2026-03-02T10:00:00.000Z');
  });

  it('survive closing and opening the record again', async () => {
    const { name, marks, ids } = await recordWithMarks();
    await marks.mark({ acknowledged: ids, pulledUntil: '2026-03-02T10:00:00.000Z' });
    await marks.close();
    const again = await openHubMarks(name);
    opened.push(again);
    const held = await again.read();
    expect([...held.acknowledged]).toEqual(ids);
    expect(held.pulledUntil).toBe('2026-03-02T10:00:00.000Z');
  });

  it('go when the record is erased, and a later mark does not bring the database back', async () => {
    const { name, store, marks, ids } = await recordWithMarks();
    await marks.mark({ acknowledged: ids });
    await store.erase();
    await expect.poll(async () => (await marks.read()).acknowledged.size).toBe(0);
    await marks.mark({ acknowledged: ids });
    const fresh = await openHubMarks(name);
    opened.push(fresh);
    expect((await fresh.read()).acknowledged.size).toBe(0);
  });
});

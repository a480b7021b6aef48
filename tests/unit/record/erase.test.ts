/**
 * Erasing a record destroys its database: no deleted-document stubs are left to
 * show that a record existed, other open copies (tabs) hear of it, and the
 * record can be started again afterwards.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { destroyPouchDatabase, openLearnerRecord, openPouchRecordStore, RecordEraseError, type RecordStore } from '../../../src/lib/record/index.ts';
import { modules, profile } from '../../fixtures/learning-record/course.ts';
import { experienced, nextId, passed } from '../../fixtures/learning-record/statements.ts';

let opened: RecordStore[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

const databaseNames = async () => (await indexedDB.databases()).map((database) => database.name);
const statements = () =>
  Array.from({ length: 53 }, (_, day) => experienced(modules.familyHubs, `2026-03-${String((day % 28) + 1).padStart(2, '0')}T09:00:00Z`));

describe('erasing a PouchDB record', () => {
  it('destroys the database, leaving nothing behind, and records afresh afterwards', async () => {
    const name = `record-erase-${nextId()}`;
    const store = await openPouchRecordStore(name);
    opened.push(store);
    await store.append(statements());
    await store.saveProfile(profile);
    expect(await databaseNames()).toContain(`_pouch_${name}`);

    await store.erase();
    expect(await databaseNames()).not.toContain(`_pouch_${name}`);
    expect(await store.all()).toEqual([]);
    expect(await store.getProfile()).toBeUndefined();
    // Reading an erased record does not make the database again.
    expect(await databaseNames()).not.toContain(`_pouch_${name}`);

    const again = passed(modules.familyHubs, '2026-04-01T09:00:00Z');
    await store.append([again]);
    expect(await store.all()).toEqual([again]);
    expect(await databaseNames()).toContain(`_pouch_${name}`);
  });

  it('makes no database for a record that has nothing yet, and a copy opened before the first write follows it', async () => {
    const name = `record-new-${nextId()}`;
    const [tabA, tabB] = [await openPouchRecordStore(name), await openPouchRecordStore(name)];
    opened.push(tabA, tabB);
    expect(await tabB.all()).toEqual([]);
    expect(await databaseNames()).not.toContain(`_pouch_${name}`);
    const listener = vi.fn();
    tabB.subscribe(listener);
    const first = passed(modules.familyHubs, '2026-04-01T09:00:00Z');
    await tabA.append([first]);
    await vi.waitFor(() => expect(listener).toHaveBeenCalled());
    expect(await tabB.all()).toEqual([first]);
  });

  it('tells another open copy (tab), which then reads an empty record', async () => {
    const name = `record-erase-tabs-${nextId()}`;
    const [tabA, tabB] = [await openPouchRecordStore(name), await openPouchRecordStore(name)];
    opened.push(tabA, tabB);
    await tabA.append(statements());
    const listener = vi.fn();
    tabB.subscribe(listener);
    await tabA.erase();
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith(expect.objectContaining({ deleted: true })));
    expect(await tabB.all()).toEqual([]);
    expect(await databaseNames()).not.toContain(`_pouch_${name}`);
  });

  it('says so when the browser will not delete the database, and the learner record passes that on', async () => {
    const refusing = { destroy: () => Promise.reject(new Error('UnknownError: the database is in use')) } as unknown as Parameters<
      typeof destroyPouchDatabase
    >[0];
    await expect(destroyPouchDatabase(refusing, 'Your record')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RecordEraseError: Your record could not be erased from this browser (Error: UnknownError: the database is in use). Close any other tabs showing this site and try again. If that does not work, clear this site's data in your browser's settings.]`,
    );
    const name = `record-erase-fails-${nextId()}`;
    const record = await openLearnerRecord(name, {
      openPersistent: async (storeName) => {
        const store = await openPouchRecordStore(storeName);
        opened.push(store);
        return { ...store, erase: () => destroyPouchDatabase(refusing, 'Your record') };
      },
    });
    await record.store.append(statements());
    await expect(record.store.erase()).rejects.toBeInstanceOf(RecordEraseError);
  });
});

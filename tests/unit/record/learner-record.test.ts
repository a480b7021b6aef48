import { describe, expect, it, vi } from 'vitest';
import type { Statement } from '@xapi/xapi';
import { createMemoryRecordStore, openLearnerRecord, type RecordStore, type StorageState } from '../../../src/lib/record/index.ts';
import { modules, profile, siteUrl } from '../../fixtures/learning-record/course.ts';
import { experienced, nextId, passed } from '../../fixtures/learning-record/statements.ts';

/** A persistent store that fills up after `room` appends, as a browser at its quota does. */
function fillingStore(room: number): RecordStore & { saved: () => Promise<Statement[]> } {
  const inner = createMemoryRecordStore();
  let appends = 0;
  return {
    ...inner,
    async append(statements) {
      appends += 1;
      if (appends > room) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      return inner.append(statements);
    },
    saved: () => inner.all(),
  };
}

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T09:00:00Z`;

describe('openLearnerRecord', () => {
  it('keeps the record in IndexedDB when it can, across a reopen', async () => {
    const name = `learner-${nextId()}`;
    const record = await openLearnerRecord(name);
    expect(record.storageState).toEqual({ mode: 'persistent' });
    await record.store.append([experienced(modules.familyHubs, day(1))]);
    await record.store.saveProfile(profile);
    await record.store.close();
    const again = await openLearnerRecord(name);
    expect(await again.store.all()).toHaveLength(1);
    expect(await again.store.getProfile()).toEqual(profile);
    await again.store.close();
  });

  it('falls back to memory when storage cannot be opened, and still records and exports', async () => {
    const record = await openLearnerRecord('learner', {
      openPersistent: async () => {
        throw Object.assign(new Error('A mutation operation was attempted on a database that did not allow mutations.'), { name: 'InvalidStateError' });
      },
    });
    expect(record.storageState).toEqual({
      mode: 'memory',
      reason: 'unavailable',
      detail: 'InvalidStateError: A mutation operation was attempted on a database that did not allow mutations.',
    });
    await record.store.append([experienced(modules.familyHubs, day(1))]);
    expect((await record.store.exportRecord({ siteUrl })).statements).toHaveLength(1);
  });

  it('when storage fills up, keeps everything in memory, says so once, and loses nothing', async () => {
    const persistent = fillingStore(1);
    const record = await openLearnerRecord('learner', { openPersistent: async () => persistent });
    const states: StorageState[] = [];
    record.onStorageStateChange((state) => states.push(state));
    const before = experienced(modules.safeguarding, day(1));
    const during = passed(modules.safeguarding, day(2));
    const after = experienced(modules.familyHubs, day(3));
    await record.store.append([before]);
    await record.store.append([during]);
    await record.store.append([after]);
    expect(states).toEqual([{ mode: 'memory', reason: 'quota', detail: 'QuotaExceededError: The quota has been exceeded.' }]);
    expect(record.storageState).toMatchObject({ mode: 'memory', reason: 'quota' });
    expect(await persistent.saved()).toEqual([before]);
    expect(await record.store.all()).toEqual([before, during, after]);
    expect((await record.store.exportRecord({ siteUrl })).statements).toEqual([before, during, after]);
  });

  it('names any other failed write as such', async () => {
    const persistent = createMemoryRecordStore();
    const record = await openLearnerRecord('learner', {
      openPersistent: async () => ({ ...persistent, saveProfile: async () => Promise.reject(new Error('Connection to Indexed Database server lost')) }),
    });
    await record.store.saveProfile(profile);
    expect(record.storageState).toMatchObject({ mode: 'memory', reason: 'write-failed' });
    expect(await record.store.getProfile()).toEqual(profile);
  });

  it('starts from what the persistent store already holds', async () => {
    const persistent = createMemoryRecordStore({ statements: [experienced(modules.familyHubs, day(1))], profile });
    const record = await openLearnerRecord('learner', { openPersistent: async () => persistent });
    expect(await record.store.all()).toHaveLength(1);
    expect(await record.store.getProfile()).toEqual(profile);
  });

  it('writes imports and erasure through to the persistent store', async () => {
    const persistent = createMemoryRecordStore();
    const record = await openLearnerRecord('learner', { openPersistent: async () => persistent });
    const statements = [experienced(modules.familyHubs, day(1)), passed(modules.familyHubs, day(2))];
    const file = { format: 'fh-learning-record', version: 1, exportedAt: day(3), siteUrl, profile, statements };
    expect(await record.store.importRecord(file, 'record.json')).toMatchObject({ added: 2, profileRestored: true });
    expect(await persistent.all()).toEqual(statements);
    expect(await persistent.getProfile()).toEqual(profile);
    await record.store.erase();
    expect(await persistent.all()).toEqual([]);
    expect(await persistent.getProfile()).toBeUndefined();
  });

  it('keeps two tabs in step: a statement or an erasure in one reaches the other', async () => {
    const name = `learner-tabs-${nextId()}`;
    const [tabA, tabB] = [await openLearnerRecord(name), await openLearnerRecord(name)];
    const listener = vi.fn();
    tabB.store.subscribe(listener);
    await tabA.store.append([experienced(modules.familyHubs, day(1))]);
    await vi.waitFor(async () => expect(await tabB.store.all()).toHaveLength(1));
    expect(listener).toHaveBeenCalled();
    await tabA.store.erase();
    await vi.waitFor(async () => expect(await tabB.store.all()).toEqual([]));
    await Promise.all([tabA.store.close(), tabB.store.close()]);
  });

  it('does not re-read the whole record when the feed echoes its own appends', async () => {
    const name = `learner-echo-${nextId()}`;
    const { openPouchRecordStore } = await import('../../../src/lib/record/index.ts');
    let reads = 0;
    // Ids the feed has brought back to the record, counted after the record has heard each notice.
    const echoed = new Set<string>();
    const record = await openLearnerRecord(name, {
      openPersistent: async (storeName) => {
        const store = await openPouchRecordStore(storeName);
        return {
          ...store,
          all: () => ((reads += 1), store.all()),
          subscribe: (listener) =>
            store.subscribe((change) => {
              listener(change);
              for (const id of change?.ids ?? []) echoed.add(id);
            }),
        };
      },
    });
    const appended = Array.from({ length: 20 }, (_, index) => experienced(modules.familyHubs, day(index + 1)));
    for (const statement of appended) await record.store.append([statement]);
    await vi.waitFor(() => expect(echoed).toEqual(new Set(appended.map((statement) => statement.id))));
    expect(await record.store.all()).toHaveLength(20);
    // Closing waits for every reload the echoes queued, so the count below is final.
    await record.store.close();
    expect(reads).toBe(1);
  });
});

/**
 * The changes feed starts where the record was opened. A page reads the record
 * when it opens and subscribes a moment later; a write that lands in between
 * (the previous page's last write finishing, or another tab's) must still be
 * reported, or the page shows the record without it until something else changes:
 * a learner who has just passed their last quiz would see no certificate.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { openLearnerRecord, openPouchRecordStore, type RecordStore } from '../../../src/lib/record/index.ts';
import { modules } from '../../fixtures/learning-record/course.ts';
import { experienced, nextId, passed } from '../../fixtures/learning-record/statements.ts';

let opened: RecordStore[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

it('reports a write that landed between opening the record and subscribing', async () => {
  const name = `record-feed-${nextId()}`;
  const earlier = await openPouchRecordStore(name);
  opened.push(earlier);
  await earlier.append([experienced(modules.familyHubs, '2026-03-01T09:00:00Z')]);

  const page = await openPouchRecordStore(name);
  opened.push(page);
  const pass = passed(modules.familyHubs, '2026-03-01T09:10:00Z');
  await earlier.append([pass]);
  const listener = vi.fn();
  page.subscribe(listener);
  await vi.waitFor(() => expect(listener).toHaveBeenCalledWith(expect.objectContaining({ ids: [pass.id] })));
});

it('shows the learner record a write that landed while it was being read', async () => {
  const name = `record-feed-learner-${nextId()}`;
  const earlier = await openPouchRecordStore(name);
  opened.push(earlier);
  await earlier.append([experienced(modules.familyHubs, '2026-03-01T09:00:00Z')]);
  const pass = passed(modules.familyHubs, '2026-03-01T09:10:00Z');
  const record = await openLearnerRecord(name, {
    openPersistent: async (storeName) => {
      const store = await openPouchRecordStore(storeName);
      opened.push(store);
      let firstRead = true;
      return {
        ...store,
        // The earlier page's write lands just after the first read, before the page subscribes.
        async all() {
          const statements = await store.all();
          if (firstRead) await earlier.append([pass]);
          firstRead = false;
          return statements;
        },
      };
    },
  });
  await vi.waitFor(async () => expect((await record.store.all()).map((statement) => statement.id)).toContain(pass.id));
  await record.store.close();
});

/**
 * The record in the browser's IndexedDB through PouchDB. PouchDB is imported
 * when the store opens, so pages can paint before it loads.
 */
import type { Statement } from '@xapi/xapi';
import type { PouchDatabase, PouchDoc, PouchError } from 'pouchdb-browser';
import type { Profile } from '../profile/index.ts';
import { RecordWriteError, StorageUnavailableError, StoredDocumentError } from './errors.ts';
import { storedProfileSchema, storedStatementSchema } from './schema.ts';
import { recordStoreOver, type RecordChange, type RecordStore, type StoreCore } from './store.ts';

const profileId = 'profile';

/** Opens (or creates) the record called `name` in IndexedDB. @throws StorageUnavailableError when the browser will not open it */
export async function openPouchRecordStore(name: string): Promise<RecordStore> {
  let db: PouchDatabase;
  try {
    const { default: PouchDB } = await import('pouchdb-browser');
    // Auto-compaction drops superseded revisions at once, so an old profile (a name) does not linger.
    db = new PouchDB(name, { auto_compaction: true });
    // PouchDB opens lazily; ask now, so a blocked or private-mode IndexedDB fails here, not on the first write.
    await db.info();
  } catch (cause) {
    throw new StorageUnavailableError(name, { cause });
  }
  return recordStoreOver(pouchCore(db));
}

function pouchCore(db: PouchDatabase): StoreCore {
  const listeners = new Set<(change?: RecordChange) => void>();
  let feed: ReturnType<PouchDatabase['changes']> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  // The feed reports each document; a batch of 20 statements makes one notice.
  let batch: RecordChange = { ids: [], deleted: false };
  const changed = (change: { id: string; deleted?: boolean }) => {
    batch.ids.push(change.id);
    batch.deleted ||= Boolean(change.deleted);
    pending ??= setTimeout(() => {
      pending = undefined;
      const notice = batch;
      batch = { ids: [], deleted: false };
      for (const listener of [...listeners]) listener(notice);
    }, 0);
  };

  const statementOf = (doc: PouchDoc): Statement => {
    const parsed = storedStatementSchema.safeParse(doc);
    if (!parsed.success) throw new StoredDocumentError(doc._id, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    return parsed.data.statement as unknown as Statement;
  };

  const readProfileDoc = async (): Promise<PouchDoc | undefined> => {
    try {
      return await db.get(profileId);
    } catch (error) {
      if ((error as PouchError).status === 404) return undefined;
      throw error;
    }
  };

  return {
    async insert(statements) {
      const docs = statements.map((statement): PouchDoc => ({ _id: statement.id as string, kind: 'statement', statement }));
      let results;
      try {
        results = await db.bulkDocs(docs);
      } catch (cause) {
        throw new RecordWriteError(`${statements.length} learning record entries`, { cause });
      }
      let added = 0;
      for (const result of results) {
        // 409 Conflict: that id is already recorded. Statements are immutable, so the stored one stands.
        if (result.ok) added += 1;
        else if (result.status !== 409) throw new RecordWriteError(`learning record entry ${result.id ?? ''}`, { cause: result });
      }
      return added;
    },
    async find(ids) {
      const found = new Map<string, Statement>();
      if (ids.length === 0) return found;
      const { rows } = await db.allDocs({ keys: [...ids], include_docs: true });
      for (const row of rows) if (row.doc && !row.value?.deleted) found.set(row.key, statementOf(row.doc));
      return found;
    },
    async list() {
      const { rows } = await db.allDocs({ include_docs: true });
      return rows.flatMap((row) => (row.doc && row.id !== profileId ? [statementOf(row.doc)] : []));
    },
    async readProfile() {
      const doc = await readProfileDoc();
      if (!doc) return undefined;
      const parsed = storedProfileSchema.safeParse(doc);
      if (!parsed.success) throw new StoredDocumentError(profileId, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      return parsed.data.profile;
    },
    async writeProfile(profile: Profile) {
      // Another tab may save between our read and write; one retry with the new revision settles it.
      for (let attempt = 0; ; attempt += 1) {
        const current = await readProfileDoc();
        try {
          await db.put({ _id: profileId, ...(current?._rev ? { _rev: current._rev } : {}), kind: 'profile', profile });
          return;
        } catch (cause) {
          if ((cause as PouchError).status === 409 && attempt === 0) continue;
          throw new RecordWriteError('your details', { cause });
        }
      }
    },
    async clear() {
      const { rows } = await db.allDocs({});
      const deletions = rows.flatMap((row) => (row.value ? [{ _id: row.key, _rev: row.value.rev, _deleted: true }] : []));
      if (deletions.length > 0) {
        const results = await db.bulkDocs(deletions);
        const failed = results.find((result) => !result.ok);
        if (failed) throw new RecordWriteError('the erasure of your record', { cause: failed });
      }
      // Deleting leaves the old revisions' bodies until compaction; compact so nothing personal remains.
      await db.compact();
    },
    subscribe(listener) {
      listeners.add(listener);
      feed ??= db
        .changes({ since: 'now', live: true })
        .on('change', changed)
        .on('error', () => {
          // The feed stops when the database closes; nothing to tell listeners.
          feed = undefined;
        });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          feed?.cancel();
          feed = undefined;
        }
      };
    },
    async close() {
      listeners.clear();
      feed?.cancel();
      feed = undefined;
      if (pending) clearTimeout(pending);
      await db.close();
    },
  };
}

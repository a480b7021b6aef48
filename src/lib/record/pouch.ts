/**
 * The record in the browser's IndexedDB through PouchDB. PouchDB is imported
 * when the store opens, so pages can paint before it loads.
 */
import { describeProblems, problemsOf } from '../problems/index.ts';
import type { Statement } from '@xapi/xapi';
import type { PouchDatabase, PouchDoc, PouchError } from 'pouchdb-browser';
import type { Profile } from '../profile/index.ts';
import { RecordEraseError, RecordWriteError, StorageUnavailableError, StoredDocumentError } from './errors.ts';
import { pouchDatabaseExists } from './saved.ts';
import { storedPersonSchema, storedProfileSchema, storedStatementSchema, type StoredPerson } from './schema.ts';
import { recordStoreOver, type RecordChange, type RecordStore, type StoreCore } from './store.ts';

const profileId = 'profile';

/**
 * Opens the record called `name` in IndexedDB. A record that does not exist yet
 * (never started, or erased) is created only when something is written to it, so
 * opening a page after an erase does not bring an empty database back.
 * @throws StorageUnavailableError when the browser will not open its storage
 */
export async function openPouchRecordStore(name: string): Promise<RecordStore> {
  let open: () => PouchDatabase;
  let db: PouchDatabase | undefined;
  let since: number | string = 0;
  try {
    const { default: PouchDB } = await import('pouchdb-browser');
    // Auto-compaction drops superseded revisions at once, so an old profile (a name) does not linger.
    open = () => new PouchDB(name, { auto_compaction: true });
    if (await pouchDatabaseExists(name)) {
      db = open();
      // PouchDB opens lazily; ask now, so a blocked or private-mode IndexedDB fails here, not on the first write.
      // The feed starts from this point, not from whenever the first listener comes: a write landing in between
      // (the previous page's last write finishing, another tab) would otherwise be in neither the first read nor the feed.
      since = (await db.info()).update_seq;
    } else {
      await checkStorage();
    }
  } catch (cause) {
    throw new StorageUnavailableError(name, { cause });
  }
  return recordStoreOver(pouchCore(name, open, db, since));
}

/** Opens and deletes a scratch database, so blocked storage is found on opening rather than on the first write. */
async function checkStorage(): Promise<void> {
  const scratch = 'fh-storage-check';
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.open(scratch);
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
  });
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(scratch);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * Erases a PouchDB database for good: the IndexedDB database itself is destroyed,
 * so not even deleted-document stubs say that a record existed. The one erase for
 * the learner's record and the lead's imports.
 * @param what names what is erased in the error, such as "Your record"
 * @throws RecordEraseError when the browser would not delete it
 */
export async function destroyPouchDatabase(db: PouchDatabase, what: string): Promise<void> {
  try {
    await db.destroy();
  } catch (cause) {
    throw new RecordEraseError(what, { cause });
  }
}

function pouchCore(name: string, open: () => PouchDatabase, first: PouchDatabase | undefined, firstSince: number | string): StoreCore {
  // Undefined once erased: reads find nothing and the database is made again only when something is written.
  let current: PouchDatabase | undefined = first;
  let feedSince: number | string = firstSince;
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
  const startFeed = () => {
    if (!current || feed || listeners.size === 0) return;
    feed = current
      .changes({ since: feedSince, live: true })
      .on('change', changed)
      .on('error', () => {
        // The feed stops when the database closes; nothing to tell listeners.
        feed = undefined;
      });
  };
  const stopFeed = () => {
    feed?.cancel();
    feed = undefined;
  };
  const forget = () => {
    stopFeed();
    current = undefined;
  };
  // Other tabs hear here when the database is erased (their connection is closed
  // under them, and a destroyed database has no changes feed to tell them) or made
  // (before that they had no database to follow).
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`fh-record:${name}`) : undefined;
  (channel as { unref?: () => void } | undefined)?.unref?.();
  channel?.addEventListener('message', (event: MessageEvent) => {
    if (event.data === 'erased') {
      const db = current;
      forget();
      db?.close().catch(() => undefined);
      changed({ id: profileId, deleted: true });
    } else if (event.data === 'created' && !current) {
      current = open();
      feedSince = 0;
      startFeed();
    }
  });
  /** The database for writing, made again if it was erased. */
  const writable = (): PouchDatabase => {
    if (!current) {
      current = open();
      // Everything in a new database is news to listeners.
      feedSince = 0;
      startFeed();
      channel?.postMessage('created');
    }
    return current;
  };
  /**
   * Runs `task` on the database. Another tab's erase closes this tab's connection
   * under it: then the database is opened again if it still exists (or to write),
   * and a read of an erased record finds nothing.
   */
  const withDatabase = async <T>(task: (db: PouchDatabase) => Promise<T>, empty: T | undefined): Promise<T> => {
    const db = empty === undefined ? writable() : current;
    if (!db) return empty as T;
    try {
      return await task(db);
    } catch (error) {
      const status = (error as PouchError).status;
      if (status !== undefined && status !== 500) throw error;
      const exists = await pouchDatabaseExists(name);
      if (
        exists &&
        !(await db.info().then(
          () => false,
          () => true,
        ))
      )
        throw error;
      if (current === db) forget();
      if (!exists && empty !== undefined) return empty;
      return task(writable());
    }
  };

  const statementOf = (doc: PouchDoc): Statement => {
    const parsed = storedStatementSchema.safeParse(doc);
    if (!parsed.success) throw new StoredDocumentError(doc._id, describeProblems(problemsOf(parsed.error)));
    return parsed.data.statement as unknown as Statement;
  };

  const readProfileDoc = async (db: PouchDatabase): Promise<PouchDoc | undefined> => {
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
        results = await withDatabase((db) => db.bulkDocs(docs), undefined);
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
      const { rows } = await withDatabase((db) => db.allDocs({ keys: [...ids], include_docs: true }), { rows: [] });
      for (const row of rows) if (row.doc && !row.value?.deleted) found.set(row.key, statementOf(row.doc));
      return found;
    },
    async list() {
      const { rows } = await withDatabase((db) => db.allDocs({ include_docs: true }), { rows: [] });
      return rows.flatMap((row) => (row.doc && row.id !== profileId ? [statementOf(row.doc)] : []));
    },
    async readProfile() {
      const doc = await withDatabase(readProfileDoc, { _id: '' });
      if (!doc?._rev) return undefined;
      const parsed = storedProfileSchema.safeParse(doc);
      if (!parsed.success) throw new StoredDocumentError(profileId, describeProblems(problemsOf(parsed.error)));
      return parsed.data.profile;
    },
    async writeProfile(profile: Profile) {
      // Another tab may save between our read and write; one retry with the new revision settles it.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await withDatabase(async (db) => {
            const stored = await readProfileDoc(db);
            await db.put({ _id: profileId, ...(stored?._rev ? { _rev: stored._rev } : {}), kind: 'profile', profile });
          }, undefined);
          return;
        } catch (cause) {
          if ((cause as PouchError).status === 409 && attempt === 0) continue;
          throw new RecordWriteError('your details', { cause });
        }
      }
    },
    async clear() {
      const db = current;
      if (db) {
        stopFeed();
        try {
          await destroyPouchDatabase(db, 'Your record');
        } catch (error) {
          // Still there: keep following it.
          startFeed();
          throw error;
        }
        forget();
      }
      channel?.postMessage('erased');
      // Our own listeners hear of it as other tabs' do.
      changed({ id: profileId, deleted: true });
    },
    subscribe(listener) {
      listeners.add(listener);
      startFeed();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopFeed();
      };
    },
    async close() {
      listeners.clear();
      stopFeed();
      if (pending) clearTimeout(pending);
      channel?.close();
      await current?.close();
      current = undefined;
    },
  };
}

/** The people a lead holds, one validated document per account, kept apart from the statements. */
export interface PeopleStore {
  /** Everyone held, by account key. @throws StoredDocumentError for a document this store did not write */
  all(): Promise<Map<string, StoredPerson>>;
  /** Saves these people, replacing what was held for the same accounts. @throws RecordWriteError */
  put(people: ReadonlyArray<readonly [string, StoredPerson]>): Promise<void>;
  /** Destroys the database; the next `put` makes it again. @throws RecordEraseError */
  erase(): Promise<void>;
}

/** What the lead does when its saved data cannot be read. */
const leadRemedy = 'Choose “Clear all imported data” and add the files again.';

/**
 * Opens the people database called `name`. Every document is checked when read
 * back; revisions stay inside, so callers deal only in people.
 * @throws StorageUnavailableError when the browser will not open its storage
 */
export async function openPouchPeopleStore(name: string): Promise<PeopleStore> {
  let db: PouchDatabase | undefined;
  let open: () => PouchDatabase;
  const revisions = new Map<string, string>();
  try {
    const { default: PouchDB } = await import('pouchdb-browser');
    open = () => new PouchDB(name, { auto_compaction: true });
    db = open();
    await db.info();
  } catch (cause) {
    throw new StorageUnavailableError(name, { cause });
  }
  return {
    async all() {
      const people = new Map<string, StoredPerson>();
      if (!db) return people;
      const { rows } = await db.allDocs({ include_docs: true });
      for (const row of rows) {
        const parsed = storedPersonSchema.safeParse(row.doc);
        if (!parsed.success) throw new StoredDocumentError(row.id ?? row.key, describeProblems(problemsOf(parsed.error), 'document'), leadRemedy);
        if (parsed.data._rev) revisions.set(parsed.data._id, parsed.data._rev);
        people.set(parsed.data._id, parsed.data.sighting);
      }
      return people;
    },
    async put(people) {
      db ??= open();
      const docs = people.map(([key, sighting]): PouchDoc => ({
        _id: key,
        ...(revisions.has(key) ? { _rev: revisions.get(key) } : {}),
        kind: 'person',
        sighting,
      }));
      let results;
      try {
        results = await db.bulkDocs(docs);
      } catch (cause) {
        throw new RecordWriteError(`${people.length} people`, { cause });
      }
      for (const result of results) {
        if (result.ok && result.id !== undefined && result.rev) revisions.set(result.id, result.rev);
        else throw new RecordWriteError(`the details of ${result.id ?? 'a person'}`, { cause: result });
      }
    },
    async erase() {
      if (!db) return;
      await destroyPouchDatabase(db, 'The imported records');
      db = undefined;
      revisions.clear();
    },
  };
}

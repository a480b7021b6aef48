/**
 * The record in the browser's IndexedDB through PouchDB. PouchDB is imported
 * when the store opens, so pages can paint before it loads: its core and the
 * IndexedDB adapter only, since the record never replicates over HTTP or runs
 * map/reduce queries (a third less to load than the whole pouchdb-browser).
 */
import { describeProblems, problemsOf } from '../problems/index.ts';
import type { Statement } from '@xapi/xapi';
import type { PouchConstructor, PouchDatabase, PouchDoc, PouchError } from 'pouchdb-core';
import type { Profile } from '../profile/index.ts';
import { validateStatement } from '../xapi/index.ts';
import { RecordEraseError, RecordWriteError, StorageUnavailableError, StoredDocumentError } from './errors.ts';
import { pouchDatabaseExists } from './saved.ts';
import type { StoredPerson } from './schema.ts';
import { recordStoreOver, type RecordChange, type RecordStore, type StoreCore } from './store.ts';

export type { PouchDatabase, PouchDoc, PouchError };

const profileId = 'profile';
/** Whether a document is one of the hub marks kept beside the statements (hub-marks.ts), whose ids never look like a UUID. */
export const isHubMarkId = (id: string): boolean => id === 'pulled' || id.startsWith('refused:') || id.startsWith('sent:');

let pouch: Promise<PouchConstructor> | undefined;

/** PouchDB with the IndexedDB adapter, loaded once when a store first opens. */
export function loadPouchDB(): Promise<PouchConstructor> {
  pouch ??= Promise.all([import('pouchdb-core'), import('pouchdb-adapter-idb')]).then(([{ default: PouchDB }, { default: idb }]) => PouchDB.plugin(idb));
  return pouch;
}

/**
 * Opens the record called `name` in IndexedDB. A record that does not exist yet
 * (never started, or erased) is created only when something is written to it, so
 * opening a page after an erase does not bring an empty database back.
 * @throws StorageUnavailableError when the browser will not open its storage
 */
export async function openPouchRecordStore(name: string): Promise<RecordStore> {
  let open: () => PouchDatabase;
  let db: PouchDatabase | undefined;
  try {
    const PouchDB = await loadPouchDB();
    // Auto-compaction drops superseded revisions at once, so an old profile (a name) does not linger.
    open = () => new PouchDB(name, { auto_compaction: true });
    if (await pouchDatabaseExists(name)) {
      db = open();
      // PouchDB opens lazily; ask now, so a blocked or private-mode IndexedDB fails here, not on the first write.
      await db.info();
    } else {
      await checkStorage();
    }
  } catch (cause) {
    throw new StorageUnavailableError(name, { cause });
  }
  return recordStoreOver(pouchCore(name, open, db));
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

function pouchCore(name: string, open: () => PouchDatabase, first: PouchDatabase | undefined): StoreCore {
  // Undefined once erased: reads find nothing and the database is made again only when something is written.
  let current: PouchDatabase | undefined = first;
  const listeners = new Set<(change?: RecordChange) => void>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  // Changes are told a write at a time: the 20 statements of a quiz make one notice.
  let batch: RecordChange = { ids: [], deleted: false };
  const tell = () => {
    pending = undefined;
    const notice = batch;
    batch = { ids: [], deleted: false };
    for (const listener of [...listeners]) listener(notice);
  };
  const changed = (change: { ids: readonly string[]; deleted?: boolean }) => {
    // Each write is told as one notice, after the notices of the writes before it.
    if (pending) {
      clearTimeout(pending);
      tell();
    }
    batch.ids.push(...change.ids);
    batch.deleted ||= Boolean(change.deleted);
    // A change that comes before anyone listens is kept for the first listener: a page reads the record,
    // then subscribes, and a write landing in between (another tab's) must still reach it.
    if (listeners.size > 0) pending ??= setTimeout(tell, 0);
  };
  // Tabs keep in step through this channel, not PouchDB's changes feed: a tab that writes says which
  // documents changed, and the others re-read them. Following the feed made every write cost several
  // times an IndexedDB put. The channel also carries an erase (a destroyed database has no feed) and
  // the making of the database (before that, other tabs have none to read).
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`fh-record:${name}`) : undefined;
  (channel as { unref?: () => void } | undefined)?.unref?.();
  const announce = (change: TabSignal) => {
    channel?.postMessage(change);
    changed(change.kind === 'changed' ? change : { ids: [profileId], deleted: true });
  };
  const forget = () => {
    current = undefined;
  };
  channel?.addEventListener('message', (event: MessageEvent) => {
    const signal = tabSignalOf(event.data);
    if (signal?.kind === 'erased') {
      const db = current;
      forget();
      // This tab's connection to a database another tab destroyed; it may already be closed.
      db?.close().catch(() => undefined);
      changed({ ids: [profileId], deleted: true });
    } else if (signal?.kind === 'changed') {
      current ??= open();
      changed(signal);
    }
  });
  /** The database for writing, made again if it was erased. */
  const writable = (): PouchDatabase => {
    current ??= open();
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

  // What comes back from storage is checked as anything from outside is: another program
  // (or a damaged disk) may have written it. A bad document is reported, never passed on as a statement.
  const statementOf = (doc: PouchDoc): Statement => {
    if (doc['kind'] !== 'statement') throw new StoredDocumentError(doc._id, 'kind: it is not marked as a statement');
    const checked = validateStatement(doc['statement']);
    if (!checked.ok)
      throw new StoredDocumentError(
        doc._id,
        checked.problems.map((problem) => `statement${problem.field ? `.${problem.field}` : ''}: ${problem.reason}`).join('; '),
      );
    if (checked.statement.id !== doc._id)
      throw new StoredDocumentError(doc._id, `statement.id: it is "${String(checked.statement.id)}", not the document's id`);
    return checked.statement;
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
      const added: string[] = [];
      let failed: (typeof results)[number] | undefined;
      for (const result of results) {
        // 409 Conflict: that id is already recorded. Statements are immutable, so the stored one stands.
        if (result.ok && result.id) added.push(result.id);
        else if (result.status !== 409) failed ??= result;
      }
      if (added.length > 0) announce({ kind: 'changed', ids: added });
      if (failed) throw new RecordWriteError(`learning record entry ${failed.id ?? ''}`, { cause: failed });
      return added.length;
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
      return rows.flatMap((row) => (row.doc && row.id !== profileId && !isHubMarkId(row.key) ? [statementOf(row.doc)] : []));
    },
    async readProfile() {
      const doc = await withDatabase(readProfileDoc, { _id: '' });
      if (!doc?._rev) return undefined;
      // The profile's rules (and zod with them) load only when there is a profile to check,
      // so pages a learner opens before choosing a role stay light.
      const { storedProfileSchema } = await import('./schema.ts');
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
          announce({ kind: 'changed', ids: [profileId] });
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
        await destroyPouchDatabase(db, 'Your record');
        forget();
      }
      // Our own listeners hear of it as other tabs' do.
      announce({ kind: 'erased' });
    },
    subscribe(listener) {
      listeners.add(listener);
      if (batch.ids.length > 0) pending ??= setTimeout(tell, 0);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      if (pending) clearTimeout(pending);
      channel?.close();
      await current?.close();
      current = undefined;
    },
  };
}

/** What one tab tells the others about the record called the same. */
type TabSignal = { kind: 'changed'; ids: string[] } | { kind: 'erased' };

/** A message from another tab, if it is one of ours. */
function tabSignalOf(data: unknown): TabSignal | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { kind, ids } = data as { kind?: unknown; ids?: unknown };
  if (kind === 'erased') return { kind };
  if (kind === 'changed' && Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return { kind, ids: ids };
  return undefined;
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
    const PouchDB = await loadPouchDB();
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
      // The checks load with the lead's people, not on pages that only record learning.
      const { storedPersonSchema } = await import('./schema.ts');
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

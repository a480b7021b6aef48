/**
 * The learner's record as pages open it: PouchDB when the browser allows, memory
 * when it does not. A full copy is always kept in memory, so when storage fails
 * mid-way (quota, blocked) nothing already recorded is lost and "download my
 * record" still has everything.
 */
import type { Statement } from '@xapi/xapi';
import type { Profile } from '../profile/index.ts';
import { describeCause, StoredDocumentError } from './errors.ts';
import { createMemoryRecordStore } from './memory.ts';
import { isHubMarkId, openPouchRecordStore } from './pouch.ts';
import type { RecordStore } from './store.ts';

/**
 * Where the record is being kept. In `memory` it lasts only as long as the page,
 * so the page must warn and offer "download my record".
 */
export type StorageState =
  | { mode: 'persistent' }
  | {
      mode: 'memory';
      /**
       * `unavailable`: the browser would not open storage; `damaged`: what is stored is not a record this site wrote;
       * `quota`: storage is full; `write-failed`: any other failed write.
       */
      reason: 'unavailable' | 'damaged' | 'quota' | 'write-failed';
      /** The underlying error, for the console or a bug report. */
      detail: string;
    };

/** The record, where it is kept, and notice when that changes. */
export interface LearnerRecord {
  readonly store: RecordStore;
  readonly storageState: StorageState;
  /** Calls `listener` when the record falls back to memory; returns the way to stop. */
  onStorageStateChange(listener: (state: StorageState) => void): () => void;
}

export interface LearnerRecordOptions {
  /** Opens the persistent store; tests replace it. Defaults to `openPouchRecordStore`. */
  openPersistent?: (name: string) => Promise<RecordStore>;
}

/** Opens the learner's record called `name`, falling back to memory when storage cannot be used. */
export async function openLearnerRecord(name: string, options: LearnerRecordOptions = {}): Promise<LearnerRecord> {
  const memory = createMemoryRecordStore();
  /** Ids of the statements the memory copy holds, so the feed can tell news from echoes. */
  const memoryHolds = new Set<string>();
  const stateListeners = new Set<(state: StorageState) => void>();
  let state: StorageState = { mode: 'persistent' };
  let persistent: RecordStore | undefined;
  let stopFeed = () => {};
  // Statements and profile saved in memory whose persistent write has not finished yet.
  const pendingStatements = new Map<string, Statement>();
  let pendingProfile: Profile | undefined;
  // Persistent writes and reloads run one at a time, so a reload never sees half a write.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  const fallBack = (reason: 'unavailable' | 'quota' | 'write-failed', error: unknown) => {
    const store = persistent;
    if (!store) return;
    persistent = undefined;
    stopFeed();
    state = { mode: 'memory', reason, detail: describeCause(error) };
    for (const listener of [...stateListeners]) listener(state);
    // Closing a store that has just failed may fail too; the memory copy already has everything.
    store.close().catch(() => undefined);
  };

  const writeFailed = (error: unknown) => fallBack(isQuotaError(error) ? 'quota' : 'write-failed', error);

  /** Refills memory from the persistent store (another tab may have written or erased). */
  const reload = async () => {
    if (!persistent) return;
    const [statements, profile] = await Promise.all([persistent.all(), persistent.getProfile()]);
    const merged = new Map(statements.map((statement) => [statement.id as string, statement]));
    for (const [id, statement] of pendingStatements) merged.set(id, statement);
    memory.replace([...merged.values()], pendingProfile ?? profile);
    memoryHolds.clear();
    for (const id of merged.keys()) memoryHolds.add(id);
  };

  /** Runs one write on the persistent store in turn; a failure moves the record to memory. */
  const writeThrough = (write: (store: RecordStore) => Promise<unknown>, settle: () => void = () => undefined) => {
    if (!persistent) return Promise.resolve();
    return enqueue(async () => {
      try {
        if (persistent) await write(persistent);
      } catch (error) {
        writeFailed(error);
      } finally {
        settle();
      }
    });
  };

  const persist = (statements: readonly Statement[]) => {
    if (persistent) for (const statement of statements) pendingStatements.set(statement.id as string, statement);
    return writeThrough(
      (store) => store.append(statements),
      () => statements.forEach((statement) => pendingStatements.delete(statement.id as string)),
    );
  };

  const persistProfile = (profile: Profile) => {
    if (persistent) pendingProfile = profile;
    return writeThrough(
      (store) => store.saveProfile(profile),
      () => {
        if (pendingProfile === profile) pendingProfile = undefined;
      },
    );
  };

  try {
    persistent = await (options.openPersistent ?? openPouchRecordStore)(name);
    await reload();
    stopFeed = persistent.subscribe((change) => {
      // Our own writes come back through the feed too; re-reading the whole record for
      // statements memory already holds would make every append slower as the record grows.
      // Hub marks are not statements: the sender reads them itself.
      if (change && !change.deleted && change.ids.every((id) => memoryHolds.has(id) || isHubMarkId(id))) return;
      enqueue(reload).catch((error: unknown) => fallBack('unavailable', error));
    });
  } catch (error) {
    // A store that could not be read is let go; closing it may fail too, and the state below says why.
    await persistent?.close().catch(() => undefined);
    persistent = undefined;
    state = { mode: 'memory', reason: error instanceof StoredDocumentError ? 'damaged' : 'unavailable', detail: describeCause(error) };
  }

  const store: RecordStore = {
    ...memory,
    async append(statements) {
      const result = await memory.append(statements);
      for (const statement of statements) memoryHolds.add(statement.id as string);
      await persist(statements);
      return result;
    },
    async saveProfile(profile) {
      await memory.saveProfile(profile);
      await persistProfile(profile);
    },
    async importRecord(file, fileName) {
      const report = await memory.importRecord(file, fileName);
      const all = await memory.all();
      for (const statement of all) memoryHolds.add(statement.id as string);
      // Idempotent by id, so writing the whole merged record persists exactly what the import added.
      if (report.added > 0) await persist(all);
      if (report.profileRestored) {
        const profile = await memory.getProfile();
        if (profile) await persistProfile(profile);
      }
      return report;
    },
    async erase() {
      await memory.erase();
      memoryHolds.clear();
      pendingStatements.clear();
      pendingProfile = undefined;
      // Unlike other writes, a failed erase is not covered by the memory copy: the record is
      // still on the device, so the learner must be told rather than the failure kept quiet.
      await enqueue(async () => {
        try {
          await persistent?.erase();
        } catch (error) {
          // What is still stored shows again, as it is still there.
          await reload().catch(() => undefined);
          throw error;
        }
      });
    },
    async close() {
      stopFeed();
      await queue;
      await persistent?.close();
      await memory.close();
    },
  };

  return {
    store,
    get storageState() {
      return state;
    },
    onStorageStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/** Whether an error (or what caused it) says storage is full; browsers and PouchDB word it differently. */
function isQuotaError(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (/quota/i.test(describeCause(current))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

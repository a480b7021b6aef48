/**
 * The outbox's state: which statements the hub acknowledged, which it refused and
 * why, and how far the record has been pulled from it. Kept in the learner's
 * record database beside the statements (so it survives a reload and a browser
 * restart, and an erase takes it with them), as documents of their own: one per
 * acknowledged batch and per refused statement, written once and never updated,
 * so two tabs never conflict; and the pull cursor, which only moves forwards.
 *
 * Only the hub's sender opens this, so a page of a learner without a hub never
 * loads it. When the browser will not store anything, the marks last as long as
 * the page: the hub accepts a statement it already holds, so sending again is safe.
 */
import { loadPouchDB, type PouchDatabase, type PouchDoc, type PouchError } from './pouch.ts';
import { pouchDatabaseExists } from './saved.ts';

/** A statement neither acknowledged nor refused is still waiting to be sent. */
export interface HubMarks {
  /** Ids of statements the hub has stored (or already held with the same content). */
  acknowledged: ReadonlySet<string>;
  /** Ids of statements the hub refused, with its reason; they are never sent again. */
  refused: ReadonlyMap<string, string>;
  /** The hub's `stored` time of the latest statement pulled from it, for the next pull's `since`. */
  pulledUntil: string | undefined;
}

/** What to add to the marks: they are never taken back. */
export interface HubMarkChange {
  acknowledged?: readonly string[];
  refused?: ReadonlyArray<{ id: string; reason: string }>;
  pulledUntil?: string;
}

/** The marks of the record called `name`. */
export interface HubMarksStore {
  read(): Promise<HubMarks>;
  /** @throws HubMarksError when storage refuses the write (the marks still hold for this page) */
  mark(change: HubMarkChange): Promise<void>;
  /** Calls `listener` when this or another tab adds marks, or erases the record; returns the way to stop. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Stored marks that are not ones this site wrote, or a write storage refused. */
export class HubMarksError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubMarksError';
  }
}

const pulledId = 'pulled';
const refusedPrefix = 'refused:';
const sentPrefix = 'sent:';

/** Opens the marks kept in the record called `name` (the learner's record is "learner"). */
export async function openHubMarks(name: string): Promise<HubMarksStore> {
  const acknowledged = new Set<string>();
  const refused = new Map<string, string>();
  let pulledUntil: string | undefined;
  const remember = (change: HubMarkChange) => {
    for (const id of change.acknowledged ?? []) acknowledged.add(id);
    for (const { id, reason } of change.refused ?? []) if (!refused.has(id)) refused.set(id, reason);
    if (change.pulledUntil !== undefined && (pulledUntil === undefined || change.pulledUntil > pulledUntil)) pulledUntil = change.pulledUntil;
  };

  let db: PouchDatabase | undefined;
  try {
    if (await pouchDatabaseExists(name)) {
      const PouchDB = await loadPouchDB();
      db = new PouchDB(name, { auto_compaction: true });
      await db.info();
    }
  } catch {
    // Storage will not open: the marks last as long as the page.
    db = undefined;
  }

  const listeners = new Set<() => void>();
  const tell = () => {
    for (const listener of [...listeners]) listener();
  };
  // The record's own channel (pouch.ts): marks written here reach other tabs as changes, and an erase
  // anywhere closes this connection, so a late mark can never bring an erased database back.
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`fh-record:${name}`) : undefined;
  (channel as { unref?: () => void } | undefined)?.unref?.();
  channel?.addEventListener('message', (event: MessageEvent<{ kind?: unknown; ids?: unknown }>) => {
    if (event.data?.kind === 'erased') {
      const closing = db;
      db = undefined;
      acknowledged.clear();
      refused.clear();
      pulledUntil = undefined;
      closing?.close().catch(() => undefined);
      tell();
    } else if (event.data?.kind === 'changed' && Array.isArray(event.data.ids) && event.data.ids.some((id) => typeof id === 'string' && isMark(id))) {
      tell();
    }
  });

  return {
    async read() {
      if (db) {
        const { rows } = await db.allDocs({ include_docs: true, startkey: pulledId, endkey: `${sentPrefix}\uffff` });
        for (const row of rows) if (row.doc) remember(markOf(row.doc));
      }
      return { acknowledged: new Set(acknowledged), refused: new Map(refused), pulledUntil };
    },
    async mark(change) {
      remember(change);
      const store = db;
      if (!store) return tell();
      const docs: PouchDoc[] = [];
      if (change.acknowledged?.length) docs.push({ _id: `${sentPrefix}${crypto.randomUUID()}`, kind: 'sent', ids: [...change.acknowledged] });
      for (const { id, reason } of change.refused ?? []) docs.push({ _id: `${refusedPrefix}${id}`, kind: 'refused', reason });
      const written: string[] = [];
      try {
        for (const result of docs.length > 0 ? await store.bulkDocs(docs) : []) {
          // 409: that refusal is already kept.
          if (result.ok && result.id) written.push(result.id);
          else if (result.status !== 409) throw new HubMarksError(`The mark ${result.id ?? ''} was not saved`, { cause: result });
        }
        if (change.pulledUntil !== undefined && (await movePullCursor(store, change.pulledUntil))) written.push(pulledId);
      } catch (cause) {
        throw cause instanceof HubMarksError ? cause : new HubMarksError('What the hub holds of your record was not saved in this browser', { cause });
      } finally {
        if (written.length > 0) channel?.postMessage({ kind: 'changed', ids: written });
        tell();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      channel?.close();
      // The database is not closed: PouchDB shares one IndexedDB connection among every handle on
      // the same name in a page, so closing this one would close the record's under it.
      db = undefined;
    },
  };
}

/** Whether a document id is a mark's. */
const isMark = (id: string) => id === pulledId || id.startsWith(refusedPrefix) || id.startsWith(sentPrefix);

/** What one stored mark document says, checked as anything read back from storage is. @throws HubMarksError */
function markOf(doc: PouchDoc): HubMarkChange {
  if (doc._id.startsWith(sentPrefix)) {
    const ids = doc['ids'];
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new HubMarksError(`The stored mark ${doc._id} has no list of statement ids`);
    return { acknowledged: ids };
  }
  if (doc._id.startsWith(refusedPrefix)) {
    const reason = doc['reason'];
    if (typeof reason !== 'string') throw new HubMarksError(`The stored mark ${doc._id} has no reason`);
    return { refused: [{ id: doc._id.slice(refusedPrefix.length), reason }] };
  }
  if (doc._id === pulledId && typeof doc['since'] === 'string') return { pulledUntil: doc['since'] };
  return {};
}

/** Moves the pull cursor to `since` unless it is already later; another tab may move it between read and write. */
async function movePullCursor(db: PouchDatabase, since: string): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const stored = await db.get(pulledId).catch((error: PouchError) => {
        if (error.status === 404) return undefined;
        throw new HubMarksError('The pull cursor could not be read', { cause: error });
      });
      if (typeof stored?.['since'] === 'string' && stored['since'] >= since) return false;
      await db.put({ _id: pulledId, ...(stored?._rev ? { _rev: stored._rev } : {}), kind: 'pulled', since });
      return true;
    } catch (error) {
      if ((error as PouchError).status === 409 && attempt < 3) continue;
      throw error;
    }
  }
}

/** A record kept in memory: for tests, and for when the browser will not store anything. */
import type { Statement } from '@xapi/xapi';
import type { Profile } from '../profile/index.ts';
import { checkStatements, recordStoreOver, type RecordStore, type StoreCore } from './store.ts';

/** A memory store that can also be refilled wholesale (when a persistent copy changed elsewhere). */
export interface MemoryRecordStore extends RecordStore {
  /** Replaces everything; listeners hear of it only if something differs. */
  replace(statements: readonly Statement[], profile: Profile | undefined): void;
}

/** A record that lives as long as the page. @throws InvalidStatementError for invalid initial statements */
export function createMemoryRecordStore(initial: { statements?: readonly Statement[]; profile?: Profile } = {}): MemoryRecordStore {
  const statements = new Map<string, Statement>();
  let profile = initial.profile;
  const listeners = new Set<() => void>();
  let notifying = false;
  // Several writes in one turn make one notice, as the PouchDB store's feed does.
  const changed = () => {
    if (notifying) return;
    notifying = true;
    queueMicrotask(() => {
      notifying = false;
      for (const listener of [...listeners]) listener();
    });
  };
  if (initial.statements) {
    checkStatements(initial.statements);
    for (const statement of initial.statements) statements.set(statement.id as string, structuredClone(statement));
  }
  const core: StoreCore = {
    async insert(batch) {
      let added = 0;
      for (const statement of batch) {
        const id = statement.id as string;
        if (statements.has(id)) continue;
        // A copy, so a caller changing its object later cannot change the record.
        statements.set(id, structuredClone(statement));
        added += 1;
      }
      if (added > 0) changed();
      return added;
    },
    async find(ids) {
      const found = new Map<string, Statement>();
      for (const id of ids) {
        const statement = statements.get(id);
        if (statement) found.set(id, structuredClone(statement));
      }
      return found;
    },
    async list() {
      return [...statements.values()].map((statement) => structuredClone(statement));
    },
    async readProfile() {
      return profile && { ...profile };
    },
    async writeProfile(next) {
      profile = { ...next };
      changed();
    },
    async clear() {
      statements.clear();
      profile = undefined;
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
  return {
    ...recordStoreOver(core),
    replace(next, nextProfile) {
      const sameIds = next.length === statements.size && next.every((statement) => statements.has(statement.id as string));
      const sameProfile = JSON.stringify(nextProfile) === JSON.stringify(profile);
      statements.clear();
      for (const statement of next) statements.set(statement.id as string, structuredClone(statement));
      profile = nextProfile && { ...nextProfile };
      if (!sameIds || !sameProfile) changed();
    },
  };
}

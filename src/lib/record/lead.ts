/**
 * The lead's own record on the lead page: the statements of every file handed
 * in, and each person's latest profile, kept in this browser apart from any
 * learner record, or in memory when the browser will not keep them.
 */
import { StoredDocumentError } from './errors.ts';
import { createMemoryRecordStore } from './memory.ts';
import { openPouchPeopleStore, openPouchRecordStore, type PeopleStore } from './pouch.ts';
import { leadRecordNames } from './saved.ts';
import type { StoredPerson } from './schema.ts';
import type { RecordStore } from './store.ts';

export interface LeadRecord {
  statements: RecordStore;
  people: PeopleStore;
  /** False when the browser would not keep the lead's data: it lasts only as long as the page. */
  persistent: boolean;
}

/** Opens the lead's record, in memory when the browser will not open storage (a private window, blocked storage). */
export async function openLeadRecord(): Promise<LeadRecord> {
  try {
    const [statements, people] = await Promise.all([openPouchRecordStore(leadRecordNames.statements), openPouchPeopleStore(leadRecordNames.people)]);
    return { statements, people, persistent: true };
  } catch (error) {
    if (error instanceof StoredDocumentError) throw error;
    return { statements: createMemoryRecordStore(), people: memoryPeopleStore(), persistent: false };
  }
}

function memoryPeopleStore(): PeopleStore {
  const people = new Map<string, StoredPerson>();
  return {
    all: () => Promise.resolve(new Map(people)),
    put(entries) {
      for (const [key, person] of entries) people.set(key, structuredClone(person));
      return Promise.resolve();
    },
    erase() {
      people.clear();
      return Promise.resolve();
    },
  };
}

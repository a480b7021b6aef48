/**
 * Whether a record is saved in this browser, asked of IndexedDB without loading
 * PouchDB, so a page can decide whether to open its record at all.
 */

/** The lead's record: statements apart from any learner record in the same browser, and one document per person. */
export const leadRecordNames = { statements: 'lead-imports', people: 'lead-imports-people' } as const;

/** Whether IndexedDB holds PouchDB's database for the record called `name`; true when the browser cannot say. */
export async function pouchDatabaseExists(name: string): Promise<boolean> {
  const list = await globalThis.indexedDB?.databases?.().catch(() => undefined);
  return list ? list.some((database) => database.name === `_pouch_${name}`) : true;
}

/** Whether this browser holds imports the lead saved earlier; true when it cannot say. */
export function leadRecordSaved(): Promise<boolean> {
  return pouchDatabaseExists(leadRecordNames.statements);
}

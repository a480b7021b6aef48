/** The small part of PouchDB's API the record uses; pouchdb-browser ships no types. */
declare module 'pouchdb-browser' {
  interface PouchError {
    status?: number;
    name?: string;
    message?: string;
    reason?: string;
    error?: boolean | string;
  }
  interface PouchDoc {
    _id: string;
    _rev?: string;
    _deleted?: boolean;
    [key: string]: unknown;
  }
  interface BulkResult extends PouchError {
    id?: string;
    ok?: boolean;
    rev?: string;
  }
  interface AllDocsRow {
    id?: string;
    key: string;
    value?: { rev: string; deleted?: boolean };
    doc?: PouchDoc | null;
    error?: string;
  }
  interface PouchDatabase {
    info(): Promise<{ doc_count: number; db_name: string; update_seq: number | string }>;
    get(id: string): Promise<PouchDoc>;
    put(doc: PouchDoc): Promise<{ ok: boolean; id: string; rev: string }>;
    bulkDocs(docs: PouchDoc[]): Promise<BulkResult[]>;
    allDocs(options: { include_docs?: boolean; keys?: string[]; startkey?: string; endkey?: string }): Promise<{ rows: AllDocsRow[] }>;
    compact(): Promise<unknown>;
    close(): Promise<void>;
    destroy(): Promise<unknown>;
  }
  const PouchDB: new (name: string, options?: { auto_compaction?: boolean }) => PouchDatabase;
  export default PouchDB;
  export type { PouchDatabase, PouchDoc, PouchError };
}

/** The small part of PouchDB's API the record uses; PouchDB's packages ship no types. */
declare module 'pouchdb-core' {
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
  interface PouchConstructor {
    new (name: string, options?: { auto_compaction?: boolean }): PouchDatabase;
    /** Adds an adapter or plugin; returns the same constructor. */
    plugin(plugin: PouchPlugin): PouchConstructor;
  }
  /** An adapter or plugin, opaque to the record. */
  type PouchPlugin = object;
  const PouchDB: PouchConstructor;
  export default PouchDB;
  export type { PouchConstructor, PouchDatabase, PouchDoc, PouchError, PouchPlugin };
}

declare module 'pouchdb-adapter-idb' {
  import type { PouchPlugin } from 'pouchdb-core';
  const idb: PouchPlugin;
  export default idb;
}

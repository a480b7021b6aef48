// PouchDB's IndexedDB adapter looks for IndexedDB on `self`; give Node a fake one before anything loads it.
(globalThis as { self?: unknown }).self = globalThis;
await import('fake-indexeddb/auto');

export {};

/**
 * The `RecordStore` interface and the behaviour every store shares (validation,
 * ordering, export, import, change notices), built over a small storage core.
 */
import type { Statement } from '@xapi/xapi';
import type { Profile } from '../profile/index.ts';
import { validateStatement } from '../xapi/index.ts';
import { InvalidStatementError } from './errors.ts';
import type { ImportReport } from './file.ts';
import type { RecordFile } from './schema.ts';

/** Which statements a query wants; both filters must match when both are given. */
export interface RecordQuery {
  /** The statement's object id. */
  activityId?: string;
  verbId?: string;
}

/** What an append did. */
export interface AppendResult {
  added: number;
  /** Statements whose id was already recorded; the recorded one is kept. */
  alreadyRecorded: number;
}

/** The learner's record: their statements and profile, on this device. */
export interface RecordStore {
  /** Records statements; appending one already recorded (same id) changes nothing. @throws InvalidStatementError */
  append(statements: readonly Statement[]): Promise<AppendResult>;
  /** Every statement, oldest first. */
  all(): Promise<Statement[]>;
  /** Statements about one activity and/or with one verb, oldest first. */
  query(query: RecordQuery): Promise<Statement[]>;
  /** Calls `listener` after any change, including from another tab; returns the way to stop. */
  subscribe(listener: (change?: RecordChange) => void): () => void;
  getProfile(): Promise<Profile | undefined>;
  saveProfile(profile: Profile): Promise<void>;
  /** The whole record as the downloadable file. */
  exportRecord(options: { siteUrl: string; now?: Date }): Promise<RecordFile>;
  /**
   * Merges a record file (its text, or parsed JSON) into this record: adds new
   * statements, keeps existing ones, reports bad ones one by one.
   * @throws RecordFileError naming `fileName` when the file as a whole is unusable.
   */
  importRecord(file: unknown, fileName: string): Promise<ImportReport>;
  /** Deletes every statement and the profile. The page asks first; this just does it. */
  erase(): Promise<void>;
  /** Lets go of the underlying storage. */
  close(): Promise<void>;
}

/** What a storage engine must do; everything else comes from `recordStoreOver`. */
export interface StoreCore {
  /** Stores statements not yet stored; an id already stored is left untouched. Returns how many were new. */
  insert(statements: readonly Statement[]): Promise<number>;
  /** The stored statements with these ids. */
  find(ids: readonly string[]): Promise<Map<string, Statement>>;
  list(): Promise<Statement[]>;
  readProfile(): Promise<Profile | undefined>;
  writeProfile(profile: Profile): Promise<void>;
  clear(): Promise<void>;
  subscribe(listener: (change?: RecordChange) => void): () => void;
  close(): Promise<void>;
}

/** Which documents a change touched, when the storage engine can tell. */
export interface RecordChange {
  /** Document ids: statement ids, or the profile's. */
  ids: string[];
  /** Whether any of them was deleted (an erase). */
  deleted: boolean;
}

/** Oldest first; ties (a quiz's answers and result share a moment) keep a stable order by id. */
export function byTime(a: Statement, b: Statement): number {
  const difference = Date.parse(a.timestamp ?? '') - Date.parse(b.timestamp ?? '');
  return difference || (a.id ?? '').localeCompare(b.id ?? '');
}

/** Checks statements before they are stored. @throws InvalidStatementError */
export function checkStatements(statements: readonly Statement[]): void {
  for (const statement of statements) {
    const validation = validateStatement(statement);
    if (!validation.ok) throw new InvalidStatementError(statement.id, validation.problems);
    if (statement.id === undefined) throw new InvalidStatementError(undefined, [{ field: 'id', reason: 'is missing: statements are stored by id' }]);
  }
}

/** A full `RecordStore` over a storage core. */
export function recordStoreOver(core: StoreCore): RecordStore {
  const matches = (query: RecordQuery) => (statement: Statement) =>
    (query.activityId === undefined || ('id' in statement.object && statement.object.id === query.activityId)) &&
    (query.verbId === undefined || statement.verb.id === query.verbId);
  return {
    async append(statements) {
      checkStatements(statements);
      const added = await core.insert(statements);
      return { added, alreadyRecorded: statements.length - added };
    },
    async all() {
      return (await core.list()).sort(byTime);
    },
    async query(query) {
      return (await core.list()).filter(matches(query)).sort(byTime);
    },
    subscribe: (listener) => core.subscribe(listener),
    getProfile: () => core.readProfile(),
    saveProfile: (profile) => core.writeProfile(profile),
    async exportRecord({ siteUrl, now = new Date() }) {
      // The record file's rules load when a file is made or read, not on every page that shows progress.
      const [statements, profile, { recordFileOf }] = await Promise.all([core.list(), core.readProfile(), import('./file.ts')]);
      return recordFileOf(statements.sort(byTime), profile ?? null, siteUrl, now);
    },
    async importRecord(file, fileName) {
      const { planImport, readRecordFile } = await import('./file.ts');
      const record = readRecordFile(file, fileName);
      const ids = record.statements.flatMap((statement) => {
        const id = typeof statement === 'object' && statement !== null ? (statement as { id?: unknown }).id : undefined;
        return typeof id === 'string' ? [id] : [];
      });
      const plan = planImport(record.statements, await core.find(ids));
      const added = plan.toAdd.length === 0 ? 0 : await core.insert(plan.toAdd);
      let profileRestored = false;
      if (record.profile && !(await core.readProfile())) {
        await core.writeProfile(record.profile);
        profileRestored = true;
      }
      // Another tab may have recorded the same statement meanwhile: it counts as already there.
      return { added, skipped: plan.skipped + plan.toAdd.length - added, problems: plan.problems, profileRestored, siteUrl: record.siteUrl };
    },
    erase: () => core.clear(),
    close: () => core.close(),
  };
}

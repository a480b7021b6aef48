/** Reading record files and deciding what an import adds, shared by every store. */
import { describeProblems, problemsOf } from '../problems/index.ts';
import type { Statement } from '@xapi/xapi';
import { calendarDayIn } from '../dates/index.ts';
import { canonicalStatement, STATEMENT_LIMITS, validateStatement } from '../xapi/index.ts';
import { RecordFileEmptyError, RecordFileFormatError, RecordFileNotJsonError, RecordFileTooLargeError, RecordFileVersionError } from './errors.ts';
import { recordFileFormat, recordFileSchema, recordFileVersion, type RecordFile } from './schema.ts';

/** Larger than any real record (10,000 statements are about 15 MB); stops a wrong file hanging the page. */
export const maxRecordFileSize = 50 * 1_048_576;

/** One statement of an imported file that was not added, and why. */
export interface ImportProblem {
  /** Position in the file's `statements`, from 0. */
  index: number;
  statementId?: string;
  field: string;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  /** Statements added to the record. */
  added: number;
  /** Statements already in the record (or repeated in the file), left as they were. */
  skipped: number;
  /** Statements not added, one entry per problem. */
  problems: ImportProblem[];
  /** Whether the file's profile became this device's profile (only when there was none). */
  profileRestored: boolean;
  /** The site the file was exported from; learning from another site does not count here. */
  siteUrl: string;
}

/**
 * Reads and checks a record file's outside: size, JSON, format, version and header.
 * @throws RecordFileError (one of its subclasses), naming the file.
 */
export function readRecordFile(input: unknown, fileName: string): RecordFile {
  let data = input;
  if (typeof input === 'string') {
    // Size first: JSON.parse of a huge text would hold the page before any other check.
    if (input.length > maxRecordFileSize) throw new RecordFileTooLargeError(fileName, input.length, maxRecordFileSize);
    if (/^\uFEFF?\s*$/.test(input)) throw new RecordFileEmptyError(fileName);
    try {
      data = JSON.parse(input);
    } catch {
      throw new RecordFileNotJsonError(fileName, input.startsWith('%PDF'));
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RecordFileFormatError(fileName, 'it is not a JSON object');
  const header = data as Record<string, unknown>;
  if (header.format !== recordFileFormat) throw new RecordFileFormatError(fileName, `its "format" is not "${recordFileFormat}"`);
  if (header.version !== recordFileVersion) throw new RecordFileVersionError(fileName, header.version, recordFileVersion);
  const { statements } = header;
  if (Array.isArray(statements) && statements.length > STATEMENT_LIMITS.maxStatementsPerFile) {
    throw new RecordFileFormatError(
      fileName,
      `it holds ${statements.length.toLocaleString('en-GB')} statements; a learning record holds at most ${STATEMENT_LIMITS.maxStatementsPerFile.toLocaleString('en-GB')}`,
    );
  }
  const result = recordFileSchema.safeParse(data);
  if (!result.success) {
    throw new RecordFileFormatError(fileName, describeProblems(problemsOf(result.error), 'file'));
  }
  return result.data;
}

/** Builds the record file for download. */
export function recordFileOf(statements: readonly Statement[], profile: RecordFile['profile'], siteUrl: string, now: Date): RecordFile {
  return { format: recordFileFormat, version: recordFileVersion, exportedAt: now.toISOString(), siteUrl, profile, statements: [...statements] };
}

/** The name of a downloaded record file, dated by the council's calendar day so it matches the dates on the pages. */
export function recordFileNameOf(now: Date, timeZone: string): string {
  return `learning-record-${calendarDayIn(now, timeZone)}.json`;
}

/**
 * Decides what an import adds: every statement is validated, merged by id, and
 * never overwrites one already recorded (as an LRS answers 409 Conflict). Two
 * statements in the file with one id and different content are both left out:
 * nothing is chosen between them.
 */
export function planImport(
  statements: readonly unknown[],
  existing: ReadonlyMap<string, Statement>,
): { toAdd: Statement[]; skipped: number; problems: ImportProblem[] } {
  const toAdd = new Map<string, { statement: Statement; index: number }>();
  const problems: ImportProblem[] = [];
  const clashing = new Set<string>();
  let skipped = 0;
  statements.forEach((candidate, index) => {
    const rawId = typeof candidate === 'object' && candidate !== null ? (candidate as { id?: unknown }).id : undefined;
    const statementId = typeof rawId === 'string' ? rawId : undefined;
    const located = statementId === undefined ? { index } : { index, statementId };
    const validation = validateStatement(candidate);
    if (!validation.ok) {
      problems.push(...validation.problems.map((problem) => ({ ...located, ...problem })));
      return;
    }
    const { statement } = validation;
    if (statement.id === undefined) {
      problems.push({ ...located, field: 'id', reason: 'is missing: a learning record keeps every statement by its id' });
      return;
    }
    const held = existing.get(statement.id);
    const earlier = toAdd.get(statement.id);
    if (held) {
      if (canonicalStatement(held) === canonicalStatement(statement)) skipped += 1;
      else problems.push({ ...located, field: 'id', reason: 'a different statement with this id is already recorded; the one already there is kept' });
    } else if (!earlier && !clashing.has(statement.id)) {
      toAdd.set(statement.id, { statement, index });
    } else if (earlier && canonicalStatement(earlier.statement) === canonicalStatement(statement)) {
      skipped += 1;
    } else {
      const reason = 'the file holds two different statements with this id, so neither was added';
      if (earlier) {
        problems.push({ index: earlier.index, statementId: statement.id, field: 'id', reason });
        toAdd.delete(statement.id);
        clashing.add(statement.id);
      }
      problems.push({ ...located, field: 'id', reason });
    }
  });
  return { toAdd: [...toAdd.values()].map((entry) => entry.statement), skipped, problems: problems.sort((a, b) => a.index - b.index) };
}

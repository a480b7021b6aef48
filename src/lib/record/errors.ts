/** Errors the learner record raises, each saying what went wrong and what to do. */
import type { StatementProblem } from '../xapi/index.ts';

/** A file offered for import cannot be read as a learning record; `fileName` says which. */
export class RecordFileError extends Error {
  readonly fileName: string;
  constructor(fileName: string, message: string) {
    super(message);
    this.name = 'RecordFileError';
    this.fileName = fileName;
  }
}

/** The file has nothing in it. */
export class RecordFileEmptyError extends RecordFileError {
  constructor(fileName: string) {
    super(fileName, `"${fileName}" is empty. Choose the .json file you saved with "Download my record".`);
    this.name = 'RecordFileEmptyError';
  }
}

/** The file is not JSON, or was cut short. */
export class RecordFileNotJsonError extends RecordFileError {
  constructor(fileName: string, looksLikePdf: boolean) {
    super(
      fileName,
      looksLikePdf
        ? `"${fileName}" is a PDF, not a learning record. Choose the .json file you saved with "Download my record".`
        : `"${fileName}" cannot be read: it is not a learning record file, or it was cut short while copying. Choose the .json file you saved with "Download my record".`,
    );
    this.name = 'RecordFileNotJsonError';
  }
}

/** The file is JSON but not one of our record files, or its header is damaged. */
export class RecordFileFormatError extends RecordFileError {
  /** What is wrong, without the file name. @example 'its "format" is not "fh-learning-record"' */
  readonly detail: string;
  constructor(fileName: string, detail: string) {
    super(fileName, `"${fileName}" is not a learning record from this site (${detail}). Choose the .json file you saved with "Download my record".`);
    this.name = 'RecordFileFormatError';
    this.detail = detail;
  }
}

/** The file is a record in a format version this site does not read. */
export class RecordFileVersionError extends RecordFileError {
  readonly version: unknown;
  constructor(fileName: string, version: unknown, supported: number) {
    super(
      fileName,
      typeof version === 'number' && version > supported
        ? `"${fileName}" was saved by a newer version of this site (record format ${version}); this site reads format ${supported}. Open it on the site it came from, or ask for the site to be updated.`
        : `"${fileName}" has record format ${JSON.stringify(version)}, which this site cannot read; it reads format ${supported}.`,
    );
    this.name = 'RecordFileVersionError';
    this.version = version;
  }
}

/** The file is larger than any real learning record. */
export class RecordFileTooLargeError extends RecordFileError {
  constructor(fileName: string, size: number, limit: number) {
    super(
      fileName,
      `"${fileName}" is too large to be a learning record (${Math.ceil(size / 1_048_576)} MB; the limit is ${limit / 1_048_576} MB). Check you chose the right file.`,
    );
    this.name = 'RecordFileTooLargeError';
  }
}

/** Code tried to record a statement that is not valid xAPI: a bug in the page, not the learner's doing. */
export class InvalidStatementError extends Error {
  readonly statementId: string | undefined;
  readonly problems: StatementProblem[];
  constructor(statementId: string | undefined, problems: StatementProblem[]) {
    super(
      `Statement ${statementId ?? '(no id)'} was not recorded because it is not valid xAPI: ` +
        problems.map((problem) => `${problem.field || 'statement'} ${problem.reason}`).join('; '),
    );
    this.name = 'InvalidStatementError';
    this.statementId = statementId;
    this.problems = problems;
  }
}

/** The browser would not open its database (private window, blocked storage). */
export class StorageUnavailableError extends Error {
  constructor(name: string, options: { cause: unknown }) {
    super(`The learning record "${name}" cannot be kept on this device: the browser would not open its storage (${describeCause(options.cause)}).`, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A write to the browser's database failed (often: storage full). */
export class RecordWriteError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(`Could not save ${what} on this device (${describeCause(options.cause)}).`, options);
    this.name = 'RecordWriteError';
  }
}

/** The browser would not delete a record's database; what it held is still on the device. */
export class RecordEraseError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(
      `${what} could not be erased from this browser (${describeCause(options.cause)}). Close any other tabs showing this site and try again. If that does not work, clear this site's data in your browser's settings.`,
      options,
    );
    this.name = 'RecordEraseError';
  }
}

/** A stored document is not one the record wrote: the database was changed by something else. */
export class StoredDocumentError extends Error {
  /** `remedy`: what the person can do; by default, what a learner does with their own record. */
  constructor(id: string, detail: string, remedy = 'Download your record, then erase and import it to repair it.') {
    super(`The stored document "${id}" is not a learning record entry (${detail}). ${remedy}`);
    this.name = 'StoredDocumentError';
  }
}

/** A short, readable account of an underlying error. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  if (typeof cause === 'object' && cause !== null) {
    const { name, message, reason, status } = cause as Record<string, unknown>;
    return [name, message ?? reason, typeof status === 'number' || typeof status === 'string' ? `status ${status}` : undefined].filter(Boolean).join(': ');
  }
  return String(cause);
}

/** The learner record: statements and profile on this device, export, import and erase. */
export { openLearnerRecord, type LearnerRecord, type LearnerRecordOptions, type StorageState } from './learner-record.ts';
export { destroyPouchDatabase, openPouchRecordStore, type PeopleStore } from './pouch.ts';
export { openLeadRecord, type LeadRecord } from './lead.ts';
export { leadRecordSaved } from './saved.ts';
export { createMemoryRecordStore, type MemoryRecordStore } from './memory.ts';
export type { AppendResult, RecordChange, RecordQuery, RecordStore } from './store.ts';
export { maxRecordFileSize, readRecordFile, recordFileNameOf, type ImportProblem, type ImportReport } from './file.ts';
export { recordFileFormat, recordFileSchema, recordFileVersion, type RecordFile, type StoredPerson } from './schema.ts';
export {
  InvalidStatementError,
  RecordEraseError,
  RecordFileEmptyError,
  RecordFileError,
  RecordFileFormatError,
  RecordFileNotJsonError,
  RecordFileTooLargeError,
  RecordFileVersionError,
  RecordWriteError,
  StorageUnavailableError,
  StoredDocumentError,
} from './errors.ts';
export { moveStatements, nameBasedUuid } from './move.ts';

/** The lead's view: staff from handed-in files, the completion matrix, its summaries and CSV. */
export { toCsv, csvCell } from './csv.ts';
export {
  actorKeyOf,
  isNewerSighting,
  latestProfiles,
  profileKeyOf,
  staffOf,
  statementActorKey,
  type ProfileSighting,
  type StaffList,
  type StaffMember,
} from './staff.ts';
export {
  completionMatrix,
  matrixRowOf,
  requirementsOf,
  unknownRoleRow,
  type CellStatus,
  type CompletionMatrix,
  type CompletionMatrixInput,
  type MatrixCell,
  type MatrixPerson,
  type MatrixRow,
  type Requirement,
  type StaffStatus,
} from './matrix.ts';
export {
  attendanceWords,
  cellStatusLabels,
  cellText,
  collator,
  filterChoices,
  filterRows,
  pageLinks,
  personHeadings,
  requirementHeadings,
  sortRanksOf,
  sortRows,
  sortedPositions,
  staffStatusLabels,
  summarise,
  summaryFigures,
  summaryHeadings,
  type MatrixFilter,
  type MatrixSort,
  type MatrixSummary,
  type PageLink,
  type SortColumn,
  type SortRanks,
  type SummaryRow,
} from './view.ts';
export { matrixCsv, summaryCsv } from './export.ts';
export { describeConflicts, mergeHandedIn, type FileMerge, type HandedInStatements, type HeldStatements, type StatementConflict } from './merge.ts';

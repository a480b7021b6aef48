/** The matrix and its summaries as CSV files, through the one CSV writer. */
import { toCsv } from './csv.ts';
import type { CompletionMatrix, MatrixRow } from './matrix.ts';
import { cellText, personHeadings, requirementHeadings, staffStatusLabels, summaryFigures, summaryHeadings, type MatrixSummary } from './view.ts';

/** The matrix (the rows given, in their order) as CSV, dates as ISO days so spreadsheets can sort them. */
export function matrixCsv(matrix: Pick<CompletionMatrix, 'requirements'>, rows: readonly MatrixRow[]): string {
  return toCsv([
    [...Object.values(personHeadings), ...requirementHeadings(matrix)],
    ...rows.map((row) => [row.name, row.organisation, row.district, row.role, staffStatusLabels[row.status], ...row.cells.map((cell) => cellText(cell))]),
  ]);
}

/** Summaries (per organisation, per role…) as one CSV, each group labelled with what it is grouped by. */
export function summaryCsv(summaries: readonly MatrixSummary[]): string {
  const byLabel = { organisation: 'Organisation', role: 'Role' } as const;
  return toCsv([
    ['Grouped by', 'Group', ...summaryHeadings],
    ...summaries.flatMap((summary) => [...summary.groups, summary.total].map((row) => [byLabel[summary.by], row.group, ...summaryFigures(row)])),
  ]);
}

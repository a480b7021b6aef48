/**
 * What the lead does with a matrix once derived: filter, sort, summarise and
 * put into words. Kept apart from the derivation so the page can load it
 * without the progress rules.
 */
import { countsAsValid } from '../progress/valid.ts';
import type { CellStatus, CompletionMatrix, MatrixCell, MatrixRow, StaffStatus } from './matrix.ts';

/** Compares names and places as people read them ("zoë" beside "Zoe", "Unit 2" before "Unit 10"). */
export const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

/** Words for a cell's status; the page shows them as text, never as colour alone. */
export const cellStatusLabels: Record<CellStatus, string> = {
  completed: 'Completed',
  due: 'Due for renewal',
  expired: 'Expired',
  missing: 'Missing',
  'not-required': 'Not required',
};

/** Words for a person's overall status. */
export const staffStatusLabels: Record<StaffStatus, string> = {
  completed: 'Completed',
  due: 'Due for renewal',
  expired: 'Expired',
  incomplete: 'Incomplete',
};

/**
 * A cell in words, with dates written by `formatDay` (default: as given, "2026-03-04").
 * @example "Completed 4 March 2026", "Due for renewal by 2 April 2026", "Missing"
 */
export function cellText(cell: MatrixCell, formatDay: (day: string) => string = (day) => day): string {
  const label = cellStatusLabels[cell.status];
  const how = cell.attendance ? ` (${attendanceWords[cell.attendance]})` : '';
  if (cell.status === 'completed' && cell.completedAt) return `${label} ${formatDay(cell.completedAt)}${how}`;
  if (cell.status === 'due' && cell.renewalDate) return `${label} by ${formatDay(cell.renewalDate)}${how}`;
  if (cell.status === 'expired' && cell.renewalDate) return `${label} ${formatDay(cell.renewalDate)}${how}`;
  return label;
}

/** How a webinar's completion is known, as the lead reads it: the learner's word, or the recording watched. */
export const attendanceWords = { 'self-declared': 'attendance self-declared', recording: 'watched the recording' } as const;

/** Which rows to show; an empty or missing field shows everyone. */
export interface MatrixFilter {
  organisation?: string;
  district?: string;
  role?: string;
  status?: StaffStatus | '';
}

/** Whether a row matches every filter given. */
export function matchesFilter(row: MatrixRow, filter: MatrixFilter): boolean {
  const wanted = (value: string, chosen: string | undefined) => !chosen || value === chosen;
  return (
    wanted(row.organisation, filter.organisation) && wanted(row.district, filter.district) && wanted(row.role, filter.role) && wanted(row.status, filter.status)
  );
}

/** The rows that match every filter given. */
export function filterRows(rows: readonly MatrixRow[], filter: MatrixFilter): MatrixRow[] {
  return rows.filter((row) => matchesFilter(row, filter));
}

/** The values a filter can take: each distinct value in the rows, sorted. */
export function filterChoices(rows: readonly MatrixRow[], field: 'organisation' | 'district' | 'role'): string[] {
  return [...new Set(rows.map((row) => row[field]).filter((value) => value !== ''))].sort(collator.compare);
}

/** A column to sort by: a person's detail, their overall status, or a requirement's id. */
export type SortColumn = 'name' | 'organisation' | 'district' | 'role' | 'status' | { itemId: string };

export interface MatrixSort {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

// Ascending puts what needs action first: nothing done, then lapsed, then soon due, then fine.
const cellRank: Record<CellStatus, number> = { missing: 0, expired: 1, due: 2, completed: 3, 'not-required': 4 };
const staffRank: Record<StaffStatus, number> = { incomplete: 0, expired: 1, due: 2, completed: 3 };

/**
 * Where each row stands, by position in `rows`, in each text column's order: what
 * sorting needs from the collator, worked out once per matrix (the lead page does
 * it in its worker), so a later sort compares whole numbers only.
 */
export interface SortRanks {
  /** Rows whose values the collator counts as equal share a rank. */
  name: Int32Array;
  organisation: Int32Array;
  district: Int32Array;
  role: Int32Array;
  /** By name, then key, whichever way the sort goes: no two rows share a rank. */
  tieBreak: Int32Array;
}

function textRanks(rows: readonly MatrixRow[], field: 'name' | 'organisation' | 'district' | 'role'): Int32Array {
  const values = [...new Set(rows.map((row) => row[field]))].sort(collator.compare);
  const rankOf = new Map<string, number>();
  values.forEach((value, index) => {
    const previous = values[index - 1];
    rankOf.set(value, previous !== undefined && collator.compare(previous, value) === 0 ? (rankOf.get(previous) as number) : index);
  });
  return Int32Array.from(rows, (row) => rankOf.get(row[field]) as number);
}

/** The ranks `sortRows` sorts by, for these rows in this order. */
export function sortRanksOf(rows: readonly MatrixRow[]): SortRanks {
  const byName = rows.map((_, index) => index).sort((a, b) => collator.compare(rows[a]!.name, rows[b]!.name) || rows[a]!.key.localeCompare(rows[b]!.key));
  const tieBreak = new Int32Array(rows.length);
  byName.forEach((row, rank) => (tieBreak[row] = rank));
  return {
    name: textRanks(rows, 'name'),
    organisation: textRanks(rows, 'organisation'),
    district: textRanks(rows, 'district'),
    role: textRanks(rows, 'role'),
    tieBreak,
  };
}

/**
 * The positions of `rows` sorted by one column; ties keep name order, so the result
 * is stable whatever came before. Only `positions` are sorted (all rows when not
 * given); `ranks` come from `sortRanksOf(rows)`.
 */
export function sortedPositions(
  rows: readonly MatrixRow[],
  sort: MatrixSort,
  requirementIds: readonly string[],
  ranks: SortRanks,
  positions: readonly number[] = rows.map((_, index) => index),
): number[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const { column } = sort;
  let compare: (a: number, b: number) => number;
  if (typeof column === 'object') {
    const index = requirementIds.indexOf(column.itemId);
    if (index < 0) throw new RangeError(`There is no requirement column "${column.itemId}" to sort by.`);
    const cell = (row: number) => rows[row]!.cells[index] as MatrixCell;
    // Within a status, the date that matters: when it lapses (or lapsed), else when it was done.
    const date = (row: number) => cell(row).renewalDate ?? cell(row).completedAt ?? '';
    compare = (a, b) => cellRank[cell(a).status] - cellRank[cell(b).status] || (date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : 0);
  } else if (column === 'status') {
    compare = (a, b) => staffRank[rows[a]!.status] - staffRank[rows[b]!.status];
  } else {
    const rank = ranks[column];
    compare = (a, b) => rank[a]! - rank[b]!;
  }
  return [...positions].sort((a, b) => sign * compare(a, b) || ranks.tieBreak[a]! - ranks.tieBreak[b]!);
}

/** Sorts rows by one column; ties keep name order, so the result is stable whatever came before. */
export function sortRows(rows: readonly MatrixRow[], sort: MatrixSort, requirementIds: readonly string[]): MatrixRow[] {
  return sortedPositions(rows, sort, requirementIds, sortRanksOf(rows)).map((index) => rows[index] as MatrixRow);
}

/** How one group of staff stands. */
export interface SummaryRow {
  /** The organisation or role, or "All staff" for the total. */
  group: string;
  staff: number;
  /** People meeting every requirement of their role now (completed or due). */
  completed: number;
  /** `completed` as a whole percentage of `staff`. */
  completedPercent: number;
  /** People with at least one requirement due for renewal within the next 30 days. */
  dueSoon: number;
  /** People with at least one requirement expired. */
  expired: number;
}

export interface MatrixSummary {
  by: 'organisation' | 'role';
  groups: SummaryRow[];
  total: SummaryRow;
}

function summaryRowOf(group: string, rows: readonly MatrixRow[]): SummaryRow {
  const completed = rows.filter((row) => countsAsValid(row.status)).length;
  return {
    group,
    staff: rows.length,
    completed,
    completedPercent: rows.length === 0 ? 0 : Math.round((completed / rows.length) * 100),
    dueSoon: rows.filter((row) => row.cells.some((cell) => cell.status === 'due')).length,
    expired: rows.filter((row) => row.cells.some((cell) => cell.status === 'expired')).length,
  };
}

/** The summary per organisation or per role, groups in alphabetical order, with a total. */
export function summarise(rows: readonly MatrixRow[], by: 'organisation' | 'role'): MatrixSummary {
  const groups = new Map<string, MatrixRow[]>();
  for (const row of rows) {
    const list = groups.get(row[by]);
    if (list) list.push(row);
    else groups.set(row[by], [row]);
  }
  return {
    by,
    groups: [...groups.keys()].sort(collator.compare).map((group) => summaryRowOf(group, groups.get(group) ?? [])),
    total: summaryRowOf('All staff', rows),
  };
}

/** Headings of the summary's columns, shared by the page and the CSV. */
export const summaryHeadings = ['Staff', 'Completed', 'Completed (%)', 'Due in the next 30 days', 'Expired'] as const;

/** A summary row's figures, in `summaryHeadings` order. */
export function summaryFigures(row: SummaryRow): number[] {
  return [row.staff, row.completed, row.completedPercent, row.dueSoon, row.expired];
}

/** Headings of the matrix's person columns, before one column per requirement. */
export const personHeadings = { name: 'Name', organisation: 'Organisation', district: 'District', role: 'Role', status: 'Overall' } as const;

/** The requirement titles for the matrix's column headings. */
export function requirementHeadings(matrix: Pick<CompletionMatrix, 'requirements'>): string[] {
  return matrix.requirements.map((requirement) => requirement.title);
}

/** One entry in a row of page links: a page number (from 1), or a gap where numbers are left out. */
export type PageLink = number | 'gap';

/**
 * The page numbers to offer, as GOV.UK pagination does: the first, the last,
 * and those next to the current page, with a gap wherever numbers are left
 * out. A gap never hides a single number: that number is shown instead.
 */
export function pageLinks(current: number, pageCount: number): PageLink[] {
  if (pageCount < 1) return [];
  if (!Number.isInteger(current) || current < 1 || current > pageCount) throw new RangeError(`There is no page ${current} of ${pageCount}.`);
  const shown = new Set([1, current - 1, current, current + 1, pageCount].filter((page) => page >= 1 && page <= pageCount));
  const links: PageLink[] = [];
  let previous = 0;
  for (const page of [...shown].sort((a, b) => a - b)) {
    if (page - previous === 2) links.push(previous + 1);
    else if (page - previous > 2) links.push('gap');
    links.push(page);
    previous = page;
  }
  return links;
}

/**
 * The completion matrix as table rows, for both lead views: the one built from
 * handed-in files and the live one from the hub. Names and places are data,
 * never markup: every one is escaped.
 */
import {
  attendanceWords,
  cellStatusLabels,
  staffStatusLabels,
  type CellStatus,
  type MatrixCell,
  type MatrixRow,
  type StaffStatus,
} from '../lib/report/index.ts';
import { pageLinks } from '../lib/report/index.ts';
import { formatShortDay } from '../lib/dates/index.ts';

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export const tagClass: Record<CellStatus | StaffStatus, string> = {
  completed: 'tag--completed',
  due: 'tag--due',
  expired: 'tag--expired',
  missing: 'tag--missing',
  incomplete: 'tag--missing',
  'not-required': '',
};

/** One requirement's cell: its status, with the day it was done, is due by, or expired (days are the council's calendar days). */
export function cellHtml(cell: MatrixCell): string {
  if (cell.status === 'not-required') return '<td class="lead-none">Not required</td>';
  const tag = `<span class="tag ${tagClass[cell.status]}">${cellStatusLabels[cell.status]}</span>`;
  let date = '';
  if (cell.status === 'completed' && cell.completedAt) date = formatShortDay(cell.completedAt);
  else if (cell.status === 'due' && cell.renewalDate) date = `by ${formatShortDay(cell.renewalDate)}`;
  else if (cell.status === 'expired' && cell.renewalDate) date = formatShortDay(cell.renewalDate);
  // A webinar: whether attendance was self-declared or the recording watched.
  if (date && cell.attendance) date += ` (${attendanceWords[cell.attendance]})`;
  return date ? `<td>${tag} <span class="lead-date">${date}</span></td>` : `<td>${tag}</td>`;
}

/** One person's row: name as the row header, then organisation, district, role, overall status and a cell per requirement. */
export function rowHtml(row: MatrixRow): string {
  const district = row.district ? escapeHtml(row.district) : '<span class="lead-none">Not given</span>';
  return `<tr><th scope="row">${escapeHtml(row.name)}</th><td>${escapeHtml(row.organisation)}</td><td>${district}</td><td>${escapeHtml(row.role)}</td><td><span class="tag ${tagClass[row.status]}">${staffStatusLabels[row.status]}</span></td>${row.cells.map(cellHtml).join('')}</tr>`;
}

/** The numbered page buttons, with gaps, the current page marked. */
export function pageButtonsHtml(current: number, pages: number): string {
  return pageLinks(current, pages)
    .map((link) =>
      link === 'gap'
        ? '<li class="lead-pagination__gap" aria-hidden="true">…</li>'
        : `<li><button type="button" class="lead-pagination__page" data-page="${link}" aria-label="Page ${link}"${link === current ? ' aria-current="page"' : ''}>${link}</button></li>`,
    )
    .join('');
}

/**
 * Rows put in a table in one task while it changes. A page of 100 people put in
 * at once is laid out and painted in one go, a task well over 50 ms on a slow
 * computer; 10 at a time, a frame each, keeps every task short.
 */
export const rowsPerTask = 10;

/** Runs `work` in a task of its own once the next frame is painted; at once in a hidden tab, which paints nothing. */
export function afterNextPaint(work: () => void): void {
  if (document.visibilityState === 'hidden') setTimeout(work);
  else requestAnimationFrame(() => setTimeout(work));
}

/**
 * Puts rows in a table a few at a time, one task per frame. Each batch is a row
 * group of its own and takes the place of the group that was there, so the table
 * keeps its height and the page does not jump while a page of it changes. The
 * first batch goes in at once; a newer `replace` stops what an older one still
 * had to do.
 */
export class BatchedRows {
  readonly #table: HTMLTableElement;
  readonly #perTask: number;
  #generation = 0;

  constructor(table: HTMLTableElement, perTask = rowsPerTask) {
    this.#table = table;
    this.#perTask = perTask;
  }

  /** Replaces the table's rows with `rows` (each a `<tr>` as HTML). Resolves true once all are in, false if a newer call took over. */
  replace(rows: readonly string[], progress?: (done: number) => void, perTask = this.#perTask): Promise<boolean> {
    const current = (this.#generation += 1);
    const groups = Math.max(1, Math.ceil(rows.length / perTask));
    return new Promise((resolve) => {
      const step = (group: number) => {
        if (current !== this.#generation) {
          resolve(false);
          return;
        }
        const body = this.#table.tBodies[group] ?? this.#table.appendChild(document.createElement('tbody'));
        body.innerHTML = rows.slice(group * perTask, (group + 1) * perTask).join('');
        if (group + 1 < groups) {
          progress?.((group + 1) * perTask);
          afterNextPaint(() => step(group + 1));
          return;
        }
        for (const extra of [...this.#table.tBodies].slice(groups)) extra.remove();
        resolve(true);
      };
      step(0);
    });
  }
}

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

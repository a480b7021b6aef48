/**
 * The lead page's table and reports as HTML, from the matrix the worker sends:
 * pure functions of their input, so the page script only wires them to the page.
 * Every name, place and file name is escaped: they are data, never markup.
 */
import { personHeadings, summaryFigures, summaryHeadings, type CompletionMatrix, type MatrixSummary } from '../../lib/report/index.ts';
import type { FileOutcome } from './_protocol.ts';

import { escapeHtml, pageButtonsHtml, rowHtml } from '../../browser/matrix-table.ts';

export { escapeHtml, pageButtonsHtml, rowHtml };

const refusalLabels: Record<FileOutcome['status'], string> = {
  imported: 'Imported',
  duplicate: 'Already imported',
  conflict: 'Conflicting statements',
  'not-ours': 'Not from this site',
  edited: 'Edited after it was made',
  unreadable: 'Cannot be read',
  'too-big': 'Too big',
};

/** "3 files", "1 file". */
export const count = (value: number, one: string, many = `${one}s`) => `${value.toLocaleString('en-GB')} ${value === 1 ? one : many}`;

function fileListHtml(outcomes: readonly FileOutcome[], withLabel: boolean): string {
  return `<ul class="lead-files-list">${outcomes
    .map(
      (outcome) =>
        `<li><strong>${escapeHtml(outcome.fileName)}</strong>: ${withLabel ? `${refusalLabels[outcome.status]}. ` : ''}${escapeHtml(outcome.message)}</li>`,
    )
    .join('')}</ul>`;
}

/** What became of each file, refusals first; long lists of files that went in fold away. */
export function filesReportHtml(outcomes: readonly FileOutcome[]): string {
  const refused = outcomes.filter((outcome) => outcome.status !== 'imported' && outcome.status !== 'duplicate' && outcome.status !== 'conflict');
  const conflicts = outcomes.filter((outcome) => outcome.status === 'conflict');
  const duplicates = outcomes.filter((outcome) => outcome.status === 'duplicate');
  const imported = outcomes.filter((outcome) => outcome.status === 'imported');
  const parts: string[] = [];
  if (conflicts.length > 0) parts.push(`<h3>${count(conflicts.length, 'file')} with conflicting statements</h3>`, fileListHtml(conflicts, true));
  if (refused.length > 0) parts.push(`<h3>${count(refused.length, 'file')} not imported</h3>`, fileListHtml(refused, true));
  // Long lists fold away; a short one stays open so the lead sees each file at a glance.
  const fold = (title: string, list: readonly FileOutcome[]) =>
    `<details${list.length <= 20 ? ' open' : ''}><summary>${title}</summary>${fileListHtml(list, false)}</details>`;
  if (duplicates.length > 0) parts.push(fold(`${count(duplicates.length, 'file')} already imported`, duplicates));
  if (imported.length > 0) parts.push(fold(`${count(imported.length, 'file')} imported`, imported));
  return parts.join('');
}

/** The header cells: the person columns, then one per requirement; each heading is a sort button. */
export function headHtml(requirements: CompletionMatrix['requirements']): string {
  const headings: Array<[string, string]> = [
    ...Object.entries(personHeadings),
    ...requirements.map((requirement): [string, string] => [`item:${requirement.id}`, requirement.title]),
  ];
  return headings.map(([key, title]) => `<th scope="col"><button type="button" data-column="${escapeHtml(key)}">${escapeHtml(title)}</button></th>`).join('');
}

/** A summary table's header row and body rows (each group, then the total). */
export function summaryHtml(summary: MatrixSummary): { head: string; body: string } {
  const label = summary.by === 'organisation' ? 'Organisation' : 'Role';
  return {
    head: `<tr><th scope="col">${label}</th>${summaryHeadings.map((heading) => `<th scope="col">${heading}</th>`).join('')}</tr>`,
    body: [...summary.groups, summary.total]
      .map(
        (row) =>
          `<tr><th scope="row">${escapeHtml(row.group)}</th>${summaryFigures(row)
            .map((figure) => `<td>${figure}</td>`)
            .join('')}</tr>`,
      )
      .join(''),
  };
}

/** Which rows the table holds, in words. */
export function shownText(shown: { matching: number; total: number; page: number; pageSize: number; showingAll: boolean }): string {
  const { matching, total, page, pageSize, showingAll } = shown;
  const people = (value: number) => count(value, 'person', 'people');
  const ofAll = matching !== total ? ` (${total.toLocaleString('en-GB')} in all)` : '';
  if (matching <= pageSize) return matching === total ? `Showing all ${people(total)}.` : `Showing ${people(matching)} of ${total.toLocaleString('en-GB')}.`;
  if (showingAll) return `Showing all ${people(matching)}${ofAll}.`;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, matching);
  return `Showing people ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${matching.toLocaleString('en-GB')}${ofAll}.`;
}

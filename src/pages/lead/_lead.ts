/**
 * The lead page in the browser: hands dropped files to the import worker and
 * shows what comes back — per-file results, the completion matrix (sortable,
 * filterable), the summaries and CSV downloads. PouchDB and pdf-lib live in
 * the worker, which starts only when there is something to read.
 */
import {
  cellStatusLabels,
  filterChoices,
  filterRows,
  matrixCsv,
  pageLinks,
  personHeadings,
  sortRows,
  staffStatusLabels,
  summarise,
  summaryCsv,
  summaryFigures,
  summaryHeadings,
  type CellStatus,
  type CompletionMatrix,
  type MatrixCell,
  type MatrixFilter,
  type MatrixRow,
  type MatrixSort,
  type MatrixSummary,
  type StaffStatus,
} from '../../lib/report/index.ts';
import { downloadFile } from '../../browser/download.ts';
import { calendarDayIn, formatShortDate, formatShortDay } from '../../lib/dates/index.ts';
import { acceptDroppedFiles } from '../../browser/drop-zone.ts';
import { parseCourseFacts } from '../../lib/content/facts.ts';
import { leadRecordSaved } from '../../lib/record/saved.ts';
import type { FileOutcome, FromWorker, ToWorker } from './_protocol.ts';

/** People on one page of the table: few enough that showing a page is one short task. */
const pageSize = 100;
/** When the lead chooses to show everyone, rows are added in batches this size, one task each. */
const batchRows = 100;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const element = <T extends HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The lead page has no #${id}`);
  return found as T;
};

/** A cell's day, which the matrix gives in the council's time zone: "2026-03-04" → "4 Mar 2026". */
const formatDay = formatShortDay;

const tagClass: Record<CellStatus | StaffStatus, string> = {
  completed: 'tag--completed',
  due: 'tag--due',
  expired: 'tag--expired',
  missing: 'tag--missing',
  incomplete: 'tag--missing',
  'not-required': '',
};

function cellHtml(cell: MatrixCell): string {
  if (cell.status === 'not-required') return '<td class="lead-none">Not required</td>';
  const tag = `<span class="tag ${tagClass[cell.status]}">${cellStatusLabels[cell.status]}</span>`;
  let date = '';
  if (cell.status === 'completed' && cell.completedAt) date = formatDay(cell.completedAt);
  else if (cell.status === 'due' && cell.renewalDate) date = `by ${formatDay(cell.renewalDate)}`;
  else if (cell.status === 'expired' && cell.renewalDate) date = formatDay(cell.renewalDate);
  return date ? `<td>${tag} <span class="lead-date">${date}</span></td>` : `<td>${tag}</td>`;
}

/** One table row as HTML; every name and place is escaped, since they are data, never markup. */
function rowHtml(row: MatrixRow): string {
  const district = row.district ? escapeHtml(row.district) : '<span class="lead-none">Not given</span>';
  return `<tr><th scope="row">${escapeHtml(row.name)}</th><td>${escapeHtml(row.organisation)}</td><td>${district}</td><td>${escapeHtml(row.role)}</td><td><span class="tag ${tagClass[row.status]}">${staffStatusLabels[row.status]}</span></td>${row.cells.map(cellHtml).join('')}</tr>`;
}

const refusalLabels: Record<FileOutcome['status'], string> = {
  imported: 'Imported',
  duplicate: 'Already imported',
  conflict: 'Conflicting statements',
  'not-ours': 'Not from this site',
  edited: 'Edited after it was made',
  unreadable: 'Cannot be read',
  'too-big': 'Too big',
};

const count = (value: number, one: string, many = `${one}s`) => `${value.toLocaleString('en-GB')} ${value === 1 ? one : many}`;

function fileListHtml(outcomes: readonly FileOutcome[], withLabel: boolean): string {
  return `<ul class="lead-files-list">${outcomes
    .map(
      (outcome) =>
        `<li><strong>${escapeHtml(outcome.fileName)}</strong>: ${withLabel ? `${refusalLabels[outcome.status]}. ` : ''}${escapeHtml(outcome.message)}</li>`,
    )
    .join('')}</ul>`;
}

function filesReportHtml(outcomes: readonly FileOutcome[]): string {
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

const columnOf = (key: string): MatrixSort['column'] => (key in personHeadings ? (key as keyof typeof personHeadings) : { itemId: key.slice('item:'.length) });
const keyOfColumn = (column: MatrixSort['column']) => (typeof column === 'object' ? `item:${column.itemId}` : column);

/** Wires up the lead page. */
export function startLeadPage(): void {
  const course = parseCourseFacts(document.getElementById('fh-course')?.textContent);

  const drop = element<HTMLDivElement>('lead-drop');
  const input = element<HTMLInputElement>('lead-files');
  const progressBox = element<HTMLDivElement>('lead-progress');
  const progress = element<HTMLProgressElement>('lead-progress-bar');
  const status = element<HTMLParagraphElement>('lead-status');
  const filesReport = element<HTMLDivElement>('lead-files-report');
  const results = element<HTMLElement>('lead-results');
  const filters = element<HTMLFormElement>('lead-filters');
  const shown = element<HTMLParagraphElement>('lead-shown');
  const table = element<HTMLTableElement>('lead-matrix');
  const caption = element<HTMLTableCaptionElement>('lead-matrix-caption');
  // The caption names the table for screen readers; the same words show above the scrolling area.
  const heading = element<HTMLHeadingElement>('lead-matrix-heading');
  const summaryHint = element<HTMLParagraphElement>('lead-summary-hint');
  const dialog = element<HTMLDialogElement>('lead-confirm-clear');
  const pagination = element<HTMLElement>('lead-pagination');
  const pageList = element<HTMLUListElement>('lead-pagination-list');
  const previousPage = element<HTMLButtonElement>('lead-page-previous');
  const nextPage = element<HTMLButtonElement>('lead-page-next');
  const showAll = element<HTMLButtonElement>('lead-show-all');
  const showAllBox = element<HTMLDivElement>('lead-show-all-box');
  status.tabIndex = -1;

  let worker: Worker | undefined;
  let matrix: CompletionMatrix | undefined;
  let visible: MatrixRow[] = [];
  let summaries: MatrixSummary[] = [];
  let sort: MatrixSort = { column: 'name', direction: 'ascending' };
  /** The page of the table shown, from 1; every row is in the table instead while `showingAll`. */
  let currentPage = 1;
  let showingAll = false;
  let outcomes: FileOutcome[] = [];
  let loading = false;
  let lastStatus = 0;

  const ensureWorker = (): Worker => {
    if (!worker) {
      worker = new Worker(new URL('./_worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) => receive(event.data));
      worker.addEventListener('error', () => {
        status.textContent = 'Something went wrong while reading the files. Reload the page and try again.';
      });
      worker.postMessage({ type: 'open', course } satisfies ToWorker);
    }
    return worker;
  };
  const send = (message: ToWorker) => ensureWorker().postMessage(message);

  const filterOf = (): MatrixFilter => {
    const data = new FormData(filters);
    const value = (name: string) => {
      const entry = data.get(name);
      return typeof entry === 'string' ? entry : '';
    };
    return { organisation: value('organisation'), district: value('district'), role: value('role'), status: value('status') as MatrixFilter['status'] };
  };

  const fillChoices = (rows: readonly MatrixRow[]) => {
    for (const field of ['organisation', 'district', 'role'] as const) {
      const select = element<HTMLSelectElement>(`lead-filter-${field}`);
      const current = select.value;
      const choices = filterChoices(rows, field);
      select.length = 1;
      for (const choice of choices) select.add(new Option(choice, choice));
      select.value = choices.includes(current) ? current : '';
    }
  };

  const renderHead = (current: CompletionMatrix) => {
    const headings: Array<[string, string]> = [
      ...Object.entries(personHeadings),
      ...current.requirements.map((requirement): [string, string] => [`item:${requirement.id}`, requirement.title]),
    ];
    // Fixed layout needs the table's width: the person columns plus 9.5rem per requirement, as the styles set them.
    table.style.width = `${51 + current.requirements.length * 9.5}rem`;
    const row = table.tHead?.rows[0] as HTMLTableRowElement;
    row.innerHTML = headings
      .map(([key, title]) => `<th scope="col"><button type="button" data-column="${escapeHtml(key)}">${escapeHtml(title)}</button></th>`)
      .join('');
  };

  const renderSortState = () => {
    const sorted = keyOfColumn(sort.column);
    for (const button of table.tHead?.querySelectorAll<HTMLButtonElement>('button[data-column]') ?? []) {
      const th = button.parentElement as HTMLTableCellElement;
      if (button.dataset['column'] === sorted) th.setAttribute('aria-sort', sort.direction);
      else th.removeAttribute('aria-sort');
    }
  };

  const summaryTable = (id: string, summary: MatrixSummary) => {
    const target = element<HTMLTableElement>(id);
    const label = summary.by === 'organisation' ? 'Organisation' : 'Role';
    (target.tHead as HTMLTableSectionElement).innerHTML =
      `<tr><th scope="col">${label}</th>${summaryHeadings.map((heading) => `<th scope="col">${heading}</th>`).join('')}</tr>`;
    (target.tBodies[0] as HTMLTableSectionElement).innerHTML = [...summary.groups, summary.total]
      .map(
        (row) =>
          `<tr><th scope="row">${escapeHtml(row.group)}</th>${summaryFigures(row)
            .map((figure) => `<td>${figure}</td>`)
            .join('')}</tr>`,
      )
      .join('');
  };

  let generation = 0;
  const pageCount = () => Math.max(1, Math.ceil(visible.length / pageSize));
  const peopleCount = (value: number) => count(value, 'person', 'people');
  const ofAll = () => (matrix && visible.length !== matrix.rows.length ? ` (${matrix.rows.length.toLocaleString('en-GB')} in all)` : '');

  /** Says which rows the table holds; the words are a live region, so a screen reader hears each change of page. */
  const describeShown = () => {
    if (!matrix) return;
    if (visible.length <= pageSize) {
      shown.textContent =
        visible.length === matrix.rows.length
          ? `Showing all ${peopleCount(matrix.rows.length)}.`
          : `Showing ${peopleCount(visible.length)} of ${matrix.rows.length.toLocaleString('en-GB')}.`;
    } else if (showingAll) {
      shown.textContent = `Showing all ${peopleCount(visible.length)}${ofAll()}.`;
    } else {
      const first = (currentPage - 1) * pageSize + 1;
      const last = Math.min(currentPage * pageSize, visible.length);
      shown.textContent = `Showing people ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${visible.length.toLocaleString('en-GB')}${ofAll()}.`;
    }
  };

  const renderPagination = () => {
    const pages = pageCount();
    const many = visible.length > pageSize;
    pagination.hidden = !many || showingAll;
    showAllBox.hidden = !many;
    showAll.textContent = showingAll ? `Show ${pageSize} people a page` : `Show all ${peopleCount(visible.length)}`;
    if (pagination.hidden) return;
    previousPage.hidden = currentPage === 1;
    nextPage.hidden = currentPage === pages;
    pageList.innerHTML = pageLinks(currentPage, pages)
      .map((link) =>
        link === 'gap'
          ? '<li class="lead-pagination__gap" aria-hidden="true">…</li>'
          : `<li><button type="button" class="lead-pagination__page" data-page="${link}" aria-label="Page ${link}"${link === currentPage ? ' aria-current="page"' : ''}>${link}</button></li>`,
      )
      .join('');
  };

  /**
   * Puts rows in the table. A page is one short task. Every row, when the lead
   * asks for them all, goes in batches of one task each with a progress
   * message; a newer page, sort or filter cancels what is still to come.
   */
  const fillBody = () => {
    const current = (generation += 1);
    for (const extra of [...table.tBodies].slice(1)) extra.remove();
    const body = table.tBodies[0] as HTMLTableSectionElement;
    if (!showingAll || visible.length <= pageSize) {
      const first = (currentPage - 1) * pageSize;
      body.innerHTML = visible
        .slice(first, first + pageSize)
        .map(rowHtml)
        .join('');
      performance.mark('lead-matrix-complete');
      describeShown();
      return;
    }
    const rows = visible;
    body.innerHTML = rows.slice(0, batchRows).map(rowHtml).join('');
    const rest = (from: number) => {
      if (current !== generation) return;
      if (from >= rows.length) {
        performance.mark('lead-matrix-complete');
        describeShown();
        return;
      }
      shown.textContent = `Adding people to the table: ${from.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')}…`;
      // Each batch is its own row group, so the rows already laid out are not laid out again.
      const group = document.createElement('tbody');
      group.innerHTML = rows
        .slice(from, from + batchRows)
        .map(rowHtml)
        .join('');
      table.append(group);
      setTimeout(() => rest(from + batchRows));
    };
    shown.textContent = `Adding people to the table: ${batchRows.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')}…`;
    setTimeout(() => rest(batchRows));
  };

  /** Shows one page of the table (from 1), keeping the sort and filters. */
  const goToPage = (page: number) => {
    currentPage = Math.min(Math.max(1, page), pageCount());
    fillBody();
    renderPagination();
  };

  /** Filters and sorts every row, then shows the first page; the summaries and CSV cover every row that matches. */
  const renderRows = () => {
    if (!matrix) return;
    const filtered = filterRows(matrix.rows, filterOf());
    visible = sortRows(
      filtered,
      sort,
      matrix.requirements.map((requirement) => requirement.id),
    );
    renderSortState();
    const asOf = formatShortDate(matrix.now, course.timeZone);
    caption.textContent = `Required learning by person, as of ${asOf}`;
    heading.textContent = caption.textContent;
    goToPage(1);
    // The summaries sit below the table: they follow in a task of their own, so the page shown answers first.
    const summarised = visible;
    summaries = [summarise(summarised, 'organisation'), summarise(summarised, 'role')];
    setTimeout(() => {
      if (summarised !== visible) return;
      summaryTable('lead-summary-organisation', summaries[0] as MatrixSummary);
      summaryTable('lead-summary-role', summaries[1] as MatrixSummary);
      summaryHint.textContent = `For the ${peopleCount(summarised.length)} that match the filters above, on every page of the table. “Complete” counts people whose role’s learning is all done and in date; the last row is the total.`;
    });
  };

  const renderMatrix = (next: CompletionMatrix) => {
    matrix = next;
    results.hidden = next.rows.length === 0;
    if (next.rows.length === 0) return;
    renderHead(next);
    fillChoices(next.rows);
    renderRows();
  };

  const finishImport = () => {
    input.value = '';
    const imported = outcomes.filter((outcome) => outcome.status === 'imported').length;
    const duplicates = outcomes.filter((outcome) => outcome.status === 'duplicate').length;
    const conflicts = outcomes.filter((outcome) => outcome.status === 'conflict').length;
    const refused = outcomes.length - imported - duplicates - conflicts;
    const conflicting = conflicts > 0 ? `${conflicts.toLocaleString('en-GB')} with conflicting statements, ` : '';
    status.textContent = `Finished reading ${count(outcomes.length, 'file')}: ${imported.toLocaleString('en-GB')} imported, ${duplicates.toLocaleString('en-GB')} already imported, ${conflicting}${refused.toLocaleString('en-GB')} not imported.`;
    filesReport.innerHTML = filesReportHtml(outcomes);
  };

  function receive(message: FromWorker) {
    if (message.type === 'progress') {
      outcomes.push(...message.outcomes);
      progress.max = message.total;
      progress.value = message.done;
      // Screen readers hear the count now and then, not every file.
      if (performance.now() - lastStatus > 1500 || message.done === message.total) {
        status.textContent = `Read ${message.done.toLocaleString('en-GB')} of ${count(message.total, 'file')}…`;
        lastStatus = performance.now();
      }
    } else if (message.type === 'matrix') {
      performance.mark('lead-matrix-received');
      renderMatrix(message.matrix);
      performance.measure('lead-matrix-render', 'lead-matrix-received');
      if (message.after === 'open' && loading) {
        loading = false;
        status.textContent = '';
      }
      if (message.after === 'import') finishImport();
      if (message.after === 'clear') {
        filesReport.innerHTML = '';
        progressBox.hidden = true;
        status.textContent = 'All imported data has been cleared from this browser.';
        status.focus();
      }
      if (!message.persistent && message.after !== 'clear') {
        status.textContent =
          `${status.textContent ?? ''} This browser will not keep what you add (for example in a private window): it lasts until you close this page.`.trim();
      }
      if (message.withoutProfile > 0) {
        status.textContent =
          `${status.textContent ?? ''} Learning from ${count(message.withoutProfile, 'person', 'people')} is not shown because no file said who they are.`.trim();
      }
    } else {
      status.textContent = `The files could not be added: ${message.message}`;
    }
  }

  const importFiles = (files: readonly File[]) => {
    if (files.length === 0) return;
    loading = false;
    outcomes = [];
    filesReport.innerHTML = '';
    progressBox.hidden = false;
    progress.max = files.length;
    progress.value = 0;
    status.textContent = `Reading ${count(files.length, 'file')}…`;
    lastStatus = performance.now();
    send({ type: 'import', files: [...files] });
  };

  input.addEventListener('change', () => importFiles([...(input.files ?? [])]));
  acceptDroppedFiles(drop, 'lead-drop--over', importFiles);

  table.tHead?.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-column]');
    const key = button?.dataset['column'];
    if (!key) return;
    const column = columnOf(key);
    const same = keyOfColumn(sort.column) === key;
    sort = { column, direction: same && sort.direction === 'ascending' ? 'descending' : 'ascending' };
    renderRows();
  });
  filters.addEventListener('change', renderRows);
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    renderRows();
  });
  // The form resets its selects after this event: render once it has.
  filters.addEventListener('reset', () => setTimeout(renderRows));

  const today = () => calendarDayIn(new Date(), course.timeZone);
  element('lead-matrix-csv').addEventListener('click', () => {
    if (matrix) downloadFile(matrixCsv(matrix, visible), `staff-learning-${today()}.csv`, 'text/csv;charset=utf-8');
  });
  element('lead-summary-csv').addEventListener('click', () =>
    downloadFile(summaryCsv(summaries), `staff-learning-summary-${today()}.csv`, 'text/csv;charset=utf-8'),
  );
  element('lead-print').addEventListener('click', () => window.print());

  pagination.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!button) return;
    const target = button === previousPage ? currentPage - 1 : button === nextPage ? currentPage + 1 : Number(button.dataset['page']);
    if (!Number.isInteger(target)) return;
    goToPage(target);
    // Keep the keyboard where it was; when that button has gone (the first or last page), on the current page's number.
    const stay = button.isConnected && !button.hidden ? button : pageList.querySelector<HTMLButtonElement>('[aria-current="page"]');
    stay?.focus();
  });
  showAll.addEventListener('click', () => {
    showingAll = !showingAll;
    goToPage(1);
  });

  element('lead-clear').addEventListener('click', () => dialog.showModal());
  element('lead-confirm-clear-no').addEventListener('click', () => dialog.close());
  element('lead-confirm-clear-yes').addEventListener('click', () => {
    dialog.close();
    status.textContent = 'Clearing imported data…';
    send({ type: 'clear' });
  });

  void leadRecordSaved().then((saved) => {
    if (saved && !worker) {
      loading = true;
      status.textContent = 'Loading what you added before…';
      ensureWorker();
    }
  });
}

/**
 * The lead page in the browser: hands dropped files to the import worker and
 * shows what comes back — per-file results, the completion matrix (sortable,
 * filterable), the summaries and CSV downloads. PouchDB and pdf-lib live in
 * the worker, which starts only when there is something to read.
 */
import {
  filterChoices,
  filterRows,
  matrixCsv,
  personHeadings,
  sortRows,
  summarise,
  summaryCsv,
  type CompletionMatrix,
  type MatrixFilter,
  type MatrixRow,
  type MatrixSort,
  type MatrixSummary,
} from '../../lib/report/index.ts';
import { downloadFile } from '../../browser/download.ts';
import { calendarDayIn, formatShortDate } from '../../lib/dates/index.ts';
import { acceptDroppedFiles } from '../../browser/drop-zone.ts';
import { count, filesReportHtml, headHtml, pageButtonsHtml, rowHtml, shownText, summaryHtml } from './_lead-html.ts';
import { parseCourseFacts } from '../../lib/content/facts.ts';
import { leadRecordSaved } from '../../lib/record/saved.ts';
import type { FileOutcome, FromWorker, ToWorker } from './_protocol.ts';

/** People on one page of the table: few enough that showing a page is one short task. */
const pageSize = 100;
/** When the lead chooses to show everyone, rows are added in batches this size, one task each. */
const batchRows = 100;

const element = <T extends HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The lead page has no #${id}`);
  return found as T;
};

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
  const clearBox = element<HTMLDivElement>('lead-clear-box');
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
  /** What the worker was last asked to do, to say what failed. */
  let asked: 'open' | 'import' | 'clear' = 'open';
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
      worker.addEventListener('error', (event) => {
        console.error('The lead page’s file reader stopped.', event.message);
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
    // Fixed layout needs the table's width: the person columns plus 9.5rem per requirement, as the styles set them.
    table.style.width = `${51 + current.requirements.length * 9.5}rem`;
    (table.tHead?.rows[0] as HTMLTableRowElement).innerHTML = headHtml(current.requirements);
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
    const { head, body } = summaryHtml(summary);
    (target.tHead as HTMLTableSectionElement).innerHTML = head;
    (target.tBodies[0] as HTMLTableSectionElement).innerHTML = body;
  };

  let generation = 0;
  const pageCount = () => Math.max(1, Math.ceil(visible.length / pageSize));
  const peopleCount = (value: number) => count(value, 'person', 'people');

  /** Says which rows the table holds; the words are a live region, so a screen reader hears each change of page. */
  const describeShown = () => {
    if (matrix) shown.textContent = shownText({ matching: visible.length, total: matrix.rows.length, page: currentPage, pageSize, showingAll });
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
    pageList.innerHTML = pageButtonsHtml(currentPage, pages);
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
    clearBox.hidden = results.hidden;
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
      // What was added before cannot be read: the lead can still clear it and start again.
      if (asked === 'open') clearBox.hidden = false;
      const failed = {
        open: 'What you added before could not be read.',
        import: 'The files could not be added.',
        clear: 'The imported data could not be cleared.',
      };
      status.textContent = `${failed[asked]} ${message.message}`;
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
    asked = 'import';
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
    asked = 'clear';
    send({ type: 'clear' });
  });

  leadRecordSaved()
    .then((saved) => {
      if (saved && !worker) {
        loading = true;
        status.textContent = 'Loading what you added before…';
        ensureWorker();
      }
    })
    .catch((error: unknown) => {
      console.error('What was imported before could not be loaded.', error);
      status.textContent = 'What you added before could not be loaded. Reload the page to try again, or add the files again.';
    });
}

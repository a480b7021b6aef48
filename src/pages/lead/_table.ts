/**
 * The lead page's completion table: filters, sorting, pages of 100 people, "Show
 * all" for printing and find-in-page, the summaries and the CSV downloads. It
 * shows the matrix the import worker sends, with the sort ranks the worker worked
 * out, so no task on the page compares every row with the collator: filtering
 * and sorting 2,000 people is a few milliseconds, and a page's 100 rows go in a
 * few at a time, a frame each, so no task is long.
 */
import {
  filterChoices,
  matchesFilter,
  matrixCsv,
  personHeadings,
  sortedPositions,
  summarise,
  summaryCsv,
  type CompletionMatrix,
  type MatrixFilter,
  type MatrixRow,
  type MatrixSort,
  type MatrixSummary,
  type SortRanks,
} from '../../lib/report/index.ts';
import { downloadFile } from '../../browser/download.ts';
import { BatchedRows } from '../../browser/matrix-table.ts';
import { calendarDayIn, formatShortDate } from '../../lib/dates/index.ts';
import { count, headHtml, pageButtonsHtml, rowHtml, shownText, summaryHtml } from './_lead-html.ts';

/** People on one page of the table: few enough that showing a page is one short task. */
const pageSize = 100;
/**
 * When the lead chooses to show everyone, rows are added in batches this size: each batch lays out the whole table
 * again, so fewer, bigger batches finish sooner, and the lead asked for every row.
 */
const batchRows = 200;

export const element = <T extends HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The lead page has no #${id}`);
  return found as T;
};

const columnOf = (key: string): MatrixSort['column'] => (key in personHeadings ? (key as keyof typeof personHeadings) : { itemId: key.slice('item:'.length) });
const keyOfColumn = (column: MatrixSort['column']) => (typeof column === 'object' ? `item:${column.itemId}` : column);
const peopleCount = (value: number) => count(value, 'person', 'people');

export interface LeadTable {
  /** Shows a matrix from the worker, keeping the lead's filters and sort. */
  show(matrix: CompletionMatrix, ranks: SortRanks): void;
}

/** Wires the table, its filters, pages and downloads; the import worker's matrix arrives through `show`. */
export function createLeadTable(timeZone: string): LeadTable {
  const results = element<HTMLElement>('lead-results');
  const filters = element<HTMLFormElement>('lead-filters');
  const shown = element<HTMLParagraphElement>('lead-shown');
  const table = element<HTMLTableElement>('lead-matrix');
  const caption = element<HTMLTableCaptionElement>('lead-matrix-caption');
  // The caption names the table for screen readers; the same words show above the scrolling area.
  const heading = element<HTMLHeadingElement>('lead-matrix-heading');
  const summaryHint = element<HTMLParagraphElement>('lead-summary-hint');
  const pagination = element<HTMLElement>('lead-pagination');
  const pageList = element<HTMLUListElement>('lead-pagination-list');
  const previousPage = element<HTMLButtonElement>('lead-page-previous');
  const nextPage = element<HTMLButtonElement>('lead-page-next');
  const showAll = element<HTMLButtonElement>('lead-show-all');
  const showAllBox = element<HTMLDivElement>('lead-show-all-box');

  let matrix: CompletionMatrix | undefined;
  let ranks: SortRanks | undefined;
  let visible: MatrixRow[] = [];
  let summaries: MatrixSummary[] = [];
  let sort: MatrixSort = { column: 'name', direction: 'ascending' };
  /** The page of the table shown, from 1; every row is in the table instead while `showingAll`. */
  let currentPage = 1;
  let showingAll = false;
  const matrixRows = new BatchedRows(table);

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

  const pageCount = () => Math.max(1, Math.ceil(visible.length / pageSize));

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
   * Puts rows in the table: a page of them a few rows a frame, or, when the lead asks for everyone, all of them in
   * bigger batches with a progress message. Says which rows the table holds once they are all in.
   */
  const fillBody = () => {
    const all = showingAll && visible.length > pageSize;
    const first = all ? 0 : (currentPage - 1) * pageSize;
    const rows = visible.slice(first, all ? visible.length : first + pageSize).map(rowHtml);
    const adding = (done: number) => {
      if (all) shown.textContent = `Adding people to the table: ${done.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')}…`;
    };
    void matrixRows.replace(rows, adding, all ? batchRows : undefined).then((finished) => {
      if (!finished) return;
      performance.mark('lead-matrix-complete');
      describeShown();
    });
  };

  /** Shows one page of the table (from 1), keeping the sort and filters. */
  const goToPage = (page: number) => {
    currentPage = Math.min(Math.max(1, page), pageCount());
    fillBody();
    renderPagination();
  };

  /** Summaries of every row that matches, in a task of their own after the page shown: they sit below the table. */
  const renderSummaries = () => {
    const summarised = visible;
    setTimeout(() => {
      if (summarised !== visible) return;
      summaries = [summarise(summarised, 'organisation'), summarise(summarised, 'role')];
      summaryTable('lead-summary-organisation', summaries[0] as MatrixSummary);
      summaryTable('lead-summary-role', summaries[1] as MatrixSummary);
      summaryHint.textContent = `For the ${peopleCount(summarised.length)} that match the filters above, on every page of the table. “Complete” counts people whose role’s learning is all done and in date; the last row is the total.`;
    });
  };

  /** Filters and sorts every row by the worker's ranks, then shows the first page; the summaries and CSV cover every row that matches. */
  const renderRows = () => {
    if (!matrix || !ranks) return;
    const { rows } = matrix;
    const filter = filterOf();
    const kept: number[] = [];
    for (let index = 0; index < rows.length; index++) if (matchesFilter(rows[index] as MatrixRow, filter)) kept.push(index);
    visible = sortedPositions(
      rows,
      sort,
      matrix.requirements.map((requirement) => requirement.id),
      ranks,
      kept,
    ).map((index) => rows[index] as MatrixRow);
    renderSortState();
    caption.textContent = `Required learning by person, as of ${formatShortDate(matrix.now, timeZone)}`;
    heading.textContent = caption.textContent;
    goToPage(1);
    renderSummaries();
  };

  table.tHead?.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-column]');
    const key = button?.dataset['column'];
    if (!key) return;
    const same = keyOfColumn(sort.column) === key;
    sort = { column: columnOf(key), direction: same && sort.direction === 'ascending' ? 'descending' : 'ascending' };
    renderRows();
  });
  filters.addEventListener('change', renderRows);
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    renderRows();
  });
  // The form resets its selects after this event: render once it has.
  filters.addEventListener('reset', () => setTimeout(renderRows));

  const today = () => calendarDayIn(new Date(), timeZone);
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

  return {
    show(next, nextRanks) {
      matrix = next;
      ranks = nextRanks;
      results.hidden = next.rows.length === 0;
      if (next.rows.length === 0) return;
      renderHead(next);
      fillChoices(next.rows);
      renderRows();
    },
  };
}

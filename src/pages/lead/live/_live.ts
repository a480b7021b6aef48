/**
 * The lead's live view: the completion matrix, renewals and charts from the
 * hub's /api/progress/, scoped by the hub to the lead's organisations, and a
 * stream of changes that refreshes them in place — without moving the lead's
 * focus or scroll — and tells screen readers, politely, who completed what.
 */
import { describeStandings, standingChartSvg, standings, weeklyChartSvg, type StandingCount, type WeekCount } from '../../../lib/report/charts.ts';
import { personHeadings, type CompletionMatrix, type MatrixRow, type Requirement } from '../../../lib/report/index.ts';
import { formatShortDay } from '../../../lib/dates/index.ts';
import { afterNextPaint, BatchedRows, escapeHtml, pageButtonsHtml, rowHtml } from '../../../browser/matrix-table.ts';
import { announce, hubRequest, openStaffPage, showError, type SignedInStaff } from '../../../browser/staff.ts';

interface MatrixPage extends CompletionMatrix {
  total: number;
  page: number;
  pageSize: number;
}
interface Renewal {
  personId: string;
  itemId: string;
  name: string;
  organisation: string;
  title: string;
  renewalOn: string;
  expired: boolean;
}
interface RenewalsPage {
  rows: Renewal[];
  total: number;
  page: number;
  pageSize: number;
}
interface Summary {
  byOrganisation: StandingCount[];
  byRole: StandingCount[];
  weeks: WeekCount[];
}

type SortKey = keyof typeof personHeadings;

const byId = <T extends HTMLElement>(id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The live lead page has no #${id}`);
  return found as T;
};

const pageSize = 100;
/** Renewals on one page of their list: a council of 20,000 can have thousands due. */
const renewalPageSize = 50;
/** Changes that arrive close together refresh the page once. */
const refreshDelayMs = 800;

const state = {
  filter: { organisation: '', district: '', role: '', status: '' },
  sort: { key: 'name' as SortKey, descending: false },
  page: 1,
  within: '30',
  renewalPage: 1,
};

const query = (extra: Record<string, string> = {}) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...state.filter, ...extra })) if (value) params.set(key, value);
  return params;
};

function fillChoices(select: HTMLSelectElement, choices: { value: string; label: string }[]): void {
  for (const choice of choices) select.add(new Option(choice.label, choice.value));
}

function renderHead(requirements: readonly Requirement[]): void {
  const table = byId<HTMLTableElement>('live-matrix');
  // Fixed layout needs the table's width (the person columns plus 9.5rem per requirement, as the styles set them):
  // without it the browser measures every cell of the page again on each change, a long task for 100 rows.
  table.style.width = `${51 + requirements.length * 9.5}rem`;
  const row = table.tHead!.rows[0]!;
  row.replaceChildren();
  for (const [key, label] of Object.entries(personHeadings) as [SortKey, string][]) {
    const th = document.createElement('th');
    th.scope = 'col';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.dataset['sort'] = key;
    button.addEventListener('click', () => {
      state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : false };
      state.page = 1;
      void refreshMatrix().catch(showError);
    });
    th.append(button);
    row.append(th);
  }
  for (const requirement of requirements) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = requirement.title;
    row.append(th);
  }
}

/** What a refresh does once the hub has answered: draws its section, a few rows a frame. */
type Draw = () => Promise<void>;
const drawNothing: Draw = () => Promise.resolve();

/** What each section shows now, so a refresh whose answer is the same draws nothing. */
const drawn = { head: '', matrix: '', renewals: '', charts: '' };
let matrixRows: BatchedRows | undefined;
/** Counts requests, so an answer that arrives after a newer one's is dropped. */
let matrixAsked = 0;
let renewalsAsked = 0;

/** Sets a status region's words only when they change: setting the same words again may be announced again. */
function setStatus(id: string, words: string): void {
  const region = byId(id);
  if (region.textContent !== words) region.textContent = words;
}

async function matrixView(): Promise<Draw> {
  const params = query({
    page: String(state.page),
    pageSize: String(pageSize),
    sort: state.sort.key,
    order: state.sort.descending ? 'descending' : 'ascending',
  });
  const asked = (matrixAsked += 1);
  const page = await hubRequest<MatrixPage>(`/api/progress/matrix?${params}`);
  if (asked !== matrixAsked) return drawNothing;
  return async () => {
    // The head is drawn again only when the requirements change: a new sort only moves aria-sort.
    const headKey = JSON.stringify(page.requirements);
    if (headKey !== drawn.head) {
      renderHead(page.requirements);
      drawn.head = headKey;
    }
    for (const button of byId<HTMLTableElement>('live-matrix').tHead!.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      const th = button.parentElement!;
      const sorted = button.dataset['sort'] === state.sort.key ? (state.sort.descending ? 'descending' : 'ascending') : undefined;
      if (sorted) th.setAttribute('aria-sort', sorted);
      else th.removeAttribute('aria-sort');
    }
    const signature = JSON.stringify([page, state.filter]);
    if (signature === drawn.matrix) return;
    const rows = page.rows.length
      ? page.rows.map((row: MatrixRow) => rowHtml(row))
      : [
          `<tr><td colspan="${5 + page.requirements.length}">${escapeHtml(page.total === 0 && !Object.values(state.filter).some(Boolean) ? 'Nobody you have confirmed has started yet.' : 'Nobody matches these filters.')}</td></tr>`,
        ];
    drawn.matrix = '';
    if (!(await (matrixRows ??= new BatchedRows(byId<HTMLTableElement>('live-matrix'))).replace(rows))) return;
    drawn.matrix = signature;
    const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
    const last = Math.min(page.page * page.pageSize, page.total);
    setStatus(
      'live-shown',
      page.total === 0
        ? 'No people to show.'
        : `Showing ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${page.total.toLocaleString('en-GB')} people.`,
    );
    byId<HTMLAnchorElement>('live-matrix-csv').href =
      `/api/progress/matrix.csv?${query({ sort: state.sort.key, order: state.sort.descending ? 'descending' : 'ascending' })}`;
    renderPagination('live', state.page, Math.ceil(page.total / page.pageSize), async (to) => {
      state.page = to;
      await refreshMatrix();
    });
  };
}

const refreshMatrix = async () => (await matrixView())();

/**
 * The page links under a table (`prefix` names its elements: `live`, `live-renewals`); hidden when everything fits on
 * one page. Going to a page keeps the keyboard where it was, as on the file-drop view; when that button has gone (the
 * first or last page), on the current page's number. The status line above the table says which rows it now holds.
 */
function renderPagination(prefix: string, current: number, pageCount: number, go: (page: number) => Promise<void>): void {
  const nav = byId(`${prefix}-pagination`);
  nav.hidden = pageCount <= 1;
  if (pageCount <= 1) return;
  const list = byId(`${prefix}-pagination-list`);
  const previous = byId<HTMLButtonElement>(`${prefix}-page-previous`);
  const next = byId<HTMLButtonElement>(`${prefix}-page-next`);
  list.innerHTML = pageButtonsHtml(current, pageCount);
  previous.hidden = current <= 1;
  next.hidden = current >= pageCount;
  nav.onclick = (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!button) return;
    const target = button === previous ? current - 1 : button === next ? current + 1 : Number(button.dataset['page']);
    if (!Number.isInteger(target)) return;
    go(target)
      .then(() => {
        const stay = button.isConnected && !button.hidden ? button : list.querySelector<HTMLButtonElement>('[aria-current="page"]');
        stay?.focus();
      })
      .catch(showError);
  };
}

let renewalRows: BatchedRows | undefined;
/**
 * The renewals on the page, for the "Copy a reminder" buttons, by person and item: while a new page is drawn, a button
 * still showing from the page before finds nothing rather than someone else's renewal.
 */
let renewalsShown = new Map<string, Renewal>();
const renewalKey = (row: Renewal) => `${row.personId} ${row.itemId}`;

function renewalRowHtml(row: Renewal): string {
  const name = escapeHtml(row.name);
  return `<tr><th scope="row">${name}</th><td>${escapeHtml(row.organisation)}</td><td>${escapeHtml(row.title)}</td><td>${formatShortDay(row.renewalOn)}</td><td>${row.expired ? 'Expired' : 'Due'}</td><td class="no-print"><button type="button" class="button button--secondary" data-remind="${escapeHtml(renewalKey(row))}">Copy a reminder<span class="visually-hidden"> for ${name}</span></button></td></tr>`;
}

async function renewalsView(): Promise<Draw> {
  const params = new URLSearchParams({ within: state.within });
  if (state.filter.organisation) params.set('organisation', state.filter.organisation);
  const downloads = params.toString();
  params.set('page', String(state.renewalPage));
  params.set('pageSize', String(renewalPageSize));
  const asked = (renewalsAsked += 1);
  const page = await hubRequest<RenewalsPage>(`/api/progress/renewals?${params}`);
  if (asked !== renewalsAsked) return drawNothing;
  return async () => {
    const signature = JSON.stringify([page, state.within]);
    if (signature === drawn.renewals) return;
    renewalsShown = new Map(page.rows.map((row) => [renewalKey(row), row]));
    const rows = page.rows.length
      ? page.rows.map((row) => renewalRowHtml(row))
      : [
          `<tr><td colspan="6">${escapeHtml(page.total === 0 ? `Nothing is due for renewal in the next ${state.within} days, and nothing has expired.` : 'There is nothing on this page.')}</td></tr>`,
        ];
    drawn.renewals = '';
    if (!(await (renewalRows ??= new BatchedRows(byId<HTMLTableElement>('live-renewals'))).replace(rows))) return;
    drawn.renewals = signature;
    const first = (page.page - 1) * page.pageSize + 1;
    setStatus(
      'live-renewals-shown',
      page.total <= page.pageSize
        ? ''
        : `Showing ${first.toLocaleString('en-GB')} to ${(first + page.rows.length - 1).toLocaleString('en-GB')} of ${page.total.toLocaleString('en-GB')} renewals.`,
    );
    renderPagination('live-renewals', page.page, Math.ceil(page.total / page.pageSize), async (to) => {
      state.renewalPage = to;
      await refreshRenewals();
    });
    byId<HTMLAnchorElement>('live-renewals-csv').href = `/api/progress/renewals.csv?${downloads}`;
    byId<HTMLAnchorElement>('live-renewals-ics').href = `/api/progress/renewals.ics?${downloads}`;
  };
}

const refreshRenewals = async () => (await renewalsView())();

/** A reminder the lead can paste into an email or message, in plain words. */
export function reminderText(row: Renewal, siteAddress: string): string {
  const when = formatShortDay(row.renewalOn);
  const first = row.expired ? `your ${row.title} learning expired on ${when}` : `your ${row.title} learning needs renewing by ${when}`;
  return `Hello ${row.name},\n\nA reminder that ${first}. It takes a few minutes: open ${siteAddress}/my-learning/ on the computer or phone you learn on, and choose it from your plan.\n\nThank you.`;
}

async function copyReminder(row: Renewal): Promise<void> {
  const text = reminderText(row, location.origin);
  try {
    await navigator.clipboard.writeText(text);
    announce(`Reminder for ${row.name} copied. Paste it into an email or message.`);
  } catch {
    // Without clipboard access, show the text so it can be copied by hand.
    window.prompt(`Copy this reminder for ${row.name}:`, text);
  }
}

const weekLabel = (week: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${week}T00:00:00Z`));

/** A chart and, below it, a table with the same figures. */
function chartFigure(id: string, caption: string, svg: string, head: string[], rows: (string | number)[][]): HTMLElement {
  const section = document.createElement('section');
  section.className = 'lead-chart';
  section.setAttribute('aria-labelledby', `${id}-heading`);
  const heading = document.createElement('h3');
  heading.id = `${id}-heading`;
  heading.textContent = caption;
  const picture = document.createElement('div');
  picture.innerHTML = svg;
  const scroll = document.createElement('div');
  scroll.className = 'lead-scroll';
  const table = document.createElement('table');
  table.className = 'lead-figures';
  const tableCaption = table.createCaption();
  tableCaption.textContent = `${caption}: figures`;
  const headRow = table.createTHead().insertRow();
  for (const text of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    headRow.append(th);
  }
  const body = table.createTBody();
  for (const cells of rows) {
    const tr = body.insertRow();
    cells.forEach((cell, index) => {
      const element = document.createElement(index === 0 ? 'th' : 'td');
      if (element instanceof HTMLTableCellElement && index === 0) element.scope = 'row';
      element.textContent = typeof cell === 'number' ? cell.toLocaleString('en-GB') : cell;
      tr.append(element);
    });
  }
  scroll.append(table);
  section.append(heading, picture, scroll);
  return section;
}

/** The charts, each with its table of figures: a chart a frame, each in place of the one before it. */
async function chartsView(): Promise<Draw> {
  const summary = await hubRequest<Summary>('/api/progress/summary');
  const signature = JSON.stringify(summary);
  if (signature === drawn.charts) return drawNothing;
  const head = (first: string) => [first, ...standings.map((standing) => standing.label)];
  const figuresOf = (rows: StandingCount[]) => rows.map((row) => [row.label, ...standings.map((standing) => row[standing.key])]);
  const total = summary.weeks.reduce((sum, week) => sum + week.completions, 0);
  const standing = (id: string, title: string, rows: StandingCount[], what: 'organisation' | 'role', first: string) => () =>
    chartFigure(id, title, standingChartSvg(rows, { id, title, description: describeStandings(rows, what) }), head(first), figuresOf(rows));
  const charts = [
    standing('chart-organisation', 'Where people stand, by organisation', summary.byOrganisation, 'organisation', 'Organisation'),
    standing('chart-role', 'Where people stand, by role', summary.byRole, 'role', 'Role'),
    () =>
      chartFigure(
        'chart-weeks',
        'Learning completed, week by week',
        weeklyChartSvg(summary.weeks, {
          id: 'chart-weeks',
          title: 'Learning completed, week by week',
          description: `${total} completions in the last ${summary.weeks.length} weeks, counted in the week each one was done.`,
          formatWeek: weekLabel,
        }),
        ['Week starting', 'Completions'],
        summary.weeks.map((week) => [formatShortDay(week.week), week.completions]),
      ),
  ];
  return async () => {
    const place = byId('live-charts');
    for (const [index, chart] of charts.entries()) {
      if (index > 0) await new Promise<void>((resolve) => afterNextPaint(resolve));
      const figure = chart();
      const before = place.children[index];
      if (before) before.replaceWith(figure);
      else place.append(figure);
    }
    drawn.charts = signature;
  };
}

interface Choice {
  id: string;
  name: string;
}

/** The matrix's roles and the council's districts, written into the page when it was built. */
function readChoices(): { roles: Choice[]; districts: Choice[] } {
  const element = document.getElementById('fh-choices');
  return element?.textContent ? (JSON.parse(element.textContent) as { roles: Choice[]; districts: Choice[] }) : { roles: [], districts: [] };
}

function setUpFilters(me: SignedInStaff): void {
  const form = byId<HTMLFormElement>('live-filters');
  fillChoices(
    byId<HTMLSelectElement>('live-filter-organisation'),
    me.organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })),
  );
  const choices = readChoices();
  const districtNames = new Map(choices.districts.map((district) => [district.id, district.name]));
  const districts = [...new Set(me.organisations.map((organisation) => organisation.district).filter(Boolean))];
  fillChoices(
    byId<HTMLSelectElement>('live-filter-district'),
    districts.map((district) => ({ value: district, label: districtNames.get(district) ?? district })).sort((a, b) => a.label.localeCompare(b.label)),
  );
  fillChoices(
    byId<HTMLSelectElement>('live-filter-role'),
    choices.roles.map((role) => ({ value: role.id, label: role.name })),
  );
  const apply = () => {
    const value = (name: string) => form.querySelector<HTMLSelectElement>(`select[name="${name}"]`)?.value ?? '';
    state.filter = { organisation: value('organisation'), district: value('district'), role: value('role'), status: value('status') };
    state.page = 1;
    state.renewalPage = 1;
    // The charts cover every organisation in scope whatever the filters: only the table and renewals change.
    void refreshMatrix().then(refreshRenewals).catch(showError);
  };
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  byId<HTMLSelectElement>('live-renewals-within').addEventListener('change', (event) => {
    state.within = (event.target as HTMLSelectElement).value;
    state.renewalPage = 1;
    void refreshRenewals().catch(showError);
  });
  byId('live-renewals-form').addEventListener('submit', (event) => event.preventDefault());
  byId('live-renewals').addEventListener('click', (event) => {
    const key = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-remind]')?.dataset['remind'];
    const row = key === undefined ? undefined : renewalsShown.get(key);
    if (row) void copyReminder(row);
  });
  byId('live-print').addEventListener('click', () => window.print());
}

/**
 * Fetches and draws each section in turn, the table first: the lead sees their staff soonest, and the hub is never
 * busy answering while the page lays out.
 */
async function refreshAll(): Promise<void> {
  try {
    for (const view of [matrixView, renewalsView, chartsView]) await (await view())();
  } catch (error) {
    showError(error);
  }
}

function listen(): void {
  if (typeof EventSource === 'undefined') return;
  const line = byId('live-connection');
  const events = new EventSource('/api/progress/events');
  let timer: ReturnType<typeof setTimeout> | undefined;
  events.addEventListener('ready', () => {
    line.textContent = 'Updates as your staff learn.';
    // Anything that changed between loading the page (or losing the connection) and the stream opening.
    void refreshAll();
  });
  events.addEventListener('progress', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as { message?: unknown };
    if (typeof change.message === 'string') announce(`${change.message}.`);
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Refresh in place: the rows change, focus and scroll stay where the lead left them.
      const x = window.scrollX;
      const y = window.scrollY;
      void refreshAll().then(() => window.scrollTo(x, y));
    }, refreshDelayMs);
  });
  events.addEventListener('error', () => {
    line.textContent = 'Not updating at the moment: the page will catch up when the connection comes back.';
  });
}

export async function startLiveLeadPage(): Promise<void> {
  const me = await openStaffPage('lead');
  if (!me) return;
  setUpFilters(me);
  await refreshAll();
  listen();
}

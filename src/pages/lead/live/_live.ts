/**
 * The lead's live view: the completion matrix, renewals and charts from the
 * hub's /api/progress/, scoped by the hub to the lead's organisations, and a
 * stream of changes that refreshes them in place — without moving the lead's
 * focus or scroll — and tells screen readers, politely, who completed what.
 */
import { describeStandings, standingChartSvg, standings, weeklyChartSvg, type StandingCount, type WeekCount } from '../../../lib/report/charts.ts';
import { pageLinks, personHeadings, type CompletionMatrix, type MatrixRow, type Requirement } from '../../../lib/report/index.ts';
import { formatShortDay } from '../../../lib/dates/index.ts';
import { escapeHtml, rowHtml } from '../../../browser/matrix-table.ts';
import { actionButton, announce, fillRows, hubRequest, openStaffPage, showError, type SignedInStaff } from '../../../browser/staff.ts';

interface MatrixPage extends CompletionMatrix {
  total: number;
  page: number;
  pageSize: number;
}
interface Renewal {
  name: string;
  organisation: string;
  title: string;
  renewalOn: string;
  expired: boolean;
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
/** Changes that arrive close together refresh the page once. */
const refreshDelayMs = 800;

const state = {
  filter: { organisation: '', district: '', role: '', status: '' },
  sort: { key: 'name' as SortKey, descending: false },
  page: 1,
  within: '30',
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
    button.addEventListener('click', () => {
      state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : false };
      state.page = 1;
      void refreshMatrix(requirements, true);
    });
    if (state.sort.key === key) th.setAttribute('aria-sort', state.sort.descending ? 'descending' : 'ascending');
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

let headDrawn = '';

async function refreshMatrix(known: readonly Requirement[] = [], focusSort = false): Promise<void> {
  const params = query({
    page: String(state.page),
    pageSize: String(pageSize),
    sort: state.sort.key,
    order: state.sort.descending ? 'descending' : 'ascending',
  });
  const page = await hubRequest<MatrixPage>(`/api/progress/matrix?${params}`);
  const headKey = JSON.stringify([page.requirements, state.sort]);
  if (headKey !== headDrawn || known !== page.requirements) {
    renderHead(page.requirements);
    headDrawn = headKey;
    if (focusSort) byId<HTMLTableElement>('live-matrix').querySelector<HTMLButtonElement>('th[aria-sort] button')?.focus();
  }
  const body = byId<HTMLTableElement>('live-matrix').tBodies[0]!;
  body.innerHTML = page.rows.length
    ? page.rows.map((row: MatrixRow) => rowHtml(row)).join('')
    : `<tr><td colspan="${5 + page.requirements.length}">${escapeHtml(page.total === 0 && !Object.values(state.filter).some(Boolean) ? 'Nobody you have confirmed has started yet.' : 'Nobody matches these filters.')}</td></tr>`;
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.page * page.pageSize, page.total);
  byId('live-shown').textContent =
    page.total === 0
      ? 'No people to show.'
      : `Showing ${first.toLocaleString('en-GB')} to ${last.toLocaleString('en-GB')} of ${page.total.toLocaleString('en-GB')} people.`;
  byId<HTMLAnchorElement>('live-matrix-csv').href =
    `/api/progress/matrix.csv?${query({ sort: state.sort.key, order: state.sort.descending ? 'descending' : 'ascending' })}`;
  renderPagination(Math.ceil(page.total / page.pageSize), page.requirements);
}

function renderPagination(pageCount: number, requirements: readonly Requirement[]): void {
  const nav = byId('live-pagination');
  nav.hidden = pageCount <= 1;
  if (pageCount <= 1) return;
  const go = (page: number) => {
    state.page = page;
    void refreshMatrix(requirements).then(() => byId('live-matrix-caption').closest<HTMLElement>('[tabindex]')?.focus());
  };
  const list = byId('live-pagination-list');
  list.replaceChildren(
    ...pageLinks(state.page, pageCount).map((link) => {
      const item = document.createElement('li');
      if (link === 'gap') {
        item.className = 'lead-pagination__gap';
        item.textContent = '…';
        return item;
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = String(link);
      button.setAttribute('aria-label', `Page ${link}`);
      if (link === state.page) button.setAttribute('aria-current', 'page');
      button.addEventListener('click', () => go(link));
      item.append(button);
      return item;
    }),
  );
  const previous = byId<HTMLButtonElement>('live-page-previous');
  const next = byId<HTMLButtonElement>('live-page-next');
  previous.hidden = state.page <= 1;
  next.hidden = state.page >= pageCount;
  previous.onclick = () => go(state.page - 1);
  next.onclick = () => go(state.page + 1);
}

/** Renewal rows put in the table at a time: a council of 20,000 can have thousands due, and each batch is one short task. */
const renewalBatch = 100;
let renewalsDrawn = 0;

async function refreshRenewals(): Promise<void> {
  const params = new URLSearchParams({ within: state.within });
  if (state.filter.organisation) params.set('organisation', state.filter.organisation);
  const rows = await hubRequest<Renewal[]>(`/api/progress/renewals?${params}`);
  const drawing = (renewalsDrawn += 1);
  const body = byId<HTMLTableElement>('live-renewals').tBodies[0]!;
  const cells = (part: Renewal[]) =>
    part.map((row) => [
      row.name,
      row.organisation,
      row.title,
      formatShortDay(row.renewalOn),
      row.expired ? 'Expired' : 'Due',
      actionButton('Copy a reminder', `for ${row.name}`, () => void copyReminder(row)),
    ]);
  fillRows(body, cells(rows.slice(0, renewalBatch)), `Nothing is due for renewal in the next ${state.within} days, and nothing has expired.`, 6);
  // The rest follow in tasks of their own; a newer refresh stops them.
  const more = (from: number) => {
    if (drawing !== renewalsDrawn || from >= rows.length) return;
    const part = document.createElement('tbody');
    fillRows(part, cells(rows.slice(from, from + renewalBatch)), '', 6);
    body.append(...part.rows);
    setTimeout(() => more(from + renewalBatch));
  };
  setTimeout(() => more(renewalBatch));
  byId<HTMLAnchorElement>('live-renewals-csv').href = `/api/progress/renewals.csv?${params}`;
  byId<HTMLAnchorElement>('live-renewals-ics').href = `/api/progress/renewals.ics?${params}`;
}

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

async function refreshCharts(): Promise<void> {
  const summary = await hubRequest<Summary>('/api/progress/summary');
  const head = (first: string) => [first, ...standings.map((standing) => standing.label)];
  const figures = (rows: StandingCount[]) => rows.map((row) => [row.label, ...standings.map((standing) => row[standing.key])]);
  const total = summary.weeks.reduce((sum, week) => sum + week.completions, 0);
  byId('live-charts').replaceChildren(
    chartFigure(
      'chart-organisation',
      'Where people stand, by organisation',
      standingChartSvg(summary.byOrganisation, {
        id: 'chart-organisation',
        title: 'Where people stand, by organisation',
        description: describeStandings(summary.byOrganisation, 'organisation'),
      }),
      head('Organisation'),
      figures(summary.byOrganisation),
    ),
    chartFigure(
      'chart-role',
      'Where people stand, by role',
      standingChartSvg(summary.byRole, { id: 'chart-role', title: 'Where people stand, by role', description: describeStandings(summary.byRole, 'role') }),
      head('Role'),
      figures(summary.byRole),
    ),
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
  );
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
    // The charts cover every organisation in scope whatever the filters: only the table and renewals change.
    void Promise.all([refreshMatrix(), refreshRenewals()]).catch(showError);
  };
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  byId<HTMLSelectElement>('live-renewals-within').addEventListener('change', (event) => {
    state.within = (event.target as HTMLSelectElement).value;
    void refreshRenewals().catch(showError);
  });
  byId('live-renewals-form').addEventListener('submit', (event) => event.preventDefault());
  byId('live-print').addEventListener('click', () => window.print());
}

async function refreshAll(): Promise<void> {
  try {
    await Promise.all([refreshMatrix(), refreshRenewals(), refreshCharts()]);
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

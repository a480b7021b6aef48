/**
 * What the staff pages (/staff/, /lead/staff/, /admin/) share: who is signed in,
 * requests to the hub's API with the session's CSRF token, the page's states
 * (no hub, signed out, ready), and tables built from text, never markup.
 */
import { findHub, HubRequestError } from './hub.ts';

export { HubRequestError };

export interface StaffOrganisation {
  id: string;
  name: string;
  district: string;
}

/** An organisation as /api/lead/organisations lists it: only confirmed learners count. */
export interface OrganisationSummary extends StaffOrganisation {
  confirmed: number;
  awaiting: number;
}

export interface SignedInStaff {
  id: string;
  kind: 'admin' | 'lead';
  name: string;
  csrfToken: string;
  organisations: StaffOrganisation[];
  passkeys: { name: string; created: string; lastUsed: string | null }[];
  /** Whether they have linked an account at the council's identity provider. */
  oidcLinked: boolean;
}

let csrfToken = '';

/** Who is signed in on this browser, or undefined. */
export async function signedInStaff(): Promise<SignedInStaff | undefined> {
  const response = await fetch('/api/staff/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (response.status === 401) return undefined;
  if (!response.ok) throw new HubRequestError(response.status, 'The hub could not say who is signed in. Reload the page to try again.');
  const me = (await response.json()) as SignedInStaff;
  csrfToken = me.csrfToken;
  return me;
}

/** Sends a request to the hub's API as the signed-in person (with the CSRF token on changes); throws HubRequestError when refused. */
export async function hubRequest<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store', ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }) });
  } catch {
    throw new HubRequestError(0, 'The hub could not be reached. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; where?: string };
  if (!response.ok) {
    if (response.status === 401) throw new HubRequestError(401, 'Your session has ended. Sign in again to carry on.');
    throw new HubRequestError(response.status, body.error ? sentence(body.error) : `The hub refused this (${response.status}).`, body.where);
  }
  if (typeof (body as { csrfToken?: unknown }).csrfToken === 'string') csrfToken = (body as { csrfToken: string }).csrfToken;
  return body as T;
}

/** The hub's messages start in lower case to read inside a sentence; on their own they start with a capital and end with a full stop. */
export const sentence = (text: string): string => {
  const trimmed = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/** Shows the element marked data-state="name" and hides the others. */
export function showState(name: string): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-state]')) element.hidden = element.dataset.state !== name;
}

/**
 * Works out which state a staff page opens in: no hub, signed out, not allowed
 * (a lead on an admin page), or ready with the person signed in.
 */
export async function openStaffPage(needs: 'lead' | 'admin'): Promise<SignedInStaff | undefined> {
  if (!(await findHub())) {
    showState('no-hub');
    return undefined;
  }
  let me: SignedInStaff | undefined;
  try {
    me = await signedInStaff();
  } catch (error) {
    showState('failed');
    const message = document.querySelector('[data-failed-message]');
    if (message) message.textContent = error instanceof Error ? error.message : String(error);
    return undefined;
  }
  if (!me) {
    const link = document.querySelector<HTMLAnchorElement>('[data-sign-in-link]');
    if (link) link.href = `/staff/sign-in/?next=${encodeURIComponent(location.pathname)}`;
    showState('signed-out');
    return undefined;
  }
  if (needs === 'admin' && me.kind !== 'admin') {
    showState('not-allowed');
    return undefined;
  }
  for (const element of document.querySelectorAll('[data-staff-name]')) element.textContent = me.name;
  showState('ready');
  return me;
}

/** Signs out and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  await hubRequest('/api/staff/sign-out', { json: {} });
  location.assign('/staff/sign-in/?signed-out=1');
}

/** A cell's content: text, or an element such as a button. */
export type Cell = string | Node | (string | Node)[];

/** Replaces the contents of `tbody` with rows of cells; text is set as text, never parsed as markup. */
export function fillRows(tbody: HTMLTableSectionElement, rows: Cell[][], empty: string, columns: number): void {
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = tbody.insertRow();
    const td = tr.insertCell();
    td.colSpan = columns;
    td.textContent = empty;
    return;
  }
  for (const cells of rows) {
    const tr = tbody.insertRow();
    cells.forEach((cell, index) => {
      const td = index === 0 ? document.createElement('th') : document.createElement('td');
      if (index === 0) td.scope = 'row';
      td.append(...(Array.isArray(cell) ? cell : [cell]));
      tr.append(td);
    });
  }
}

/** A button whose accessible name says what it acts on ("Revoke" + visually hidden "link Staff room"). */
export function actionButton(
  label: string,
  about: string,
  onClick: (button: HTMLButtonElement) => void,
  variant: 'secondary' | 'warning' = 'secondary',
): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `button button--${variant}`;
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = ` ${about}`;
  button.append(label, hidden);
  button.addEventListener('click', () => onClick(button));
  return button;
}

/** Writes a message into the page's status region (announced by screen readers). */
export function announce(message: string): void {
  const status = document.querySelector('[data-page-status]');
  if (status) status.textContent = message;
}

/** Shows an error in the page's alert region, or clears it. */
export function showError(error: unknown): void {
  const region = document.querySelector<HTMLElement>('[data-page-error]');
  if (!region) return;
  if (error === undefined) {
    region.hidden = true;
    region.replaceChildren();
    return;
  }
  const message = error instanceof Error ? error.message : 'Something went wrong. Reload the page and try again.';
  const title = document.createElement('h2');
  title.className = 'notification__title';
  title.textContent = 'There is a problem';
  const body = document.createElement('p');
  body.textContent = message;
  region.replaceChildren(title, body);
  region.hidden = false;
  if (error instanceof HubRequestError && error.status === 401) {
    const link = document.createElement('a');
    link.href = `/staff/sign-in/?next=${encodeURIComponent(location.pathname)}`;
    link.textContent = 'Sign in again';
    region.append(link);
  }
  region.focus();
}

/** Runs an action from a button or form: clears old errors, shows any new one. */
export async function act(work: () => Promise<void>): Promise<void> {
  showError(undefined);
  try {
    await work();
  } catch (error) {
    showError(error);
  }
}

/**
 * What the static search index holds beyond the built pages: one record per
 * service in the local offer, so a search for a family's need lands on the
 * service itself (`/services/#<id>`) and says how families reach it. Pure: the
 * build's Pagefind step turns these records into index entries.
 */
import { accessRoutes, type Service } from '../content/schema.ts';

/** What each kind of search result is called on the results page. */
export const searchKinds = {
  service: 'Service',
  lesson: 'Lesson',
  film: 'Film clip',
  webinar: 'Webinar',
} as const;
export type SearchKind = keyof typeof searchKinds;

/** One page of the index that has no file of its own. */
export interface SearchRecord {
  /** Where the result links to. @example "/services/#food-and-crisis-support" */
  url: string;
  /** An HTML document for Pagefind to read: title, text, weights and meta. */
  html: string;
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** How families reach a service, as one sentence: "Drop in. Families can refer themselves." */
export function howFamiliesReach(service: Service): string {
  return `${service.access.map((route) => accessRoutes[route]).join('. ')}.`;
}

/**
 * The search record of one service. Its name and the words families use for
 * their need (`searchTerms`) weigh most; the summary and who it is for follow.
 */
export function serviceSearchRecord(id: string, service: Service): SearchRecord {
  const meta = (key: string, value: string) => `<span data-pagefind-meta="${key}:${escapeHtml(value)}"></span>`;
  const html = [
    '<!doctype html><html lang="en"><head><title>',
    escapeHtml(service.name),
    '</title></head><body><main data-pagefind-body>',
    meta('kind', searchKinds.service),
    meta('reach', howFamiliesReach(service)),
    `<h1 data-pagefind-meta="title">${escapeHtml(service.name)}</h1>`,
    `<p>${escapeHtml(service.summary)}</p>`,
    `<p>${escapeHtml(service.who)}</p>`,
    service.searchTerms.length > 0 ? `<p data-pagefind-weight="8">${escapeHtml(service.searchTerms.join('. '))}.</p>` : '',
    '</main></body></html>',
  ].join('');
  return { url: `/services/#${id}`, html };
}

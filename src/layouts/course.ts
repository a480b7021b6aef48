/**
 * The validated course as pages see it. Astro's collections hold the data;
 * this module gathers the pieces every page needs, once.
 */
import { getCollection, getEntry } from 'astro:content';
import { catalogueOf, type Catalogue } from '../lib/plan/index.ts';
import type { Matrix, NationalContact, Site, Webinar } from '../lib/content/index.ts';

/** The council's settings from courses/site.yaml. */
export async function loadSite(): Promise<Site> {
  const entry = await getEntry('site', 'site');
  if (!entry) throw new Error('courses/site.yaml did not load');
  return entry.data;
}

/** The workforce development matrix from courses/matrix.yaml. */
export async function loadMatrix(): Promise<Matrix> {
  const entry = await getEntry('matrix', 'matrix');
  if (!entry) throw new Error('courses/matrix.yaml did not load');
  return entry.data;
}

/** Every module, film and webinar, keyed by id. */
export async function loadCatalogue(): Promise<Catalogue> {
  const modules = Object.fromEntries((await getCollection('modules')).map((entry) => [entry.id, entry.data]));
  const films = Object.fromEntries((await getCollection('films')).map((entry) => [entry.id, entry.data]));
  return catalogueOf(modules, films, await loadWebinars());
}

/** Every webinar, keyed by id. */
export async function loadWebinars(): Promise<Record<string, Webinar>> {
  return Object.fromEntries((await getCollection('webinars')).map((entry) => [entry.id, entry.data]));
}

/**
 * When this build runs: sessions that have started by now are never offered as upcoming. Pages check again with the
 * reader's clock, so a page built last week does not offer a webinar that started yesterday.
 */
export const buildTime = new Date();

/** A national contact from site.yaml for a lesson component, or a build error naming the component. */
export async function loadNationalContact(component: 'Call' | 'National', of: string): Promise<NationalContact> {
  const contact = (await loadSite()).nationalContacts[of];
  if (!contact) throw new Error(`<${component} of="${of}" />: site.yaml has no nationalContacts.${of}`);
  return contact;
}

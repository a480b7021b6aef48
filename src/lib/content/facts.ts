/**
 * The course facts a page embeds as JSON (`<script id="fh-course">`, written by
 * CourseData.astro from `courses/`), so its scripts derive progress without
 * fetching anything. Checked when read, without zod, so pages stay light: the
 * build already validated the content, and this only guards against a page
 * whose data was cut short or changed after the build.
 */
import type { Catalogue } from '../plan/index.ts';
import type { Matrix } from './schema.ts';

export interface CourseFacts {
  /** The council's name, as certificates print it. */
  council: string;
  /** The site's public address; every IRI sits under it. */
  siteUrl: string;
  /** The council's time zone, in which certificates, calendar files and the lead's table give their dates. */
  timeZone: string;
  /** Path of the council logo under the site, if it has one. */
  logo?: string;
  districts: { id: string; name: string }[];
  matrix: Matrix;
  catalogue: Catalogue;
}

/** The page's course facts are missing or damaged; `field` names what is wrong. */
export class CourseFactsError extends Error {
  readonly field: string;
  constructor(field: string, detail: string) {
    super(
      `This page's course data is damaged (${field} ${detail}), so your learning cannot be shown. Reload the page. If this keeps happening, tell the council's learning team.`,
    );
    this.name = 'CourseFactsError';
    this.field = field;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the course facts from the page's JSON. @throws CourseFactsError naming the field that is missing or wrong */
export function parseCourseFacts(text: string | null | undefined): CourseFacts {
  if (!text) throw new CourseFactsError('fh-course', 'is missing');
  let facts: unknown;
  try {
    facts = JSON.parse(text);
  } catch {
    throw new CourseFactsError('fh-course', 'is not complete JSON');
  }
  if (!isObject(facts)) throw new CourseFactsError('fh-course', 'is not an object');
  for (const field of ['council', 'siteUrl', 'timeZone'] as const) {
    if (typeof facts[field] !== 'string' || !facts[field]) throw new CourseFactsError(field, 'must be text');
  }
  if (!Array.isArray(facts['districts'])) throw new CourseFactsError('districts', 'must be a list');
  const matrix = facts['matrix'];
  if (!isObject(matrix)) throw new CourseFactsError('matrix', 'is missing');
  for (const field of ['levels', 'roles'] as const) {
    if (!Array.isArray(matrix[field]) || matrix[field].length === 0) throw new CourseFactsError(`matrix.${field}`, 'must be a list');
  }
  if (!isObject(facts['catalogue'])) throw new CourseFactsError('catalogue', 'is missing');
  return facts as unknown as CourseFacts;
}

/**
 * The course as the hub sees it: `courses/` read and checked by the same
 * src/lib/content code as the build, once at start, so the hub derives progress
 * against exactly what the site publishes.
 */
import { createHash } from 'node:crypto';
import type { Matrix, Site } from '../../lib/content/index.ts';
import { readCourse } from '../../lib/content/read.ts';
import { catalogueOf, type Catalogue } from '../../lib/plan/index.ts';

export interface HubCourse {
  site: Site;
  matrix: Matrix;
  catalogue: Catalogue;
  /**
   * A digest of what progress depends on (the matrix and every item's version).
   * When it changes, every learner's progress is derived again.
   */
  version: string;
}

/** Reads `courses/` under `root`. @throws ContentError naming every file and field at fault */
export function loadHubCourse(root: string): HubCourse {
  const course = readCourse(root);
  const catalogue = catalogueOf(course.modules, course.films, course.webinars);
  const versions = Object.fromEntries(
    Object.entries(catalogue)
      .map(([id, item]) => [id, item.version] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const version = createHash('sha256')
    .update(JSON.stringify({ matrix: course.matrix, versions, siteUrl: course.site.siteUrl, timeZone: course.site.timeZone }))
    .digest('hex')
    .slice(0, 16);
  return { site: course.site, matrix: course.matrix, catalogue, version };
}

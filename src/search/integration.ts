/**
 * Builds the static search index at the end of `astro build`, so `npm run build`
 * and `npm start` ship it in dist/pagefind/. Pages opt in with
 * `data-pagefind-body`; services are added as records of their own.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import type { Course } from '../lib/content/index.ts';
import { serviceSearchRecord } from '../lib/search/index.ts';

/** Thrown when Pagefind reports a problem, so the build fails instead of shipping a partial index. */
export class SearchIndexError extends Error {
  constructor(messages: readonly string[]) {
    super(`The search index could not be built:\n${messages.join('\n')}`);
    this.name = 'SearchIndexError';
  }
}

/** The Astro integration that writes dist/pagefind/ for the course's pages and services. */
export function searchIndex(course: Course): AstroIntegration {
  return {
    name: 'family-hub-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
        if (!index) throw new SearchIndexError(errors);
        try {
          const problems: string[] = [];
          const pages = await index.addDirectory({ path: outDir });
          problems.push(...pages.errors);
          for (const [id, service] of Object.entries(course.services)) {
            const { url, html } = serviceSearchRecord(id, service);
            problems.push(...(await index.addHTMLFile({ url, content: html })).errors);
          }
          problems.push(...(await index.writeFiles({ outputPath: `${outDir.replace(/\/$/, '')}/pagefind` })).errors);
          if (problems.length > 0) throw new SearchIndexError(problems);
          logger.info(`Search index: ${pages.page_count} pages and ${Object.keys(course.services).length} services`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}

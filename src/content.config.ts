/**
 * Astro's view of `courses/`. The schemas live in src/lib/content so the
 * build-time cross-checks (astro.config.mjs) and the tests use the same ones.
 */
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { parse as parseYaml } from 'yaml';
import { filmSchema, glossarySchema, matrixSchema, moduleSchema, quizSchema, serviceSchema, siteSchema, webinarSchema } from './lib/content/index.ts';

const single = (id: string) => (text: string) => ({ [id]: parseYaml(text) as Record<string, unknown> });
const folderName = ({ entry }: { entry: string }) => entry.split('/')[0] ?? entry;

export const collections = {
  site: defineCollection({ loader: file('courses/site.yaml', { parser: single('site') }), schema: siteSchema }),
  matrix: defineCollection({ loader: file('courses/matrix.yaml', { parser: single('matrix') }), schema: matrixSchema }),
  modules: defineCollection({
    loader: glob({ base: './courses/modules', pattern: '*/index.mdx', generateId: folderName }),
    schema: moduleSchema,
  }),
  quizzes: defineCollection({
    loader: glob({ base: './courses/modules', pattern: '*/quiz.yaml', generateId: folderName }),
    schema: quizSchema,
  }),
  films: defineCollection({ loader: glob({ base: './courses/films', pattern: '*.yaml' }), schema: filmSchema }),
  glossary: defineCollection({ loader: file('courses/glossary.yaml', { parser: single('glossary') }), schema: glossarySchema }),
  services: defineCollection({ loader: glob({ base: './courses/services', pattern: '*.yaml' }), schema: serviceSchema }),
  webinars: defineCollection({ loader: glob({ base: './courses/webinars', pattern: '*.yaml' }), schema: webinarSchema }),
};

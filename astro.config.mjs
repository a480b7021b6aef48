// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { readCourse } from './src/lib/content/read.ts';
import { searchIndex } from './src/search/integration.ts';
import { publicSigningKeys } from './src/jwks/integration.ts';

const course = readCourseOrExit();

/** Fails the build with every content mistake listed by file and field. */
function readCourseOrExit() {
  try {
    return readCourse(process.cwd());
  } catch (error) {
    if (error instanceof Error && error.name === 'ContentError') {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export default defineConfig({
  site: course.site.siteUrl,
  trailingSlash: 'always',
  integrations: [mdx(), searchIndex(course), publicSigningKeys()],
  build: { format: 'directory', inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});

import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../support/static-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Serves the production build once for every browser test file. */
export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('There is no production build: run `npm run build` before the browser tests.');
  const { server, baseUrl } = await serveStatic('dist');
  project.provide('baseUrl', baseUrl);
  return () => new Promise<void>((done) => server.close(() => done()));
}

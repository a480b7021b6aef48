/**
 * The About resource (/xapi/about): the xAPI versions this LRS speaks. It needs
 * no credentials and no version header, so a client can ask before it knows either.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Communication.md#28-about-resource
 */
import { Hono } from 'hono';
import type { HubDeps } from '../app.ts';

/** Every version this LRS accepts in X-Experience-API-Version and stores statements for. */
export const supportedVersions = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'] as const;

export function aboutRoutes(_deps: HubDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ version: [...supportedVersions], extensions: {} }));
  return app;
}

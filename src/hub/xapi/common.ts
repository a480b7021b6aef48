/**
 * What every xAPI resource shares: the error type, the version header, and
 * reading a JSON body with a clear refusal.
 */
import type { Context, MiddlewareHandler } from 'hono';

export type HubErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 428 | 429 | 503;

/** A refusal the client caused: becomes JSON { error, where } with this status. */
export class HubError extends Error {
  readonly status: HubErrorStatus;
  /** Where in the request the problem is, e.g. "statement[3].actor.account.homePage". */
  readonly where: string | undefined;
  constructor(status: HubErrorStatus, message: string, where?: string) {
    super(message);
    this.name = 'HubError';
    this.status = status;
    this.where = where;
  }
}

/** The version this LRS speaks when a client asks for 1.0.x. */
export const xapiVersion = '1.0.3';
const supportedVersion = /^(1\.0(\.[0-9]+)?|2\.0(\.[0-9]+)?)$/;

/**
 * The version to answer with for a request's X-Experience-API-Version header: 2.0.0
 * to a 2.0 client, otherwise 1.0.3. A request that names no version gets 1.0.3 (ADL's
 * 1.0.3 conformance suite requires that; its 2.0 suite would like 2.0.0).
 */
export function responseVersion(requested: string | undefined): string {
  return requested && /^2\.0/.test(requested) ? '2.0.0' : xapiVersion;
}

/**
 * Requires X-Experience-API-Version on every request except those listed in
 * `optional` (About), and sets it on every response, errors included.
 */
export function versionHeader(optional: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const requested = c.req.header('X-Experience-API-Version');
    c.header('X-Experience-API-Version', responseVersion(requested));
    if (c.req.method !== 'OPTIONS' && !optional(c.req.path)) {
      if (requested === undefined) throw new HubError(400, 'the X-Experience-API-Version header is missing; send "1.0.3"', 'X-Experience-API-Version');
      if (!supportedVersion.test(requested.trim()))
        throw new HubError(400, `X-Experience-API-Version "${requested}" is not a version this LRS supports (1.0.x or 2.0.x)`, 'X-Experience-API-Version');
    }
    await next();
    c.header('X-Experience-API-Version', responseVersion(requested));
  };
}

/** Turns an error into the JSON reply; anything not a HubError is a 500 that names nothing internal. */
export function errorResponse(error: unknown, c: Context): Response {
  const version = responseVersion(c.req.header('X-Experience-API-Version'));
  if (error instanceof HubError) {
    const headers: Record<string, string> = { 'X-Experience-API-Version': version };
    if (error.status === 401) headers['WWW-Authenticate'] = 'Basic realm="xAPI"';
    return c.json(error.where === undefined ? { error: error.message } : { error: error.message, where: error.where }, error.status, headers);
  }
  console.error(error);
  return c.json({ error: 'the hub could not complete this request' }, 500, { 'X-Experience-API-Version': version });
}

/** Parses JSON text, refusing with 400 and the reason when it is not JSON. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HubError(400, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, where);
  }
}

/** Parses a query parameter that holds JSON (agent, …), naming the parameter when it is not JSON. */
export function jsonParam(c: Context, name: string): unknown {
  const text = c.req.query(name);
  return text === undefined ? undefined : parseJson(text, name);
}

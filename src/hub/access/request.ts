/**
 * Reading the site API's requests: a JSON body checked against a zod schema, and
 * ids in the path, each refused with 400 or 404 naming the field.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { HubError } from '../xapi/common.ts';

/** The JSON body, checked; 400 naming the first field that is wrong. */
export async function readBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HubError(400, 'the request body must be JSON', 'body');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError(400, issue.message, issue.path.join('.') || 'body');
  }
  return parsed.data;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid from the path; anything else is 404, as a row that does not exist would be. */
export function idParam(c: Context, name = 'id'): string {
  const value = c.req.param(name);
  if (!value || !uuidPattern.test(value)) throw new HubError(404, 'there is nothing at this address');
  return value.toLowerCase();
}

/** A person's or organisation's name: any script, trimmed, 1–200 characters. */
export const nameField = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(200, `${what} must be 200 characters or fewer`);

export const uuidField = (what: string) => z.string({ error: `${what} must be text` }).regex(uuidPattern, `${what} must be an id from this hub`);

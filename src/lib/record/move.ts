/**
 * Moving learning to another account, as when a learner enrols on the hub and
 * confirms the learning in this browser is theirs. Statements never change, so a
 * move makes a new statement for each old one: the same content with the new
 * actor and a new id. The new id is derived from the old id and the account, so
 * moving again (after a page closed half-way) makes the same statements, which
 * the store and the hub take as already recorded.
 */
import type { Agent, Statement } from '@xapi/xapi';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A version 8 (name-based, SHA-256) UUID for `name`, as RFC 9562 allows. */
export async function nameBasedUuid(name: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name))).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The statements as `actor`'s: each with the new actor and a new id, and any
 * reference to a moved statement (a StatementRef object or context.statement)
 * pointing at its new id. What the LRS added (stored, authority, version) is left
 * behind, since the statements have not been stored anywhere as the new actor.
 */
export async function moveStatements(statements: readonly Statement[], actor: Agent): Promise<Statement[]> {
  const account = actor.account;
  if (!account) throw new Error('learning can be moved only to an account (homePage and name)');
  const ids = new Map<string, string>();
  for (const statement of statements) {
    if (statement.id) ids.set(statement.id, await nameBasedUuid(`${statement.id} ${account.homePage} ${account.name}`));
  }
  const renamed = (ref: unknown): unknown => (isObject(ref) && typeof ref.id === 'string' && ids.has(ref.id) ? { ...ref, id: ids.get(ref.id) } : ref);
  return statements.map((statement) => {
    const { stored: _stored, authority: _authority, version: _version, ...rest } = statement as Statement & Json;
    const moved: Json = { ...rest, id: statement.id ? ids.get(statement.id) : undefined, actor };
    if (isObject(moved.object) && moved.object.objectType === 'StatementRef') moved.object = renamed(moved.object);
    if (isObject(moved.context) && moved.context.statement !== undefined) moved.context = { ...moved.context, statement: renamed(moved.context.statement) };
    return moved as unknown as Statement;
  });
}

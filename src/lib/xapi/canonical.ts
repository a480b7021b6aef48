/**
 * Canonical JSON: one text for equal data whatever the order of its keys. The
 * certificate's integrity code hashes it; imports compare statements with it.
 */
import type { Statement } from '@xapi/xapi';

/** Thrown when a value cannot be written as canonical JSON; `path` says where. */
export class CanonicalJsonError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`${path || 'The value'} cannot be stored as evidence: ${reason}.`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function writeCanonical(value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a finite number`);
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) throw new CanonicalJsonError(`${path}[${index}]`, 'undefined is not JSON');
      writeCanonical(item, `${path}[${index}]`, out);
    });
    out.push(']');
  } else if (typeof value === 'object' && isPlainObject(value)) {
    out.push('{');
    // Keys sorted by UTF-16 code units, as RFC 8785 (JSON Canonicalization Scheme) does.
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      writeCanonical(value[key], path ? `${path}.${key}` : key, out);
    });
    out.push('}');
  } else {
    throw new CanonicalJsonError(path, `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value} is not plain JSON`);
  }
}

/** Writes JSON with object keys sorted and no whitespace, so equal data always gives equal text. @throws CanonicalJsonError */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, '', out);
  return out.join('');
}

/**
 * Properties an LRS adds or may change when it stores a statement; xAPI says
 * differences in them must be ignored when statements are compared.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md#231-statement-comparison-requirements
 */
const assignedByStore = ['stored', 'authority', 'version'];

/** The canonical JSON of a statement without what an LRS adds, so equal statements give equal text. @throws CanonicalJsonError */
export function canonicalStatement(statement: Statement | Record<string, unknown>): string {
  const own = Object.fromEntries(Object.entries(statement).filter(([key]) => !assignedByStore.includes(key)));
  return canonicalJson(own);
}

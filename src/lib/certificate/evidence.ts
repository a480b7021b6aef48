/**
 * The evidence a certificate carries: what it states plus the learner's own
 * statements, in one canonical JSON form whose SHA-256 gives the integrity code.
 */
import { z } from 'zod';

/** The `format` value that marks evidence as ours. */
export const evidenceFormat = 'fh-certificate-evidence';

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

/** SHA-256 of the bytes, through Web Crypto (browsers and Node alike). */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Lower-case hexadecimal of the bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The short code printed on a certificate: the first 12 hex digits of the evidence's SHA-256, e.g. "7F3A-92C1-0B5E". */
export async function integrityCodeOf(canonicalEvidence: string): Promise<string> {
  const digits = toHex(await sha256(new TextEncoder().encode(canonicalEvidence))).slice(0, 12).toUpperCase();
  return digits.match(/.{4}/g)?.join('-') ?? digits;
}

const isoDate = z.string().refine((text) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text) && !Number.isNaN(Date.parse(text)), {
  message: 'must be an ISO 8601 date such as 2026-03-12',
});

/** A requirement as the evidence records it. */
export const evidenceRequirementSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  kind: z.enum(['module', 'film']),
  completedAt: isoDate,
  score: z.number().min(0).max(1).optional(),
  renewalDate: isoDate,
});

/** The JSON file embedded in every certificate as `evidence.json`. */
export const evidenceSchema = z.object({
  format: z.literal(evidenceFormat),
  version: z.literal(1),
  certificate: z.object({
    id: z.uuid(),
    kind: z.enum(['role', 'module']),
    issuedAt: isoDate,
    validUntil: isoDate,
    council: z.object({ name: z.string().min(1), siteUrl: z.string().min(1) }),
    learner: z.object({
      name: z.string().min(1),
      /** Printed instead of `name` when the name's script cannot be drawn. */
      latinName: z.string().min(1).optional(),
      organisation: z.string().min(1),
      roleName: z.string().min(1),
      tier: z.number().int().min(1),
      tierName: z.string().min(1),
    }),
    requirements: z.array(evidenceRequirementSchema).min(1),
  }),
  matrixVersion: z.string().min(1),
  /** The learner profile as the record keeps it. */
  profile: z.record(z.string(), z.unknown()),
  /** The xAPI statements the certificate rests on. */
  statements: z.array(z.record(z.string(), z.unknown())),
});
export type CertificateEvidence = z.infer<typeof evidenceSchema>;

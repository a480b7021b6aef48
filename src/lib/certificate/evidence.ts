/**
 * The evidence a certificate carries: what it states plus the learner's own
 * statements, in one canonical JSON form whose SHA-256 gives the integrity code.
 */
import { z } from '../profile/zod.ts';

/** The `format` value that marks evidence as ours. */
export const evidenceFormat = 'fh-certificate-evidence';

export { canonicalJson, CanonicalJsonError } from '../xapi/canonical.ts';

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
  const digits = toHex(await sha256(new TextEncoder().encode(canonicalEvidence)))
    .slice(0, 12)
    .toUpperCase();
  return digits.match(/.{4}/g)?.join('-') ?? digits;
}

const isoDate = z.string().check(
  z.refine((text) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text) && !Number.isNaN(Date.parse(text)), {
    message: 'must be an ISO 8601 date such as 2026-03-12',
  }),
);

/** A requirement as the evidence records it. */
export const evidenceRequirementSchema = z.object({
  id: z.string().check(z.minLength(1)),
  title: z.string().check(z.minLength(1)),
  kind: z.enum(['module', 'film', 'webinar']),
  completedAt: isoDate,
  score: z.optional(z.number().check(z.gte(0), z.lte(1))),
  renewalDate: isoDate,
});

/** A requirement as evidence and signed claims record it: only these fields, score only when there is one. */
export function evidenceRequirementOf(requirement: z.input<typeof evidenceRequirementSchema>): z.infer<typeof evidenceRequirementSchema> {
  return {
    id: requirement.id,
    title: requirement.title,
    kind: requirement.kind,
    completedAt: requirement.completedAt,
    ...(requirement.score === undefined ? {} : { score: requirement.score }),
    renewalDate: requirement.renewalDate,
  };
}

/** The evidence format version this code writes. */
export const evidenceVersion = 2;

const learnerFields = {
  name: z.string().check(z.minLength(1)),
  /** Printed instead of `name` when the name's script cannot be drawn. */
  latinName: z.optional(z.string().check(z.minLength(1))),
  organisation: z.string().check(z.minLength(1)),
  roleName: z.string().check(z.minLength(1)),
};

/** Evidence around a certificate's learner, the same in every version. */
const evidenceWith = <Version extends number, Learner extends z.core.$ZodLooseShape>(version: Version, learner: Learner) =>
  z.object({
    format: z.literal(evidenceFormat),
    version: z.literal(version),
    certificate: z.object({
      id: z.uuid(),
      kind: z.enum(['role', 'module']),
      issuedAt: isoDate,
      validUntil: isoDate,
      council: z.object({ name: z.string().check(z.minLength(1)), siteUrl: z.string().check(z.minLength(1)) }),
      learner: z.object({ ...learnerFields, ...learner }),
      requirements: z.array(evidenceRequirementSchema).check(z.minLength(1)),
    }),
    matrixVersion: z.string().check(z.minLength(1)),
    /** The learner profile as the record keeps it. */
    profile: z.record(z.string(), z.unknown()),
    /** The xAPI statements the certificate rests on. */
    statements: z.array(z.record(z.string(), z.unknown())),
  });

/** The JSON file embedded in every certificate as `evidence.json`, as this code writes it (version 2). */
export const evidenceSchema = z.extend(
  evidenceWith(evidenceVersion, {
    /** The role's level of contact with families. @example 1 */
    level: z.int().check(z.gte(1)),
    /** @example "Front door" */
    levelName: z.string().check(z.minLength(1)),
  }),
  {
    /**
     * The council's hub's compact JWS (EdDSA) over claims of what its record holds
     * (see claims.ts), present when the hub signed the certificate.
     */
    signature: z.optional(z.string().check(z.minLength(1))),
  },
);
export type CertificateEvidence = z.infer<typeof evidenceSchema>;

/**
 * Version 1, issued before the site said "level" everywhere: the same facts, with
 * the level as `tier` and `tierName`. Certificates in people's hands carry it and
 * must keep verifying.
 */
const evidenceV1Schema = evidenceWith(1, { tier: z.int().check(z.gte(1)), tierName: z.string().check(z.minLength(1)) });

/**
 * Reads evidence of any version this site has written, as the current version:
 * a version 1 learner's `tier` and `tierName` become `level` and `levelName`.
 * The integrity code is computed from the JSON as it was read, never from this.
 */
export function readEvidence(json: unknown): ReturnType<typeof evidenceSchema.safeParse> {
  const version = typeof json === 'object' && json !== null && 'version' in json ? json.version : undefined;
  if (version !== 1) return evidenceSchema.safeParse(json);
  const parsed = evidenceV1Schema.safeParse(json);
  if (!parsed.success) return parsed as unknown as ReturnType<typeof evidenceSchema.safeParse>;
  const { tier, tierName, ...learner } = parsed.data.certificate.learner;
  const certificate = { ...parsed.data.certificate, learner: { ...learner, level: tier, levelName: tierName } };
  return { success: true, data: { ...parsed.data, version: evidenceVersion, certificate } };
}

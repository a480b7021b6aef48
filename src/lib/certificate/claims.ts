/**
 * What a council's hub signs for a certificate: the facts its own record holds
 * (learner, organisation, role, level, each item with its date and score), made
 * from the same certificate input the browser prints, so the two can be
 * compared field by field. The signature proves what the council's record
 * holds, not who did the learning.
 */
import { z } from 'zod';
import { evidenceRequirementOf, evidenceRequirementSchema, type CertificateEvidence } from './evidence.ts';
import type { CertificateInput } from './input.ts';

/** The claims inside a certificate's JWS. */
export const certificateClaimsSchema = z.object({
  /** The hub's public address. */
  iss: z.string().min(1),
  /** The learner's account name (their person id) on the hub. */
  sub: z.string().min(1),
  /** When the hub signed, in seconds since 1970 (RFC 7519). */
  iat: z.number().int().positive(),
  /** The certificate id the claims belong to. */
  jti: z.uuid(),
  kind: z.enum(['role', 'module']),
  /** @example "Brookfield Council" */
  council: z.string().min(1),
  learner: z.object({
    name: z.string().min(1),
    organisation: z.string().min(1),
    roleName: z.string().min(1),
    level: z.number().int().min(1),
    levelName: z.string().min(1),
  }),
  requirements: z.array(evidenceRequirementSchema).min(1),
  validUntil: z.string().min(1),
  matrixVersion: z.string().min(1),
});
export type CertificateClaims = z.infer<typeof certificateClaimsSchema>;

/** The facts a certificate states that claims must match, from either its input or its evidence. */
export interface CertifiedFacts {
  certificateId: string;
  kind: 'role' | 'module';
  learner: { name: string; organisation: string; roleName: string; level: number; levelName: string };
  requirements: readonly z.infer<typeof evidenceRequirementSchema>[];
  validUntil: string;
  matrixVersion: string;
}

/** The claims for a certificate input the hub derived from its own rows. */
export function claimsOf(input: CertificateInput, signer: { issuer: string; subject: string; signedAt: Date }): CertificateClaims {
  return {
    iss: signer.issuer,
    sub: signer.subject,
    iat: Math.floor(signer.signedAt.getTime() / 1000),
    jti: input.certificateId,
    kind: input.kind,
    council: input.council.name,
    learner: {
      name: input.learner.name,
      organisation: input.learner.organisation,
      roleName: input.learner.roleName,
      level: input.learner.level,
      levelName: input.learner.levelName,
    },
    requirements: input.requirements.map(evidenceRequirementOf),
    validUntil: input.validUntil,
    matrixVersion: input.matrixVersion,
  };
}

/** The facts of a certificate input. */
export const factsOfInput = (input: CertificateInput): CertifiedFacts => ({
  certificateId: input.certificateId,
  kind: input.kind,
  learner: input.learner,
  requirements: input.requirements,
  validUntil: input.validUntil,
  matrixVersion: input.matrixVersion,
});

/** The facts of a certificate's evidence. */
export const factsOfEvidence = (evidence: CertificateEvidence): CertifiedFacts => ({
  certificateId: evidence.certificate.id,
  kind: evidence.certificate.kind,
  learner: evidence.certificate.learner,
  requirements: evidence.certificate.requirements,
  validUntil: evidence.certificate.validUntil,
  matrixVersion: evidence.matrixVersion,
});

const sameText = (a: string, b: string) => a.trim().normalize('NFC') === b.trim().normalize('NFC');
// Dates are compared as instants: the hub may write a timestamp in another, equal form.
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/**
 * Where a certificate's facts differ from what the council's record signed, in
 * words (e.g. "the name"), or undefined when they agree on everything signed.
 */
export function claimsMismatch(claims: CertificateClaims, facts: CertifiedFacts): string | undefined {
  if (claims.jti !== facts.certificateId) return 'the certificate ID';
  if (claims.kind !== facts.kind) return 'the kind of certificate';
  if (!sameText(claims.learner.name, facts.learner.name)) return 'the name';
  if (!sameText(claims.learner.organisation, facts.learner.organisation)) return 'the organisation';
  if (!sameText(claims.learner.roleName, facts.learner.roleName) || claims.learner.level !== facts.learner.level) return 'the role or its level';
  if (claims.matrixVersion !== facts.matrixVersion) return 'the matrix version';
  if (claims.requirements.length !== facts.requirements.length) return 'the list of items';
  for (const [index, signed] of claims.requirements.entries()) {
    const stated = facts.requirements[index]!;
    const title = `“${stated.title}”`;
    if (signed.id !== stated.id || signed.kind !== stated.kind) return 'the list of items';
    if (!sameInstant(signed.completedAt, stated.completedAt)) return `the date ${title} was completed`;
    if (signed.score !== stated.score) return `the score for ${title}`;
    if (!sameInstant(signed.renewalDate, stated.renewalDate)) return `the renewal date of ${title}`;
  }
  if (!sameInstant(claims.validUntil, facts.validUntil)) return 'the valid until date';
  return undefined;
}

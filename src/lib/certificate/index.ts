/**
 * PDF certificates against the workforce matrix: build one with its evidence
 * inside, check one, and offer its renewal date as a calendar file.
 * Code that only checks certificates imports ./checking.ts instead.
 */
export { buildCertificate, type BuiltCertificate } from './build.ts';
export { verifyCertificate, maxCertificateBytes, type VerifyResult, type CertificateDetails } from './verify.ts';
export { renewalCalendar, renewalsCalendar, type RenewalReminder } from './calendar.ts';
export { canonicalJson, integrityCodeOf, evidenceSchema, CanonicalJsonError, type CertificateEvidence } from './evidence.ts';
export { maxNameLength, maxRequirements, type CertificateInput } from './input.ts';
export { CertificateInputError, LearnerNameError, CertificateFontError, type LearnerNameProblem } from './errors.ts';
export { scriptsNeeded, canRender, unrenderableCharacters, needsLatinName, type Script, type MissingCharacter } from './scripts.ts';
export type { CertificateFont, CertificateDeps } from './text.ts';
export { certificateInputOf, roleCertificateReady, type CertificateRequest } from './from-progress.ts';
export { claimsOf, claimsMismatch, factsOfInput, certificateClaimsSchema, type CertificateClaims } from './claims.ts';

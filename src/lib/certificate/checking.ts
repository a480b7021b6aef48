/**
 * The part of certificates that only checks them: no fonts, no drawing. Code
 * that never makes a certificate (the lead's import worker, the verify page)
 * imports this entry, so fontkit and the page layout stay out of its bundle.
 */
export { verifyCertificate, maxCertificateBytes, type VerifyResult, type CertificateDetails } from './verify.ts';
export type { CertificateEvidence } from './evidence.ts';

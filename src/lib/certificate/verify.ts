/**
 * Checks a certificate PDF: reads the evidence inside, recomputes the
 * integrity code and the page digest, and says plainly what it found.
 * A self-issued certificate can prove it was not edited, never who earned it.
 */
import { describeProblems, problemsOf } from '../problems/index.ts';
import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import { isExpired } from './dates.ts';
import { canonicalJson, evidenceFormat, integrityCodeOf, readEvidence, type CertificateEvidence } from './evidence.ts';
import { checkJsonLimits, STATEMENT_LIMITS } from '../xapi/index.ts';
import { verifyJws, type Jwks } from '../signing/index.ts';
import { certificateClaimsSchema, claimsMismatch, factsOfEvidence } from './claims.ts';
import {
  DamagedPdfError,
  PdfTooLargeError,
  checkStreamsBeforeLoading,
  contentDigest,
  evidenceFileName,
  infoKeys,
  maxInflatedStreamBytes,
  readEmbeddedFile,
  readInfo,
} from './pdf-objects.ts';

/** Largest file the verify page reads: certificates are well under 1 MB even with Chinese names. */
export const maxCertificateBytes = 5 * 1024 * 1024;

/** What a genuine certificate states. */
export interface CertificateDetails {
  certificateId: string;
  kind: 'role' | 'module';
  councilName: string;
  learnerName: string;
  /** Present when the certificate prints the name in Latin script. */
  latinName: string | undefined;
  organisation: string;
  roleName: string;
  level: number;
  levelName: string;
  issuedAt: string;
  validUntil: string;
  /** Whether `validUntil` had passed at the `now` verification was asked for. */
  expired: boolean;
  integrityCode: string;
  matrixVersion: string;
  requirements: CertificateEvidence['certificate']['requirements'];
  /** How many xAPI statements travel with it. */
  statementCount: number;
  /**
   * Who vouches for it: the council's learning record, whose signature checked
   * against the site's keys ('recorded'), or only the learner's browser ('self-issued').
   * A signature this site has no keys to check counts as self-issued, and says so.
   */
  issuer: { kind: 'recorded'; council: string; recordedAt: string; keyId: string } | { kind: 'self-issued'; uncheckedSignature: boolean };
}

/** The outcome of checking a file, with a reason a person can read. */
export type VerifyResult =
  | {
      status: 'genuine';
      details: CertificateDetails;
      /** What the certificate carries: its statements and profile, for the lead's import. */ evidence: CertificateEvidence;
    }
  | { status: 'edited'; reason: string }
  | { status: 'not-ours'; reason: string }
  | { status: 'unreadable'; reason: string };

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

// A PDF ends with %%EOF; a file cut short in download does not.
function hasPdfEnd(bytes: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 1024)));
  return tail.includes('%%EOF');
}

const edited = (reason: string): VerifyResult => ({ status: 'edited', reason });
const tooLarge = (what: string): VerifyResult => ({
  status: 'unreadable',
  reason: `${what} expands to more than ${maxInflatedStreamBytes / 1_048_576} MB when opened, far more than any certificate; it was not opened further.`,
});

/**
 * The evidence may hold as many statements as a record file, each within the
 * statement limits, two levels further in; it is checked without recursion
 * before canonical JSON (which recurses) reads it.
 */
const evidenceLimits = {
  ...STATEMENT_LIMITS,
  maxDepth: STATEMENT_LIMITS.maxDepth + 2,
  maxArrayLength: STATEMENT_LIMITS.maxStatementsPerFile,
  maxStatementLength: maxInflatedStreamBytes,
};

/**
 * Checks a certificate file. `now` decides whether it has expired (default: the current time), on the calendar of
 * `timeZone` (the council's; default Europe/London).
 */
export async function verifyCertificate(bytes: Uint8Array, options: { now?: Date; timeZone?: string; keys?: Jwks } = {}): Promise<VerifyResult> {
  if (bytes.length > maxCertificateBytes) {
    return {
      status: 'unreadable',
      reason: `The file is ${megabytes(bytes.length)}, more than the ${maxCertificateBytes / 1024 / 1024} MB this page reads; certificates are far smaller. Choose the certificate PDF itself.`,
    };
  }
  if (!hasPdfHeader(bytes)) return { status: 'unreadable', reason: 'This file is not a PDF. Choose the certificate PDF you downloaded.' };
  if (!hasPdfEnd(bytes)) return { status: 'unreadable', reason: 'This PDF is incomplete: the end of the file is missing. Download or copy it again.' };

  let doc: PDFDocument;
  try {
    checkStreamsBeforeLoading(bytes);
  } catch (error) {
    if (error instanceof PdfTooLargeError) return tooLarge('Part of this PDF');
    throw error;
  }
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError) return { status: 'not-ours', reason: 'This PDF is password-protected; certificates from this site never are.' };
    return { status: 'unreadable', reason: 'This PDF is damaged and cannot be read. Download or copy it again.' };
  }

  try {
    return await checkEvidence(doc, options.now ?? new Date(), options.timeZone, options.keys);
  } catch {
    // Objects of unexpected types deep inside a PDF: not something this site wrote.
    return { status: 'unreadable', reason: 'This PDF has a structure the checker cannot follow, so it cannot be a certificate from this site as made.' };
  }
}

async function checkEvidence(doc: PDFDocument, now: Date, timeZone: string | undefined, keys: Jwks | undefined): Promise<VerifyResult> {
  const storedCode = readInfo(doc, infoKeys.integrityCode);
  const storedDigest = readInfo(doc, infoKeys.contentDigest);
  const marked = storedCode !== undefined || storedDigest !== undefined;
  let raw: Uint8Array | undefined;
  try {
    raw = readEmbeddedFile(doc, evidenceFileName);
  } catch (error) {
    if (error instanceof PdfTooLargeError) return tooLarge('The file attached inside this PDF');
    if (error instanceof DamagedPdfError) return edited('The evidence inside the certificate is damaged, so it was changed after it was made.');
    throw error;
  }
  if (!raw) {
    return marked
      ? edited('The evidence inside the certificate has been removed.')
      : {
          status: 'not-ours',
          reason:
            'This PDF has no certificate evidence inside, so it is not a certificate from this site. (Saving a certificate again in another program also removes it.)',
        };
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return edited('The evidence inside the certificate is damaged, so it was changed after it was made.');
  }
  const beyond = checkJsonLimits(json, evidenceLimits);
  if (beyond) {
    return {
      status: 'unreadable',
      reason: `The evidence inside this PDF is not in a form this site writes (${beyond.field || 'evidence'} ${beyond.reason}), so it was not read further.`,
    };
  }
  const format = typeof json === 'object' && json !== null && 'format' in json ? json.format : undefined;
  if (format !== evidenceFormat && !marked) {
    return { status: 'not-ours', reason: 'This PDF carries a file named evidence.json, but not one from this site.' };
  }
  const parsed = readEvidence(json);
  if (!parsed.success) {
    return edited(
      `The evidence inside the certificate is not in the expected form (${describeProblems(problemsOf(parsed.error).slice(0, 1), 'evidence')}), so it was changed after it was made.`,
    );
  }
  if (!storedCode || !storedDigest) {
    return edited('The certificate’s check values are missing: it was changed, or saved again by another program.');
  }
  // The code comes from the JSON as it was read, so a field zod would ignore still counts.
  const canonical = canonicalJson(json);
  const integrityCode = await integrityCodeOf(canonical);
  if (integrityCode !== storedCode) {
    return edited(`The evidence inside was changed after the certificate was made: its integrity code is now ${integrityCode}, not ${storedCode}.`);
  }
  if (doc.getPageCount() !== 1) return edited(`The certificate has ${doc.getPageCount()} pages; certificates from this site have one.`);
  let digest: string;
  try {
    digest = await contentDigest(canonical, doc);
  } catch (error) {
    if (error instanceof PdfTooLargeError) return tooLarge('Part of the certificate page');
    if (error instanceof DamagedPdfError) return edited('The certificate page is damaged, so it was changed after it was made.');
    throw error;
  }
  if (digest !== storedDigest) {
    return edited(
      'The page was changed after the certificate was made (for example the name, a date or the integrity code), so it no longer matches the evidence inside.',
    );
  }

  const { certificate } = parsed.data;
  const issuer = await issuerOf(parsed.data, keys);
  if ('status' in issuer) return issuer;
  return {
    status: 'genuine',
    details: {
      certificateId: certificate.id,
      kind: certificate.kind,
      councilName: certificate.council.name,
      learnerName: certificate.learner.name,
      latinName: certificate.learner.latinName,
      organisation: certificate.learner.organisation,
      roleName: certificate.learner.roleName,
      level: certificate.learner.level,
      levelName: certificate.learner.levelName,
      issuedAt: certificate.issuedAt,
      validUntil: certificate.validUntil,
      expired: isExpired(certificate.validUntil, now, timeZone),
      integrityCode,
      matrixVersion: parsed.data.matrixVersion,
      requirements: certificate.requirements,
      statementCount: parsed.data.statements.length,
      issuer,
    },
    evidence: parsed.data,
  };
}

/**
 * Checks the council's signature, when the evidence carries one, against the
 * site's public keys: it must be good, by a key the site lists, and its claims
 * must match what the certificate states. With no keys at all (a site built
 * without a hub) the certificate counts as self-issued.
 */
async function issuerOf(evidence: CertificateEvidence, keys: Jwks | undefined): Promise<CertificateDetails['issuer'] | VerifyResult> {
  if (evidence.signature === undefined) return { kind: 'self-issued', uncheckedSignature: false };
  if (!keys || keys.keys.length === 0) return { kind: 'self-issued', uncheckedSignature: true };
  const council = evidence.certificate.council.name;
  const check = await verifyJws(evidence.signature, keys);
  if (check.status === 'malformed')
    return edited(`The council’s signature inside the certificate is damaged (${check.reason}), so it was changed after it was made.`);
  if (check.status === 'unknown-key') {
    return {
      status: 'not-ours',
      reason: `It is signed with a key (${check.kid}) that ${council}’s learning record does not list, so this site cannot say the council recorded it. It may come from another council’s site, or the signature was made up.`,
    };
  }
  if (check.status === 'bad-signature') {
    return edited(
      `The council’s signature does not match what it signed, so the signature or the facts it covers were changed after ${council}’s learning record signed them.`,
    );
  }
  const claims = certificateClaimsSchema.safeParse(check.claims);
  if (!claims.success) return edited('The facts the council’s signature covers are not in the expected form, so they were changed.');
  const differs = claimsMismatch(claims.data, factsOfEvidence(evidence));
  if (differs) return edited(`The certificate does not match what ${council}’s learning record signed: ${differs} is different, so it was changed.`);
  return { kind: 'recorded', council: claims.data.council, recordedAt: new Date(claims.data.iat * 1000).toISOString(), keyId: check.kid };
}

/**
 * Reads one handed-in file in the lead's browser: a certificate PDF or a
 * record export. Says plainly what it is, or why it cannot be used; never
 * throws for a bad file, so one bad file never stops the rest.
 */
import { maxCertificateBytes, verifyCertificate, type CertificateEvidence } from '../../lib/certificate/checking.ts';
import { profileSchema, type Profile } from '../../lib/profile/index.ts';
import {
  maxRecordFileSize,
  readRecordFile,
  RecordFileEmptyError,
  RecordFileError,
  RecordFileFormatError,
  RecordFileNotJsonError,
  RecordFileTooLargeError,
} from '../../lib/record/index.ts';
import { validateStatement, type Statement } from '../../lib/xapi/index.ts';
import type { ProfileSighting } from '../../lib/report/index.ts';
import type { Matrix } from '../../lib/content/index.ts';

/** Why a file was not imported. */
export type Refusal = 'not-ours' | 'edited' | 'unreadable' | 'too-big';

/** The first statement of a file left out as invalid, and why. */
export interface InvalidStatement {
  /** Position in the file, from 1. */
  position: number;
  field: string;
  reason: string;
}

/** What one file holds, once read. */
export type FileReading =
  | { ok: true; kind: 'record' | 'certificate'; sighting: ProfileSighting; statements: Statement[]; invalid: number; firstInvalid?: InvalidStatement }
  | { ok: false; refusal: Refusal; reason: string };

const refuse = (refusal: Refusal, reason: string): FileReading => ({ ok: false, refusal, reason });
/** Cuts a detail from a hostile file down to a sentence's length. */
const shorten = (text: string, most = 300) => (text.length > most ? `${text.slice(0, most - 1)}…` : text);
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Keeps the statements that are valid xAPI (within the validator's limits), and counts the rest. */
function validStatements(candidates: readonly unknown[]): { statements: Statement[]; invalid: number; firstInvalid?: InvalidStatement } {
  const statements: Statement[] = [];
  let invalid = 0;
  let firstInvalid: InvalidStatement | undefined;
  candidates.forEach((candidate, index) => {
    const validation = validateStatement(candidate);
    if (validation.ok && validation.statement.id !== undefined) {
      statements.push(validation.statement);
      return;
    }
    invalid += 1;
    const problem = validation.ok ? { field: 'id', reason: 'is missing' } : validation.problems[0]!;
    firstInvalid ??= { position: index + 1, ...problem };
  });
  return { statements, invalid, ...(firstInvalid ? { firstInvalid } : {}) };
}

/** Nothing but white space and perhaps a byte order mark: empty to anyone who opens it. */
function isBlank(bytes: Uint8Array): boolean {
  return bytes.length <= 4096 && /^(?:\u00ef\u00bb\u00bf)?\s*$/.test(new TextDecoder('latin1').decode(bytes));
}

function kindOf(bytes: Uint8Array): 'pdf' | 'json' | 'other' {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  // A byte order mark or white space may come before the opening brace.
  return /^(?:\u00ef\u00bb\u00bf)?\s*\{/.test(head) ? 'json' : 'other';
}

/** The profile a certificate carries, or one put together from what it states for older certificates. */
function certificateProfile(evidence: CertificateEvidence, matrix: Matrix, siteUrl: string): Profile | undefined {
  const parsed = profileSchema.safeParse(evidence.profile);
  if (parsed.success) return parsed.data;
  const { learner } = evidence.certificate;
  const role = matrix.roles.find((candidate) => candidate.name === learner.roleName);
  const account = evidence.statements
    .map((statement) => (statement['actor'] as { account?: { homePage?: unknown; name?: unknown } } | undefined)?.account)
    .find((candidate) => candidate?.homePage === siteUrl && typeof candidate.name === 'string');
  if (!role || !account) return undefined;
  const rebuilt = profileSchema.safeParse({ name: learner.name, organisation: learner.organisation, roleId: role.id, actorId: account.name });
  return rebuilt.success ? rebuilt.data : undefined;
}

async function readCertificate(bytes: Uint8Array, siteUrl: string, matrix: Matrix, now: Date): Promise<FileReading> {
  if (bytes.length > maxCertificateBytes) {
    return refuse('too-big', `It is ${megabytes(bytes.length)}; certificates are far smaller (this page reads up to ${maxCertificateBytes / 1_048_576} MB).`);
  }
  const result = await verifyCertificate(bytes, { now });
  if (result.status !== 'genuine') return refuse(result.status, result.reason);
  const { evidence } = result;
  if (evidence.certificate.council.siteUrl !== siteUrl) {
    return refuse('not-ours', `It was issued by another site (${evidence.certificate.council.siteUrl}), not this one.`);
  }
  const profile = certificateProfile(evidence, matrix, siteUrl);
  if (!profile) return refuse('unreadable', 'It does not say clearly whose certificate it is, so it cannot be placed in the table.');
  return {
    ok: true,
    kind: 'certificate',
    sighting: { homePage: siteUrl, profile, asOf: evidence.certificate.issuedAt },
    ...validStatements(evidence.statements),
  };
}

function readRecord(bytes: Uint8Array, fileName: string, siteUrl: string): FileReading {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('unreadable', 'It is not a text file, so it cannot be a learning record. It may be damaged: ask for it again.');
  }
  let record;
  try {
    record = readRecordFile(text, fileName);
  } catch (error) {
    if (error instanceof RecordFileEmptyError) return refuse('unreadable', 'This file is empty. Ask for it again.');
    if (error instanceof RecordFileTooLargeError) return refuse('too-big', error.message);
    if (error instanceof RecordFileFormatError)
      return refuse('not-ours', `It is a JSON file, but not a learning record from this site (${shorten(error.detail)}).`);
    if (error instanceof RecordFileNotJsonError)
      return refuse('unreadable', 'It is not complete JSON: it may have been cut short or changed. Ask for it again.');
    if (error instanceof RecordFileError) return refuse('unreadable', error.message);
    throw error;
  }
  if (record.siteUrl !== siteUrl) return refuse('not-ours', `It is a learning record from another site (${record.siteUrl}), not this one.`);
  if (!record.profile) {
    return refuse('unreadable', 'It has no name or role in it. Ask the person to enter their details on "My learning" and send their record again.');
  }
  return { ok: true, kind: 'record', sighting: { homePage: siteUrl, profile: record.profile, asOf: record.exportedAt }, ...validStatements(record.statements) };
}

/**
 * Reads a file the lead dropped or chose. Never throws: whatever is in the
 * file, the answer is a reading or a refusal with its reason.
 */
export async function readHandedInFile(file: File, options: { siteUrl: string; matrix: Matrix; now: Date }): Promise<FileReading> {
  try {
    return await readFile(file, options);
  } catch (error) {
    // A fault no check above foresaw still belongs to this file alone.
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return refuse('unreadable', `It could not be read (${shorten(detail)}). It may be damaged: ask for it again.`);
  }
}

async function readFile(file: File, options: { siteUrl: string; matrix: Matrix; now: Date }): Promise<FileReading> {
  if (file.size === 0) return refuse('unreadable', 'This file is empty. Ask for it again.');
  if (file.size > maxRecordFileSize) {
    return refuse(
      'too-big',
      `It is ${megabytes(file.size)}; no certificate or learning record is that large (the limit is ${maxRecordFileSize / 1_048_576} MB).`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return refuse('unreadable', 'The browser could not read it. If it is on a network drive or USB stick, copy it to this computer first.');
  }
  if (isBlank(bytes)) return refuse('unreadable', 'This file is empty. Ask for it again.');
  const kind = kindOf(bytes);
  if (kind === 'pdf') return readCertificate(bytes, options.siteUrl, options.matrix, options.now);
  if (kind === 'json') return readRecord(bytes, file.name, options.siteUrl);
  if (/\.pdf$/i.test(file.name)) return refuse('not-ours', 'Its name ends in .pdf but it is not a PDF, so it is not a certificate from this site.');
  return refuse('not-ours', 'It is neither a certificate PDF nor a learning record file (.json) from this site.');
}

/**
 * Signed statements: an attachment with the signature usage type holds a JWS
 * (compact serialisation) whose payload is the statement as it was signed. The
 * LRS refuses a signature that is malformed, uses an algorithm other than
 * RS256/384/512, does not verify against its x5c certificate, or whose payload
 * is not this statement.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#signed-statements
 */
import { createVerify, X509Certificate } from 'node:crypto';
import { HubError } from './common.ts';
import { sameStatement } from './statements-format.ts';
import { signatureUsage } from './statements-prepare.ts';
import type { AttachmentContent } from './statements-store.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const hashes: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

function decodeJson(part: string, where: string, what: string): Json {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (isObject(value)) return value;
  } catch {
    // reported below
  }
  throw new HubError(400, `the signature's ${what} is not Base64url-encoded JSON`, where);
}

/** Checks each signature attachment of `received` (the statement as sent) against its content. */
export function verifySignatures(received: Json, contents: readonly AttachmentContent[], where: string): void {
  const attachments = Array.isArray(received.attachments) ? (received.attachments as Json[]) : [];
  attachments.forEach((attachment, index) => {
    if (attachment.usageType !== signatureUsage) return;
    const at = `${where}.attachments[${index}]`;
    if (attachment.contentType !== 'application/octet-stream')
      throw new HubError(400, 'a signature attachment must have contentType "application/octet-stream"', `${at}.contentType`);
    const content = contents.find((c) => c.sha2 === String(attachment.sha2).toLowerCase());
    if (!content) throw new HubError(400, 'the signature attachment has no content in the request', at);
    const jws = Buffer.from(content.content).toString('utf8').trim();
    const pieces = jws.split('.');
    if (pieces.length !== 3 || pieces.some((piece) => !/^[A-Za-z0-9_-]*$/.test(piece)))
      throw new HubError(400, 'the signature is not a JWS in compact serialisation', at);
    const [headerPart, payloadPart, signaturePart] = pieces as [string, string, string];
    const header = decodeJson(headerPart, at, 'header');
    const payload = decodeJson(payloadPart, at, 'payload');
    const hash = typeof header.alg === 'string' ? hashes[header.alg] : undefined;
    if (!hash) throw new HubError(400, `the signature uses algorithm "${String(header.alg)}"; xAPI allows RS256, RS384 or RS512`, at);
    if (header.x5c !== undefined) {
      if (!Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string')
        throw new HubError(400, 'the signature header x5c must be a list of Base64 certificates', at);
      let key;
      try {
        key = new X509Certificate(Buffer.from(header.x5c[0], 'base64')).publicKey;
      } catch {
        throw new HubError(400, 'the first x5c certificate in the signature header cannot be read', at);
      }
      const verified = createVerify(hash).update(`${headerPart}.${payloadPart}`).verify(key, Buffer.from(signaturePart, 'base64url'));
      if (!verified) throw new HubError(400, 'the signature does not verify against its x5c certificate', at);
    }
    const original: Json = { ...received, attachments: attachments.filter((a) => a.usageType !== signatureUsage || a.sha2 !== attachment.sha2) };
    if ((original.attachments as Json[]).length === 0) delete original.attachments;
    const signed: Json = { ...payload };
    if (signed.id === undefined) delete original.id;
    if (Array.isArray(signed.attachments)) signed.attachments = (signed.attachments as Json[]).filter((a) => a.usageType !== signatureUsage);
    if (Array.isArray(signed.attachments) && signed.attachments.length === 0) delete signed.attachments;
    if (!sameStatement(signed, original)) throw new HubError(400, 'the signed payload is not the same statement as the one sent', at);
  });
}

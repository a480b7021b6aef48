/**
 * Statements with attachments arrive as multipart/mixed: first the statements as
 * JSON, then one part per attachment carrying X-Experience-API-Hash. Every
 * attachment without a fileUrl must have its part, every part must belong to a
 * statement, and each part's content must hash to what it claims.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#attachments
 */
import { createHash } from 'node:crypto';
import { HubError } from './common.ts';
import type { AttachmentContent } from './statements-store.ts';

export interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

/** The boundary of a multipart/mixed Content-Type, or undefined when it is not multipart/mixed. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed\b/i.test(contentType.trim())) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new HubError(400, 'a multipart/mixed request needs a boundary in its Content-Type', 'Content-Type');
  return boundary;
}

/** Splits a multipart body into parts (headers lower-cased). */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new HubError(400, 'the multipart body does not contain its boundary', 'Content-Type');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw new HubError(400, 'a multipart part has no blank line after its headers');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new HubError(400, 'the multipart body does not end with its closing boundary');
    const headers = new Map<string, string>();
    for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    position = next + 2;
  }
  return parts;
}

const algorithms: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

export function sha2Of(content: Uint8Array, hexLength = 64): string {
  return createHash(algorithms[hexLength] ?? 'sha256')
    .update(content)
    .digest('hex');
}

/**
 * Matches the attachment parts to the attachments the statements declare.
 * Returns the content to store, keyed by hash.
 */
export function matchAttachments(parts: readonly Part[], declared: readonly { sha2: string; contentType: string; required: boolean }[]): AttachmentContent[] {
  const contents = new Map<string, AttachmentContent>();
  parts.forEach((part, index) => {
    const where = `attachment part ${index + 1}`;
    const hash = part.headers.get('x-experience-api-hash');
    if (!hash) throw new HubError(400, `${where} has no X-Experience-API-Hash header`, where);
    const encoding = part.headers.get('content-transfer-encoding');
    if (encoding !== undefined && encoding.toLowerCase() !== 'binary') throw new HubError(400, `${where} must use Content-Transfer-Encoding: binary`, where);
    const actual = sha2Of(part.body, hash.length);
    if (actual !== hash.toLowerCase()) throw new HubError(400, `${where}: its content hashes to ${actual}, not ${hash}`, where);
    const match = declared.find((attachment) => attachment.sha2.toLowerCase() === hash.toLowerCase());
    if (!match) throw new HubError(400, `${where} (hash ${hash}) is not an attachment of any statement in the request`, where);
    contents.set(hash.toLowerCase(), { sha2: hash.toLowerCase(), contentType: part.headers.get('content-type') ?? match.contentType, content: part.body });
  });
  for (const attachment of declared) {
    if (attachment.required && !contents.has(attachment.sha2.toLowerCase())) {
      throw new HubError(
        400,
        `the attachment with sha2 ${attachment.sha2} has no fileUrl, so its content must be sent as a part of the request`,
        'attachments',
      );
    }
  }
  return [...contents.values()];
}

/** A multipart/mixed body: the statements JSON, then each attachment. */
export function multipartBody(json: unknown, attachments: readonly AttachmentContent[]): { body: Buffer; contentType: string } {
  const boundary = `xapi-${createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`)];
  for (const attachment of attachments) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${attachment.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${attachment.sha2}\r\n\r\n`,
      ),
      Buffer.from(attachment.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/mixed; boundary=${boundary}` };
}

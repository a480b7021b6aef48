/**
 * Reading a certificate's insides with pdf-lib's low-level API: the embedded
 * evidence file, the Info dictionary and a canonical form of the page.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  decodePDFRawStream,
  type PDFDocument,
  type PDFObject,
} from 'pdf-lib';
import { sha256, toHex } from './evidence.ts';

/** The name the evidence file has inside the PDF. */
export const evidenceFileName = 'evidence.json';

/** Keys of the PDF Info dictionary that hold what verification compares. */
export const infoKeys = {
  integrityCode: 'FHIntegrityCode',
  contentDigest: 'FHContentDigest',
  certificateId: 'FHCertificateId',
} as const;

/**
 * Most bytes one stream of a certificate may expand to. The largest stream in a
 * certificate is a Chinese font, about 5 MB; a zip bomb expands to gigabytes.
 */
export const maxInflatedStreamBytes = 32 * 1_048_576;
/** How deep the page's dictionaries and arrays may nest (a certificate's go about 6 deep). */
const maxObjectDepth = 64;

/** Thrown when a stream expands to more than {@link maxInflatedStreamBytes}: a zip bomb, not a certificate. */
export class PdfTooLargeError extends Error {
  constructor(what: string) {
    super(`${what} expands to more than ${maxInflatedStreamBytes / 1_048_576} MB.`);
    this.name = 'PdfTooLargeError';
  }
}

/** Thrown when part of a PDF cannot be decoded. */
export class DamagedPdfError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what} could not be read.`, options);
    this.name = 'DamagedPdfError';
  }
}

function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

/**
 * Decodes a stream a chunk at a time and stops as soon as it passes the limit,
 * so a small stream that would expand to gigabytes is never expanded.
 * @throws PdfTooLargeError, DamagedPdfError
 */
function inflateCapped(stream: PDFRawStream, what: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const decoded = decodePDFRawStream(stream);
    for (;;) {
      const chunk = decoded.getBytes(65_536);
      if (chunk.length === 0) break;
      size += chunk.length;
      if (size > maxInflatedStreamBytes) throw new PdfTooLargeError(what);
      chunks.push(new Uint8Array(chunk));
    }
  } catch (error) {
    if (error instanceof PdfTooLargeError) throw error;
    throw new DamagedPdfError(what, { cause: error });
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function streamBytes(stream: PDFStream, what: string): Uint8Array {
  return stream instanceof PDFRawStream ? inflateCapped(stream, what) : stream.getContents();
}

/**
 * pdf-lib expands object streams and cross-reference streams whole while it
 * loads a file, with no limit. This finds them in the raw bytes first and
 * expands each only as far as the limit, so a zip bomb hidden in one is
 * refused before pdf-lib sees it.
 * @throws PdfTooLargeError
 */
export function checkStreamsBeforeLoading(bytes: Uint8Array): void {
  const text = new TextDecoder('latin1').decode(bytes);
  const context = PDFContext.create();
  for (const match of text.matchAll(/\/Type\s*\/(?:ObjStm|XRef)\b/g)) {
    const streamAt = text.indexOf('stream', match.index);
    if (streamAt < 0) break;
    const dictionary = text.slice(Math.max(0, text.lastIndexOf('obj', match.index)), streamAt);
    const filters = [...(/\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dictionary)?.[1] ?? '').matchAll(/\/([A-Za-z0-9]+)/g)].map((name) => name[1] as string);
    if (filters.length === 0) continue;
    let start = streamAt + 'stream'.length;
    if (text[start] === '\r') start += 1;
    if (text[start] === '\n') start += 1;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    const raw = PDFRawStream.of(context.obj({ Filter: filters.length === 1 ? filters[0] : filters }), bytes.subarray(start, end));
    try {
      inflateCapped(raw, 'A stream of objects in the PDF');
    } catch (error) {
      // A stream that cannot be decoded is pdf-lib's to report as damage; only size is checked here.
      if (error instanceof PdfTooLargeError) throw error;
    }
  }
}

/** The Info dictionary, where the certificate keeps its check values. */
export function infoDict(doc: PDFDocument): PDFDict | undefined {
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  return info instanceof PDFDict ? info : undefined;
}

/** Reads a text value from the Info dictionary. */
export function readInfo(doc: PDFDocument, key: string): string | undefined {
  return textOf(infoDict(doc)?.get(PDFName.of(key)));
}

/** Writes a text value into the Info dictionary (pdf-lib has no public call for custom keys). */
export function writeInfo(doc: PDFDocument, key: string, value: string): void {
  const info = infoDict(doc);
  if (!info) throw new DamagedPdfError('The PDF Info dictionary');
  info.set(PDFName.of(key), PDFString.of(value));
}

/**
 * The bytes of an embedded file, or undefined when the PDF has none by that name.
 * Follows catalog → Names → EmbeddedFiles (a name tree, maybe with Kids) → file spec → EF → F.
 * @throws DamagedPdfError when the file is there but cannot be decoded.
 */
export function readEmbeddedFile(doc: PDFDocument, fileName: string): Uint8Array | undefined {
  const { context } = doc;
  const names = context.lookup(doc.catalog.get(PDFName.of('Names')));
  if (!(names instanceof PDFDict)) return undefined;
  const root = context.lookup(names.get(PDFName.of('EmbeddedFiles')));
  // A name tree whose Kids point back up would otherwise be walked for ever.
  const visited = new Set<PDFDict>();
  const visit = (node: PDFObject | undefined, depth: number): PDFDict | undefined => {
    if (!(node instanceof PDFDict) || depth > 16 || visited.has(node)) return undefined;
    visited.add(node);
    const pairs = context.lookup(node.get(PDFName.of('Names')));
    if (pairs instanceof PDFArray) {
      for (let index = 0; index + 1 < pairs.size(); index += 2) {
        const spec = context.lookup(pairs.get(index + 1));
        if (textOf(context.lookup(pairs.get(index))) === fileName && spec instanceof PDFDict) return spec;
      }
    }
    const kids = context.lookup(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) {
      for (let index = 0; index < kids.size(); index++) {
        const found = visit(context.lookup(kids.get(index)), depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  const spec = visit(root, 0);
  if (!spec) return undefined;
  const files = context.lookup(spec.get(PDFName.of('EF')));
  const stream = files instanceof PDFDict ? context.lookup(files.get(PDFName.of('F'))) : undefined;
  if (!(stream instanceof PDFStream)) throw new DamagedPdfError(`The embedded file ${fileName}`);
  return streamBytes(stream, `The embedded file ${fileName}`);
}

/**
 * A canonical byte form of the first page and everything it draws with:
 * content streams decoded, fonts, images, annotations; dictionary keys sorted
 * and objects numbered in the order met, so saving the file again with the
 * same content gives the same bytes.
 */
export function canonicalPage(doc: PDFDocument): Uint8Array {
  const page = doc.getPage(0);
  const { context } = doc;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const write = (text: string): void => {
    chunks.push(encoder.encode(text));
  };
  const seen = new Map<string, number>([[page.ref.toString(), 0]]);

  const walk = (object: PDFObject | undefined, what: string, depth = 0): void => {
    if (depth > maxObjectDepth) throw new DamagedPdfError(`${what} nests objects more than ${maxObjectDepth} deep, so it`);
    if (object instanceof PDFRef) {
      const key = object.toString();
      const known = seen.get(key);
      if (known !== undefined) return write(`@${known} `);
      seen.set(key, seen.size);
      write(`#${seen.size - 1}=`);
      return walk(context.lookup(object), what, depth + 1);
    }
    if (object instanceof PDFStream) {
      walkDict(object.dict, what, ['Length', 'Filter', 'DecodeParms'], depth);
      const bytes = streamBytes(object, what);
      write(`stream ${bytes.length} `);
      chunks.push(bytes);
      return write(' endstream ');
    }
    if (object instanceof PDFDict) return walkDict(object, what, [], depth);
    if (object instanceof PDFArray) {
      write('[');
      object.asArray().forEach((item) => walk(item, what, depth + 1));
      return write('] ');
    }
    write(`${object === undefined ? 'null' : object.toString()} `);
  };
  // Length and filters describe how a stream is stored, not what it says.
  const walkDict = (dict: PDFDict, what: string, skip: string[], depth: number) => {
    write('<<');
    const entries = dict
      .entries()
      .filter(([key]) => key.decodeText() !== 'Parent' && !skip.includes(key.decodeText()))
      .sort(([a], [b]) => (a.decodeText() < b.decodeText() ? -1 : 1));
    for (const [key, value] of entries) {
      write(`${key.toString()} `);
      walk(value, what, depth + 1);
    }
    write('>> ');
  };

  walkDict(page.node, 'The certificate page', [], 0);
  const out = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** SHA-256 (hex) binding the canonical evidence to what the page shows. @throws DamagedPdfError */
export async function contentDigest(canonicalEvidence: string, doc: PDFDocument): Promise<string> {
  const evidence = new TextEncoder().encode(canonicalEvidence);
  const page = canonicalPage(doc);
  const joined = new Uint8Array(evidence.length + 1 + page.length);
  joined.set(evidence);
  joined.set(page, evidence.length + 1);
  return toHex(await sha256(joined));
}

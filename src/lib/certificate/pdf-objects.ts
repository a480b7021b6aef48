/**
 * Reading a certificate's insides with pdf-lib's low-level API: the embedded
 * evidence file, the Info dictionary and a canonical form of the page.
 */
import {
  PDFArray,
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

function streamBytes(stream: PDFStream, what: string): Uint8Array {
  if (!(stream instanceof PDFRawStream)) return stream.getContents();
  try {
    return decodePDFRawStream(stream).decode();
  } catch (error) {
    throw new DamagedPdfError(what, { cause: error });
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
  const visit = (node: PDFObject | undefined, depth: number): PDFDict | undefined => {
    if (!(node instanceof PDFDict) || depth > 16) return undefined;
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

  const walk = (object: PDFObject | undefined, what: string): void => {
    if (object instanceof PDFRef) {
      const key = object.toString();
      const known = seen.get(key);
      if (known !== undefined) return write(`@${known} `);
      seen.set(key, seen.size);
      write(`#${seen.size - 1}=`);
      return walk(context.lookup(object), what);
    }
    if (object instanceof PDFStream) {
      walkDict(object.dict, what, ['Length', 'Filter', 'DecodeParms']);
      const bytes = streamBytes(object, what);
      write(`stream ${bytes.length} `);
      chunks.push(bytes);
      return write(' endstream ');
    }
    if (object instanceof PDFDict) return walkDict(object, what, []);
    if (object instanceof PDFArray) {
      write('[');
      object.asArray().forEach((item) => walk(item, what));
      return write('] ');
    }
    write(`${object === undefined ? 'null' : object.toString()} `);
  };
  // Length and filters describe how a stream is stored, not what it says.
  const walkDict = (dict: PDFDict, what: string, skip: string[]) => {
    write('<<');
    const entries = dict
      .entries()
      .filter(([key]) => key.decodeText() !== 'Parent' && !skip.includes(key.decodeText()))
      .sort(([a], [b]) => (a.decodeText() < b.decodeText() ? -1 : 1));
    for (const [key, value] of entries) {
      write(`${key.toString()} `);
      walk(value, what);
    }
    write('>> ');
  };

  walkDict(page.node, 'The certificate page', []);
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

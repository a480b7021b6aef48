/**
 * Reading and looking at PDFs in tests with pdfjs-dist alone, so no test needs
 * poppler or any other program outside npm: text with its boxes in Node (the
 * legacy build, which runs without a DOM), pictures in the test browser.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';

const require = createRequire(import.meta.url);

/** One run of text as a PDF reader lays it out, in PDF points from the page's bottom left. */
export interface TextBox {
  text: string;
  /** Left edge, baseline and size of the box; a box covers y…y+height above the baseline. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The writing direction pdfjs found for the run. */
  direction: string;
}

/** What one page holds for a reader: its size and its text boxes in content-stream order. */
export interface PdfPageText {
  width: number;
  height: number;
  boxes: TextBox[];
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** The text boxes of every page, as pdfjs's getTextContent gives them (empty runs left out). */
export async function readPdfText(bytes: Uint8Array): Promise<PdfPageText[]> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  // pdfjs takes ownership of the buffer it is given, so give it a copy.
  const document = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: PdfPageText[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const [, , width = 0, height = 0] = page.view;
      const content = await page.getTextContent();
      const boxes: TextBox[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [, , , , x = 0, y = 0] = item.transform as number[];
        boxes.push({ text: item.str, x, y, width: item.width, height: item.height, direction: item.dir });
      }
      pages.push({ width, height, boxes });
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/**
 * Joins a page's boxes into lines of text as a reader would: boxes sharing a
 * baseline, left to right, with a space where there is a visible gap between
 * them. Zero-width boxes are left out: they are marks that shaping split off
 * a letter (Arabic dots, the dot of ị), drawn on top of it, mapped to no character.
 */
export function linesOf(page: PdfPageText): string[] {
  const rows = new Map<number, TextBox[]>();
  for (const box of page.boxes.filter((candidate) => candidate.width > 0.01)) {
    const key = Math.round(box.y);
    rows.set(key, [...(rows.get(key) ?? []), box]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, boxes]) => {
      boxes.sort((a, b) => a.x - b.x);
      let line = '';
      let end = Number.NEGATIVE_INFINITY;
      for (const box of boxes) {
        if (line && box.x - end > box.height * 0.15 && !line.endsWith(' ') && !box.text.startsWith(' ')) line += ' ';
        line += box.text;
        end = box.x + box.width;
      }
      return line;
    });
}

const pdfjsOrigin = 'http://pdfjs.test';

/**
 * Renders every page of a PDF to PNG in the test browser with pdfjs, as a
 * person opening it in a PDF reader would see it. `scale` 1 is 72 dpi.
 */
export async function renderPdfInBrowser(browser: Browser, bytes: Uint8Array, scale = 1.5): Promise<Buffer[]> {
  const context = await browser.newContext();
  try {
    const build = require.resolve('pdfjs-dist/build/pdf.min.mjs').replace(/pdf\.min\.mjs$/, '');
    // The pdfjs files and the PDF come from this process, on a made-up origin, so no server is needed.
    await context.route(`${pdfjsOrigin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>PDF</title>' });
      if (path === '/certificate.pdf') return route.fulfill({ contentType: 'application/pdf', body: Buffer.from(bytes) });
      if (path === '/pdf.min.mjs' || path === '/pdf.worker.min.mjs') return route.fulfill({ contentType: 'text/javascript', body: await readFile(build + path.slice(1)) });
      return route.fulfill({ status: 404, body: '' });
    });
    const page = await context.newPage();
    await page.goto(`${pdfjsOrigin}/`);
    const pngs = await page.evaluate(
      async ({ origin, scale }) => {
        const pdfjsLib = (await import(`${origin}/pdf.min.mjs`)) as typeof import('pdfjs-dist');
        pdfjsLib.GlobalWorkerOptions.workerSrc = `${origin}/pdf.worker.min.mjs`;
        const document = await pdfjsLib.getDocument({ url: `${origin}/certificate.pdf`, isEvalSupported: false }).promise;
        const images: string[] = [];
        for (let number = 1; number <= document.numPages; number++) {
          const pdfPage = await document.getPage(number);
          const viewport = pdfPage.getViewport({ scale });
          const canvas = window.document.createElement('canvas');
          canvas.width = Math.ceil(viewport.width);
          canvas.height = Math.ceil(viewport.height);
          await pdfPage.render({ canvas, viewport }).promise;
          images.push(canvas.toDataURL('image/png'));
        }
        return images;
      },
      { origin: pdfjsOrigin, scale },
    );
    return pngs.map((url) => Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'));
  } finally {
    await context.close();
  }
}

/** A drawn shape's bounding box in PDF points, and how it was painted. */
export interface ShapeBox {
  left: number;
  bottom: number;
  right: number;
  top: number;
  /** 'stroke' for lines, 'image' for pictures (the logo), otherwise the fill colour as pdfjs reports it ("#000000"). */
  paint: string;
}

function boxOf(corners: Array<[number, number]>, paint: string): ShapeBox {
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  return { left: Math.min(...xs), right: Math.max(...xs), bottom: Math.min(...ys), top: Math.max(...ys), paint };
}

/** The bounding boxes of every path on a page (rules, backgrounds, the QR code), with the page's transforms applied. */
export async function readPdfShapes(bytes: Uint8Array, pageNumber = 1): Promise<ShapeBox[]> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument, OPS } = await pdfjs;
  const document = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const page = await document.getPage(pageNumber);
    const { fnArray, argsArray } = await page.getOperatorList();
    type Matrix = [number, number, number, number, number, number];
    let matrix: Matrix = [1, 0, 0, 1, 0, 0];
    let fill = '#000000';
    const stack: Array<{ matrix: Matrix; fill: string }> = [];
    const apply = (x: number, y: number): [number, number] => [matrix[0] * x + matrix[2] * y + matrix[4], matrix[1] * x + matrix[3] * y + matrix[5]];
    const shapes: ShapeBox[] = [];
    fnArray.forEach((fn, index) => {
      const args = argsArray[index] as unknown[];
      if (fn === OPS.save) stack.push({ matrix, fill });
      else if (fn === OPS.restore) ({ matrix, fill } = stack.pop() ?? { matrix, fill });
      else if (fn === OPS.transform) {
        const [a, b, c, d, e, f] = args as Matrix;
        const [m0, m1, m2, m3, m4, m5] = matrix;
        matrix = [a * m0 + b * m2, a * m1 + b * m3, c * m0 + d * m2, c * m1 + d * m3, e * m0 + f * m2 + m4, e * m1 + f * m3 + m5];
      } else if (fn === OPS.setFillRGBColor) fill = String(args[0]);
      else if (fn === OPS.paintImageXObject) {
        // An image fills the unit square of the current transform.
        const corners = [apply(0, 0), apply(1, 1)];
        shapes.push(boxOf(corners, 'image'));
      }
      else if (fn === OPS.constructPath) {
        const [paintOp, , minMax] = args as [number, unknown, ArrayLike<number>];
        const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = Array.from(minMax);
        shapes.push(boxOf([apply(x0, y0), apply(x1, y1)], paintOp === OPS.stroke ? 'stroke' : fill));
      }
    });
    return shapes;
  } finally {
    await document.destroy();
  }
}

/**
 * The ActualText of every marked-content span on the first page: the text as
 * typed, which readers that honour ActualText (poppler, Acrobat) copy instead
 * of the glyphs' own Unicode. pdfjs does not read it, so tests read it here.
 */
export async function readActualTexts(bytes: Uint8Array): Promise<string[]> {
  const { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } = await import('pdf-lib');
  const page = (await PDFDocument.load(bytes, { updateMetadata: false })).getPage(0);
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const source = streams.map((stream) => (stream instanceof PDFRawStream ? new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode()) : '')).join('\n');
  return [...source.matchAll(/\/ActualText\s*<FEFF([0-9A-Fa-f]*)>/g)].map(([, hex = '']) => {
    const units = hex.match(/.{4}/g) ?? [];
    return String.fromCharCode(...units.map((unit) => Number.parseInt(unit, 16)));
  });
}

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

/** Groups boxes into rows that share a baseline, top to bottom, each row left to right. */
export function rowsOf(boxes: TextBox[]): TextBox[][] {
  const rows = new Map<number, TextBox[]>();
  for (const box of boxes) {
    const key = Math.round(box.y);
    rows.set(key, [...(rows.get(key) ?? []), box]);
  }
  return [...rows.entries()].sort(([a], [b]) => b - a).map(([, row]) => row.sort((a, b) => a.x - b.x));
}

/**
 * Joins a page's boxes into lines of text as a reader would: boxes sharing a
 * baseline, left to right, with a space where there is a visible gap between
 * them. Zero-width boxes are left out: they are marks that shaping split off
 * a letter (Arabic dots, the dot of ị), drawn on top of it, mapped to no character.
 */
export function linesOf(page: PdfPageText): string[] {
  return rowsOf(page.boxes.filter((candidate) => candidate.width > 0.01)).map((row) => {
    let line = '';
    let end = Number.NEGATIVE_INFINITY;
    for (const box of row) {
      if (line && box.x - end > box.height * 0.15 && !line.endsWith(' ') && !box.text.startsWith(' ')) line += ' ';
      line += box.text;
      end = box.x + box.width;
    }
    return line;
  });
}

const pdfjsOrigin = 'http://pdfjs.test';

/** A rectangle on the page in PDF points, from the bottom left. */
export interface Region {
  left: number;
  bottom: number;
  right: number;
  top: number;
}

/** How much of a region of the first page is inked, and where the ink starts and ends (PDF points). */
export interface Ink {
  share: number;
  left: number;
  right: number;
}

/**
 * Renders every page of a PDF to PNG in the test browser with pdfjs, as a
 * person opening it in a PDF reader would see it (`scale` 1 is 72 dpi), and
 * measures the ink inside each of `regions` on the first page.
 */
export async function renderPdfInBrowser(
  browser: Browser,
  bytes: Uint8Array,
  scale = 1.5,
  regions: Region[] = [],
): Promise<Array<{ png: Buffer; ink: Ink[] }>> {
  const context = await browser.newContext();
  try {
    const build = require.resolve('pdfjs-dist/build/pdf.min.mjs').replace(/pdf\.min\.mjs$/, '');
    // The pdfjs files and the PDF come from this process, on a made-up origin, so no server is needed.
    await context.route(`${pdfjsOrigin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>PDF</title>' });
      if (path === '/certificate.pdf') return route.fulfill({ contentType: 'application/pdf', body: Buffer.from(bytes) });
      if (path === '/pdf.min.mjs' || path === '/pdf.worker.min.mjs')
        return route.fulfill({ contentType: 'text/javascript', body: await readFile(build + path.slice(1)) });
      return route.fulfill({ status: 404, body: '' });
    });
    const page = await context.newPage();
    await page.goto(`${pdfjsOrigin}/`);
    const pages = await page.evaluate(
      async ({ origin, scale, regions }) => {
        // Written as a string so that Vitest's module transform leaves this browser-side import alone.
        const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<typeof import('pdfjs-dist')>;
        const pdfjsLib = await importModule(`${origin}/pdf.min.mjs`);
        pdfjsLib.GlobalWorkerOptions.workerSrc = `${origin}/pdf.worker.min.mjs`;
        const document = await pdfjsLib.getDocument({ url: `${origin}/certificate.pdf`, isEvalSupported: false }).promise;
        const rendered: Array<{ url: string; ink: Array<{ share: number; left: number; right: number }> }> = [];
        for (let number = 1; number <= document.numPages; number++) {
          const pdfPage = await document.getPage(number);
          const viewport = pdfPage.getViewport({ scale });
          const canvas = window.document.createElement('canvas');
          canvas.width = Math.ceil(viewport.width);
          canvas.height = Math.ceil(viewport.height);
          await pdfPage.render({ canvas, viewport }).promise;
          const context2d = canvas.getContext('2d');
          const pageHeight = pdfPage.view[3] ?? 0;
          const ink = (number === 1 ? regions : []).map((region) => {
            const x = Math.floor(region.left * scale);
            const y = Math.floor((pageHeight - region.top) * scale);
            const width = Math.max(1, Math.ceil((region.right - region.left) * scale));
            const height = Math.max(1, Math.ceil((region.top - region.bottom) * scale));
            const pixels = context2d?.getImageData(x, y, width, height).data ?? new Uint8ClampedArray();
            let dark = 0;
            let first = width;
            let last = -1;
            for (let index = 0; index < width * height; index++) {
              const luminance = 0.299 * (pixels[index * 4] ?? 255) + 0.587 * (pixels[index * 4 + 1] ?? 255) + 0.114 * (pixels[index * 4 + 2] ?? 255);
              if (luminance < 128) {
                dark++;
                const column = index % width;
                first = Math.min(first, column);
                last = Math.max(last, column);
              }
            }
            return { share: dark / (width * height), left: (x + first) / scale, right: (x + last + 1) / scale };
          });
          rendered.push({ url: canvas.toDataURL('image/png'), ink });
        }
        return rendered;
      },
      { origin: pdfjsOrigin, scale, regions },
    );
    return pages.map(({ url, ink }) => ({ png: Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64'), ink }));
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
      } else if (fn === OPS.constructPath) {
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
  const source = streams
    .map((stream) => (stream instanceof PDFRawStream ? new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode()) : ''))
    .join('\n');
  return [...source.matchAll(/\/ActualText\s*<FEFF([0-9A-Fa-f]*)>/g)].map(([, hex = '']) => {
    const units = hex.match(/.{4}/g) ?? [];
    return String.fromCharCode(...units.map((unit) => Number.parseInt(unit, 16)));
  });
}

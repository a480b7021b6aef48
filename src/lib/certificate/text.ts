/**
 * Text on the certificate: fonts, shaping and drawing.
 *
 * pdf-lib's own drawText shapes with fontkit but throws away each glyph's
 * offset, so Arabic dots and other positioned marks land in the wrong place.
 * Here every run is shaped with fontkit and drawn glyph by glyph with those
 * offsets (TJ adjustments and text rise); pdf-lib's encodeText still decides
 * the glyph ids in the subset, so its font embedding stays in charge.
 */
import fontkit from '@pdf-lib/fontkit';
import type { Font as LayoutFont } from '@pdf-lib/fontkit';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  beginText,
  endMarkedContent,
  endText,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  setTextRise,
  type Color,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { CertificateFontError } from './errors.ts';
import { isRightToLeft, scriptsNeeded, splitByScript, type Script } from './scripts.ts';
import { padGlyphs } from './truetype.ts';

/** A font file the certificate may ask the caller for. */
export type CertificateFont = Script | 'latin-greek-cyrillic-bold';

/** How the certificate gets its fonts; the caller reads files (Node) or fetches URLs (browser). */
export interface CertificateDeps {
  loadFont(font: CertificateFont): Promise<Uint8Array>;
}

export type Weight = 'regular' | 'bold';

interface Face {
  pdfFont: PDFFont;
  layout: LayoutFont;
}

interface PreparedFont {
  bytes: Uint8Array;
  layout: LayoutFont;
}

// Fonts are padded and parsed once per byte array, so a caller that keeps its
// font bytes pays for that only on the first certificate.
const prepared = new WeakMap<Uint8Array, PreparedFont>();
const parsedByPadded = new WeakMap<Uint8Array, LayoutFont>();

function prepare(font: CertificateFont, bytes: Uint8Array): PreparedFont {
  let ready = prepared.get(bytes);
  if (!ready) {
    try {
      const padded = padGlyphs(bytes);
      ready = { bytes: padded, layout: fontkit.create(padded) };
      parsedByPadded.set(padded, ready.layout);
    } catch (error) {
      if (error instanceof CertificateFontError) throw error;
      throw new CertificateFontError(`The ${font} certificate font could not be read. Check that the font file is a TrueType font.`, { cause: error });
    }
    prepared.set(bytes, ready);
  }
  return ready;
}

const fontLabels: Record<CertificateFont, string> = {
  'latin-greek-cyrillic': 'Latin, Greek and Cyrillic',
  'latin-greek-cyrillic-bold': 'Latin, Greek and Cyrillic (bold)',
  arabic: 'Arabic',
  cjk: 'Chinese',
};

/** The fonts embedded in one certificate, by script and weight. */
export class FaceSet {
  private readonly faces = new Map<CertificateFont, Face>();
  /** Shaped lines by weight and text: wrapping and fitting measure the same words many times. */
  readonly shaped = new Map<string, ShapedLine>();

  /** Loads and embeds the fonts `texts` need (Latin regular and bold always). */
  static async embed(doc: PDFDocument, deps: CertificateDeps, texts: string[]): Promise<FaceSet> {
    // pdf-lib gets the already parsed font for bytes prepared here, so it does not
    // parse the font's shaping tables again for every certificate.
    doc.registerFontkit({ create: (bytes: Uint8Array) => parsedByPadded.get(bytes) ?? fontkit.create(bytes) });
    const needed = new Set<CertificateFont>(['latin-greek-cyrillic', 'latin-greek-cyrillic-bold']);
    for (const script of scriptsNeeded(texts.join('\n'))) needed.add(script);
    const set = new FaceSet();
    await Promise.all(
      [...needed].map(async (font) => {
        let bytes: Uint8Array;
        try {
          bytes = await deps.loadFont(font);
        } catch (error) {
          throw new CertificateFontError(`The ${fontLabels[font]} font for the certificate could not be loaded. Check the connection and try again.`, { cause: error });
        }
        const ready = prepare(font, bytes);
        set.faces.set(font, { pdfFont: await doc.embedFont(ready.bytes, { subset: true }), layout: ready.layout });
      }),
    );
    return set;
  }

  face(script: Script, weight: Weight): Face {
    const key: CertificateFont = script === 'latin-greek-cyrillic' && weight === 'bold' ? 'latin-greek-cyrillic-bold' : script;
    const face = this.faces.get(key);
    if (!face) throw new CertificateFontError(`The ${fontLabels[key]} font was not loaded for this certificate.`);
    return face;
  }
}

interface ShapedRun {
  face: Face;
  text: string;
  glyphs: Array<{ advanceWidth: number; xAdvance: number; xOffset: number; yOffset: number }>;
  /** Sum of advances, in font units. */
  advance: number;
}

/** A line of text shaped and in visual order, ready to measure and draw. */
export interface ShapedLine {
  text: string;
  runs: ShapedRun[];
  rtl: boolean;
}

/** Shapes one line: splits it by script, shapes each run, orders runs for the line's direction. */
export function shapeLine(text: string, weight: Weight, faces: FaceSet): ShapedLine {
  const key = `${weight}\u0000${text}`;
  const known = faces.shaped.get(key);
  if (known) return known;
  const rtl = isRightToLeft(text);
  const runs = splitByScript(text).runs.map((run): ShapedRun => {
    const face = faces.face(run.script, weight);
    const layout = face.layout.layout(run.text);
    const glyphs = layout.glyphs.map((glyph, index) => {
      const position = layout.positions[index];
      return { advanceWidth: glyph.advanceWidth, xAdvance: position?.xAdvance ?? 0, xOffset: position?.xOffset ?? 0, yOffset: position?.yOffset ?? 0 };
    });
    return { face, text: run.text, glyphs, advance: glyphs.reduce((sum, glyph) => sum + glyph.xAdvance, 0) };
  });
  // In a right-to-left line the runs read from the right; fontkit already orders glyphs inside each run.
  const line = { text, runs: rtl ? runs.reverse() : runs, rtl };
  faces.shaped.set(key, line);
  return line;
}

/** Width of a shaped line at a font size, in points. */
export function widthOf(line: ShapedLine, size: number): number {
  return line.runs.reduce((sum, run) => sum + (run.advance / run.face.layout.unitsPerEm) * size, 0);
}

const round = (value: number) => Math.round(value * 100) / 100;

function actualText(doc: PDFDocument, text: string): PDFDict {
  let hex = 'FEFF';
  for (let index = 0; index < text.length; index++) hex += text.charCodeAt(index).toString(16).padStart(4, '0');
  const properties = PDFDict.withContext(doc.context);
  properties.set(PDFName.of('ActualText'), PDFHexString.of(hex));
  return properties;
}

/** Draws a shaped line with its left edge at x and baseline at y. */
export function drawLine(page: PDFPage, line: ShapedLine, options: { x: number; y: number; size: number; color: Color }): void {
  const { size } = options;
  const doc = page.doc;
  // ActualText gives copy-and-paste and search the text as typed, whatever
  // glyphs shaping chose (ligatures, decomposed marks). Poppler reverses
  // ActualText in right-to-left lines, so those rely on the font's ToUnicode map.
  if (!line.rtl) {
    // pdf-lib types BDC's operands without dictionaries, yet writes them correctly.
    const properties = actualText(doc, line.text) as unknown as PDFName;
    page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Span'), properties]));
  }
  page.pushOperators(beginText(), setFillingColor(options.color));
  let x = options.x;
  for (const run of line.runs) {
    const unitsPerEm = run.face.layout.unitsPerEm;
    const ids = run.face.pdfFont.encodeText(run.text).toString().slice(1, -1).match(/.{4}/g) ?? [];
    if (ids.length !== run.glyphs.length) {
      throw new CertificateFontError(`Shaping “${run.text}” gave ${run.glyphs.length} glyphs but the PDF font encoded ${ids.length}; the font files do not match.`);
    }
    const fontKey = page.node.newFontDictionary(run.face.pdfFont.name, run.face.pdfFont.ref);
    page.pushOperators(setFontAndSize(fontKey, size), setTextMatrix(1, 0, 0, 1, round(x), round(options.y)));
    // Positions in font units: where the PDF text cursor is, and where fontkit's pen is.
    let cursor = 0;
    let pen = 0;
    let rise = 0;
    let shown = PDFArray.withContext(doc.context);
    const flush = () => {
      if (shown.size() > 0) page.pushOperators(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [shown]));
      shown = PDFArray.withContext(doc.context);
    };
    run.glyphs.forEach((glyph, index) => {
      if (glyph.yOffset !== rise) {
        flush();
        rise = glyph.yOffset;
        page.pushOperators(setTextRise(round((rise / unitsPerEm) * size)));
      }
      const target = pen + glyph.xOffset;
      if (target !== cursor) shown.push(PDFNumber.of(round((-(target - cursor) * 1000) / unitsPerEm)));
      shown.push(PDFHexString.of(ids[index] ?? '0000'));
      cursor = target + glyph.advanceWidth;
      pen += glyph.xAdvance;
    });
    flush();
    if (rise !== 0) page.pushOperators(setTextRise(0));
    x += (run.advance / unitsPerEm) * size;
  }
  page.pushOperators(endText());
  if (!line.rtl) page.pushOperators(endMarkedContent());
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Breaks text into lines no wider than maxWidth, at spaces where it can and
 * between characters where it must. Measures word by word (no shaping joins
 * across a space), then shapes each finished line once.
 */
export function wrapText(text: string, weight: Weight, faces: FaceSet, size: number, maxWidth: number): ShapedLine[] {
  const measure = (piece: string) => widthOf(shapeLine(piece, weight, faces), size);
  const space = measure(' ');
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  const push = () => {
    if (current) lines.push(current);
    current = '';
    currentWidth = 0;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const wordWidth = measure(word);
    if (current && currentWidth + space + wordWidth <= maxWidth) {
      current += ` ${word}`;
      currentWidth += space + wordWidth;
      continue;
    }
    push();
    if (wordWidth <= maxWidth) {
      current = word;
      currentWidth = wordWidth;
      continue;
    }
    // A word wider than the line (or text without spaces, as in Chinese): break between characters.
    for (const { segment } of graphemes.segment(word)) {
      const segmentWidth = measure(segment);
      if (current && currentWidth + segmentWidth > maxWidth) push();
      current += segment;
      currentWidth += segmentWidth;
    }
  }
  push();
  return lines.map((line) => shapeLine(line, weight, faces));
}

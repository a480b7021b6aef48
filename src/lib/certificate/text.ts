/**
 * Text on the certificate: fonts, bidirectional ordering, shaping and drawing.
 *
 * Lines are put in visual order by the Unicode Bidirectional Algorithm
 * (UAX #9, through bidi-js), so "Ali علي Khan" keeps its spaces where they
 * belong. pdf-lib's own drawText shapes with fontkit but throws away each
 * glyph's offset, so Arabic dots and other positioned marks land in the wrong
 * place. Here every run is shaped with fontkit and drawn glyph by glyph with
 * those offsets (TJ adjustments and text rise); pdf-lib's encodeText still
 * decides the glyph ids in the subset, so its font embedding stays in charge.
 */
import fontkit from '@pdf-lib/fontkit';
import type { Font as LayoutFont } from '@pdf-lib/fontkit';
import bidiFactory from 'bidi-js';
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
import { scripts, splitByScript, type Script } from './scripts.ts';
import { padGlyphs } from './truetype.ts';

/** A font file the certificate may ask the caller for: a script's regular or bold weight. */
export type CertificateFont = Script | `${Script}-bold`;

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

const scriptLabels: Record<Script, string> = {
  'latin-greek-cyrillic': 'Latin, Greek and Cyrillic',
  arabic: 'Arabic',
  cjk: 'Chinese',
};

const fontOf = (script: Script, weight: Weight): CertificateFont => (weight === 'bold' ? `${script}-bold` : script);
const labelOf = (font: CertificateFont) => {
  const bold = font.endsWith('-bold');
  return `${scriptLabels[(bold ? font.slice(0, -'-bold'.length) : font) as Script]}${bold ? ' (bold)' : ''}`;
};

/** The texts a certificate draws, by the weight they are drawn in. */
export type TextsByWeight = Record<Weight, string[]>;

/** The fonts embedded in one certificate, by script and weight. */
export class FaceSet {
  private readonly faces = new Map<CertificateFont, Face>();
  /** Shaped lines by weight and text: wrapping and fitting measure the same words many times. */
  readonly shaped = new Map<string, ShapedLine>();

  /**
   * Loads and embeds the fonts `texts` need: Latin regular and bold always,
   * other scripts only in the weights their texts use, so a Chinese name
   * loads one 10 MB font, not two.
   */
  static async embed(doc: PDFDocument, deps: CertificateDeps, texts: TextsByWeight): Promise<FaceSet> {
    // pdf-lib gets the already parsed font for bytes prepared here, so it does not
    // parse the font's shaping tables again for every certificate.
    doc.registerFontkit({ create: (bytes: Uint8Array) => parsedByPadded.get(bytes) ?? fontkit.create(bytes) });
    const needed = new Set<CertificateFont>(['latin-greek-cyrillic', 'latin-greek-cyrillic-bold']);
    for (const weight of ['regular', 'bold'] as const) {
      const used = new Set(splitByScript(texts[weight].join('\n')).runs.map((run) => run.script));
      for (const script of scripts) if (used.has(script)) needed.add(fontOf(script, weight));
    }
    const set = new FaceSet();
    await Promise.all(
      [...needed].map(async (font) => {
        let bytes: Uint8Array;
        try {
          bytes = await deps.loadFont(font);
        } catch (error) {
          throw new CertificateFontError(`The ${labelOf(font)} font for the certificate could not be loaded. Check the connection and try again.`, {
            cause: error,
          });
        }
        const ready = prepare(font, bytes);
        set.faces.set(font, { pdfFont: await doc.embedFont(ready.bytes, { subset: true }), layout: ready.layout });
      }),
    );
    return set;
  }

  face(script: Script, weight: Weight): Face {
    const key = fontOf(script, weight);
    const face = this.faces.get(key);
    if (!face) throw new CertificateFontError(`The ${labelOf(key)} font was not loaded for this certificate.`);
    return face;
  }
}

interface ShapedRun {
  face: Face;
  text: string;
  glyphs: Array<{ advanceWidth: number; xAdvance: number; xOffset: number; yOffset: number }>;
  /** Sum of advances, in font units. */
  advance: number;
  /**
   * Whether the glyphs were put in the opposite order to the one fontkit (and
   * so pdf-lib's encodeText) gives, because the run's bidi direction differs
   * from its script's: brackets in an Arabic name, Arabic-Indic digits.
   */
  reversed: boolean;
}

/** A line of text shaped and in visual order, ready to measure and draw. */
export interface ShapedLine {
  text: string;
  runs: ShapedRun[];
  /** Whether the paragraph the line belongs to is right to left (UAX #9 rules P2 and P3). */
  rtl: boolean;
}

const bidi = bidiFactory();

/** The base direction of a paragraph by its first strong character (UAX #9 P2–P3). */
export function paragraphDirection(text: string): 'ltr' | 'rtl' {
  return (bidi.getEmbeddingLevels(text.normalize('NFC')).paragraphs[0]?.level ?? 0) % 2 === 1 ? 'rtl' : 'ltr';
}

interface Piece {
  script: Script;
  text: string;
  level: number;
}

/**
 * Cuts a line into pieces of one font and one embedding level, in logical
 * order, with mirrored characters (brackets) already swapped in right-to-left pieces.
 */
function piecesOf(text: string, direction: 'ltr' | 'rtl'): Piece[] {
  const embedding = bidi.getEmbeddingLevels(text, direction);
  // It reads the levels array itself, whatever its README says.
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);
  const pieces: Piece[] = [];
  for (const run of splitByScript(text).runs) {
    let piece: Piece | undefined;
    for (let index = run.start; index < run.start + run.text.length; index++) {
      const level = embedding.levels[index] ?? 0;
      const unit = mirrored.get(index) ?? text[index] ?? '';
      if (piece && piece.level === level) piece.text += unit;
      else {
        piece = { script: run.script, text: unit, level };
        pieces.push(piece);
      }
    }
  }
  return pieces;
}

/** Puts pieces in visual order (UAX #9 rule L2): reverse every run at or above each odd level, highest first. */
function visualOrder<T extends { level: number }>(pieces: T[]): T[] {
  const ordered = [...pieces];
  const levels = ordered.map((piece) => piece.level);
  const highest = Math.max(0, ...levels);
  const lowestOdd = Math.min(...levels.filter((level) => level % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level--) {
    for (let start = 0; start < ordered.length; start++) {
      if ((ordered[start]?.level ?? 0) < level) continue;
      let end = start;
      while (end + 1 < ordered.length && (ordered[end + 1]?.level ?? 0) >= level) end++;
      ordered.splice(start, end - start + 1, ...ordered.slice(start, end + 1).reverse());
      start = end;
    }
  }
  return ordered;
}

/**
 * Shapes one line: finds its embedding levels by the Unicode Bidirectional
 * Algorithm, splits it by font and level, shapes each piece and puts the
 * pieces in visual order. `direction` is the paragraph's, for a line wrapped
 * out of a longer text; by default the line's own first strong character decides.
 */
export function shapeLine(text: string, weight: Weight, faces: FaceSet, direction?: 'ltr' | 'rtl'): ShapedLine {
  const logical = text.normalize('NFC');
  const base = direction ?? paragraphDirection(logical);
  const key = `${weight}\u0000${base}\u0000${logical}`;
  const known = faces.shaped.get(key);
  if (known) return known;
  const pieces = piecesOf(logical, base).map((piece) => {
    const face = faces.face(piece.script, weight);
    const layout = face.layout.layout(piece.text);
    const glyphs = layout.glyphs.map((glyph, index) => {
      const position = layout.positions[index];
      return { advanceWidth: glyph.advanceWidth, xAdvance: position?.xAdvance ?? 0, xOffset: position?.xOffset ?? 0, yOffset: position?.yOffset ?? 0 };
    });
    // fontkit lays out a run in its script's direction; the bidi level decides the order on the line.
    const reversed = (layout.direction === 'rtl') !== (piece.level % 2 === 1);
    if (reversed) glyphs.reverse();
    const run: ShapedRun = { face, text: piece.text, glyphs, advance: glyphs.reduce((sum, glyph) => sum + glyph.xAdvance, 0), reversed };
    return { ...run, level: piece.level };
  });
  const line: ShapedLine = { text: logical, runs: visualOrder(pieces), rtl: base === 'rtl' };
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
    if (run.reversed) ids.reverse();
    if (ids.length !== run.glyphs.length) {
      throw new CertificateFontError(
        `Shaping “${run.text}” gave ${run.glyphs.length} glyphs but the PDF font encoded ${ids.length}; the font files do not match.`,
      );
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
    // Marks that take no room of their own (Arabic dots, a dot below) are drawn after
    // the letters, each at its own place: moved about inside the letters' string, they
    // make readers such as pdfjs see gaps, and so spaces, in the middle of words.
    const marks: Array<{ id: string; x: number; y: number }> = [];
    run.glyphs.forEach((glyph, index) => {
      const target = pen + glyph.xOffset;
      pen += glyph.xAdvance;
      if (glyph.xAdvance === 0 && (glyph.xOffset !== 0 || glyph.yOffset !== 0)) {
        marks.push({ id: ids[index] ?? '0000', x: target, y: glyph.yOffset });
        return;
      }
      if (glyph.yOffset !== rise) {
        flush();
        rise = glyph.yOffset;
        page.pushOperators(setTextRise(round((rise / unitsPerEm) * size)));
      }
      if (target !== cursor) shown.push(PDFNumber.of(round((-(target - cursor) * 1000) / unitsPerEm)));
      shown.push(PDFHexString.of(ids[index] ?? '0000'));
      cursor = target + glyph.advanceWidth;
    });
    flush();
    if (rise !== 0) page.pushOperators(setTextRise(0));
    for (const mark of marks) {
      const single = PDFArray.withContext(doc.context);
      single.push(PDFHexString.of(mark.id));
      page.pushOperators(
        setTextMatrix(1, 0, 0, 1, round(x + (mark.x / unitsPerEm) * size), round(options.y + (mark.y / unitsPerEm) * size)),
        PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [single]),
      );
    }
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
  // Every line keeps the direction of the whole text, as UAX #9 reorders lines of one paragraph.
  const direction = paragraphDirection(text);
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
  return lines.map((line) => shapeLine(line, weight, faces, direction));
}

/**
 * The certificate page as a PDF reader sees it: text read back with pdfjs
 * (no poppler), checked box by box — names read in the right order with their
 * spaces, nothing overlaps, nothing leaves the page or reaches the footer.
 */
import bidiFactory from 'bidi-js';
import { describe, expect, it } from 'vitest';
import { buildCertificate, maxNameLength, maxRequirements, type CertificateInput } from '../../../src/lib/certificate/index.ts';
import { awkwardCertificateInput, awkwardNames } from '../../fixtures/certificate/awkward-names.ts';
import { loadFontFromNodeModules } from '../../fixtures/certificate/fonts.ts';
import { exampleCertificateInput } from '../../fixtures/certificate/inputs.ts';
import { readPdfShapes, readPdfText, rowsOf, type PdfPageText, type ShapeBox, type TextBox } from '../../support/pdf.ts';

const deps = { loadFont: loadFontFromNodeModules };
const bidi = bidiFactory();
const margin = 56;
const footerRule = 74;

/**
 * The boxes a reader shows. Shaping splits some marks off their letters (the
 * two dots under Arabic yeh, the dot under Vietnamese ị) into glyphs of zero
 * advance that map to no character; pdfjs reports each as a zero-width box
 * holding a control or stray character, which is not text on the page.
 */
function visibleBoxes(page: PdfPageText): TextBox[] {
  return page.boxes.filter((box) => box.width > 0.01);
}

/** A box's extent: from a little below the baseline (descenders) to the font size above it. */
const extentOf = (box: TextBox) => ({ left: box.x, right: box.x + box.width, bottom: box.y - box.height * 0.2, top: box.y + box.height * 0.9 });

const overlaps = (
  a: { left: number; right: number; bottom: number; top: number },
  b: { left: number; right: number; bottom: number; top: number },
  slack = 0.5,
) => a.left < b.right - slack && b.left < a.right - slack && a.bottom < b.top - slack && b.bottom < a.top - slack;

/** The characters of a box in the order they stand on the page, left to right. */
const visualTextOf = (box: TextBox) => (box.direction === 'rtl' ? [...box.text].reverse().join('') : box.text);

/**
 * The lines of the learner's name as drawn, each in visual order (left to
 * right), with a space wherever boxes on a line stand a space apart.
 */
function nameLines(page: PdfPageText): string[] {
  const boxes = visibleBoxes(page);
  const top = boxes.find((box) => box.text === 'This is to certify that');
  const bottom = boxes.find((box) => box.text.startsWith('of Brookfield Libraries'));
  if (!top || !bottom) throw new Error('The certificate has no “This is to certify that … of Brookfield Libraries” block.');
  return rowsOf(boxes.filter((candidate) => candidate.y < top.y && candidate.y > bottom.y)).map((row) => {
    let line = '';
    let end = Number.NEGATIVE_INFINITY;
    for (const box of row) {
      // A space in 30-point Noto Sans Bold is about 0.26 em; glyphs of one word touch.
      if (line && box.x - end > box.height * 0.12) line += ' ';
      line += visualTextOf(box).trim();
      end = box.x + box.width;
    }
    return line;
  });
}

/**
 * Checks drawn name lines against the name as typed: the lines, read in
 * logical order, are the name's words in order, and each line stands on the
 * page as the Unicode Bidirectional Algorithm orders it (UAX #9, L1–L2),
 * with the name's own direction.
 */
function expectNameReadsAsTyped(lines: string[], name: string, compare: (text: string) => string = (text) => text): void {
  const typed = name.normalize('NFC');
  const base = bidi.getEmbeddingLevels(typed).paragraphs[0]?.level === 1 ? 'rtl' : 'ltr';
  let at = 0;
  for (const drawn of lines) {
    const logical = typed.slice(at, at + drawn.length);
    const expected = bidi.getReorderedString(logical, bidi.getEmbeddingLevels(logical, base));
    expect(compare(drawn), `line “${logical}” of “${typed}”`).toBe(compare(expected));
    at += drawn.length;
    if (at < typed.length) {
      expect(typed[at], `a line of “${typed}” ends at a space`).toBe(' ');
      at += 1;
    }
  }
  expect(at, `every character of “${typed}” is drawn`).toBe(typed.length);
}

/**
 * A name with its letters' identity blurred where a PDF's ToUnicode map cannot
 * keep it, and pdfjs does not read the ActualText that does: Noto draws some
 * letters as a shared skeleton plus separate dots (ر and ز, ه and ة share
 * one glyph; ị is i plus a dot below). Spaces, order, Latin, Greek, Cyrillic
 * and Chinese letters and the length of every Arabic word are still compared.
 */
const skeleton = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\p{Script=Arabic}/gu, 'ع');

/** Everything that must hold for any certificate page: inside the margins, no overlaps, footer clear. */
function expectClearLayout(page: PdfPageText, shapes: ShapeBox[]): void {
  const boxes = visibleBoxes(page);
  expect(boxes.length).toBeGreaterThan(30);
  for (const box of boxes) {
    const extent = extentOf(box);
    expect(extent.left, `“${box.text}” starts inside the left margin`).toBeGreaterThanOrEqual(margin - 0.5);
    expect(extent.right, `“${box.text}” ends inside the right margin`).toBeLessThanOrEqual(page.width - margin + 0.5);
    expect(extent.bottom, `“${box.text}” is above the bottom of the page`).toBeGreaterThan(20);
    expect(extent.top, `“${box.text}” is below the top of the page`).toBeLessThan(page.height - 20);
  }
  const footer = boxes.filter((box) => box.y < footerRule);
  expect(footer[0]?.text).toMatch(/^This certificate was made from the learner’s own learning record\./);
  for (const box of boxes.filter((candidate) => !footer.includes(candidate))) {
    expect(extentOf(box).bottom, `“${box.text}” stays above the footer`).toBeGreaterThan(footerRule + 2);
  }
  for (const [index, a] of boxes.entries()) {
    for (const b of boxes.slice(index + 1)) {
      expect(overlaps(extentOf(a), extentOf(b)), `“${a.text}” and “${b.text}” overlap`).toBe(false);
    }
  }
  // The QR code (the one shape filled black), the logo and the rules: text may not cross them.
  const qr = shapes.filter((shape) => shape.paint === '#000000');
  expect(qr).toHaveLength(1);
  expect(qr[0]?.bottom, 'the QR code stays above the footer').toBeGreaterThan(footerRule + 2);
  for (const shape of shapes.filter((candidate) => candidate.paint === '#000000' || candidate.paint === 'image' || candidate.paint === 'stroke')) {
    for (const box of boxes) {
      expect(
        overlaps(extentOf(box), shape, 0.25),
        `“${box.text}” crosses a ${shape.paint === 'stroke' ? 'rule' : shape.paint === 'image' ? 'logo' : 'QR code'}`,
      ).toBe(false);
    }
  }
}

async function pageOf(input: CertificateInput): Promise<{ page: PdfPageText; shapes: ShapeBox[] }> {
  const { bytes } = await buildCertificate(input, deps);
  const pages = await readPdfText(bytes);
  expect(pages).toHaveLength(1);
  return { page: pages[0]!, shapes: await readPdfShapes(bytes) };
}

// The first certificates read the fonts from disk, the Chinese ones 10 MB each.
describe('certificate layout, read back from the PDF', { timeout: 60_000 }, () => {
  it('has names of the longest kind the site accepts', () => {
    expect([...awkwardNames['long-latin']].length).toBeGreaterThanOrEqual(maxNameLength - 1);
    expect([...awkwardNames['long-mixed']].length).toBeGreaterThanOrEqual(maxNameLength - 1);
  });

  it.each(Object.entries(awkwardNames))('prints the %s name in reading order with its spaces, and nothing overlaps', async (key, name) => {
    const { page, shapes } = await pageOf(awkwardCertificateInput(name));
    expectNameReadsAsTyped(nameLines(page), name, key.startsWith('long') ? skeleton : undefined);
    expectClearLayout(page, shapes);
  });

  it.each(['Ali (علي) Khan', 'محمد (علي)'])('places and mirrors brackets by the bidi rules in “%s”', async (name) => {
    const { page } = await pageOf(awkwardCertificateInput(name));
    expectNameReadsAsTyped(nameLines(page), name);
  });

  it('keeps the space on each side of an Arabic word inside a Latin name', async () => {
    const { page } = await pageOf(awkwardCertificateInput('Ali علي Khan'));
    const boxes = visibleBoxes(page).filter((box) => ['Ali', 'علي', 'Khan'].includes(box.text.trim()));
    expect(boxes.map((box) => box.text.trim())).toEqual(['Ali', 'علي', 'Khan']);
    const [ali, arabic, khan] = boxes as [TextBox, TextBox, TextBox];
    const gaps = [arabic.x - (ali.x + ali.width), khan.x - (arabic.x + arabic.width)];
    // Both gaps are one space of the name's size (Noto Sans Bold's space is 0.26 em), not two and none.
    for (const gap of gaps) expect(gap / ali.height).toBeCloseTo(0.26, 1);
  });

  it('shows the council once: its logo carries the name, so the header does not repeat it', async () => {
    const withLogo = await pageOf(awkwardCertificateInput('Siân Llŷr'));
    const headerTexts = visibleBoxes(withLogo.page)
      .filter((box) => box.y > 740)
      .map((box) => box.text);
    expect(headerTexts).toEqual(['Role certificate']);
    expect(withLogo.shapes.filter((shape) => shape.paint === 'image')).toHaveLength(1);
    const without = await pageOf(exampleCertificateInput('Siân Llŷr', 8));
    expect(
      visibleBoxes(without.page)
        .filter((box) => box.y > 740)
        .map((box) => box.text)
        .sort(),
    ).toEqual(['Brookfield Council', 'Role certificate']);
  });

  it('puts the dates and codes right under the table, leaving no empty band', async () => {
    const { page } = await pageOf(exampleCertificateInput('Siân Llŷr', 2));
    const boxes = visibleBoxes(page);
    const lastRow = Math.min(...boxes.filter((box) => box.text === '2 March 2026' || box.text === '3 March 2026').map((box) => box.y));
    const validUntil = boxes.find((box) => box.text === 'Valid until');
    expect(validUntil).toBeDefined();
    expect(lastRow - (validUntil?.y ?? 0)).toBeLessThan(60);
  });

  it('shares the room a short certificate leaves above and below its body, not as one band above the footer', async () => {
    const { page } = await pageOf(exampleCertificateInput('Siân Llŷr', 2));
    const boxes = visibleBoxes(page);
    const body = boxes.filter((box) => box.y > footerRule);
    const lowest = Math.min(...body.map((box) => box.y));
    const title = boxes.find((box) => box.text === 'Certificate of completion');
    const headerBottom = Math.min(...boxes.filter((box) => box.text === 'Role certificate').map((box) => box.y));
    expect(title).toBeDefined();
    const above = headerBottom - (title?.y ?? 0);
    const below = lowest - footerRule;
    // Both gaps grow together; neither is the whole of what is spare.
    expect(Math.abs(above - below)).toBeLessThan(60);
  });

  it('fits the longest text the checks accept in every field, shrinking the type rather than overlapping', async () => {
    const long = (stem: string, length: number) =>
      `${stem} `
        .repeat(Math.ceil(length / (stem.length + 1)))
        .slice(0, length)
        .trim();
    const base = awkwardCertificateInput(awkwardNames['long-mixed']);
    const requirements = Array.from({ length: maxRequirements }, (_, index) => ({
      ...base.requirements[index % base.requirements.length]!,
      id: `requirement-${index}`,
      title: long(`Requirement ${index} about whole family working and consent`, 300),
    }));
    const input: CertificateInput = {
      ...base,
      learner: {
        ...base.learner,
        name: awkwardNames['long-mixed'],
        latinName: long('Konstantinopoulou Featherstonehaugh', 200),
        organisation: long('Brookfield Libraries and Community Learning Partnership', 300),
        roleName: long('Library staff', 300),
        levelName: long('Front door', 300),
      },
      requirements,
    };
    const { page, shapes } = await pageOf(input);
    expectClearLayout(page, shapes);
    expect(nameLines(page).length).toBeGreaterThan(1);
  });
});

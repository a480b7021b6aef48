/**
 * Awkward names' certificates rendered by pdfjs in the test browser, as a
 * person opening the PDF would see them; the PNGs are kept in
 * tests/.artifacts/certificate/ for looking at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertificate } from '../../src/lib/certificate/index.ts';
import { awkwardCertificateInput, awkwardNames } from '../fixtures/certificate/awkward-names.ts';
import { loadFontFromNodeModules } from '../fixtures/certificate/fonts.ts';
import { readPdfText, renderPdfInBrowser } from '../support/pdf.ts';
import { launchBrowser } from './harness.ts';

const artifacts = join(import.meta.dirname, '../.artifacts/certificate');
mkdirSync(artifacts, { recursive: true });

describe('certificates rendered in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.entries(awkwardNames))('draws the %s name where its text says it is', async (key, name) => {
    const { bytes } = await buildCertificate(awkwardCertificateInput(name), { loadFont: loadFontFromNodeModules });
    const [text] = await readPdfText(bytes);
    const scale = 2;
    const nameBoxes = (text?.boxes ?? []).filter((box) => box.height >= 10 && box.width > 0.01 && box.y < 700 && box.y > 560 && !box.text.startsWith('of '));
    expect(nameBoxes.length).toBeGreaterThan(0);
    const [png] = await renderPdfInBrowser(
      browser,
      bytes,
      scale,
      nameBoxes.map((box) => ({ left: box.x, bottom: box.y - box.height * 0.3, right: box.x + box.width, top: box.y + box.height })),
    );
    writeFileSync(join(artifacts, `${key}.png`), png!.png);
    // Every box of the name has ink in it (glyphs drawn, not blank), and ink
    // reaches near both of its ends (drawn where the text layer says it is).
    for (const [index, ink] of png!.ink.entries()) {
      const box = nameBoxes[index]!;
      expect(ink.share, `ink in “${box.text}”`).toBeGreaterThan(0.05);
      expect(ink.left - box.x, `“${box.text}” starts where its box starts`).toBeLessThan(box.height * 0.3);
      expect(box.x + box.width - ink.right, `“${box.text}” ends where its box ends`).toBeLessThan(box.height * 0.3);
    }
  });
});

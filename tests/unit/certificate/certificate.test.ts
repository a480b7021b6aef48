import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  CertificateInputError,
  LearnerNameError,
  buildCertificate,
  canRender,
  canonicalJson,
  maxCertificateBytes,
  needsLatinName,
  renewalCalendar,
  scriptsNeeded,
  verifyCertificate,
  type CertificateInput,
} from '../../../src/lib/certificate/index.ts';
import { fontRequests, loadFontFromNodeModules } from '../../fixtures/certificate/fonts.ts';
import { exampleCertificateInput, sampleNames } from '../../fixtures/certificate/inputs.ts';
import { linesOf, readActualTexts, readPdfText } from '../../support/pdf.ts';

const deps = { loadFont: loadFontFromNodeModules };

/**
 * Text with marks dropped: Noto draws some accented letters as a base glyph
 * plus a separate mark (ị is i and a dot below), and a PDF's ToUnicode map
 * gives the base letter alone; the ActualText beside it keeps the letter whole.
 */
const withoutMarks = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** The text of a certificate as a PDF reader gives it, line by line (pdfjs; no program outside npm). */
async function extractText(bytes: Uint8Array): Promise<string> {
  return (await readPdfText(bytes)).flatMap(linesOf).join('\n');
}

// The first certificates read the fonts from disk, the Chinese ones 10 MB each.
describe('names in any script', { timeout: 60_000 }, () => {
  it.each(Object.entries(sampleNames))('prints the %s name "%s" as typed', async (_, name) => {
    const certificate = await buildCertificate(exampleCertificateInput(name), deps);
    const text = await extractText(certificate.bytes);
    expect(needsLatinName(name)).toBe(false);
    expect(withoutMarks(text)).toContain(withoutMarks(name));
    // Left-to-right lines carry the name exactly as typed for copying and search.
    if (!/\p{Script=Arabic}/u.test(name)) expect(await readActualTexts(certificate.bytes)).toContain(name.normalize('NFC'));
    expect((await verifyCertificate(certificate.bytes)).status).toBe('genuine');
  });

  it('keeps a Latin-only certificate under 100 KB', async () => {
    const certificate = await buildCertificate(exampleCertificateInput(sampleNames.vietnamese, 8), deps);
    expect(certificate.bytes.length).toBeLessThan(100 * 1024);
  });

  it('loads the Chinese font only for a name that needs it', async () => {
    fontRequests.length = 0;
    await buildCertificate(exampleCertificateInput(sampleNames.russian), deps);
    expect(fontRequests).not.toContain('cjk');
    expect(fontRequests).not.toContain('arabic');
    await buildCertificate(exampleCertificateInput(sampleNames.chinese), deps);
    // The name is drawn in bold, so only the bold Chinese font is needed.
    expect(fontRequests).toContain('cjk-bold');
    expect(fontRequests).not.toContain('cjk');
  });

  it('fits a 200-character name and eight requirements on one page', async () => {
    const name =
      'Maria-Magdalena Alexandra Konstantinopoulou-Featherstonehaugh de la Cruz Nguyễn Thị Minh Khai Llewellyn ap Gruffydd Łukasiewicz Zoë Αλέξανδρος Дмитрий Siân Llŷr of Brookfield Hall and Northgate Ward';
    expect([...name].length).toBeLessThanOrEqual(200);
    const certificate = await buildCertificate(exampleCertificateInput(name, 8), deps);
    const text = (await extractText(certificate.bytes)).replace(/\s+/g, ' ');
    expect(withoutMarks(text)).toContain(withoutMarks(name));
    expect((await readActualTexts(certificate.bytes)).join(' ')).toContain(name);
    // The last row is on the page (its title wraps within its cell).
    expect(text).toContain('Making a good referral and recording');
    expect((await PDFDocument.load(certificate.bytes)).getPageCount()).toBe(1);
  });

  it('prints the Latin-script name instead when the name cannot be drawn', async () => {
    const input = exampleCertificateInput('김민준');
    expect(needsLatinName('김민준')).toBe(true);
    await expect(buildCertificate(input, deps)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[LearnerNameError: The certificate cannot print "김" (U+AE40), "민" (U+BBFC), "준" (U+C900) in “김민준”. Ask for the name in Latin script as well and pass it as learner.latinName.]`,
    );
    const certificate = await buildCertificate({ ...input, learner: { ...input.learner, latinName: 'Kim Min-jun' } }, deps);
    expect(await extractText(certificate.bytes)).toContain('Kim Min-jun');
    expect(certificate.evidence.certificate.learner).toMatchObject({ name: '김민준', latinName: 'Kim Min-jun' });
  });
});

describe('which fonts a text needs', () => {
  it.each([
    ['Siân Llŷr', ['latin-greek-cyrillic'], true],
    ['Дмитрий Αλέξανδρος', ['latin-greek-cyrillic'], true],
    ['محمد علي', ['arabic'], true],
    ['عمران خان', ['arabic'], true],
    ['李雷 (Li Lei)', ['latin-greek-cyrillic', 'cjk'], true],
    ['김민준', [], false],
    // Spaces are drawn with the Latin font even when the letters around them cannot be drawn.
    ['שרה כהן', ['latin-greek-cyrillic'], false],
    ['Zoë 🌸', ['latin-greek-cyrillic'], false],
  ])('%s → %j, renderable %s', (text, scripts, renderable) => {
    expect(scriptsNeeded(text)).toEqual(scripts);
    expect(canRender(text)).toBe(renderable);
  });
});

describe('bad input', () => {
  const withName = (name: string): CertificateInput => exampleCertificateInput(name);
  it('refuses an empty name', async () => {
    await expect(buildCertificate(withName('   '), deps)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[LearnerNameError: The learner’s name is empty. Type the name as it should appear on the certificate.]`,
    );
  });
  it('refuses a name over 200 characters', async () => {
    const error = await buildCertificate(withName('a'.repeat(201)), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LearnerNameError);
    expect((error as LearnerNameError).problem).toBe('too-long');
    expect((error as Error).message).toMatchInlineSnapshot(
      `"The learner’s name is 201 characters long; a certificate takes at most 200. Shorten it, for example by leaving out middle names."`,
    );
  });
  it('refuses a role certificate without requirements', async () => {
    const error = await buildCertificate({ ...withName('Siân Llŷr'), requirements: [] }, deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CertificateInputError);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"The certificate cannot be made: requirements: a role certificate needs the completed requirements of the role; none were given."`,
    );
  });
  it('refuses statements that are not plain JSON', async () => {
    await expect(buildCertificate({ ...withName('Siân Llŷr'), statements: [{ score: Number.NaN }] }, deps)).rejects.toThrow(CertificateInputError);
  });
});

describe('verification', () => {
  const genuine = buildCertificate(exampleCertificateInput('Zoë Łukasiewicz', 4), deps);

  it('passes a genuine certificate and gives its details', async () => {
    const { bytes, integrityCode } = await genuine;
    const result = await verifyCertificate(bytes, { now: new Date('2026-06-01T12:00:00Z') });
    expect(result.status).toBe('genuine');
    if (result.status !== 'genuine') return;
    expect(result.details).toMatchObject({
      learnerName: 'Zoë Łukasiewicz',
      issuedAt: '2026-03-12T09:30:00Z',
      validUntil: '2027-03-02',
      expired: false,
      integrityCode,
    });
    const later = await verifyCertificate(bytes, { now: new Date('2027-03-03T00:00:00Z') });
    expect(later.status === 'genuine' && later.details.expired).toBe(true);
    // 00:30 on 3 March in Tokyo is still 2 March in London: expiry follows the council's calendar.
    const inTokyo = await verifyCertificate(bytes, { now: new Date('2027-03-02T15:30:00Z'), timeZone: 'Asia/Tokyo' });
    expect(inTokyo.status === 'genuine' && inTokyo.details.expired).toBe(true);
    const inLondon = await verifyCertificate(bytes, { now: new Date('2027-03-02T15:30:00Z'), timeZone: 'Europe/London' });
    expect(inLondon.status === 'genuine' && inLondon.details.expired).toBe(false);
  });

  it('writes the current evidence format, naming the level', async () => {
    const { evidence } = await genuine;
    expect(evidence.version).toBe(2);
    expect(evidence.certificate.learner).toMatchObject({ level: 1, levelName: 'Front door' });
    expect(evidence.certificate.learner).not.toHaveProperty('tier');
  });

  it('still verifies a certificate issued in the first evidence format, which named the level "tier"', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../fixtures/certificate/v1/library-staff-tier.pdf', import.meta.url)));
    const result = await verifyCertificate(bytes, { now: new Date('2026-06-01T12:00:00Z') });
    expect(result.status).toBe('genuine');
    if (result.status !== 'genuine') return;
    expect(result.details).toMatchObject({
      learnerName: 'Siân Llŷr',
      roleName: 'Library staff',
      level: 1,
      levelName: 'Front door',
      integrityCode: 'C409-6FE8-EE75',
      validUntil: '2027-03-02',
    });
    expect(result.evidence.certificate.learner).toMatchObject({ level: 1, levelName: 'Front door' });
  });

  it('fails first-format evidence rewritten with the new field names, since its integrity code no longer matches', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../fixtures/certificate/v1/library-staff-tier.pdf', import.meta.url)));
    const doc = await PDFDocument.load(bytes);
    const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict);
    names.delete(PDFName.of('EmbeddedFiles'));
    const result = await verifyCertificate(bytes);
    expect(result.status).toBe('genuine');
    const evidence = result.status === 'genuine' ? result.evidence : undefined;
    const { level, levelName, ...learner } = evidence!.certificate.learner;
    const rewritten = { ...evidence!, version: 1, certificate: { ...evidence!.certificate, learner: { ...learner, tier: level + 1, tierName: levelName } } };
    await doc.attach(new TextEncoder().encode(canonicalJson(rewritten)), 'evidence.json', { mimeType: 'application/json' });
    expect((await verifyCertificate(await doc.save())).status).toBe('edited');
  });

  it('prints the integrity code, which comes from the canonical evidence', async () => {
    const { bytes, integrityCode, evidence } = await genuine;
    expect(integrityCode).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(await extractText(bytes)).toContain(integrityCode);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(evidence))));
    const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
    expect(integrityCode.replaceAll('-', '')).toBe(hex.slice(0, 12));
  });

  it('fails a certificate whose evidence was rewritten with another name', async () => {
    const { bytes, evidence } = await genuine;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const forged = { ...evidence, certificate: { ...evidence.certificate, learner: { ...evidence.certificate.learner, name: 'Someone Else' } } };
    // Replace the embedded file: drop the old name tree and attach the forged evidence.
    doc.catalog.delete(PDFName.of('Names'));
    doc.catalog.delete(PDFName.of('AF'));
    await doc.attach(new TextEncoder().encode(canonicalJson(forged)), 'evidence.json', { mimeType: 'application/json' });
    const result = await verifyCertificate(await doc.save());
    expect(result.status).toBe('edited');
  });

  it('fails a certificate whose evidence bytes were flipped', async () => {
    const { bytes } = await genuine;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    // Store the evidence uncompressed so a flipped byte lands in the JSON itself.
    const names = doc.catalog.lookup(PDFName.of('Names'));
    expect(names).toBeDefined();
    const raw = canonicalJson((await genuine).evidence);
    const flipped = raw.replace('"level":1', '"level":2');
    doc.catalog.delete(PDFName.of('Names'));
    doc.catalog.delete(PDFName.of('AF'));
    await doc.attach(new TextEncoder().encode(flipped), 'evidence.json', { mimeType: 'application/json' });
    expect((await verifyCertificate(await doc.save())).status).toBe('edited');
    // And a byte flipped in the stored (compressed) stream of the genuine file.
    const copy = bytes.slice();
    const marker = findEvidenceStream(copy);
    copy[marker] = (copy[marker] ?? 0) ^ 0xff;
    expect((await verifyCertificate(copy)).status).toBe('edited');
  });

  it('fails a certificate whose visible name was changed', async () => {
    const { bytes } = await genuine;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const page = doc.getPage(0);
    const font = await doc.embedFont('Helvetica');
    page.drawRectangle({ x: 150, y: 600, width: 300, height: 40, color: { type: 'RGB', red: 1, green: 1, blue: 1 } as never });
    page.drawText('Someone Else', { x: 200, y: 610, size: 28, font });
    expect((await verifyCertificate(await doc.save())).status).toBe('edited');
  });

  it('fails a certificate whose page text was edited in place', async () => {
    const { bytes } = await genuine;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    // Swap one glyph of the drawn text for another, as a PDF editor would.
    const page = doc.getPage(0);
    const contents = page.node.Contents();
    const stream = contents instanceof PDFArray ? doc.context.lookup(contents.get(0)) : contents;
    if (!(stream instanceof PDFRawStream)) throw new Error('expected a stored content stream');
    const decoded = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
    const changed = decoded.replace(/<([0-9A-F]{4})>/, (_, id: string) => `<${(Number.parseInt(id, 16) + 1).toString(16).toUpperCase().padStart(4, '0')}>`);
    expect(changed).not.toBe(decoded);
    const replacement = doc.context.flateStream(changed);
    const ref = doc.context.register(replacement);
    page.node.set(PDFName.of('Contents'), ref);
    expect((await verifyCertificate(await doc.save())).status).toBe('edited');
  });

  it('fails a certificate whose check values were removed', async () => {
    const { bytes } = await genuine;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    if (!(info instanceof PDFDict)) throw new Error('expected an Info dictionary');
    info.set(PDFName.of('FHContentDigest'), PDFString.of('0'.repeat(64)));
    expect((await verifyCertificate(await doc.save())).status).toBe('edited');
  });

  it('says a PDF made elsewhere is not ours', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Certificate of completion');
    const result = await verifyCertificate(await doc.save());
    expect(result).toMatchInlineSnapshot(`
      {
        "reason": "This PDF has no certificate evidence inside, so it is not a certificate from this site. (Saving a certificate again in another program also removes it.)",
        "status": "not-ours",
      }
    `);
  });

  it.each([
    ['a text file', new TextEncoder().encode('name,role\nSiân,Library staff\n')],
    ['empty', new Uint8Array()],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256)],
  ])('says %s is unreadable', async (_, bytes) => {
    expect((await verifyCertificate(bytes)).status).toBe('unreadable');
  });

  it('says a truncated certificate is unreadable', async () => {
    const { bytes } = await genuine;
    const result = await verifyCertificate(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(result).toMatchInlineSnapshot(`
      {
        "reason": "This PDF is incomplete: the end of the file is missing. Download or copy it again.",
        "status": "unreadable",
      }
    `);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const result = await verifyCertificate(new Uint8Array(maxCertificateBytes + 1));
    expect(result).toMatchInlineSnapshot(`
      {
        "reason": "The file is 5.0 MB, more than the 5 MB this page reads; certificates are far smaller. Choose the certificate PDF itself.",
        "status": "unreadable",
      }
    `);
  });
});

/** The offset of a byte inside the compressed evidence stream of a certificate. */
function findEvidenceStream(bytes: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(bytes);
  const embedded = text.indexOf('/Type /EmbeddedFile');
  const start = text.indexOf('stream', embedded) + 'stream'.length + 1;
  expect(embedded).toBeGreaterThan(0);
  return start + 20;
}

describe('font coverage table', () => {
  it('matches the font files', { timeout: 60_000 }, async () => {
    const { coverageFromFonts } = await import('../../fixtures/certificate/coverage.ts');
    const table = await import('../../../src/lib/certificate/coverage.ts');
    const squash = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
    const fonts = await coverageFromFonts();
    expect(squash(table.latinGreekCyrillicRanges)).toBe(fonts.latinGreekCyrillic);
    expect(squash(table.arabicRanges)).toBe(fonts.arabic);
    expect(squash(table.cjkRanges)).toBe(fonts.cjk);
    // One table serves both weights, so the bold fonts must draw exactly the same characters.
    for (const script of ['latin-greek-cyrillic', 'arabic', 'cjk'] as const) {
      const [regular, bold] = await Promise.all([loadFontFromNodeModules(script), loadFontFromNodeModules(`${script}-bold`)]);
      expect(fontkit.create(bold).characterSet.sort((a, b) => a - b)).toEqual(fontkit.create(regular).characterSet.sort((a, b) => a - b));
    }
  });
});

describe('module certificate', () => {
  it('covers exactly one module', async () => {
    const base = exampleCertificateInput('Дмитрий', 2);
    await expect(buildCertificate({ ...base, kind: 'module' }, deps)).rejects.toThrow('a module certificate covers one module, not 2');
    const certificate = await buildCertificate({ ...exampleCertificateInput('Дмитрий', 1), kind: 'module' }, deps);
    expect(await extractText(certificate.bytes)).toContain('Certificate of module completion');
    expect(certificate.fileName).toBe('certificate-what-a-family-hub-is-and-who-it-is-for-2026-03-12.pdf');
  });
});

describe('renewal calendar', () => {
  it('writes one all-day event with a reminder 30 days before', () => {
    const ics = renewalCalendar(
      {
        uid: '5d2c8a4e-7b1f-4f3a-9c6d-1e2f3a4b5c6d-renewal@learning.brookfield.example.org',
        renewalDate: '2027-03-02',
        summary: 'Renew your Library staff learning, Brookfield Council',
        description: 'Valid until 2 March 2027; renew at the hub.\nThank you',
        url: 'https://learning.brookfield.example.org/plan/library-staff/',
      },
      new Date('2026-03-12T09:30:00Z'),
    );
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    expect(ics.replace(/\r\n /g, '')).toMatchInlineSnapshot(`
      "BEGIN:VCALENDAR
      VERSION:2.0
      PRODID:-//Family Hub workforce learning//Renewal reminder//EN
      CALSCALE:GREGORIAN
      METHOD:PUBLISH
      BEGIN:VEVENT
      UID:5d2c8a4e-7b1f-4f3a-9c6d-1e2f3a4b5c6d-renewal@learning.brookfield.example.org
      DTSTAMP:20260312T093000Z
      DTSTART;VALUE=DATE:20270302
      DTEND;VALUE=DATE:20270303
      SUMMARY:Renew your Library staff learning\\, Brookfield Council
      DESCRIPTION:Valid until 2 March 2027\\; renew at the hub.\\nThank you
      URL:https://learning.brookfield.example.org/plan/library-staff/
      TRANSP:TRANSPARENT
      BEGIN:VALARM
      ACTION:DISPLAY
      DESCRIPTION:Renew your Library staff learning\\, Brookfield Council
      TRIGGER;RELATED=START:-P30D
      END:VALARM
      END:VEVENT
      END:VCALENDAR
      "
    `);
  });
});

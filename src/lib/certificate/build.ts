/**
 * Builds the one-page A4 certificate: what it states, drawn for people, and
 * the evidence inside it, bound to the page for verification.
 */
import { AFRelationship, PDFDocument, PageSizes, rgb, type Color, type PDFImage, type PDFPage } from 'pdf-lib';
import { calendarDay, formatDate } from './dates.ts';
import { CertificateInputError } from './errors.ts';
import { canonicalJson, evidenceFormat, evidenceRequirementOf, evidenceVersion, integrityCodeOf, type CertificateEvidence } from './evidence.ts';
import { checkCertificateInput, type CertificateInput, type CheckedInput } from './input.ts';
import { contentDigest, evidenceFileName, infoKeys, writeInfo } from './pdf-objects.ts';
import { drawQrCode } from './qr.ts';
import { FaceSet, drawLine, shapeLine, widthOf, wrapText, type CertificateDeps, type ShapedLine, type Weight } from './text.ts';

/** A finished certificate. */
export interface BuiltCertificate {
  /** The PDF file. */
  bytes: Uint8Array;
  certificateId: string;
  /** The short code printed on the page, e.g. "7F3A-92C1-0B5E". */
  integrityCode: string;
  /** What the PDF carries as evidence.json. */
  evidence: CertificateEvidence;
  /** A file name to offer for download, e.g. "certificate-library-staff-2026-03-12.pdf". */
  fileName: string;
}

const ink = rgb(0.11, 0.13, 0.16);
const muted = rgb(0.35, 0.38, 0.42);
// A dark teal: reads as official, prints well in grey, passes contrast on white.
const accent = rgb(0.0, 0.31, 0.4);
const rule = rgb(0.78, 0.8, 0.83);
const shade = rgb(0.94, 0.95, 0.96);

const [pageWidth, pageHeight] = PageSizes.A4;
const margin = 56;
const contentWidth = pageWidth - margin * 2;

/** Builds the evidence object for checked input. */
function evidenceOf(input: CheckedInput): CertificateEvidence {
  return {
    format: evidenceFormat,
    version: evidenceVersion,
    certificate: {
      id: input.certificateId,
      kind: input.kind,
      issuedAt: input.issuedAt,
      validUntil: input.validUntil,
      council: { name: input.council.name, siteUrl: input.council.siteUrl },
      learner: {
        name: input.learner.name,
        ...(input.learner.latinName ? { latinName: input.learner.latinName } : {}),
        organisation: input.learner.organisation,
        roleName: input.learner.roleName,
        level: input.learner.level,
        levelName: input.learner.levelName,
      },
      requirements: input.requirements.map(evidenceRequirementOf),
    },
    matrixVersion: input.matrixVersion,
    profile: input.profile,
    statements: input.statements,
    ...(input.signature ? { signature: input.signature } : {}),
  };
}

/**
 * Where drawing goes. Layout runs first without drawing (`dry`), to learn
 * whether everything fits above the footer at a given density; only the
 * layout that fits is drawn.
 */
interface Pen {
  page: PDFPage;
  faces: FaceSet;
  dry: boolean;
  /** 1 at full size; smaller squeezes type and gaps so long names and many rows fit. */
  density: number;
}

type Align = 'left' | 'center' | 'right';

function place(pen: Pen, line: ShapedLine, x: number, y: number, size: number, color: Color, align: Align, width = contentWidth): void {
  if (pen.dry) return;
  const lineWidth = widthOf(line, size);
  const left = align === 'left' ? x : align === 'center' ? x + (width - lineWidth) / 2 : x + width - lineWidth;
  drawLine(pen.page, line, { x: left, y, size, color });
}

function draw(pen: Pen, action: (page: PDFPage) => void): void {
  if (!pen.dry) action(pen.page);
}

function write(pen: Pen, text: string, x: number, y: number, options: { size: number; weight?: Weight; color?: Color; align?: Align; width?: number }): number {
  const line = shapeLine(text, options.weight ?? 'regular', pen.faces);
  place(pen, line, x, y, options.size, options.color ?? ink, options.align ?? 'left', options.width);
  return widthOf(line, options.size);
}

interface ParagraphOptions {
  size: number;
  leading: number;
  width: number;
  weight?: Weight;
  color?: Color;
  align?: Align;
  /** Lines kept at most; the last one kept ends in an ellipsis. */
  maxLines?: number;
}

/** Wraps text, ending the last kept line in an ellipsis when `maxLines` cuts it short. */
function linesOf(pen: Pen, text: string, options: ParagraphOptions): ShapedLine[] {
  const weight = options.weight ?? 'regular';
  const lines = wrapText(text, weight, pen.faces, options.size, options.width);
  if (!options.maxLines || lines.length <= options.maxLines) return lines;
  const kept = lines.slice(0, options.maxLines);
  let last = kept[kept.length - 1]?.text ?? '';
  // Drop words (or characters) until the line and its ellipsis fit.
  const fits = (candidate: string) => widthOf(shapeLine(`${candidate}…`, weight, pen.faces), options.size) <= options.width;
  while (last && !fits(last)) last = last.includes(' ') ? last.replace(/\s*\S+$/, '') : [...last].slice(0, -1).join('');
  kept[kept.length - 1] = shapeLine(`${last}…`, weight, pen.faces);
  return kept;
}

/** Draws wrapped text from baseline y down; returns the baseline below the last line. */
function paragraph(pen: Pen, text: string, x: number, y: number, options: ParagraphOptions): number {
  for (const line of linesOf(pen, text, options)) {
    place(pen, line, x, y, options.size, options.color ?? ink, options.align ?? 'left', options.width);
    y -= options.leading;
  }
  return y;
}

/** The largest size (and its lines) at which the name fits: one line when large, up to six when small. */
function fitName(pen: Pen, name: string): { lines: ShapedLine[]; size: number } {
  const sizes = [30, 27, 24, 21, 18, 16, 14, 12, 11, 10].map((size) => Math.round(size * pen.density * 10) / 10);
  for (const [index, size] of sizes.entries()) {
    const lines = wrapText(name, 'bold', pen.faces, size, contentWidth);
    const allowed = index <= 3 ? 1 : index <= 5 ? 2 : 6;
    if (lines.length <= allowed || index === sizes.length - 1) return { lines, size };
  }
  throw new Error('unreachable: the smallest size always returns');
}

/**
 * The page's top: the council's logo, or its name when it has no logo (a
 * council's logo carries its name, so printing both shows it twice), and the
 * kind of certificate. Returns the y of the rule under it.
 */
function drawHeader(pen: Pen, input: CheckedInput, logo: PDFImage | undefined): number {
  draw(pen, (page) => page.drawRectangle({ x: 0, y: pageHeight - 10, width: pageWidth, height: 10, color: accent }));
  const top = pageHeight - 36;
  const kind = input.kind === 'role' ? 'Role certificate' : 'Module certificate';
  const kindWidth = widthOf(shapeLine(kind, 'regular', pen.faces), 9);
  let bottom: number;
  if (logo) {
    const scale = Math.min(150 / logo.width, 52 / logo.height);
    const height = logo.height * scale;
    draw(pen, (page) => page.drawImage(logo, { x: margin, y: top - height, width: logo.width * scale, height }));
    write(pen, kind, margin, top - height / 2 - 3, { size: 9, color: muted, align: 'right' });
    bottom = top - height;
  } else {
    const width = contentWidth - kindWidth - 24;
    const size = [14, 12, 10].find((candidate) => wrapText(input.council.name, 'bold', pen.faces, candidate, width).length <= 2) ?? 10;
    write(pen, kind, margin, top - size, { size: 9, color: muted, align: 'right' });
    bottom = paragraph(pen, input.council.name, margin, top - size, { size, leading: size * 1.25, width, weight: 'bold' }) + size * 1.25 - size * 0.3;
  }
  const ruleY = bottom - 14;
  draw(pen, (page) => page.drawLine({ start: { x: margin, y: ruleY }, end: { x: pageWidth - margin, y: ruleY }, thickness: 0.75, color: rule }));
  return ruleY;
}

function statementOf(input: CheckedInput): string {
  const where = `in the ${input.council.name} Family Hub workforce development matrix (version ${input.matrixVersion})`;
  const role = `${input.learner.roleName}, level ${input.learner.level} (${input.learner.levelName})`;
  if (input.kind === 'role') return `has completed the learning required for the role of ${role} ${where}.`;
  return `has completed the module “${input.requirements[0]?.title ?? ''}”, part of the learning for ${role} ${where}.`;
}

function drawRequirements(pen: Pen, input: CheckedInput, top: number, compact: boolean): number {
  const columns = [
    { label: 'Requirement', width: 195 },
    { label: 'Type', width: 44 },
    { label: 'Completed', width: 92 },
    { label: 'Score', width: 50 },
    { label: 'Renew by', width: contentWidth - 195 - 44 - 92 - 50 },
  ];
  const xs: number[] = [];
  columns.reduce((x, column) => {
    xs.push(x);
    return x + column.width;
  }, margin);
  write(pen, input.kind === 'role' ? 'What was completed' : 'Module completed', margin, top, { size: 11, weight: 'bold', color: accent });
  let y = top - 10;
  const headerHeight = 18;
  const headerY = y;
  draw(pen, (page) => page.drawRectangle({ x: margin, y: headerY - headerHeight, width: contentWidth, height: headerHeight, color: shade }));
  columns.forEach((column, index) => write(pen, column.label, (xs[index] ?? margin) + 6, y - 12.5, { size: 8, weight: 'bold', color: muted }));
  y -= headerHeight;
  const size = compact ? Math.max(6.5, 8.5 * pen.density) : 9.5;
  const leading = size + 2.5 * Math.min(1, pen.density + 0.2);
  for (const requirement of input.requirements) {
    const titleLines = linesOf(pen, requirement.title, {
      size,
      leading,
      width: (columns[0]?.width ?? 0) - 12,
      maxLines: !compact ? 3 : pen.density >= 0.7 ? 2 : 1,
    });
    const rowHeight = titleLines.length * leading + (compact ? 6 * Math.min(1, pen.density + 0.2) : 9);
    const baseline = y - (compact ? 3 : 4.5) - size * 0.9;
    titleLines.forEach((line, index) => place(pen, line, margin + 6, baseline - index * leading, size, ink, 'left'));
    const cells = [
      requirement.kind === 'module' ? 'Module' : requirement.kind === 'film' ? 'Film' : 'Webinar',
      formatDate(requirement.completedAt, input.council.timeZone),
      requirement.score === undefined
        ? requirement.kind === 'film'
          ? 'Watched'
          : requirement.kind === 'webinar'
            ? 'Attended'
            : '—'
        : `${Math.round(requirement.score * 100)}%`,
      formatDate(requirement.renewalDate, input.council.timeZone),
    ];
    cells.forEach((cell, index) => write(pen, cell, (xs[index + 1] ?? margin) + 6, baseline, { size, color: ink }));
    y -= rowHeight;
    const ruleY = y;
    draw(pen, (page) => page.drawLine({ start: { x: margin, y: ruleY }, end: { x: pageWidth - margin, y: ruleY }, thickness: 0.5, color: rule }));
  }
  return y;
}

/** The dates, codes and QR code under the table, from `top` down; returns the lowest point drawn. */
function drawFacts(pen: Pen, input: CheckedInput, integrityCode: string, top: number): number {
  const label = (text: string, x: number, y: number) => write(pen, text, x, y, { size: 8, color: muted });
  const qrSize = pen.density < 0.8 ? 80 : 96;
  const qrLeft = pageWidth - margin - qrSize + 8;
  const left = margin;
  const middle = margin + 160;
  const columnWidth = middle - left - 12;
  const middleWidth = qrLeft - middle - 8;
  const validUntil = formatDate(input.validUntil, input.council.timeZone);
  const validSize = widthOf(shapeLine(validUntil, 'bold', pen.faces), 15) <= columnWidth ? 15 : 13;
  label('Valid until', left, top);
  write(pen, validUntil, left, top - 18, { size: validSize, weight: 'bold', color: accent });
  label('Issued', left, top - 42);
  write(pen, formatDate(input.issuedAt, input.council.timeZone), left, top - 56, { size: 10.5 });
  label('Matrix version', left, top - 78);
  const leftBottom = paragraph(pen, input.matrixVersion, left, top - 92, { size: 10.5, leading: 13, width: columnWidth });

  label('Integrity code', middle, top);
  write(pen, integrityCode, middle, top - 18, { size: 15, weight: 'bold', color: ink });
  label('Certificate ID', middle, top - 42);
  write(pen, input.certificateId, middle, top - 56, { size: 8.5 });
  label('Check this certificate at', middle, top - 78);
  const middleBottom = paragraph(pen, input.verifyUrl, middle, top - 92, { size: 8.5, leading: 11, width: middleWidth });

  const verifyLink = `${input.verifyUrl}?id=${encodeURIComponent(input.certificateId)}`;
  const qrBottom = top - qrSize + 12;
  draw(pen, (page) => drawQrCode(page, verifyLink, qrLeft, qrBottom, qrSize));
  // The paragraphs return the next baseline; the last line's descenders reach about a third of a line below it.
  return Math.min(leftBottom + 13 - 4, middleBottom + 11 - 3, qrBottom);
}

/** Top of the footer's rule; nothing else may come below it. */
const footerRule = 74;

function drawFooter(pen: Pen, input: CheckedInput): void {
  draw(pen, (page) => page.drawLine({ start: { x: margin, y: footerRule }, end: { x: pageWidth - margin, y: footerRule }, thickness: 0.5, color: rule }));
  paragraph(
    pen,
    input.signature
      ? `${input.council.name}’s learning record holds the learning on this certificate and signed it. The integrity code shows whether it has been changed since it was made; the signature shows what the council’s record holds, not who did the learning. Check it at ${input.verifyUrl}`
      : `This certificate was made from the learner’s own learning record. The integrity code shows whether it has been changed since it was made; it does not prove who did the learning. Check it at ${input.verifyUrl}`,
    margin,
    60,
    { size: 7.5, leading: 10, width: contentWidth, color: muted, maxLines: 4 },
  );
}

/**
 * Lays out (or draws) everything above the footer; returns the lowest point used. Everything
 * below the header moves down by `drop`, so a short certificate sits in the middle of the page.
 */
function drawBody(pen: Pen, input: CheckedInput, integrityCode: string, logo: PDFImage | undefined, drop = 0): number {
  const d = pen.density;
  let y = drawHeader(pen, input, logo) - drop;
  const titleSize = Math.round(28 * Math.max(d, 0.7) * 10) / 10;
  y -= 22 + titleSize * 1.05 * d;
  write(pen, input.kind === 'role' ? 'Certificate of completion' : 'Certificate of module completion', margin, y, {
    size: titleSize,
    weight: 'bold',
    color: accent,
    align: 'center',
  });
  y -= 34 * d;
  write(pen, 'This is to certify that', margin, y, { size: 11, color: muted, align: 'center' });
  const name = fitName(pen, input.printedName);
  y -= name.size * 1.35;
  for (const line of name.lines) {
    place(pen, line, margin, y, name.size, ink, 'center');
    y -= name.size * 1.25;
  }
  y += name.size * 1.25;
  if (input.secondName) {
    const size = Math.max(9, 12 * d);
    y -= Math.max(size * 1.6, name.size * 0.8);
    y = paragraph(pen, input.secondName, margin, y, { size, leading: size * 1.25, width: contentWidth, color: muted, align: 'center' }) + size * 1.25;
  }
  // Room for descenders, which Arabic names have deep below the baseline.
  const orgSize = Math.max(9, 12.5 * d);
  y -= Math.max(orgSize * 1.75, name.size * 0.95);
  y =
    paragraph(pen, `of ${input.learner.organisation}`, margin, y, { size: orgSize, leading: orgSize * 1.3, width: contentWidth, align: 'center' }) +
    orgSize * 1.3;
  y -= 22 * Math.max(d, 0.8);
  const statementSize = Math.max(7.5, 10.5 * d);
  y = paragraph(pen, statementOf(input), margin + 30, y, {
    size: statementSize,
    leading: statementSize * 1.38,
    width: contentWidth - 60,
    align: 'center',
    color: ink,
  });
  const compact = d < 1 || input.requirements.length > 8 || name.lines.length > 2;
  y -= (compact ? 10 : 18) * d;
  y = drawRequirements(pen, input, y, compact);
  return drawFacts(pen, input, integrityCode, y - 26 * Math.max(d, 0.8));
}

/** Densities tried in turn, from full size down; the last fits the longest input the checks accept. */
const densities = [1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6, 0.55, 0.5];

/** Draws the page at the largest density at which nothing reaches the footer. */
function drawPage(page: PDFPage, faces: FaceSet, input: CheckedInput, integrityCode: string, logo: PDFImage | undefined): void {
  const lowest = (density: number) => drawBody({ page, faces, dry: true, density }, input, integrityCode, logo);
  const density = densities.find((candidate) => lowest(candidate) >= footerRule + 12);
  if (density === undefined) {
    throw new CertificateInputError(
      'requirements',
      'The certificate’s text does not fit on one page. Shorten the longest requirement titles or the organisation’s name.',
    );
  }
  const pen: Pen = { page, faces, dry: false, density };
  // Room to spare is shared above and below the body, not left as one empty band above the footer.
  drawBody(pen, input, integrityCode, logo, (lowest(density) - (footerRule + 12)) / 2);
  drawFooter(pen, input);
}

async function embedLogo(doc: PDFDocument, logoPng: Uint8Array | undefined): Promise<PDFImage | undefined> {
  if (!logoPng) return undefined;
  try {
    return await doc.embedPng(logoPng);
  } catch (error) {
    throw new CertificateInputError(
      'council.logoPng',
      `The council logo could not be read as a PNG image (${(error as Error).message}). Save the logo as PNG and try again.`,
    );
  }
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'certificate'
  );
}

/**
 * Builds a one-page A4 certificate with its evidence inside.
 * @throws CertificateInputError (LearnerNameError for the name) when the input cannot be printed;
 * CertificateFontError when a font cannot be loaded.
 */
export async function buildCertificate(rawInput: CertificateInput, deps: CertificateDeps): Promise<BuiltCertificate> {
  const input = checkCertificateInput(rawInput);
  const evidence = evidenceOf(input);
  let canonical: string;
  try {
    canonical = canonicalJson(evidence);
  } catch (error) {
    throw new CertificateInputError('statements', `The evidence cannot be stored: ${(error as Error).message}`);
  }
  const integrityCode = await integrityCodeOf(canonical);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const faces = await FaceSet.embed(doc, deps, {
    bold: [input.printedName, input.council.name],
    regular: [
      input.secondName ?? '',
      input.council.name,
      input.learner.organisation,
      input.learner.roleName,
      input.learner.levelName,
      ...input.requirements.map((requirement) => requirement.title),
    ],
  });
  const logo = await embedLogo(doc, input.council.logoPng);
  const page = doc.addPage(PageSizes.A4);
  drawPage(page, faces, input, integrityCode, logo);

  const roleOrModule = input.kind === 'role' ? input.learner.roleName : (input.requirements[0]?.title ?? '');
  doc.setTitle(`Certificate of completion: ${roleOrModule} – ${input.printedName}`);
  doc.setAuthor(input.council.name);
  doc.setSubject(
    `${input.kind === 'role' ? 'Role' : 'Module'} certificate ${input.certificateId}, valid until ${calendarDay(input.validUntil, input.council.timeZone)}, integrity code ${integrityCode}`,
  );
  doc.setKeywords(['Family Hub', 'workforce development', 'certificate', input.certificateId]);
  doc.setCreator(`${input.council.name} Family Hub workforce learning`);
  doc.setProducer('Family Hub workforce learning (pdf-lib)');
  doc.setLanguage('en-GB');
  const issued = new Date(input.issuedAt);
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);

  await doc.attach(new TextEncoder().encode(canonical), evidenceFileName, {
    mimeType: 'application/json',
    description: 'The learning record this certificate rests on (xAPI statements, profile, matrix version)',
    creationDate: issued,
    modificationDate: issued,
    afRelationship: AFRelationship.Data,
  });
  writeInfo(doc, infoKeys.integrityCode, integrityCode);
  writeInfo(doc, infoKeys.certificateId, input.certificateId);

  // The page digest covers the fonts and streams exactly as stored, so it is
  // taken from the saved file, the same way verification will read it.
  const draft = await PDFDocument.load(await doc.save(), { updateMetadata: false });
  writeInfo(draft, infoKeys.contentDigest, await contentDigest(canonical, draft));
  const bytes = await draft.save();

  return {
    bytes,
    certificateId: input.certificateId,
    integrityCode,
    evidence,
    fileName: `certificate-${slug(roleOrModule)}-${calendarDay(input.issuedAt, input.council.timeZone)}.pdf`,
  };
}

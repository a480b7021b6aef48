/**
 * A repair for TrueType fonts before pdf-lib subsets them.
 *
 * fontkit's subsetter copies each glyph's bytes as they are and then writes a
 * short `loca` table (offsets divided by two) whenever the subset is small.
 * Recent Noto builds store glyphs unpadded, so a glyph of odd length shifts
 * every later offset by one byte and most letters vanish from the PDF
 * (pdf-lib issue #1232). Padding every glyph to four bytes keeps each offset
 * even, whatever loca format the subsetter picks.
 */

import { CertificateFontError } from './errors.ts';

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

const align4 = (length: number) => (length + 3) & ~3;

function checksum(bytes: Uint8Array): number {
  const padded = new Uint8Array(align4(bytes.length));
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let sum = 0;
  for (let at = 0; at < padded.length; at += 4) sum = (sum + view.getUint32(at)) >>> 0;
  return sum;
}

/** Returns the font with every glyph padded to four bytes and a long `loca`; the same bytes when already so. */
export function padGlyphs(font: Uint8Array): Uint8Array {
  if (font.length < 12) throw new CertificateFontError('A certificate font file is too short to be a font. Reinstall the @expo-google-fonts packages.');
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const numTables = view.getUint16(4);
  const records: TableRecord[] = [];
  for (let index = 0; index < numTables; index++) {
    const at = 12 + index * 16;
    records.push({
      tag: String.fromCharCode(...font.subarray(at, at + 4)),
      offset: view.getUint32(at + 8),
      length: view.getUint32(at + 12),
    });
  }
  const find = (tag: string) => records.find((record) => record.tag === tag);
  const head = find('head');
  const maxp = find('maxp');
  const loca = find('loca');
  const glyf = find('glyf');
  // CFF-flavoured fonts have no glyf table and are not affected.
  if (!glyf || !loca) return font;
  if (!head || !maxp) throw new CertificateFontError('A certificate font has no head or maxp table, so it is not a usable TrueType font.');

  const longLoca = view.getInt16(head.offset + 50) === 1;
  const glyphCount = view.getUint16(maxp.offset + 4);
  const offsets: number[] = [];
  for (let index = 0; index <= glyphCount; index++) {
    offsets.push(longLoca ? view.getUint32(loca.offset + index * 4) : view.getUint16(loca.offset + index * 2) * 2);
  }
  if (longLoca && offsets.every((offset) => offset % 4 === 0)) return font;

  const newOffsets = [0];
  for (let index = 0; index < glyphCount; index++) {
    newOffsets.push((newOffsets[index] ?? 0) + align4((offsets[index + 1] ?? 0) - (offsets[index] ?? 0)));
  }
  const newGlyf = new Uint8Array(newOffsets[glyphCount] ?? 0);
  for (let index = 0; index < glyphCount; index++) {
    newGlyf.set(font.subarray(glyf.offset + (offsets[index] ?? 0), glyf.offset + (offsets[index + 1] ?? 0)), newOffsets[index] ?? 0);
  }
  const newLoca = new Uint8Array((glyphCount + 1) * 4);
  const locaView = new DataView(newLoca.buffer);
  newOffsets.forEach((offset, index) => locaView.setUint32(index * 4, offset));
  const newHead = font.slice(head.offset, head.offset + head.length);
  const headView = new DataView(newHead.buffer);
  headView.setInt16(50, 1);
  headView.setUint32(8, 0);

  const tables = records
    .map((record) => ({
      tag: record.tag,
      bytes:
        record.tag === 'glyf'
          ? newGlyf
          : record.tag === 'loca'
            ? newLoca
            : record.tag === 'head'
              ? newHead
              : font.subarray(record.offset, record.offset + record.length),
    }))
    .sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const directorySize = 12 + numTables * 16;
  const out = new Uint8Array(tables.reduce((size, table) => size + align4(table.bytes.length), directorySize));
  const outView = new DataView(out.buffer);
  out.set(font.subarray(0, 12));
  let position = directorySize;
  let headPosition = 0;
  tables.forEach((table, index) => {
    const at = 12 + index * 16;
    for (let char = 0; char < 4; char++) out[at + char] = table.tag.charCodeAt(char);
    outView.setUint32(at + 4, checksum(table.bytes));
    outView.setUint32(at + 8, position);
    outView.setUint32(at + 12, table.bytes.length);
    if (table.tag === 'head') headPosition = position;
    out.set(table.bytes, position);
    position += align4(table.bytes.length);
  });
  // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA (OpenType spec, 'head').
  outView.setUint32(headPosition + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

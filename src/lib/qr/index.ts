/**
 * QR codes for links people open on a phone: the certificate's verify link, an
 * enrolment link, a one-time code for another device. One encoder, drawn as a PDF
 * or as SVG.
 */
import qrcode from 'qrcode-generator';

/** The quiet zone, in modules, that readers need around the code. */
export const quietZone = 4;

/** The dark modules of `text`'s QR code, row by row, at error correction level M (survives a scuffed print). */
export function qrModules(text: string): boolean[][] {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  return Array.from({ length: count }, (_, row) => Array.from({ length: count }, (_, column) => code.isDark(row, column)));
}

/** Runs of dark modules per row: [row, first column, length], so a drawing needs one shape per run. */
export function darkRuns(modules: readonly (readonly boolean[])[]): [row: number, column: number, length: number][] {
  const runs: [number, number, number][] = [];
  modules.forEach((cells, row) => {
    let start = -1;
    for (let column = 0; column <= cells.length; column++) {
      const dark = column < cells.length && cells[column] === true;
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push([row, start, column - start]);
        start = -1;
      }
    }
  });
  return runs;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An SVG image of the QR code for `text`, with `label` as its accessible name
 * (role="img" and a title), black on white with its quiet zone, scaling to its box.
 */
export function qrSvg(text: string, label: string): string {
  const modules = qrModules(text);
  const size = modules.length + quietZone * 2;
  const path = darkRuns(modules)
    .map(([row, column, length]) => `M${column + quietZone} ${row + quietZone}h${length}v1h-${length}z`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeXml(label)}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(label)}</title><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  );
}

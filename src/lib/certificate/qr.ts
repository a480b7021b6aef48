/** The verify link as a QR code, drawn as vector rectangles so it stays sharp in print. */
import { fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingColor, type PDFOperator, type PDFPage } from 'pdf-lib';
import { darkRuns, qrModules, quietZone } from '../qr/index.ts';

/** Draws a QR code for `url` in a square of `size` points whose lower-left corner is (x, y). */
export function drawQrCode(page: PDFPage, url: string, x: number, y: number, size: number): void {
  const modules = qrModules(url);
  // The quiet zone is part of the square, so nothing else comes too close.
  const cell = size / (modules.length + quietZone * 2);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const rectangles: PDFOperator[] = darkRuns(modules).map(([row, column, length]) =>
    rectangle(
      round(x + (quietZone + column) * cell),
      round(y + size - (quietZone + row + 1) * cell),
      round(length * cell),
      // A hair of overlap hides the seams some viewers show between rows.
      round(cell + 0.05),
    ),
  );
  page.pushOperators(pushGraphicsState(), setFillingColor(rgb(0, 0, 0)), ...rectangles, fill(), popGraphicsState());
}

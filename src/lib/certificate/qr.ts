/** The verify link as a QR code, drawn as vector rectangles so it stays sharp in print. */
import qrcode from 'qrcode-generator';
import { fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingColor, type PDFOperator, type PDFPage } from 'pdf-lib';

/** Draws a QR code for `url` in a square of `size` points whose lower-left corner is (x, y). */
export function drawQrCode(page: PDFPage, url: string, x: number, y: number, size: number): void {
  // Level M survives a scuffed or folded print; the type number grows with the URL.
  const code = qrcode(0, 'M');
  code.addData(url, 'Byte');
  code.make();
  const count = code.getModuleCount();
  // The quiet zone of four modules is part of the square, so nothing else comes too close.
  const quiet = 4;
  const cell = size / (count + quiet * 2);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const rectangles: PDFOperator[] = [];
  for (let row = 0; row < count; row++) {
    // One rectangle per horizontal stretch of dark modules keeps the page small.
    let start = -1;
    for (let column = 0; column <= count; column++) {
      const dark = column < count && code.isDark(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        rectangles.push(
          rectangle(
            round(x + (quiet + start) * cell),
            round(y + size - (quiet + row + 1) * cell),
            round((column - start) * cell),
            // A hair of overlap hides the seams some viewers show between rows.
            round(cell + 0.05),
          ),
        );
        start = -1;
      }
    }
  }
  page.pushOperators(pushGraphicsState(), setFillingColor(rgb(0, 0, 0)), ...rectangles, fill(), popGraphicsState());
}

/**
 * The one CSV writer. Cells are quoted when they need it, and a cell that a
 * spreadsheet would run as a formula (starting = + - @, or a tab or carriage
 * return) gets a leading apostrophe, as OWASP advises against CSV injection.
 */
const formulaStart = /^[=+\-@\t\r]/;

/** One cell, safe to open in a spreadsheet. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to CSV text with CRLF line ends (RFC 4180) and a byte order mark so Excel reads UTF-8 names correctly. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

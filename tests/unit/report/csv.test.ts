import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/lib/report/csv.ts';

describe('csvCell', () => {
  it.each([
    ['Siân Llŷr', 'Siân Llŷr'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+44 113 496 0000', "'+44 113 496 0000"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['Library, Northgate', '"Library, Northgate"'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
  ])('writes %j as %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
  it('writes numbers and empty values', () => {
    expect(csvCell(80)).toBe('80');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });
});

describe('toCsv', () => {
  it('joins rows with CRLF after a byte order mark', () => {
    expect(
      toCsv([
        ['Name', 'Role'],
        ['محمد علي', 'Library staff'],
      ]),
    ).toBe('\uFEFFName,Role\r\nمحمد علي,Library staff\r\n');
  });
});

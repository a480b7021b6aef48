import { describe, expect, it } from 'vitest';
import { darkRuns, qrModules, qrSvg } from '../../../src/lib/qr/index.ts';

describe('QR codes', () => {
  it('encodes a link as a square of modules with the three finder patterns', () => {
    const modules = qrModules('https://learning.example.org/enrol/#t=abc');
    const size = modules.length;
    expect(modules.every((row) => row.length === size)).toBe(true);
    // Each finder pattern starts with a dark 7-module row.
    for (const [row, column] of [
      [0, 0],
      [0, size - 7],
      [size - 7, 0],
    ] as const) {
      expect(modules[row]!.slice(column, column + 7)).toEqual(Array(7).fill(true));
    }
  });

  it('joins dark modules into runs', () => {
    expect(
      darkRuns([
        [true, true, false, true],
        [false, false, false, false],
      ]),
    ).toEqual([
      [0, 0, 2],
      [0, 3, 1],
    ]);
  });

  it('draws SVG with an accessible name and no markup from the label', () => {
    const svg = qrSvg('https://learning.example.org/', 'Code for <b>Siân</b>');
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title>Code for &#60;b&#62;Siân&#60;/b&#62;</title>');
    expect(svg).not.toContain('<b>');
  });
});

import { describe, expect, it } from 'vitest';
import { formatPlayedSegments, parsePlayedSegments, playedFraction, unionSegments } from '../../../src/lib/xapi/index.ts';

describe('parsePlayedSegments', () => {
  it.each([
    [
      'the profile example',
      '0.000[.]12.000[,]14.000[.]21.000',
      [
        { start: 0, end: 12 },
        { start: 14, end: 21 },
      ],
    ],
    ['one segment', '3.5[.]9.25', [{ start: 3.5, end: 9.25 }]],
    ['empty', '', []],
    ['a zero-length segment', '5.000[.]5.000', [{ start: 5, end: 5 }]],
    ['a reversed segment is left out', '9[.]3[,]1[.]2', [{ start: 1, end: 2 }]],
    ['a half segment is left out', '0[.]12[,]14[.]', [{ start: 0, end: 12 }]],
    ['words are left out', 'abc[.]12', []],
    ['negative times are left out', '-1[.]4', []],
  ])('%s', (_name, text, segments) => {
    expect(parsePlayedSegments(text)).toEqual(segments);
  });

  it('round-trips with formatPlayedSegments', () => {
    const text = '0.000[.]12.000[,]14.000[.]21.000';
    expect(formatPlayedSegments(parsePlayedSegments(text))).toBe(text);
  });
});

describe('unionSegments', () => {
  it.each([
    [
      'disjoint stay apart, sorted',
      [
        { start: 14, end: 21 },
        { start: 0, end: 12 },
      ],
      [
        { start: 0, end: 12 },
        { start: 14, end: 21 },
      ],
    ],
    [
      'overlapping merge',
      [
        { start: 0, end: 12 },
        { start: 10, end: 30 },
      ],
      [{ start: 0, end: 30 }],
    ],
    [
      'touching merge',
      [
        { start: 0, end: 12 },
        { start: 12, end: 20 },
      ],
      [{ start: 0, end: 20 }],
    ],
    [
      'repeated count once',
      [
        { start: 5, end: 10 },
        { start: 5, end: 10 },
        { start: 5, end: 10 },
      ],
      [{ start: 5, end: 10 }],
    ],
    [
      'contained disappear',
      [
        { start: 0, end: 60 },
        { start: 10, end: 20 },
      ],
      [{ start: 0, end: 60 }],
    ],
    ['empty', [], []],
  ])('%s', (_name, segments, union) => {
    expect(unionSegments(segments)).toEqual(union);
  });

  it('does not change its input', () => {
    const input = [
      { start: 0, end: 12 },
      { start: 10, end: 30 },
    ];
    unionSegments(input);
    expect(input).toEqual([
      { start: 0, end: 12 },
      { start: 10, end: 30 },
    ]);
  });
});

describe('playedFraction', () => {
  it.each([
    ['all of it', [{ start: 0, end: 120 }], 120, 1],
    [
      'the same half three times',
      [
        { start: 0, end: 60 },
        { start: 0, end: 60 },
        { start: 0, end: 60 },
      ],
      120,
      0.5,
    ],
    [
      'overlapping pieces',
      [
        { start: 0, end: 50 },
        { start: 40, end: 100 },
        { start: 90, end: 108 },
      ],
      120,
      0.9,
    ],
    ['past the end is capped', [{ start: 100, end: 130 }], 120, 20 / 120],
    ['nothing', [], 120, 0],
    ['no known length', [{ start: 0, end: 10 }], 0, 0],
  ])('%s', (_name, segments, length, fraction) => {
    expect(playedFraction(segments, length)).toBeCloseTo(fraction, 10);
  });
});

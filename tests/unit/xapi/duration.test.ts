import { describe, expect, it } from 'vitest';
import { isIsoDuration, isoDurationOf } from '../../../src/lib/xapi/index.ts';

describe('isoDurationOf', () => {
  it.each([
    [0, 'PT0S'],
    [12.5, 'PT12.5S'],
    [60, 'PT1M'],
    [90.5, 'PT1M30.5S'],
    [3723.456, 'PT1H2M3.46S'],
    [-3, 'PT0S'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(isoDurationOf(seconds)).toBe(text);
    expect(isIsoDuration(text)).toBe(true);
  });
});

describe('isIsoDuration', () => {
  it.each([
    ['PT1M30S', true],
    ['P1DT2H', true],
    ['P2W', true],
    ['PT0.5S', true],
    ['P', false],
    ['PT', false],
    ['P1DT', false],
    ['1M30S', false],
    ['PT1.S', false],
    ['PT-5S', false],
    ['thirty seconds', false],
  ])('%s → %s', (text, valid) => {
    expect(isIsoDuration(text)).toBe(valid);
  });
});

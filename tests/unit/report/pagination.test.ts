import { describe, expect, it } from 'vitest';
import { pageLinks } from '../../../src/lib/report/index.ts';

describe('page links', () => {
  it.each([
    [1, 1, [1]],
    [1, 2, [1, 2]],
    [2, 3, [1, 2, 3]],
    [1, 4, [1, 2, 3, 4]],
    [1, 5, [1, 2, 'gap', 5]],
    [1, 20, [1, 2, 'gap', 20]],
    [3, 20, [1, 2, 3, 4, 'gap', 20]],
    [4, 20, [1, 2, 3, 4, 5, 'gap', 20]],
    [5, 20, [1, 'gap', 4, 5, 6, 'gap', 20]],
    [10, 20, [1, 'gap', 9, 10, 11, 'gap', 20]],
    [18, 20, [1, 'gap', 17, 18, 19, 20]],
    [20, 20, [1, 'gap', 19, 20]],
    [1, 0, []],
  ])('page %i of %i offers %j', (current, count, expected) => {
    expect(pageLinks(current, count)).toEqual(expected);
  });

  it.each([0, 5, 1.5])('refuses page %s of 4', (current) => {
    expect(() => pageLinks(current, 4)).toThrow(`There is no page ${current} of 4.`);
  });
});

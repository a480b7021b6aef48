import { z } from 'zod';
import { z as mini } from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { describeProblems, formatFieldPath, problemsOf } from '../../../src/lib/problems/index.ts';

describe('formatFieldPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], ''],
    [['version'], 'version'],
    [['roles', 2, 'required', 1], 'roles[2].required[1]'],
    [['requirements', 0, 'completedAt'], 'requirements[0].completedAt'],
    [[0, 'id'], '[0].id'],
  ])('%j → %s', (path, text) => {
    expect(formatFieldPath(path)).toBe(text);
  });
});

describe('problemsOf', () => {
  const schema = z.object({ requirements: z.array(z.object({ completedAt: z.string() })), name: z.string() });

  it('names each field as people write it, one problem per issue', () => {
    const result = schema.safeParse({ requirements: [{ completedAt: 3 }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(problemsOf(result.error)).toEqual([
      { field: 'requirements[0].completedAt', reason: 'Invalid input: expected string, received number' },
      { field: 'name', reason: 'Invalid input: expected string, received undefined' },
    ]);
  });

  it('reads zod mini issues the same way', () => {
    const result = mini.object({ ids: mini.array(mini.string()) }).safeParse({ ids: ['a', 1] });
    expect(result.success).toBe(false);
    if (!result.success) expect(problemsOf(result.error).map((problem) => problem.field)).toEqual(['ids[1]']);
  });
});

describe('describeProblems', () => {
  it('puts problems on one line and names the whole thing when no field is given', () => {
    expect(
      describeProblems(
        [
          { field: '', reason: 'must be an object' },
          { field: 'roles[0].name', reason: 'is missing' },
        ],
        'file',
      ),
    ).toBe('file: must be an object; roles[0].name: is missing');
  });
});

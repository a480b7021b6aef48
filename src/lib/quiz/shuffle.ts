/**
 * Option order for an attempt. The same seed always gives the same order, so an
 * attempt can be reproduced in tests; a new seed per attempt varies the order
 * between attempts when the author allows it.
 */
import type { Question, Quiz } from '../content/schema.ts';

type Option = Question['options'][number];

/** Shuffles `items` with a Fisher–Yates pass driven by `seed`; returns a new array. */
export function shuffleWithSeed<T>(items: readonly T[], seed: string): T[] {
  const random = mulberry32(hashOf(seed));
  const result = [...items];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

/**
 * The options of every question in the order one attempt shows them, by question id.
 * True/false questions keep "True" before "False", as people expect to read them;
 * questions keep the author's order, since a later one may build on an earlier one.
 */
export function optionOrder(quiz: Quiz, seed: string): Record<string, Option[]> {
  const order: Record<string, Option[]> = {};
  for (const question of quiz.questions) {
    const keep = !quiz.shuffle || question.type === 'true-false';
    order[question.id] = keep ? [...question.options] : shuffleWithSeed(question.options, `${seed}:${question.id}`);
  }
  return order;
}

/** 32-bit FNV-1a hash of a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A small seeded generator of numbers in [0, 1); quality is ample for ordering options. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

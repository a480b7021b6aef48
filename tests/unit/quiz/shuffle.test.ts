import { describe, expect, it } from 'vitest';
import { optionOrder, shuffleWithSeed } from '../../../src/lib/quiz/index.ts';
import { sampleQuiz } from './quiz-fixture.ts';

const letters = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('shuffleWithSeed', () => {
  it('gives the same order for the same seed', () => {
    expect(shuffleWithSeed(letters, 'attempt-1')).toEqual(shuffleWithSeed(letters, 'attempt-1'));
  });

  it.each(['attempt-1', 'attempt-2', 'x', ''])('returns a permutation of the items (seed %j)', (seed) => {
    const shuffled = shuffleWithSeed(letters, seed);
    expect(shuffled).toHaveLength(letters.length);
    expect([...shuffled].sort()).toEqual(letters);
  });

  it('does not change the array it is given', () => {
    const items = [...letters];
    shuffleWithSeed(items, 'seed');
    expect(items).toEqual(letters);
  });

  it('varies the order across seeds and puts every item first sometimes', () => {
    const orders = new Set<string>();
    const firsts = new Set<string>();
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const shuffled = shuffleWithSeed(letters, `attempt-${attempt}`);
      orders.add(shuffled.join(''));
      firsts.add(shuffled[0] ?? '');
    }
    expect(orders.size).toBeGreaterThan(100);
    expect([...firsts].sort()).toEqual(letters);
  });
});

describe('optionOrder', () => {
  const ids = (order: ReturnType<typeof optionOrder>) =>
    Object.fromEntries(Object.entries(order).map(([id, options]) => [id, options.map((option) => option.id)]));

  it('keeps the author’s order when shuffle is off', () => {
    const quiz = sampleQuiz({ shuffle: false });
    const order = ids(optionOrder(quiz, 'any'));
    for (const question of quiz.questions) expect(order[question.id]).toEqual(question.options.map((option) => option.id));
  });

  it('is deterministic per seed and keeps every option', () => {
    const quiz = sampleQuiz();
    expect(ids(optionOrder(quiz, 'seed-1'))).toEqual(ids(optionOrder(quiz, 'seed-1')));
    for (const question of quiz.questions) {
      expect(ids(optionOrder(quiz, 'seed-1'))[question.id]?.sort()).toEqual(question.options.map((option) => option.id).sort());
    }
  });

  it('changes the order between attempts when shuffle is on', () => {
    const quiz = sampleQuiz();
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 20; attempt += 1) seen.add(ids(optionOrder(quiz, `seed-${attempt}`))['conflict']?.join() ?? '');
    expect(seen.size).toBeGreaterThan(1);
  });

  it('keeps True before False', () => {
    const quiz = sampleQuiz();
    for (let attempt = 0; attempt < 20; attempt += 1) expect(ids(optionOrder(quiz, `seed-${attempt}`))['one-building']).toEqual(['true', 'false']);
  });
});

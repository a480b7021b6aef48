import { describe, expect, it } from 'vitest';
import { responseOf, scoreAttempt, scoreQuestion, unansweredQuestions } from '../../../src/lib/quiz/index.ts';
import { allCorrect, sampleQuiz } from './quiz-fixture.ts';

const quiz = sampleQuiz();
const question = (id: string) => {
  const found = quiz.questions.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};

describe('scoreQuestion', () => {
  it.each([
    ['single, correct', 'front-door', ['front-door'], true],
    ['single, wrong', 'front-door', ['nobody'], false],
    ['multiple, all correct options', 'hub-offers', ['infant-feeding', 'debt-advice'], true],
    ['multiple, all correct in another order', 'hub-offers', ['debt-advice', 'infant-feeding'], true],
    ['multiple, partial (one of two correct)', 'hub-offers', ['infant-feeding'], false],
    ['multiple, all correct plus a wrong one', 'hub-offers', ['infant-feeding', 'debt-advice', 'passports'], false],
    ['multiple, only the wrong one', 'hub-offers', ['passports'], false],
    ['true-false, correct', 'one-building', ['false'], true],
    ['true-false, wrong', 'one-building', ['true'], false],
    ['scenario, correct', 'age-range', ['yes-send'], true],
    ['scenario, wrong', 'age-range', ['under-fives'], false],
    ['unanswered', 'front-door', [], false],
    ['unknown option ids are ignored', 'front-door', ['front-door', 'made-up'], true],
  ])('%s', (_name, id, chosen, success) => {
    expect(scoreQuestion(question(id), chosen).success).toBe(success);
  });

  it('reports chosen and correct options in the author’s order, with the xAPI response', () => {
    expect(scoreQuestion(question('hub-offers'), ['passports', 'infant-feeding'])).toMatchInlineSnapshot(`
      {
        "chosen": [
          "infant-feeding",
          "passports",
        ],
        "correct": [
          "infant-feeding",
          "debt-advice",
        ],
        "questionId": "hub-offers",
        "response": "infant-feeding[,]passports",
        "success": false,
      }
    `);
  });

  it('counts a repeated option once', () => {
    expect(responseOf(question('front-door'), ['nobody', 'nobody'])).toBe('nobody');
  });
});

describe('scoreAttempt', () => {
  it('scores all correct as 1 and a pass', () => {
    const result = scoreAttempt(quiz, allCorrect);
    expect(result).toMatchObject({ correctCount: 5, total: 5, scaled: 1, passMark: 0.8, passed: true });
  });

  it.each([
    // 5 questions, pass mark 0.8: 4 right is exactly the mark.
    [0.8, 4, true],
    [0.8, 3, false],
    // 0.7 of 5 is 3.5: 3 right falls short, 4 passes.
    [0.7, 3, false],
    [0.7, 4, true],
    [1, 4, false],
    [1, 5, true],
    [0.6, 3, true],
  ])('pass mark %s with %i of 5 right → passed %s', (passMark, right, passed) => {
    const ids = Object.keys(allCorrect) as (keyof typeof allCorrect)[];
    const answers = Object.fromEntries(ids.map((id, index) => [id, index < right ? allCorrect[id] : []]));
    const result = scoreAttempt(sampleQuiz({ passMark }), answers);
    expect(result.correctCount).toBe(right);
    expect(result.scaled).toBeCloseTo(right / 5);
    expect(result.passed).toBe(passed);
  });

  it('treats a partial multiple-choice answer as a wrong question', () => {
    const result = scoreAttempt(quiz, { ...allCorrect, 'hub-offers': ['debt-advice'] });
    expect(result.questions.find((item) => item.questionId === 'hub-offers')?.success).toBe(false);
    expect(result).toMatchObject({ correctCount: 4, scaled: 0.8, passed: true });
  });

  it('uses the default pass mark of 0.8 when the author gives none', () => {
    expect(sampleQuiz().passMark).toBe(0.8);
  });
});

describe('unansweredQuestions', () => {
  it('lists questions with no chosen option, in quiz order', () => {
    expect(unansweredQuestions(quiz, { 'hub-offers': ['passports'], conflict: [] })).toEqual(['front-door', 'one-building', 'age-range', 'conflict']);
  });

  it('is empty when every question has an answer, right or wrong', () => {
    expect(unansweredQuestions(quiz, { ...allCorrect, 'front-door': ['nobody'] })).toEqual([]);
  });

  it('does not count ids the question does not have as an answer', () => {
    expect(unansweredQuestions(quiz, { ...allCorrect, 'front-door': ['made-up'] })).toEqual(['front-door']);
  });
});

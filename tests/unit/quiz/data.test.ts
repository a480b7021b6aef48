import { describe, expect, it } from 'vitest';
import { parseQuizData, QuizDataError } from '../../../src/lib/quiz/index.ts';
import { sampleQuiz } from './quiz-fixture.ts';

describe('parseQuizData', () => {
  it('reads the JSON the build writes', () => {
    const quiz = sampleQuiz();
    expect(parseQuizData(JSON.stringify(quiz))).toEqual(quiz);
  });

  it.each([
    ['missing', null, 'no quiz data found'],
    ['blank', '  ', 'no quiz data found'],
    ['not JSON', '{questions:', 'the quiz data is not valid JSON'],
    ['no questions', '{"passMark":0.8,"shuffle":true,"questions":[]}', 'expected passMark, shuffle and at least one question'],
    ['unknown type', '{"passMark":0.8,"shuffle":true,"questions":[{"id":"q","prompt":"P","type":"essay","options":[]}]}', 'question 1 has an unknown type'],
    [
      'option without feedback',
      '{"passMark":0.8,"shuffle":true,"questions":[{"id":"q","prompt":"P","type":"single","options":[{"id":"a","text":"A","correct":true},{"id":"b","text":"B","correct":false,"feedback":"F"}]}]}',
      'option 1 of question 1 needs id, text, correct and feedback',
    ],
  ])('rejects %s data with a reason', (_name, json, reason) => {
    expect(() => parseQuizData(json)).toThrow(QuizDataError);
    try {
      parseQuizData(json);
    } catch (error) {
      expect((error as QuizDataError).reason).toBe(reason);
    }
  });
});

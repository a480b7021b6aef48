/**
 * The course reviews: a quiz that can be passed by guessing from option length
 * or absolute words is caught, select-all questions must vary how many answers
 * are right, and the matrix must give every role the learning it needs. Each
 * rule has a case it catches and a case it lets through.
 */
import { describe, expect, it } from 'vitest';
import {
  absoluteWordIn,
  guessAnswer,
  reviewQuizFairness,
  reviewRoleFit,
  reviewSelectAllCounts,
  type Matrix,
  type Question,
  type Quiz,
} from '../../../src/lib/content/index.ts';

type Option = Question['options'][number];
const option = (id: string, text: string, correct = false): Option => ({ id, text, correct, feedback: `${correct ? 'Right' : 'Not quite'}. Because.` });
const single = (id: string, options: Option[]): Question => ({ id, type: 'single', prompt: `Question ${id}?`, options });
const trueFalse = (id: string, prompt: string, answer: boolean): Question => ({
  id,
  type: 'true-false',
  prompt,
  options: [option('true', 'True', answer), option('false', 'False', !answer)],
});
const multiple = (id: string, options: Option[]): Question => ({ id, type: 'multiple', prompt: 'Which? Select all that apply.', options });
const quiz = (questions: Question[], passMark = 0.8): Quiz => ({ passMark, shuffle: true, questions });

/** A single-answer question whose right answer is the longest option. */
const longRight = (id: string) =>
  single(id, [option('a', 'The careful, complete and correct answer', true), option('b', 'A short slip'), option('c', 'Another slip')]);
/** A single-answer question whose right answer is the shortest option. */
const shortRight = (id: string) =>
  single(id, [
    option('a', 'Tell your lead', true),
    option('b', 'Wait a week and see if it happens again'),
    option('c', 'Ask the family what they think happened'),
  ]);
/** A single-answer question where length tells you nothing: the right answer is in the middle. */
const middleRight = (id: string) =>
  single(id, [option('a', 'Phone the front door', true), option('b', 'Ask the child for more detail first'), option('c', 'Wait for now')]);

describe('absolute words', () => {
  it.each([
    ['A family hub is only ever one building.', 'only'],
    ['You must never promise a child to keep a secret.', 'must'],
    ['Always call 999.', 'always'],
    ['All parents argue.', 'all'],
    ['Staff can share a worry without consent.', undefined],
    ['The overall picture matters.', undefined],
  ])('finds the absolute word in "%s"', (text, word) => {
    expect(absoluteWordIn(text)).toBe(word);
  });
});

describe('guessing an answer', () => {
  it('picks the longest or the shortest option on a single-answer question', () => {
    expect(guessAnswer(longRight('q'), 'longest')).toEqual(['a']);
    expect(guessAnswer(longRight('q'), 'shortest')).toEqual(['b']);
  });

  it('is given the right option when it ties for longest', () => {
    const question = single('q', [option('a', 'Same length', false), option('b', 'Same lengtH', true), option('c', 'Short')]);
    expect(guessAnswer(question, 'longest')).toEqual(['b']);
  });

  it('answers true-false from absolute words', () => {
    expect(guessAnswer(trueFalse('q', 'A hub is only ever one building.', false), 'longest')).toEqual(['false']);
    expect(guessAnswer(trueFalse('q', 'A family can say no to early help.', true), 'shortest')).toEqual(['true']);
  });

  it('on select-all, leaves out only the shortest (or the longest) option', () => {
    const question = multiple('q', [option('a', 'A plausible right answer', true), option('b', 'Another plausible right answer', true), option('c', 'Absurd')]);
    expect(guessAnswer(question, 'longest')).toEqual(['a', 'b']);
    expect(guessAnswer(question, 'shortest')).toEqual(['a', 'c']);
  });
});

describe('quiz fairness', () => {
  it('fails a quiz that always picking the longest option passes, naming the file and the questions', () => {
    const unfair = quiz([longRight('q1'), longRight('q2'), longRight('q3'), longRight('q4'), middleRight('q5')]);
    const problems = reviewQuizFairness('safeguarding-basics', unfair);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('courses/modules/safeguarding-basics/quiz.yaml');
    expect(problems[0]!.message).toContain('always picks the longest option');
    expect(problems[0]!.message).toContain('scores 4 of 5 and passes');
    expect(problems[0]!.message).toContain('q1 (longest option), q2 (longest option), q3 (longest option), q4 (longest option)');
  });

  it('fails a quiz that always picking the shortest option passes', () => {
    const problems = reviewQuizFairness('m', quiz([shortRight('q1'), shortRight('q2'), shortRight('q3'), shortRight('q4'), middleRight('q5')]));
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('always picks the shortest option, and answers true-false')]);
  });

  it('fails a quiz whose true-false questions give themselves away with absolute words', () => {
    const giveaways = [
      trueFalse('t1', 'A family hub is only ever one building.', false),
      trueFalse('t2', 'You should always ignore a child who tells you something.', false),
      trueFalse('t3', 'A family can say no to early help.', true),
      trueFalse('t4', 'Conflict can harm children whether parents live together or apart.', true),
    ];
    const problems = reviewQuizFairness('m', quiz([...giveaways, middleRight('q5')]));
    expect(problems).toHaveLength(2);
    expect(problems[0]!.message).toContain('t1 (says "only" and is false), t2 (says "always" and is false), t3 (has no absolute word and is true)');
  });

  it('fails a quiz where every select-all leaves out one short, absurd option', () => {
    const absurd = (id: string) =>
      multiple(id, [
        option('a', 'Tell your safeguarding lead', true),
        option('b', 'Write down what you saw', true),
        option('c', 'Note the date and time', true),
        option('d', 'Nothing'),
      ]);
    const problems = reviewQuizFairness('m', quiz([absurd('m1'), absurd('m2'), absurd('m3'), absurd('m4'), middleRight('q5')]));
    expect(problems[0]!.message).toContain('m1 (longest options)');
  });

  it('passes a quiz where neither length nor wording gives the answer away', () => {
    const fair = quiz([
      longRight('q1'),
      shortRight('q2'),
      middleRight('q3'),
      middleRight('q4'),
      trueFalse('t1', 'You must never promise a child to keep a secret.', true),
      trueFalse('t2', 'Data protection law stops you sharing a worry about a child.', false),
    ]);
    expect(reviewQuizFairness('m', fair)).toEqual([]);
  });

  it('lets a quiz through when guessing falls one short of the pass mark', () => {
    // 5 questions at 0.8 need 4: three longest-right questions are not enough.
    expect(reviewQuizFairness('m', quiz([longRight('q1'), longRight('q2'), longRight('q3'), middleRight('q4'), shortRight('q5')]))).toEqual([]);
  });
});

describe('select-all answer counts', () => {
  const withRight = (id: string, right: number) =>
    multiple(
      id,
      ['a', 'b', 'c', 'd', 'e'].map((letter, index) => option(letter, `Option ${letter}`, index < right)),
    );

  it('fails a course whose select-all questions all have the same number of right answers, naming each', () => {
    const problems = reviewSelectAllCounts({ one: quiz([withRight('m1', 3)]), two: quiz([withRight('m2', 3), longRight('q')]) });
    expect(problems).toEqual([
      {
        file: 'courses/modules',
        field: '',
        message:
          'all 2 "select all that apply" questions have 3 right answers; vary how many are right (courses/modules/one/quiz.yaml m1; courses/modules/two/quiz.yaml m2)',
      },
    ]);
  });

  it('passes a course with two different counts', () => {
    expect(reviewSelectAllCounts({ one: quiz([withRight('m1', 3)]), two: quiz([withRight('m2', 2)]) })).toEqual([]);
  });

  it('has nothing to compare with fewer than two select-all questions', () => {
    expect(reviewSelectAllCounts({ one: quiz([withRight('m1', 3), longRight('q')]) })).toEqual([]);
  });
});

describe('role fit', () => {
  const role = (id: string, name: string, required: string[]): Matrix['roles'][number] => ({
    id,
    name,
    description: name,
    level: 1,
    required,
    recommended: [],
  });
  const matrix = (roles: Matrix['roles']): Matrix => ({
    version: '1',
    levels: [{ id: 1, name: 'Front door', contact: 'Brief' }],
    roles,
    defaultRenewal: { months: 12, basis: 'local policy' },
    renewal: {},
  });
  const modules = ['family-hubs', 'domestic-abuse', 'local-offer-and-referrals'];

  it('fails a role that does not require the domestic abuse module', () => {
    expect(reviewRoleFit(matrix([role('library-staff', 'Library staff', ['family-hubs'])]), modules)).toEqual([
      {
        file: 'courses/matrix.yaml',
        field: 'roles[0].required',
        message: "role 'library-staff' must require 'domestic-abuse': every role meets families who may be living with domestic abuse",
      },
    ]);
  });

  it('fails a reception role, found by id or name, that does not require local offer and referrals', () => {
    const problems = reviewRoleFit(
      matrix([
        role('front-of-house', 'Reception and front desk', ['domestic-abuse']),
        role('receptionist', 'Welcome team', ['domestic-abuse', 'local-offer-and-referrals']),
      ]),
      modules,
    );
    expect(problems.map((problem) => `${problem.field}: ${problem.message}`)).toEqual([
      "roles[0].required: role 'front-of-house' must require 'local-offer-and-referrals': reception staff make referrals",
    ]);
  });

  it('asks nothing of a course that does not have those modules', () => {
    expect(reviewRoleFit(matrix([role('receptionist', 'Receptionist', ['family-hubs'])]), ['family-hubs'])).toEqual([]);
  });
});

/**
 * The reviews run over whatever courses/ holds: no quiz can be passed by
 * guessing, select-all questions vary how many answers are right, and the
 * matrix gives every role the learning it needs. A failure names the file and
 * the questions or roles to change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, reviewQuizFairness, reviewRoleFit, reviewSelectAllCounts } from '../../../src/lib/content/index.ts';
import { readCourse } from '../../../src/lib/content/read.ts';

const course = readCourse(process.cwd());

describe('the course in courses/', () => {
  it.each(Object.entries(course.quizzes))('%s quiz cannot be passed by guessing from length or absolute words', (id, quiz) => {
    expect(reviewQuizFairness(id, quiz).map(formatProblem)).toEqual([]);
  });

  it('varies how many answers are right on select-all questions', () => {
    expect(reviewSelectAllCounts(course.quizzes).map(formatProblem)).toEqual([]);
  });

  it('gives every role the learning the matrix rules ask for', () => {
    expect(reviewRoleFit(course.matrix, Object.keys(course.modules)).map(formatProblem)).toEqual([]);
  });
});

describe('what the course says about sharing information', () => {
  /** Sentences that call sharing without consent a safeguarding-only exception: consent is one lawful basis among several. */
  const onlyForSafeguarding =
    /[^.\n]*\b(?:without (?:consent|(?:their|the family's|her|his) agreement)[^.\n]*\bonly\b|only\b[^.\n]*\b(?:share|sharing|pass(?:ing)? on)[^.\n]*without (?:consent|agreement))[^.\n]*/gi;

  it('recognises the wrong claim and lets the right one through', () => {
    expect('Sharing without consent is only for when a child may be at risk of harm.'.match(onlyForSafeguarding)).toHaveLength(1);
    expect('Passing on details without consent is only for safeguarding worries.'.match(onlyForSafeguarding)).toHaveLength(1);
    expect(
      'Consent is one lawful reason to share, not the only one. You can share without consent when a child is at risk.'.match(onlyForSafeguarding),
    ).toBeNull();
  });

  it('never says sharing without consent is only for safeguarding, in any lesson, quiz or clip', () => {
    const texts = [
      ...Object.keys(course.modules).flatMap((id) => [`courses/modules/${id}/index.mdx`, `courses/modules/${id}/quiz.yaml`]),
      ...Object.keys(course.films).map((id) => `courses/films/${id}.yaml`),
    ];
    const wrong = texts.flatMap((file) =>
      (readFileSync(join(process.cwd(), file), 'utf8').match(onlyForSafeguarding) ?? []).map((sentence) => `${file}: ${sentence.trim()}`),
    );
    expect(wrong).toEqual([]);
  });
});

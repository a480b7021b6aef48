/**
 * Every module's quiz passes and fails as its author intends: all answers
 * right passes, exactly the pass mark passes, one short of it fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quiz } from '../../src/lib/content/schema.ts';
import { course } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';

/** Answers with the first `right` questions correct and the rest wrong. */
function answersWith(quiz: Quiz, right: number): Record<string, string[]> {
  return Object.fromEntries(
    quiz.questions.map((question, index) => {
      const correct = question.options.filter((option) => option.correct).map((option) => option.id);
      const wrong = question.options.filter((option) => !option.correct).map((option) => option.id);
      return [question.id, index < right ? correct : wrong.slice(0, 1)];
    }),
  );
}

async function submit(page: Page, answers: Record<string, string[]>): Promise<string> {
  for (const [questionId, optionIds] of Object.entries(answers)) {
    for (const optionId of optionIds) await page.locator(`fh-quiz input[name="${questionId}"][value="${optionId}"]`).check();
  }
  await page.getByRole('button', { name: 'Submit answers' }).click();
  const heading = page.getByRole('heading', { name: /^You (passed|did not pass this time)$/ });
  await heading.waitFor();
  return (await heading.textContent()) ?? '';
}

describe.each(Object.keys(course.modules))('the %s quiz', (moduleId) => {
  const quiz = course.quizzes[moduleId]!;
  const total = quiz.questions.length;
  const needed = Math.ceil(quiz.passMark * total - 1e-9);
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    { answers: 'every answer right', right: total, outcome: 'You passed' },
    { answers: `exactly the pass mark (${needed} of ${total}) right`, right: needed, outcome: 'You passed' },
    { answers: `one short of the pass mark (${needed - 1} of ${total}) right`, right: needed - 1, outcome: 'You did not pass this time' },
  ])('with $answers says "$outcome"', async ({ right, outcome }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl}/modules/${moduleId}/`);
    await page.locator('fh-quiz form').waitFor();
    expect(await submit(page, answersWith(quiz, right))).toBe(outcome);
    await page.context().close();
  });
});

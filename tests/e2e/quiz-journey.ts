/** Taking a module's quiz as a learner does, for browser journeys. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { course } from './course.ts';

/** Answers a module's quiz correctly through its form, on the site at `site`, and waits for the pass. */
export async function passQuiz(page: Page, site: string, moduleId: string): Promise<void> {
  await page.goto(`${site}/modules/${moduleId}/`);
  await answerQuiz(page, moduleId);
  await expect.poll(() => page.locator('fh-quiz .fh-quiz__status').innerText()).toContain('Completed');
}

/** Answers the quiz of the module page already open correctly and waits for the pass (works offline, once the page is loaded). */
export async function answerQuiz(page: Page, moduleId: string): Promise<void> {
  await page.locator('fh-quiz form').waitFor();
  // The status line appears above the questions once the record is read; answering before then may click where a question was.
  await page.locator('fh-quiz .fh-quiz__status').waitFor();
  for (const question of course.quizzes[moduleId]!.questions) {
    for (const option of question.options.filter((candidate) => candidate.correct)) {
      await page.locator(`fh-quiz input[name="${question.id}"][value="${option.id}"]`).check();
    }
  }
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByRole('heading', { name: 'You passed' }).waitFor();
}

/**
 * <fh-quiz> on a real module page, driven with the keyboard only: the error
 * summary, a failed attempt with feedback, a retry with new option order, a pass
 * that updates the module status, and the statements the record keeps.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../src/lib/content/schema.ts';
import type { RecordFile } from '../../src/lib/record/index.ts';
import { course, journeyRole, quizModule, titleOf } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordedStatements, type StoredStatement } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const moduleId = quizModule;
const quiz = course.quizzes[moduleId]!;
const correctIds = (question: Question) => question.options.filter((option) => option.correct).map((option) => option.id);
const wrongIds = (question: Question) => question.options.filter((option) => !option.correct).map((option) => option.id);

/** Every question right. */
const passing = Object.fromEntries(quiz.questions.map((question) => [question.id, correctIds(question)]));
/**
 * Too many wrong to pass: every other question answered wrongly, and the
 * multiple-choice question answered partly (one correct option only), which must count as wrong.
 */
const failing = Object.fromEntries(
  quiz.questions.map((question, index) => {
    if (question.type === 'multiple') return [question.id, correctIds(question).slice(0, 1)];
    return [question.id, index % 2 === 0 ? wrongIds(question).slice(0, 1) : correctIds(question)];
  }),
);

interface Focused {
  tag: string;
  type: string;
  name: string;
  value: string;
  checked: boolean;
  text: string;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      type: element?.type ?? '',
      name: element?.name ?? '',
      value: element?.value ?? '',
      checked: Boolean(element?.checked),
      text: element?.textContent?.trim() ?? '',
    };
  });

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabTo(page: Page, matches: (element: Focused) => boolean, limit = 200): Promise<void> {
  for (let step = 0; step < limit; step += 1) {
    if (matches(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tabbing never reached the element');
}

/**
 * Answers the quiz from the first question's first control to the Submit button
 * with arrows (radios), Space (checkboxes) and Tab only.
 */
async function answerWithKeyboard(page: Page, answers: Record<string, string[]>): Promise<void> {
  for (let step = 0; step < 400; step += 1) {
    const element = await focused(page);
    if (element.tag === 'button') return;
    const wanted = answers[element.name] ?? [];
    if (element.type === 'radio') {
      if (element.value !== wanted[0]) await page.keyboard.press('ArrowDown');
      else if (!element.checked) await page.keyboard.press('Space');
      else await page.keyboard.press('Tab');
    } else if (element.type === 'checkbox') {
      if (wanted.includes(element.value) !== element.checked) await page.keyboard.press('Space');
      else await page.keyboard.press('Tab');
    } else {
      await page.keyboard.press('Tab');
    }
  }
  throw new Error('Answering never reached the Submit button');
}

/** The quiz's own statements (answered, passed, failed), not the lesson's experienced. */
const fromQuiz = (statement: StoredStatement) => !statement.verb.id.endsWith('/experienced');
let firstAttempt: string | undefined;

const liveRegion = (page: Page) => page.locator('fh-quiz [role="status"]').innerText();
const moduleStatus = (page: Page) => page.locator('fh-quiz .fh-quiz__status').innerText();

describe('<fh-quiz> on a module page', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    // The fragment puts the keyboard's starting point at the quiz heading, as following the link would.
    await page.goto(`${baseUrl}/modules/${moduleId}/#quiz`);
    await page.locator('fh-quiz form').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('replaces the no-JavaScript message with the questions, as native groups', async () => {
    expect(await page.getByText('The quiz needs JavaScript').count()).toBe(0);
    const groups = page.locator('fh-quiz fieldset');
    expect(await groups.count()).toBe(quiz.questions.length);
    const first = quiz.questions[0]!;
    const legend = await groups.first().locator('legend').innerText();
    expect(legend).toContain(`Question 1 of ${quiz.questions.length}`);
    expect(legend).toContain(first.prompt);
    for (const question of quiz.questions) {
      const role = question.type === 'multiple' ? 'checkbox' : 'radio';
      const group = page.getByRole('group', { name: new RegExp(escapeRegExp(question.prompt)) });
      expect(await group.getByRole(role).count()).toBe(question.options.length);
      if (question.scenario) expect(await group.getAttribute('aria-describedby')).toMatch(/-scenario/);
    }
    // Opening the lesson is recorded (experienced), so the module is under way before any answer.
    await expect.poll(() => moduleStatus(page)).toContain('In progress');
    await expect
      .poll(async () => (await recordedStatements(page)).map((statement) => statement.verb.id))
      .toEqual(['http://adlnet.gov/expapi/verbs/experienced']);
    await expectNoAxeViolations(page);
  });

  it('lists unanswered questions in an error summary and submits nothing', async () => {
    await page.keyboard.press('Tab');
    await tabTo(page, (element) => element.tag === 'button' && element.text === 'Submit answers');
    await page.keyboard.press('Enter');
    const summary = page.locator('fh-quiz .fh-error-summary');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('fh-error-summary'))).toBe(true);
    expect(await summary.getByRole('heading').innerText()).toBe('There is a problem');
    expect(await summary.getByRole('link').count()).toBe(quiz.questions.length);
    expect(await liveRegion(page)).toContain(`${quiz.questions.length} questions have no answer`);
    expect(await page.locator('fh-quiz .error-message').count()).toBe(quiz.questions.length);
    await expectNoAxeViolations(page);
    expect((await recordedStatements(page)).filter(fromQuiz)).toEqual([]);

    // The first link takes the keyboard to the first question's first answer.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Select an answer for question 1');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ name: quiz.questions[0]!.id });
  });

  it('shows what was right and why after a failed attempt, and records it', async () => {
    await answerWithKeyboard(page, failing);
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { name: 'You did not pass this time' });
    await heading.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('You did not pass this time');
    const expected = quiz.questions.filter((question) => JSON.stringify(failing[question.id]) === JSON.stringify(correctIds(question))).length;
    await expect
      .poll(() => liveRegion(page))
      .toContain(`You did not pass this time. You answered ${expected} of ${quiz.questions.length} questions correctly.`);

    const multiple = quiz.questions.find((question) => question.type === 'multiple')!;
    const answer = page.locator('fh-quiz .fh-answer').filter({ hasText: multiple.prompt });
    const answerText = await answer.innerText();
    expect(answerText).toContain('Not correct');
    // Feedback for the option chosen and for every correct option.
    for (const option of multiple.options.filter((candidate) => candidate.correct)) expect(answerText).toContain(option.feedback);
    await expectNoAxeViolations(page);

    await expect.poll(async () => (await recordedStatements(page)).filter(fromQuiz).length).toBe(quiz.questions.length + 1);
    const statements = (await recordedStatements(page)).filter(fromQuiz);
    // One attempt, one registration, on every answer and the result.
    const registrations = new Set(statements.map((statement) => statement.context?.registration));
    expect(registrations.size).toBe(1);
    expect([...registrations][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    firstAttempt = [...registrations][0];
    const verbs = statements.map((statement) => statement.verb.id.split('/').at(-1));
    expect(verbs.filter((verb) => verb === 'answered')).toHaveLength(quiz.questions.length);
    const failed = statements.find((statement) => statement.verb.id.endsWith('/failed'));
    expect(failed?.result?.score?.scaled).toBeCloseTo(expected / quiz.questions.length, 3);
    const partial = statements.find((statement) => statement.object.id.endsWith(`/questions/${multiple.id}`));
    expect(partial?.result).toMatchObject({ success: false, response: correctIds(multiple)[0] });
    await expect.poll(() => moduleStatus(page)).toContain('In progress');

    // "Try again" sits by the result, not below the feedback: it is the next stop for the keyboard.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Try again' });
    const tryAgainTop = await page.getByRole('button', { name: 'Try again' }).evaluate((button) => button.getBoundingClientRect().top);
    const firstAnswerTop = await page
      .locator('fh-quiz .fh-answer')
      .first()
      .evaluate((answer) => answer.getBoundingClientRect().top);
    expect(tryAgainTop).toBeLessThan(firstAnswerTop);
  });

  it('starts a fresh attempt on Try again, then a pass completes the module at once', async () => {
    await tabTo(page, (element) => element.tag === 'button' && element.text === 'Try again');
    await page.keyboard.press('Enter');
    await page.locator('fh-quiz form').waitFor();
    const first = await focused(page);
    expect(first.name).toBe(quiz.questions[0]!.id);
    expect(await page.locator('fh-quiz input:checked').count()).toBe(0);
    await expect.poll(() => liveRegion(page)).toContain('New attempt');

    await answerWithKeyboard(page, passing);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You passed' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('You passed');
    await expect.poll(() => liveRegion(page)).toContain(`You passed. You answered ${quiz.questions.length} of ${quiz.questions.length} questions correctly.`);
    await expect.poll(() => moduleStatus(page)).toContain('Completed');
    expect(await moduleStatus(page)).toContain('with 100%');
    await expectNoAxeViolations(page);

    const statements = await recordedStatements(page);
    const passed = statements.filter((statement) => statement.verb.id.endsWith('/passed'));
    expect(passed).toHaveLength(1);
    // The second attempt has a registration of its own, shared by its answers.
    const second = statements.filter((statement) => fromQuiz(statement) && statement.context?.registration !== firstAttempt);
    expect(second).toHaveLength(quiz.questions.length + 1);
    expect(new Set(second.map((statement) => statement.context?.registration))).toEqual(new Set([passed[0]?.context?.registration]));
    expect(passed[0]?.result).toMatchObject({ success: true, score: { scaled: 1, raw: quiz.questions.length, max: quiz.questions.length } });
    expect(passed[0]?.object.id).toMatch(new RegExp(`/modules/${moduleId}/quiz$`));

    // Without a plan of their own, the way on is back to My learning, next after the result.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Back to my plan' });
    expect(await page.getByRole('link', { name: /^Next in your plan/ }).count()).toBe(0);
  });

  it('keeps the status after a reload, from the record alone', async () => {
    await page.reload();
    await page.locator('fh-quiz form').waitFor();
    await expect.poll(() => moduleStatus(page)).toContain('Completed');
  });

  it('fits a 320 px wide screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('after a pass, for a learner with a plan', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('offers the next item in their plan and the way back to it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A learner who has done the first required item of their plan, and now passes this quiz.
    const [done] = journeyRole.required.filter((id) => id !== moduleId) as [string];
    const file = completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Northgate Library' }, new Date(Date.now() - 86_400_000));
    await loadRecordOnPrivacyPage(page, baseUrl, { ...file, statements: completionStatementsOf(file, done) });
    await page.goto(`${baseUrl}/modules/${moduleId}/#quiz`);
    await page.locator('fh-quiz form').waitFor();
    for (const question of quiz.questions)
      for (const option of correctIds(question)) await page.locator(`fh-quiz input[name="${question.id}"][value="${option}"]`).check();
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByRole('heading', { name: 'You passed' }).waitFor();

    const plan = [...journeyRole.required, ...journeyRole.recommended];
    const next = plan.find((id) => id !== done && id !== moduleId)!;
    const nextLink = page.getByRole('link', { name: `Next in your plan: ${titleOf(next)}` });
    await nextLink.waitFor();
    expect(await nextLink.getAttribute('href')).toBe(`/${next in course.modules ? 'modules' : 'films'}/${next}/`);
    expect(await page.getByRole('link', { name: 'Back to my plan' }).getAttribute('href')).toBe('/my-learning/');
    await expectNoAxeViolations(page);
    await context.close();
  });
});

/** The statements of `file` about one item. */
function completionStatementsOf(file: RecordFile, itemId: string): RecordFile['statements'] {
  return file.statements.filter((statement) => JSON.stringify(statement).includes(`/${itemId}"`) || JSON.stringify(statement).includes(`/${itemId}/`));
}

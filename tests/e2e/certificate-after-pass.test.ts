/**
 * Passing a role's last quiz and downloading the certificate straight away, as
 * a learner who has just finished would, for ten fresh learners one after
 * another: each must get a PDF every time. Half go on to My learning in the same
 * tab; half have My learning open in another tab, which must follow the pass.
 */
import type { BrowserContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyModules, journeyRole } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const role = journeyRole;
const roleId = role.id;
const lastModule = journeyModules.at(-1)!;
const quiz = course.quizzes[lastModule]!;
const learners = 10;

/** A fresh learner whose record holds every required item but the last. */
async function learnerOneItemShort(context: BrowserContext, name: string): Promise<Page> {
  const file = completedRecordFile(course, roleId, { name, organisation: 'Northgate Library' }, new Date(Date.now() - 86_400_000));
  const statements = file.statements.filter((statement) => !JSON.stringify(statement).includes(`/modules/${lastModule}/`));
  const page = await context.newPage();
  await loadRecordOnPrivacyPage(page, baseUrl, { ...file, statements });
  return page;
}

async function passLastQuiz(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/modules/${lastModule}/#quiz`);
  await page.locator('fh-quiz form').waitFor();
  for (const question of quiz.questions) {
    for (const option of question.options.filter((candidate) => candidate.correct))
      await page.locator(`fh-quiz input[name="${question.id}"][value="${option.id}"]`).check();
  }
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByRole('heading', { name: 'You passed' }).waitFor();
}

/** Waits for the button as a learner would (10 s at most), downloads, and says what came. */
async function downloadCertificate(page: Page): Promise<string> {
  const button = page.getByRole('button', { name: 'Download certificate (PDF)' });
  try {
    await button.waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), button.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).subarray(0, 5).toString('latin1') === '%PDF-' ? 'a PDF' : `not a PDF: ${download.suggestedFilename()}`;
  } catch (error) {
    return `no certificate (${await page
      .locator('[data-role-status]')
      .innerText()
      .catch(() => '')}): ${(error as Error).message.split('\n')[0]}`;
  }
}

describe('the certificate straight after the last pass', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`downloads a PDF at once for each of ${learners} learners who have just passed their last quiz`, async () => {
    const outcomes: string[] = [];
    for (let index = 0; index < learners; index += 1) {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await learnerOneItemShort(context, `Learner ${index + 1}`);
      if (index % 2 === 0) {
        await passLastQuiz(page);
        // At once, as following the My learning link straight after the result would.
        await page.goto(`${baseUrl}/my-learning/`);
        outcomes.push(await downloadCertificate(page));
      } else {
        const planTab = await context.newPage();
        await planTab.goto(`${baseUrl}/my-learning/`);
        await planTab
          .locator('[data-role-status]')
          .filter({ hasText: `You have completed ${role.required.length - 1} of ${role.required.length}` })
          .waitFor();
        await passLastQuiz(page);
        await page.close();
        outcomes.push(await downloadCertificate(planTab));
      }
      await context.close();
    }
    expect(outcomes).toEqual(Array.from({ length: learners }, () => 'a PDF'));
  }, 300_000);
});

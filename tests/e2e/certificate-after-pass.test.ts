/**
 * Passing a role's last quiz and downloading the certificate straight away, as
 * a learner who has just finished would: ten fresh learners one after another,
 * each of whom must get a PDF every time.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCourse } from '../../src/lib/content/read.ts';
import { baseUrl, launchBrowser } from './harness.ts';
import { completedRecordFile } from './record-files.ts';
import { videoPlayed } from '../../src/lib/xapi/index.ts';

const course = readCourse(process.cwd());
const roleId = 'library-staff';
const role = course.matrix.roles.find((candidate) => candidate.id === roleId)!;
const lastModule = role.required.at(-1)!;
const quiz = course.quizzes[lastModule]!;
const learners = 3;

/** A record in which every required item but the last is done. */
function recordMissingLastItem(name: string) {
  const file = completedRecordFile(course, roleId, { name, organisation: 'Brookfield Libraries' }, new Date(Date.now() - 86_400_000));
  const film = course.films['health-visiting']!;
  const extra = Array.from({ length: 600 }, (_, i) => videoPlayed({ actor: file.statements[0]!.actor as never, siteUrl: course.site.siteUrl, now: new Date(Date.now() - 86_400_000 * 2 + i * 1000), film: { id: 'health-visiting', title: film.title, version: film.version }, sessionId: crypto.randomUUID(), length: film.duration, time: 0 }));
  return { ...file, statements: [...extra, ...file.statements.filter((statement) => !JSON.stringify(statement.object).includes(`/modules/${lastModule}/`))] };
}

async function passLastQuiz(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/modules/${lastModule}/#quiz`);
  await page.locator('fh-quiz form').waitFor();
  for (const question of quiz.questions) {
    for (const option of question.options.filter((candidate) => candidate.correct)) {
      await page.locator(`fh-quiz input[name="${question.id}"][value="${option.id}"]`).check();
    }
  }
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByRole('heading', { name: 'You passed' }).waitFor();
}

describe('the certificate right after the last pass', () => {
  let browser: Browser;
  beforeAll(async () => {
    // Playwright turns the back/forward cache off; learners' browsers have it on.
    browser = await launchBrowser({ ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`downloads a PDF at once for each of ${learners} learners who have just passed their last quiz`, async () => {
    const outcomes: string[] = [];
    for (let index = 0; index < learners; index += 1) {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/privacy/`);
      const file = recordMissingLastItem(`Learner ${index + 1}`);
      await page.getByLabel('Choose a record file (.json)').setInputFiles({ name: 'record.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await page.getByRole('button', { name: 'Load this file' }).click();
      await page.locator('[data-import-result]').filter({ hasText: 'new learning statements added' }).waitFor();

      const planTab = await context.newPage();
      await planTab.goto(`${baseUrl}/my-learning/`);
      await planTab.locator('[data-role-status]').filter({ hasText: `You have completed ${role.required.length - 1} of` }).waitFor();
      await passLastQuiz(page);
      await page.close();
      const page2 = planTab;
      const button = page2.getByRole('button', { name: 'Download certificate (PDF)' });
      try {
        await button.waitFor({ timeout: 15_000 });
        const [download] = await Promise.all([page2.waitForEvent('download', { timeout: 15_000 }), button.click()]);
        const chunks: Buffer[] = [];
        for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
        const bytes = Buffer.concat(chunks);
        outcomes.push(bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : `not a PDF: ${download.suggestedFilename()}`);
      } catch (error) {
        outcomes.push(`no certificate: ${(error as Error).message.split('\n')[0]} (${await page2.locator('[data-role-status]').innerText().catch(() => '')})`);
      }
      await context.close();
    }
    expect(outcomes).toEqual(Array.from({ length: learners }, () => 'pdf'));
  }, 300_000);
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { course, journeyRole, otherRole } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('offers to change role when a learner with a plan follows another role’s "Make this my plan"', async () => {
  const page = await (await browser.newContext()).newPage();
  const file = completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Brookfield Libraries' }, new Date(Date.now() - 86_400_000));
  await loadRecordOnPrivacyPage(page, baseUrl, file);

  await page.goto(`${baseUrl}/roles/${otherRole.id}/`);
  await page.getByRole('link', { name: 'Make this my plan' }).click();
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  expect(await page.getByLabel('Your role').inputValue()).toBe(otherRole.id);
  expect(await page.getByLabel('Your name', { exact: true }).inputValue()).toBe('Siân Llŷr');
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Save and see my plan' }).click();
  await page.getByRole('heading', { name: `Your learning plan: ${otherRole.name}` }).waitFor();
  // The modules done for the first role already count towards the new plan.
  const required = otherRole.required;
  const done = required.filter((id) => JSON.stringify(file.statements).includes(`/modules/${id}/quiz`)).length;
  expect(await page.locator('[data-role-status]').innerText()).toBe(`You have completed ${done} of ${required.length} required items.`);
  await page.context().close();
});

it('says when a loaded record comes from another site, whose learning does not count here', async () => {
  const page = await (await browser.newContext()).newPage();
  const file = {
    ...completedRecordFile(course, journeyRole.id, { name: 'Dmitri Lljr', organisation: 'Eastmoor Library' }, new Date(Date.now() - 86_400_000)),
    siteUrl: 'https://learning.other.example.org',
  };
  await page.goto(`${baseUrl}/privacy/`);
  await page
    .getByLabel('Choose a record file (.json)')
    .setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByRole('button', { name: 'Load this file' }).click();
  await page.locator('[data-import-result]').filter({ hasText: 'This file was made on https://learning.other.example.org, not on this site' }).waitFor();
  await expectNoAxeViolations(page);
  await page.context().close();
});

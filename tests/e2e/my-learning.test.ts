import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCourse } from '../../src/lib/content/read.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completedRecordFile } from './record-files.ts';

const course = readCourse(process.cwd());
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('offers to change role when a learner with a plan follows another role’s "Make this my plan"', async () => {
  const page = await (await browser.newContext()).newPage();
  const file = completedRecordFile(course, 'library-staff', { name: 'Siân Llŷr', organisation: 'Brookfield Libraries' }, new Date(Date.now() - 86_400_000));
  await page.goto(`${baseUrl}/privacy/`);
  await page.getByLabel('Choose a record file (.json)').setInputFiles({ name: 'record.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByRole('button', { name: 'Load this file' }).click();
  await page.locator('[data-import-result]').filter({ hasText: 'new learning statements added' }).waitFor();

  await page.goto(`${baseUrl}/roles/school-staff/`);
  await page.getByRole('link', { name: 'Make this my plan' }).click();
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  expect(await page.getByLabel('Your role').inputValue()).toBe('school-staff');
  expect(await page.getByLabel('Your name', { exact: true }).inputValue()).toBe('Siân Llŷr');
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Save and see my plan' }).click();
  await page.getByRole('heading', { name: 'Your learning plan: School office and support staff' }).waitFor();
  // The library modules done already count towards the new plan.
  const required = course.matrix.roles.find((role) => role.id === 'school-staff')!.required;
  const done = required.filter((id) => JSON.stringify(file.statements).includes(`/modules/${id}/quiz`)).length;
  expect(await page.locator('[data-role-status]').innerText()).toBe(`You have completed ${done} of ${required.length} required items.`);
  await page.context().close();
});

it('says when a loaded record comes from another site, whose learning does not count here', async () => {
  const page = await (await browser.newContext()).newPage();
  const file = { ...completedRecordFile(course, 'library-staff', { name: 'Dmitri Lljr', organisation: 'Eastmoor Library' }, new Date(Date.now() - 86_400_000)), siteUrl: 'https://learning.other.example.org' };
  await page.goto(`${baseUrl}/privacy/`);
  await page.getByLabel('Choose a record file (.json)').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.getByRole('button', { name: 'Load this file' }).click();
  await page.locator('[data-import-result]').filter({ hasText: 'This file was made on https://learning.other.example.org, not on this site' }).waitFor();
  await expectNoAxeViolations(page);
  await page.context().close();
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { course, journeyRole, otherRole, titleOf } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordChunkUrl } from './harness.ts';
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

it('says the plan is complete and offers the certificate at the top, with required and recommended items in their own groups', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await loadRecordOnPrivacyPage(
    page,
    baseUrl,
    completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Brookfield Libraries' }, new Date(Date.now() - 86_400_000)),
  );
  await page.goto(`${baseUrl}/my-learning/`);
  const top = page.locator('[data-certificate-ready]');
  await top.getByRole('heading', { name: 'Your plan is complete' }).waitFor();
  expect(await top.getByRole('button', { name: 'Download certificate (PDF)' }).isVisible()).toBe(true);
  expect(await top.innerText()).toContain(`You have completed every required item for ${journeyRole.name}.`);
  // Nothing pushes a recommended item over the certificate.
  expect(await page.locator('[data-continue]').isHidden()).toBe(true);
  expect(await page.getByRole('heading', { name: 'Your certificate' }).count()).toBe(0);
  // The top box comes before the plan.
  const [topY, planY] = await Promise.all([top.boundingBox(), page.locator('[data-plan-heading]').boundingBox()]);
  expect(topY!.y).toBeLessThan(planY!.y);

  const required = page.getByRole('list', { name: 'Required' });
  const recommended = page.getByRole('list', { name: 'Recommended' });
  const idsIn = (list: typeof required) => list.locator(':scope > li').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['item']));
  expect(await idsIn(required)).toEqual(journeyRole.required);
  expect(await idsIn(recommended)).toEqual(journeyRole.recommended);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: join(tmpdir(), 'my-learning-plan-complete.png'), fullPage: true });
  await page.context().close();
});

it('shows the next required item at the top while the plan is not complete, and no certificate yet', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const file = completedRecordFile(course, journeyRole.id, { name: 'Dev Patel', organisation: 'Brookfield Libraries' }, new Date(Date.now() - 86_400_000));
  const first = journeyRole.required[0]!;
  const second = journeyRole.required[1]!;
  const firstOnly = { ...file, statements: file.statements.filter((statement) => JSON.stringify(statement).includes(`/${first}`)) };
  await loadRecordOnPrivacyPage(page, baseUrl, firstOnly);
  await page.goto(`${baseUrl}/my-learning/`);
  const next = page.locator('[data-continue]');
  await next.getByRole('heading', { name: 'Next in your plan' }).waitFor();
  expect(await next.getByRole('link').innerText()).toBe(`Start ${titleOf(second)}`);
  expect(await page.locator('[data-certificate-ready]').isHidden()).toBe(true);
  expect(await page.getByRole('heading', { name: 'Your certificate' }).isVisible()).toBe(true);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: join(tmpdir(), 'my-learning-plan-in-progress.png'), fullPage: true });
  await page.context().close();
});

it('says what happened, instead of loading for ever, when the page’s course data is broken', async () => {
  const page = await (await browser.newContext()).newPage();
  // A page cut short or changed after the build: its course data no longer reads as JSON.
  await page.route(`${baseUrl}/my-learning/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/(<script type="application\/json" id="fh-course">)\{/, '$1{"council":');
    await route.fulfill({ response, body });
  });
  await page.goto(`${baseUrl}/my-learning/`);
  const failure = page.getByRole('alert').filter({ hasText: 'Your learning cannot be shown' });
  await failure.waitFor();
  expect(await failure.innerText()).toContain("This page's course data is damaged");
  expect(await failure.innerText()).toContain('Reload the page');
  expect(await page.locator('[data-loading]').isHidden()).toBe(true);
  await expectNoAxeViolations(page);
  await page.context().close();
});

it('says what happened, instead of loading for ever, when the learning record cannot open', async () => {
  const page = await (await browser.newContext()).newPage();
  // The connection drops before the record's code arrives.
  await page.route(recordChunkUrl(), (route) => route.abort('internetdisconnected'));
  await page.goto(`${baseUrl}/my-learning/`);
  const failure = page.getByRole('alert').filter({ hasText: 'Your learning cannot be shown' });
  await failure.waitFor();
  expect(await failure.innerText()).toContain('This page could not open your learning record.');
  expect(await failure.innerText()).toContain('Reload the page to try again.');
  expect(await page.locator('[data-loading]').isHidden()).toBe(true);
  await expectNoAxeViolations(page);

  // Once the connection is back, a reload brings the page up.
  await page.unroute(recordChunkUrl());
  await page.reload();
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  await page.context().close();
});

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueOf, formatMinutes, learningPlan } from '../../src/lib/plan/index.ts';
import { course, journeyRole } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';

const catalogue = catalogueOf(course.modules, course.films, course.webinars);

describe('the static site', () => {
  let browser: Browser;
  let noScript: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    noScript = await browser.newContext({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lets a learner choose their role from the home page', async () => {
    const page = await noScript.newPage();
    await page.goto(`${baseUrl}/`);
    expect(await page.title()).toContain(course.site.council);
    await page.getByRole('link', { name: journeyRole.name }).click();
    await page.waitForURL(`**/roles/${journeyRole.id}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(journeyRole.name);
    await page.close();
  });

  it.each(course.matrix.roles.map((role) => role.id))('shows the learning plan for %s with level, items and time', async (roleId) => {
    const plan = learningPlan(course.matrix, catalogue, roleId);
    const page = await noScript.newPage();
    await page.goto(`${baseUrl}/roles/${roleId}/`);
    const summary = await page.locator('.summary-list').innerText();
    expect(summary).toContain(`Level ${plan.level.id}: ${plan.level.name}`);
    expect(summary).toContain(`About ${formatMinutes(plan.requiredMinutes)}`);
    const required = await page.locator('#required + ol h3').allInnerTexts();
    expect(required).toEqual(plan.items.filter((item) => item.required).map((item) => item.title));
    await page.close();
  });

  it('keeps lessons readable without JavaScript and says the quiz needs it', async () => {
    const page = await noScript.newPage();
    const [moduleId] = Object.keys(course.modules);
    await page.goto(`${baseUrl}/modules/${moduleId}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(course.modules[moduleId!]!.title);
    await expect(page.getByText('The quiz needs JavaScript').isVisible()).resolves.toBe(true);
    expect(await page.locator('.sources li').count()).toBe(course.modules[moduleId!]!.sources.length);
    await page.close();
  });

  it('filters the local offer by theme and area without JavaScript', async () => {
    const page = await noScript.newPage();
    await page.goto(`${baseUrl}/services/`);
    const visible = () => page.locator('.service:visible').count();
    expect(await visible()).toBe(Object.keys(course.services).length);

    await page.getByRole('radio', { name: 'Special educational needs and disabilities (SEND)' }).check();
    const send = Object.values(course.services).filter((service) => service.theme === 'send').length;
    expect(await visible()).toBe(send);

    const district = course.site.districts[0]!;
    await page.getByRole('radio', { name: 'All kinds of support' }).check();
    await page.getByRole('radio', { name: district.name, exact: true }).check();
    const inDistrict = Object.values(course.services).filter((service) => service.districts === 'all' || service.districts.includes(district.id)).length;
    expect(await visible()).toBe(inDistrict);
    await page.close();
  });

  it('announces how many services match when JavaScript is on', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/services/`);
    await page.getByRole('radio', { name: 'Young people' }).check();
    const youth = Object.values(course.services).filter((service) => service.theme === 'young-people').length;
    await expect.poll(() => page.locator('[data-result-count]').textContent()).toBe(`Showing ${youth} service${youth === 1 ? '' : 's'}`);
    await page.close();
  });
});

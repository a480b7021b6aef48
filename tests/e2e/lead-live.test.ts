/**
 * The lead's live view in the browser, against a hub process serving the build:
 * a learner enrolled by link passes a quiz in one browser; the signed-in lead's
 * page in another shows it within seconds, announced once and without moving the
 * lead's focus; the lead of another organisation does not see it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyModules, journeyRole, titleOf } from './course.ts';
import { expectNoAxeViolations, launchBrowser } from './harness.ts';
import { contextWithPasskeys, serveHub, type ServedHub } from './hub-server.ts';
import { passQuiz } from './quiz-journey.ts';

/** A request to the hub's API from a signed-in staff page, with the session's CSRF token. */
async function api<T>(page: Page, path: string, json: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, json }) => {
      const me = (await (await fetch('/api/staff/me')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify(json),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    { path, json },
  );
}

/** Accepts a staff invitation in a fresh browser with a new passkey. */
async function join(browser: Browser, url: string): Promise<Page> {
  const { page } = await contextWithPasskeys(browser);
  await page.goto(url);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

describe("the lead's live view", () => {
  let hub: ServedHub;
  let browser: Browser;
  /** Nia, lead of Northgate Library, signed in. */
  let lead: Page;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([serveHub('Ade Admin'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it("shows a learner's pass to their lead within seconds, announced once, and not to another organisation's lead", async () => {
    const admin = await join(browser, hub.adminLink);
    const northgate = await api<{ id: string }>(admin, '/api/admin/organisations', { name: 'Northgate Library', district: '' });
    const riverside = await api<{ id: string }>(admin, '/api/admin/organisations', { name: 'Riverside Centre', district: '' });
    const nia = await join(browser, (await api<{ url: string }>(admin, '/api/admin/leads/invite', { name: 'Nia Lead', organisationIds: [northgate.id] })).url);
    lead = nia;
    const rhys = await join(
      browser,
      (await api<{ url: string }>(admin, '/api/admin/leads/invite', { name: 'Rhys Lead', organisationIds: [riverside.id] })).url,
    );
    const link = await api<{ url: string }>(nia, '/api/lead/links', { organisationId: northgate.id, label: 'Staff room', days: 7, maxUses: 5 });

    // The learner signs up with the link, on their own browser.
    const learner = await (await browser.newContext()).newPage();
    await learner.goto(link.url);
    await expect.poll(() => learner.locator('[data-organisation]').innerText()).toBe('Northgate Library');
    await learner.getByLabel('Your name').fill('Siân Llŷr');
    await learner.getByLabel('Your role').selectOption(journeyRole.id);
    await learner.getByRole('button', { name: 'Sign up' }).click();
    await learner.getByRole('heading', { name: 'You have signed up' }).waitFor({ timeout: 15_000 });

    // Nia confirms her: only confirmed learners count.
    const [enrolment] = await nia.evaluate(async () => (await (await fetch('/api/lead/enrolments')).json()) as { id: string }[]);
    await api(nia, `/api/lead/enrolments/${enrolment!.id}/confirm`, {});

    await nia.goto(`${hub.url}/lead/live/`);
    const row = nia.getByRole('row', { name: /Siân Llŷr/ });
    await row.waitFor({ timeout: 15_000 });
    await expectNoAxeViolations(nia);
    await rhys.goto(`${hub.url}/lead/live/`);
    await rhys.getByText('Nobody you have confirmed has started yet.').waitFor();

    // Nia is working in the filters when the pass arrives: her focus must stay there.
    await nia.getByLabel('Overall status').focus();
    const moduleId = journeyModules[0]!;
    await passQuiz(learner, hub.url, moduleId);
    // Nobody sends anything by hand: the learner's outbox takes the pass to the hub by itself.
    await expect.poll(() => learner.locator('[data-sync-words]').innerText(), { timeout: 15_000 }).toBe('Saved to Brookfield Council’s record.');

    const status = nia.locator('[data-page-status]');
    await expect.poll(() => status.innerText(), { timeout: 15_000 }).toBe(`Siân Llŷr completed ${titleOf(moduleId)}.`);
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('Complete');
    expect(await nia.evaluate(() => document.activeElement?.id)).toBe('live-filter-status');
    expect(
      await nia.locator('[role="status"], [aria-live]').evaluateAll((regions) => regions.filter((region) => region.textContent?.includes('Siân')).length),
    ).toBe(1);
    await expectNoAxeViolations(nia);

    // Rhys's page heard nothing, and his table still has nobody.
    await rhys.waitForTimeout(1500);
    expect(await rhys.locator('[data-page-status]').innerText()).toBe('');
    expect(await rhys.getByRole('row', { name: /Siân/ }).count()).toBe(0);
  });

  it('lists renewals 50 to a page, keeps the keyboard on the page control, and copies a reminder', async () => {
    // Renewals fall due a year or more after learning, so the hub's answers are stood in for here: 120 items, the
    // hub's own paging (tested against the database in the hub tests) applied to them.
    const renewals = Array.from({ length: 120 }, (_, index) => ({
      personId: `person-${index}`,
      name: `Learner ${String(index + 1).padStart(3, '0')}`,
      organisation: 'Northgate Library',
      itemId: journeyModules[0]!,
      title: titleOf(journeyModules[0]!),
      renewalOn: index < 10 ? '2026-11-01' : '2027-01-15',
      expired: index < 10,
    }));
    await lead.route('**/api/progress/renewals?*', async (route) => {
      const query = new URL(route.request().url()).searchParams;
      const page = Number(query.get('page') ?? 1);
      const pageSize = Number(query.get('pageSize') ?? 50);
      await route.fulfill({ json: { rows: renewals.slice((page - 1) * pageSize, page * pageSize), total: renewals.length, page, pageSize } });
    });
    await lead.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    await lead.goto(`${hub.url}/lead/live/`);
    const shown = lead.locator('#live-renewals-shown');
    const names = () => lead.locator('#live-renewals tbody th[scope="row"]').allInnerTexts();
    await expect.poll(() => shown.innerText(), { timeout: 15_000 }).toBe('Showing 1 to 50 of 120 renewals.');
    await expect.poll(names).toHaveLength(50);
    expect((await names())[0]).toBe('Learner 001');
    // The downloads hold every renewal, not one page of them.
    expect(await lead.getAttribute('#live-renewals-csv', 'href')).not.toContain('page');
    await expectNoAxeViolations(lead);

    const next = lead.locator('#live-renewals-page-next');
    await next.focus();
    await lead.keyboard.press('Enter');
    await expect.poll(() => shown.innerText()).toBe('Showing 51 to 100 of 120 renewals.');
    await expect.poll(async () => (await names())[0]).toBe('Learner 051');
    expect(await lead.evaluate(() => document.activeElement?.id)).toBe('live-renewals-page-next');
    await lead.keyboard.press('Enter');
    await expect.poll(() => shown.innerText()).toBe('Showing 101 to 120 of 120 renewals.');
    await expect.poll(names).toHaveLength(20);
    // No "Next" on the last page: the keyboard stays on that page's number.
    expect(await lead.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');

    await lead.getByRole('button', { name: 'Copy a reminder for Learner 101' }).click();
    await expect.poll(() => lead.locator('[data-page-status]').innerText()).toBe('Reminder for Learner 101 copied. Paste it into an email or message.');
    const copied = await lead.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Hello Learner 101,');
    expect(copied).toContain(`your ${titleOf(journeyModules[0]!)} learning needs renewing by 15 Jan 2027`);
    await expectNoAxeViolations(lead);
    await lead.unrouteAll({ behavior: 'ignoreErrors' });
  });
});

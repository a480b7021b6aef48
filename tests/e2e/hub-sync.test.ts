/**
 * The learner's outbox in the browser, against a real hub process serving the
 * build: learning done offline reaches the hub once the browser is back online,
 * each statement stored once and none POSTed more than twice (counted from the
 * requests the hub answered); a statement the hub refuses is found, shown on the
 * privacy page, and never holds back the rest; a second device pulls the record
 * and shows the same plan; signing out sends what waits first and leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyModules, journeyRole } from './course.ts';
import { expectNoAxeViolations, launchBrowser, recordedStatements } from './harness.ts';
import { countPosts, enrol as enrolOn, poll, startSyncHub, syncWords, type SyncHub } from './hub-sync-support.ts';
import { answerQuiz } from './quiz-journey.ts';
import { completionStatements } from './record-files.ts';
import { recordFileFormat, recordFileVersion } from '../../src/lib/record/index.ts';

/** Every change to the live region, in order. */
async function watchAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const region = document.querySelector('[data-sync-announce]')!;
    (window as unknown as { announced: string[] }).announced = [];
    new MutationObserver(() => (window as unknown as { announced: string[] }).announced.push(region.textContent ?? '')).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}
const announced = (page: Page) => page.evaluate(() => (window as unknown as { announced: string[] }).announced);

describe('the outbox', () => {
  let hub: SyncHub;
  let browser: Browser;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startSyncHub(2), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });
  const links = () => hub.links;
  const idsOnHub = (learnerId: string) => hub.idsOnHub(learnerId);
  const enrol = (page: Page, token: string, name: string) => enrolOn(page, hub.url, token, name);

  it('sends learning done offline once the browser is online again: every statement arrives, none POSTed more than twice, announced once per change', async () => {
    const context = await browser.newContext();
    const posted = countPosts(context);
    const page = await context.newPage();
    const learnerId = await enrol(page, links()[0]!, 'Siân Llŷr');
    const moduleId = journeyModules[0]!;
    await page.goto(`${hub.url}/modules/${moduleId}/`);
    await poll(() => syncWords(page)).toBe('Saved to Brookfield Council’s record.');
    expect(await page.locator('[data-hub-who]').innerText()).toBe('Signed in as Siân Llŷr, Northgate Library.');
    await expectNoAxeViolations(page);
    await watchAnnouncements(page);

    // The library's Wi-Fi drops; the learner takes the quiz.
    await context.setOffline(true);
    await answerQuiz(page, moduleId);
    // Headless Chromium refuses persistent storage, so the learner is also told the waiting items are at risk.
    await poll(() => syncWords(page)).toMatch(
      /^\d+ items waiting to send — they will go when you are online\. This browser may clear them if it runs short of space/,
    );
    await expectNoAxeViolations(page);
    // Retries while offline are not news: the waiting state is announced once.
    await page.waitForTimeout(3000);
    expect((await announced(page)).filter((text) => text.includes('waiting to send'))).toHaveLength(1);

    await context.setOffline(false);
    await poll(() => syncWords(page)).toBe('Saved to Brookfield Council’s record.');
    const here = (await recordedStatements(page)).map((statement) => statement.id);
    const onHub = await idsOnHub(learnerId);
    expect(onHub.sort()).toEqual([...here].sort());
    expect(new Set(onHub).size).toBe(onHub.length);
    expect([...posted.values()].every((count) => count <= 2)).toBe(true);
    expect([...posted.keys()].sort()).toEqual([...here].sort());
    expect((await announced(page)).filter((text) => text.startsWith('Saved to'))).toHaveLength(1);

    // What was sent stays sent after a reload: only the new "opened the lesson" statement goes.
    const before = new Map(posted);
    await page.reload();
    await poll(() => posted.size).toBe(before.size + 1);
    await poll(() => syncWords(page)).toBe('Saved to Brookfield Council’s record.');
    expect([...before].every(([id, count]) => posted.get(id) === count)).toBe(true);
    await context.close();
  });

  it('finds the statement the hub refuses and sends the rest; a second device pulls the same plan; signing out leaves nothing', async () => {
    const context = await browser.newContext();
    const posted = countPosts(context);
    const page = await context.newPage();
    const learnerId = await enrol(page, links()[1]!, 'Zoë Łukasiewicz');
    await page.goto(`${hub.url}/my-learning/`);
    await poll(() => syncWords(page)).toBe('Saved to Brookfield Council’s record.');
    const actor = {
      objectType: 'Agent' as const,
      name: 'Zoë Łukasiewicz',
      account: { homePage: `http://localhost:${new URL(hub.url).port}`, name: learnerId },
    };
    // The whole plan, done, in a record file loaded here; one statement in it is someone else's, which the hub refuses.
    const statements = journeyRole.required.flatMap((itemId) => completionStatements(course, actor, itemId, new Date()));
    const stranger = {
      ...completionStatements(course, { ...actor, account: { ...actor.account, name: randomUUID() } }, journeyModules[0]!, new Date())[0]!,
      id: randomUUID(),
    };
    const file = {
      format: recordFileFormat,
      version: recordFileVersion,
      exportedAt: new Date().toISOString(),
      siteUrl: course.site.siteUrl,
      profile: null,
      statements: [...statements, stranger],
    };
    await page.goto(`${hub.url}/privacy/`);
    await page.locator('#import-file').setInputFiles({ name: 'record.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByRole('button', { name: 'Load this file' }).click();
    await poll(() => page.locator('[data-import-result]').innerText()).toContain('Loaded record.json');
    await poll(() => syncWords(page)).toMatch(/^Saved to Brookfield Council’s record\. Not sent: 1 item the record refused\./);
    await page.reload();
    await poll(() => page.locator('[data-hub-refused-list] li').count()).toBe(1);
    expect(await page.locator('[data-hub-refused-list] li').innerText()).toMatch(/:\s.+/);
    await expectNoAxeViolations(page);
    const onHub = new Set(await idsOnHub(learnerId));
    expect(statements.every((statement) => onHub.has(statement.id as string))).toBe(true);
    expect(onHub.has(stranger.id)).toBe(false);
    expect(statements.every((statement) => (posted.get(statement.id as string) ?? 0) >= 1)).toBe(true);
    await page.goto(`${hub.url}/my-learning/`);
    await poll(() => page.locator('[data-plan-required] li').count()).toBeGreaterThan(0);
    const plan = await page.locator('[data-plan-items]').innerText();

    // A second device continues with a one-time code and pulls the same record.
    await page.goto(`${hub.url}/devices/`);
    await page.getByRole('button', { name: 'Show a code' }).click();
    await poll(() => page.locator('[data-code]').innerText()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const code = await page.locator('[data-code]').innerText();
    const second = await browser.newContext();
    const phone = await second.newPage();
    await phone.goto(`${hub.url}/devices/`);
    await phone.getByLabel('Code', { exact: true }).fill(code);
    await phone.getByRole('button', { name: 'Continue on this device' }).click();
    await poll(() => phone.locator('[data-who]').innerText()).toContain('signed in as Zoë Łukasiewicz');
    await phone.goto(`${hub.url}/my-learning/`);
    await poll(() => phone.locator('[data-plan-items]').innerText()).toBe(plan);
    await poll(() => syncWords(phone)).toBe('Saved to Brookfield Council’s record.');
    await expectNoAxeViolations(phone);
    await second.close();

    // The banner's sign-out link opens the confirmation; what waits is sent first, then nothing is left.
    await page.goto(`${hub.url}/modules/${journeyModules[1]}/`);
    await poll(() => syncWords(page)).toBe(
      'Saved to Brookfield Council’s record. Not sent: 1 item the record refused. The privacy page says which and why; it stays in this browser.',
    );
    await page.getByRole('link', { name: 'Sign out of this computer' }).click();
    await poll(() => page.getByRole('heading', { name: 'Are you sure you want to sign out of this computer?' }).isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Yes, sign out and erase' }).click();
    await poll(() => page.locator('[data-devices-result]').innerText()).toBe(
      'This computer is signed out, and your learning record has been erased from this browser.',
    );
    expect(
      (await page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? ''))).filter((name) => name.startsWith('_pouch_')),
    ).toEqual([]);
    expect((await page.evaluate(() => Object.entries(localStorage))).filter(([key, value]) => !(key === '_pouch_check_localstorage' && value === '1'))).toEqual(
      [],
    );
    await context.close();
  });
});

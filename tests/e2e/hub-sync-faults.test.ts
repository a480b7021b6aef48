/**
 * The outbox when things go wrong, in the browser against a real hub process
 * serving the build: the hub failing with 500 then recovering, two tabs of one
 * learner sending at once, a reload while a batch is on its way, statements the
 * hub already holds sent again, and signing out while offline. Every time each
 * statement reaches the hub once and none is POSTed more than twice (counted
 * from the requests the browser context made).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyModules } from './course.ts';
import { expectNoAxeViolations, launchBrowser, recordedStatements } from './harness.ts';
import { countPosts, enrol, poll, saved, startSyncHub, syncWords, type SyncHub } from './hub-sync-support.ts';
import { answerQuiz } from './quiz-journey.ts';

const statementsRoute = '**/xapi/statements';

describe('the outbox when the hub or the browser fails', () => {
  let hub: SyncHub;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([startSyncHub(5), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  /** A learner signed up in a new browser context, on a module page whose earlier learning has reached the hub. */
  const learnerOnModule = async (link: number, name: string, moduleId = journeyModules[0]!) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const learnerId = await enrol(page, hub.url, hub.links[link]!, name);
    await page.goto(`${hub.url}/modules/${moduleId}/`);
    await poll(() => syncWords(page)).toBe(saved);
    return { context, page, learnerId };
  };

  /** The hub holds every statement of this browser's record, each once, and none was POSTed more than twice. */
  const expectAllOnHubOnce = async (page: Page, learnerId: string, posted: Map<string, number>) => {
    const here = (await recordedStatements(page)).map((statement) => statement.id).sort();
    await poll(async () => (await hub.idsOnHub(learnerId)).sort()).toEqual(here);
    const onHub = await hub.idsOnHub(learnerId);
    expect(new Set(onHub).size).toBe(onHub.length);
    expect([...posted].filter(([, count]) => count > 2)).toEqual([]);
  };

  const deviceToken = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { token: string }).token);

  it('sends every statement once when the hub answers 500 and then recovers', async () => {
    const { context, page, learnerId } = await learnerOnModule(0, 'Siân Llŷr');
    const posted = countPosts(context, 'request');
    let failed = 0;
    await context.route(statementsRoute, (route) => {
      if (route.request().method() !== 'POST' || failed >= 1) return route.continue();
      failed += 1;
      return route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'The database did not answer' }) });
    });
    await answerQuiz(page, journeyModules[0]!);
    await poll(() => syncWords(page)).toBe(saved);
    expect(failed).toBe(1);
    // The batch the hub failed was sent again: the quiz's statements went twice, and no more.
    expect([...posted.values()]).toContain(2);
    await expectAllOnHubOnce(page, learnerId, posted);
    await context.close();
  });

  it('loses nothing and stores nothing twice when two tabs of one learner learn offline and send together', async () => {
    const { context, page: first, learnerId } = await learnerOnModule(1, 'Zoë Łukasiewicz');
    // Offline attempts never reach the hub: count the POSTs it answered.
    const posted = countPosts(context);
    const second = await context.newPage();
    await second.goto(`${hub.url}/modules/${journeyModules[1]}/`);
    await poll(() => syncWords(second)).toBe(saved);
    await context.setOffline(true);
    await Promise.all([answerQuiz(first, journeyModules[0]!), answerQuiz(second, journeyModules[1]!)]);
    await poll(() => syncWords(second)).toMatch(/^\d+ items waiting to send/);
    await context.setOffline(false);
    await poll(() => syncWords(first)).toBe(saved);
    await poll(() => syncWords(second)).toBe(saved);
    const here = await recordedStatements(first);
    expect(here.some((statement) => JSON.stringify(statement.object).includes(journeyModules[1]!))).toBe(true);
    await expectAllOnHubOnce(first, learnerId, posted);
    await context.close();
  });

  it('sends everything once after a reload while a batch was on its way: the hub keeps the one it had, the rest follow', async () => {
    const { context, page, learnerId } = await learnerOnModule(2, 'محمد');
    const posted = countPosts(context, 'request');
    let reachedHub!: () => void;
    const atHub = new Promise<void>((resolve) => (reachedHub = resolve));
    let release!: () => void;
    const reloaded = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    await context.route(statementsRoute, async (route) => {
      if (route.request().method() !== 'POST' || held) return route.continue();
      held = true;
      // The hub stores the batch, but its answer is slow to come back and the learner reloads first.
      const response = await route.fetch();
      reachedHub();
      await reloaded;
      await route.fulfill({ response }).catch(() => undefined);
    });
    await answerQuiz(page, journeyModules[0]!);
    await atHub;
    await page.reload();
    release();
    await poll(() => syncWords(page)).toBe(saved);
    // The reloaded page pulls what the hub stored since its last pull, the held batch with it, so
    // that batch counts as sent without going again; what the reload itself recorded follows.
    expect(held).toBe(true);
    await expectAllOnHubOnce(page, learnerId, posted);
    await context.close();
  });

  it('counts statements the hub already holds as sent when the same statements are POSTed again', async () => {
    const { context, page, learnerId } = await learnerOnModule(3, '李雷');
    const posted = countPosts(context);
    // The browser cannot reach the hub, so the quiz's statements wait…
    await context.route(statementsRoute, (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
    await answerQuiz(page, journeyModules[0]!);
    await poll(() => syncWords(page)).toMatch(/^\d+ items waiting to send/);
    const onHub = new Set(await hub.idsOnHub(learnerId));
    const waiting = (await recordedStatements(page)).filter((statement) => !onHub.has(statement.id));
    expect(waiting.length).toBeGreaterThan(0);
    // …while the same statements reach it another way with this device's credential.
    const token = await deviceToken(page);
    const sendByHand = () =>
      fetch(`${hub.url}/xapi/statements`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
        body: JSON.stringify(waiting),
      });
    expect((await sendByHand()).status).toBe(200);
    await context.unroute(statementsRoute);
    // The outbox's own POST of them is a duplicate: acknowledged, not refused, and stored once.
    await poll(() => syncWords(page)).toBe(saved);
    expect(waiting.every((statement) => posted.get(statement.id) === 1)).toBe(true);
    await expectAllOnHubOnce(page, learnerId, posted);
    // And by hand once more, after the outbox: still accepted, still stored once.
    expect((await sendByHand()).status).toBe(200);
    await expectAllOnHubOnce(page, learnerId, posted);
    await context.close();
  });

  it('signing out while offline says what would be lost and offers to stay signed in: nothing is erased, and the learning is sent later', async () => {
    const { context, page, learnerId } = await learnerOnModule(4, 'Siân Llŷr');
    const posted = countPosts(context);
    const devices = await context.newPage();
    await devices.goto(`${hub.url}/devices/`);
    await poll(() => devices.locator('[data-who]').innerText()).toContain('Siân Llŷr');
    await context.setOffline(true);
    await answerQuiz(page, journeyModules[0]!);
    const before = (await recordedStatements(devices)).map((statement) => statement.id).sort();

    await devices.getByRole('button', { name: 'Sign out of this computer' }).click();
    await devices.getByRole('button', { name: 'Yes, sign out and erase' }).click();
    const heading = devices.getByRole('heading', { name: 'Some of your learning has not been sent' });
    await poll(() => heading.isVisible()).toBe(true);
    expect(await devices.evaluate(() => document.activeElement?.id)).toBe('sign-out-unsent-heading');
    expect(await devices.locator('[data-unsent-count]').innerText()).toMatch(
      /^\d+ items of your learning have not reached the council’s record, because the hub cannot be reached\. If you sign out now, they are lost\.$/,
    );
    await expectNoAxeViolations(devices);
    await devices.getByRole('button', { name: 'Stay signed in and keep my learning' }).click();
    expect(await devices.locator('[data-devices-result]').innerText()).toBe(
      'You are still signed in. Your learning will be sent when the hub can be reached; then sign out.',
    );
    expect(await heading.isVisible()).toBe(false);

    // Nothing erased, and the credential still works once the hub can be reached.
    expect((await recordedStatements(devices)).map((statement) => statement.id).sort()).toEqual(before);
    expect(await deviceToken(devices)).toBeTruthy();
    await context.setOffline(false);
    await poll(() => syncWords(page)).toBe(saved);
    await expectAllOnHubOnce(page, learnerId, posted);
    await context.close();
  });
});

/**
 * Webinars as learners meet them: on /webinars/, on the role pages they are for, with a
 * calendar file per session, "I attended" once a session has started, and recordings with
 * captions. Expectations come from courses/ and the clock: the build left out sessions that
 * had started when it ran, and each test fixes the page's clock where it matters.
 */
import ICAL from 'ical.js';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledSessions, sessionCalendarPath, upcomingSessions, wallTimeIn } from '../../src/lib/webinar/index.ts';
import { course } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordedStatements } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const webinars = Object.entries(course.webinars);
/** The tests run right after the build: what was to come then is what is to come now, give or take the run. */
const buildNow = new Date();
const upcoming = webinars.flatMap(([id, webinar]) => upcomingSessions(webinar, buildNow).map((scheduled) => ({ ...scheduled, id, webinar })));
const withRecording = webinars.filter(([, webinar]) => webinar.recording);
const held = webinars.flatMap(([id, webinar]) =>
  scheduledSessions(webinar)
    .filter((scheduled) => scheduled.start <= buildNow)
    .map((scheduled) => ({ ...scheduled, id, webinar })),
);

describe('webinars', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.runIf(course.site.demo)('has the demonstration council’s three webinars: one to come, two past with recordings', () => {
    expect(webinars).toHaveLength(3);
    expect(new Set(upcoming.map((session) => session.id)).size).toBe(1);
    expect(withRecording).toHaveLength(2);
  });

  it.runIf(upcoming.length > 0)('lists every session still to come, with a calendar file at the right time in Europe/London', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/webinars/`);
    for (const { id, webinar, session, start } of upcoming) {
      const link = page.locator(`a[href="${sessionCalendarPath(id, session.id)}"]`);
      expect(await link.isVisible()).toBe(true);
      const response = await page.request.get(`${baseUrl}${sessionCalendarPath(id, session.id)}`);
      expect(response.headers()['content-type']).toContain('text/calendar');
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await response.text())).getFirstSubcomponent('vevent')!);
      expect(event.startDate.toJSDate().toISOString()).toBe(start.toISOString());
      expect(wallTimeIn(event.startDate.toJSDate(), webinar.timeZone)).toBe(session.start);
      expect(event.location).toBe(session.joinUrl);
    }
    await expectNoAxeViolations(page);
    await page.close();
  });

  it.runIf(course.site.demo)('puts the demo sessions either side of the October clock change at 10am and 6:30pm UK time', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/webinars/local-offer-update-autumn-2027/`);
    const times = await page.locator('#sessions-heading + ul h3').allInnerTexts();
    expect(times).toEqual(['Thursday 21 October 2027, 10am to 10:45am (UK time)', 'Thursday 4 November 2027, 6:30pm to 7:15pm (UK time)']);
    const start = async (session: string) => {
      const text = await (await page.request.get(`${baseUrl}/webinars/local-offer-update-autumn-2027/${session}.ics`)).text();
      return /DTSTART:(\S+)/.exec(text)?.[1];
    };
    expect(await start('october-2027')).toBe('20271021T090000Z');
    expect(await start('november-2027-evening')).toBe('20271104T183000Z');
    await page.close();
  });

  it('shows each upcoming webinar on the role pages it is for, and a webinar in the matrix in those roles’ plans', async () => {
    const page = await context.newPage();
    for (const role of course.matrix.roles) {
      await page.goto(`${baseUrl}/roles/${role.id}/`);
      const listed = await page.locator('[data-upcoming-webinar] h3 a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      const expected = [...new Set(upcoming.filter(({ webinar }) => webinar.audience.includes(role.id)).map(({ id }) => `/webinars/${id}/`))];
      expect(listed.sort()).toEqual(expected.sort());
      const planned = await page.locator('.plan-list [data-item] h3 a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      const inMatrix = [...role.required, ...role.recommended].filter((item) => item in course.webinars).map((item) => `/webinars/${item}/`);
      expect(planned.filter((href) => href?.startsWith('/webinars/'))).toEqual(inMatrix);
    }
    await page.close();
  });

  it.runIf(upcoming.length > 0)('never offers a session that has started by the reader’s clock, even on a page built before', async () => {
    const first = upcoming.toSorted((a, b) => a.start.getTime() - b.start.getTime())[0]!;
    const later = await browser.newContext();
    await later.clock.setFixedTime(new Date(first.start.getTime() + 60_000));
    const page = await later.newPage();
    await page.goto(`${baseUrl}/webinars/${first.id}/`);
    const calendar = page.locator(`a[href="${sessionCalendarPath(first.id, first.session.id)}"]`);
    expect(await calendar.isVisible()).toBe(false);
    expect(
      await page
        .getByRole('button', { name: /^I attended the session on/ })
        .first()
        .isVisible(),
    ).toBe(true);
    await page.goto(`${baseUrl}/webinars/`);
    expect(await page.locator(`a[href="${sessionCalendarPath(first.id, first.session.id)}"]`).isVisible()).toBe(false);
    await later.close();
    // Before it starts, the same page offers it and no "I attended".
    const before = await browser.newContext();
    await before.clock.setFixedTime(new Date(first.start.getTime() - 60_000));
    const early = await before.newPage();
    await early.goto(`${baseUrl}/webinars/${first.id}/`);
    expect(await early.locator(`a[href="${sessionCalendarPath(first.id, first.session.id)}"]`).isVisible()).toBe(true);
    expect(await early.getByText('You can record this once a session has started.').isVisible()).toBe(true);
    await before.close();
  });

  it.runIf(held.length > 0)('counts "I attended" as a statement naming the session', async () => {
    const { id, session } = held[0]!;
    const fresh = await browser.newContext();
    const page = await fresh.newPage();
    await page.goto(`${baseUrl}/webinars/${id}/`);
    const status = page.locator('fh-status');
    await status.locator('.tag').waitFor();
    expect(await status.innerText()).toContain('Not started');
    await page
      .getByRole('button', { name: /^I attended the session on/ })
      .first()
      .click();
    await page.locator('[data-attended-status]').filter({ hasText: 'Recorded' }).waitFor();
    const statements = await recordedStatements(page);
    const attended = statements.filter((statement) => statement.verb.id === 'http://adlnet.gov/expapi/verbs/attended');
    expect(attended.map((statement) => statement.object.id)).toEqual([`${course.site.siteUrl}/webinars/${id}/sessions/${session.id}`]);
    await status.filter({ hasText: 'you said you attended' }).waitFor();
    await expectNoAxeViolations(page);
    await fresh.close();
  });

  it.runIf(withRecording.length > 0)('offers a past webinar’s recording in the film player, with captions and a transcript', async () => {
    const page = await context.newPage();
    for (const [id, webinar] of withRecording) {
      await page.goto(`${baseUrl}/webinars/${id}/`);
      const tracks = page.locator('fh-film video track[kind="captions"]');
      expect(await tracks.count()).toBe(webinar.recording!.captions.length);
      const captions = await page.request.get(`${baseUrl}${await tracks.first().getAttribute('src')}`);
      expect((await captions.text()).startsWith('WEBVTT')).toBe(true);
      expect(await page.locator('fh-film').getAttribute('recording-of')).toBe('webinar');
      expect(await page.locator('details.transcript summary').innerText()).toBe('Read the transcript');
      expect(await page.locator('details.transcript').textContent()).toContain(webinar.recording!.transcript.split('\n')[0]!.slice(0, 40));
    }
    await page.close();
  });

  it('lists webinars without JavaScript, and leaves "I attended" to pages that can record it', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(`${baseUrl}/webinars/`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Webinars');
    for (const { id, session } of upcoming) expect(await page.locator(`a[href="${sessionCalendarPath(id, session.id)}"]`).isVisible()).toBe(true);
    if (held[0]) {
      await page.goto(`${baseUrl}/webinars/${held[0].id}/`);
      expect(await page.locator('[data-attended]').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-attended]').first().isVisible()).toBe(false);
    }
    await noScript.close();
  });

  const invited = course.matrix.roles.find((role) => upcoming.some(({ webinar }) => webinar.audience.includes(role.id)));
  const notInvited = course.matrix.roles.find((role) => !upcoming.some(({ webinar }) => webinar.audience.includes(role.id)));
  it.runIf(invited && notInvited)('shows on My learning the upcoming webinars for the learner’s role only', async () => {
    for (const role of [invited!, notInvited!]) {
      const own = await browser.newContext();
      const page = await own.newPage();
      const file = completedRecordFile(course, role.id, { name: 'Zoë Łukasiewicz', organisation: 'Brookfield Council' }, new Date(Date.now() - 86_400_000));
      await loadRecordOnPrivacyPage(page, baseUrl, file);
      await page.goto(`${baseUrl}/my-learning/`);
      await page.getByRole('heading', { name: `Your learning plan: ${role.name}` }).waitFor();
      const shown = await page
        .locator('[data-upcoming-webinar] h3 a')
        .evaluateAll((links) => links.filter((link) => (link as HTMLElement).offsetParent !== null).map((link) => link.getAttribute('href')));
      const expected = [...new Set(upcoming.filter(({ webinar }) => webinar.audience.includes(role.id)).map(({ id }) => `/webinars/${id}/`))];
      expect(shown.sort()).toEqual(expected.sort());
      expect(await page.getByRole('heading', { name: 'Upcoming webinars' }).isVisible()).toBe(expected.length > 0);
      if (role === invited) await expectNoAxeViolations(page);
      await own.close();
    }
  });
});

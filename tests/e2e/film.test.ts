/**
 * <fh-film> on a real film page, playing the real clip: the Video Profile
 * statements, that skipping to the end does not count as watched, terminated
 * after a real navigation away and a real tab close, resuming from the last
 * recorded position, completion once 90 % has been played over both visits, and
 * every statement of the sessions checked against the profile's MUSTs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { course, journeyFilm } from './course.ts';
import { parsePlayedSegments, playedFraction, unionSegments } from '../../src/lib/xapi/index.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordChunkUrl, recordedStatements, type StoredStatement } from './harness.ts';

const filmId = journeyFilm;
const film = course.films[filmId]!;
const video = 'https://w3id.org/xapi/video';
const ext = (name: string) => `${video}/extensions/${name}`;

const verbOf = (statement: StoredStatement) => statement.verb.id.split('/').at(-1);
const status = (page: Page) => page.locator('fh-film .fh-film__status').innerText();
const currentTime = (page: Page) => page.locator('fh-film video').evaluate((element: HTMLVideoElement) => element.currentTime);

/** Tabs from the top of the page until the player's first control (play) has focus. */
async function tabToVideo(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let step = 0; step < 60; step += 1) {
    if (await page.evaluate(() => document.activeElement?.tagName === 'VIDEO')) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tabbing never reached the video');
}

/** Plays faster than any learner would, so the test takes seconds; the rate does not change what counts. */
const fastForward = (page: Page) => page.locator('fh-film video').evaluate((element: HTMLVideoElement) => (element.playbackRate = 16));

describe('<fh-film> on a film page', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${baseUrl}/films/${filmId}/`);
    await page.locator('fh-film .fh-film__speed select').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('offers captions on by default, a transcript, the service link and a labelled speed control', async () => {
    const mode = await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => element.textTracks[0]?.mode);
    expect(mode).toBe('showing');
    expect(await page.getByRole('combobox', { name: 'Playback speed' }).count()).toBe(1);
    expect(await page.locator('details.transcript summary').innerText()).toBe('Read the transcript');
    expect(await page.locator(`a[href="/services/#${film.service}"]`).count()).toBeGreaterThan(0);
    await expect.poll(() => status(page)).toContain('Not started');
    await expectNoAxeViolations(page);
  });

  it('changes speed with the keyboard', async () => {
    await page.getByRole('combobox', { name: 'Playback speed' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => element.playbackRate)).toBe(1.25);
    await page.keyboard.press('ArrowUp');
  });

  it('records initialized, played and paused with the segment actually played', async () => {
    await tabToVideo(page);
    await page.keyboard.press('Space');
    await fastForward(page);
    await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(30);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf)).toEqual(['initialized', 'played', 'paused']);
    const [initialized, , paused] = await recordedStatements(page);
    expect(initialized?.context?.extensions?.[ext('length')]).toBeCloseTo(film.duration, 1);
    const segments = String(paused?.result?.extensions?.[ext('played-segments')]);
    expect(segments).toMatch(/^\d+\.\d{3}\[\.\]\d+\.\d{3}$/);
    // Playing starts at the first frame, which some video files put a few milliseconds in.
    const [start, end] = segments.split('[.]').map(Number) as [number, number];
    expect(start).toBeLessThan(0.1);
    expect(end).toBeGreaterThan(30);
    const sessions = new Set((await recordedStatements(page)).map((statement) => statement.context?.extensions?.[ext('session-id')]));
    expect(sessions.size).toBe(1);
    await expect.poll(() => status(page)).toContain('In progress');
  });

  it('does not count skipping to the end as watching', async () => {
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => (element.currentTime = element.duration - 1));
    await page.keyboard.press('Space');
    await page
      .locator('fh-film video')
      .evaluate((element: HTMLVideoElement) => new Promise((done) => (element.ended ? done(true) : element.addEventListener('ended', done, { once: true }))));
    // The seek and the play may land in either order; the pause comes when the clip ends.
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).slice(-3).sort()).toEqual(['paused', 'played', 'seeked']);
    const statements = await recordedStatements(page);
    expect(statements.map(verbOf)).not.toContain('completed');
    const seeked = statements.find((statement) => verbOf(statement) === 'seeked');
    expect(Number(seeked?.result?.extensions?.[ext('time-from')])).toBeGreaterThan(30);
    expect(Number(seeked?.result?.extensions?.[ext('time-from')])).toBeLessThan(film.duration - 2);
    expect(Number(seeked?.result?.extensions?.[ext('time-to')])).toBeGreaterThan(film.duration - 2);
    const progress = Number(statements.at(-1)?.result?.extensions?.[ext('progress')]);
    expect(progress).toBeLessThan(0.9);
    expect(await status(page)).toContain('In progress');
    await expectNoAxeViolations(page);
  });

  it('records terminated when the learner really navigates away, then resumes from the last position on the next visit', async () => {
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => (element.currentTime = 25));
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('seeked');
    const left = Date.now();
    // A real navigation: the page goes away with whatever it had not finished writing.
    await page.getByRole('link', { name: 'My learning' }).first().click();
    await page.waitForURL(`${baseUrl}/my-learning/`);
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('terminated');
    const terminated = (await recordedStatements(page)).at(-1);
    expect(terminated?.result?.extensions?.[ext('time')]).toBeCloseTo(25, 0);
    // Recorded with the time the learner left, even if it was saved by this page.
    expect(Math.abs(Date.parse(terminated!.timestamp) - left)).toBeLessThan(5000);

    await page.goto(`${baseUrl}/films/${filmId}/`);
    await page.locator('fh-film .fh-film__resume').waitFor();
    expect(await page.locator('fh-film .fh-film__resume').innerText()).toContain('You stopped at 0:25 last time');
    await expect.poll(() => currentTime(page)).toBeCloseTo(25, 0);
    await expectNoAxeViolations(page);
  });

  it('completes once 90 % has been played over both visits, and says so', async () => {
    // First visit played 0 to about 30 s and the last second; this one plays from 25 s to the end.
    await tabToVideo(page);
    await page.keyboard.press('Space');
    await fastForward(page);
    await page
      .locator('fh-film video')
      .evaluate((element: HTMLVideoElement) => new Promise((done) => (element.ended ? done(true) : element.addEventListener('ended', done, { once: true }))));
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf), { timeout: 5000 }).toContain('completed');
    const completed = (await recordedStatements(page)).find((statement) => verbOf(statement) === 'completed');
    expect(completed?.result?.completion).toBe(true);
    await expect.poll(() => status(page)).toContain('Completed');
    expect(await page.locator('fh-film .fh-film__resume').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('records terminated when the learner closes the tab', async () => {
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('paused');
    const closed = Date.now();
    await page.close();
    page = await context.newPage();
    await page.goto(`${baseUrl}/my-learning/`);
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('terminated');
    const terminated = (await recordedStatements(page)).at(-1);
    expect(Math.abs(Date.parse(terminated!.timestamp) - closed)).toBeLessThan(5000);
  });

  /**
   * The MUSTs of the xAPI Video Profile 1.0.4 (adlnet/xapi-authored-profiles,
   * video/v1.0.4/video.jsonld) that the site's statements are held to, checked
   * on every statement of the two sessions above (the first left by navigating
   * away, the second by closing the tab). "Included" rules in a template are MUSTs.
   *  1. Every template: `$.id` included (a UUID).
   *  2. Every template: `$.timestamp` included.
   *  3. General pattern: each session is initialized, then any of played, paused, seeked, completed, then terminated.
   *  4. session-id: a UUID (the concept's inlineSchema pattern), the same on all of a session's statements,
   *     and the id of the session's initialized statement.
   *  5. length: included on initialized, paused, completed and terminated; a number with at most 3 decimals.
   *  6. played template: result time included.
   *  7. paused template: length, time, progress and played-segments included.
   *  8. seeked template: time-from and time-to included.
   *  9. completed template: result.duration, result.completion, length, time, progress and played-segments included.
   * 10. terminated template: length, time, progress and played-segments included.
   * 11. completion-threshold: between 0 and 1 with at most 3 decimals; not 1, so included on initialized, paused,
   *     completed and terminated.
   * 12. played, paused, seeked, completed and terminated templates: the object's activity type is video.
   * 13. played-segments: "parts of the video the actor watched during current registration in chronological
   *     order": well formed, and never losing what the registration played before.
   * 14. progress: the share of the media consumed, so the share the played segments cover.
   * 15. registration (one learner, one film version, one renewal cycle): every statement carries one; both
   *     visits share it, as the clip had not counted yet; completed's duration covers both sessions.
   */
  it('meets every MUST of the Video Profile, statement by statement', async () => {
    const statements = await recordedStatements(page);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
    const threeDecimals = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6;
    const problems: string[] = [];
    const must = (rule: number, holds: boolean, statement: StoredStatement) => {
      if (!holds) problems.push(`MUST ${rule} fails for ${verbOf(statement)} ${statement.id}`);
    };
    const sessions = new Map<unknown, StoredStatement[]>();
    for (const statement of statements) {
      const session = statement.context?.extensions?.[ext('session-id')];
      sessions.set(session, [...(sessions.get(session) ?? []), statement]);
    }
    expect(sessions.size).toBe(2);
    const registrations = new Set(statements.map((statement) => statement.context?.registration));
    for (const [sessionId, session] of sessions) {
      const verbs = session.map(verbOf);
      // 3: order by time, the initialized first and terminated last (ties between them are impossible: they are seconds apart).
      must(
        3,
        verbs[0] === 'initialized' && verbs.at(-1) === 'terminated' && verbs.filter((verb) => verb === 'initialized' || verb === 'terminated').length === 2,
        session[0]!,
      );
      must(
        3,
        verbs.slice(1, -1).every((verb) => ['played', 'paused', 'seeked', 'completed'].includes(verb ?? '')),
        session[0]!,
      );
      // 4
      must(4, typeof sessionId === 'string' && uuid.test(sessionId) && session[0]!.id === sessionId, session[0]!);
      let before: ReturnType<typeof parsePlayedSegments> = [];
      for (const statement of session) {
        const verb = verbOf(statement);
        const context = statement.context?.extensions ?? {};
        const result = statement.result?.extensions ?? {};
        const length = context[ext('length')];
        must(1, uuid.test(statement.id), statement);
        must(2, typeof statement.timestamp === 'string' && !Number.isNaN(Date.parse(statement.timestamp)), statement);
        if (['initialized', 'paused', 'completed', 'terminated'].includes(verb ?? '')) {
          must(5, threeDecimals(length) && (length as number) > 0, statement);
          const threshold = context[ext('completion-threshold')];
          must(11, threshold === 0.9 && threeDecimals(threshold), statement);
        }
        if (verb === 'played') must(6, typeof result[ext('time')] === 'number', statement);
        if (['paused', 'completed', 'terminated'].includes(verb ?? '')) {
          const rule = verb === 'paused' ? 7 : verb === 'completed' ? 9 : 10;
          const segments = result[ext('played-segments')];
          must(rule, typeof result[ext('time')] === 'number' && typeof result[ext('progress')] === 'number' && typeof segments === 'string', statement);
          // 13
          const parsed = parsePlayedSegments(String(segments));
          must(13, /^\d+\.\d{3}\[\.\]\d+\.\d{3}(\[,\]\d+\.\d{3}\[\.\]\d+\.\d{3})*$/.test(String(segments)), statement);
          must(13, playedFraction(unionSegments([...parsed, ...before]), length as number) - playedFraction(parsed, length as number) < 0.001, statement);
          before = parsed;
          // 14
          must(14, Math.abs((result[ext('progress')] as number) - playedFraction(parsed, length as number)) < 0.001, statement);
        }
        if (verb === 'seeked') must(8, typeof result[ext('time-from')] === 'number' && typeof result[ext('time-to')] === 'number', statement);
        if (verb === 'completed') {
          must(9, statement.result?.completion === true && /^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$/.test(String(statement.result?.duration)), statement);
        }
        if (verb !== 'initialized')
          must(12, (statement.object as { definition?: { type?: string } }).definition?.type === `${video}/activity-type/video`, statement);
        must(15, typeof statement.context?.registration === 'string' && uuid.test(statement.context.registration), statement);
      }
      // The first session's played segments come with the second: they belong to the same registration.
      if (sessionId !== statements[0]!.context?.extensions?.[ext('session-id')]) {
        const first = sessions.get(statements[0]!.context?.extensions?.[ext('session-id')])!;
        const firstPlayed = parsePlayedSegments(String(first.at(-1)!.result?.extensions?.[ext('played-segments')]));
        const completed = session.find((statement) => verbOf(statement) === 'completed')!;
        const completedPlayed = parsePlayedSegments(String(completed.result?.extensions?.[ext('played-segments')]));
        must(
          15,
          playedFraction(unionSegments([...firstPlayed, ...completedPlayed]), film.duration) - playedFraction(completedPlayed, film.duration) < 0.001,
          completed,
        );
        const seconds = (from: StoredStatement, to: StoredStatement) => (Date.parse(to.timestamp) - Date.parse(from.timestamp)) / 1000;
        const [, minutes, wholeSeconds] = /^PT(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(completed.result?.duration)) ?? [];
        const duration = Number(minutes ?? 0) * 60 + Number(wholeSeconds ?? 0);
        must(15, duration >= seconds(first[0]!, first.at(-1)!) + seconds(session[0]!, completed) - 1, completed);
      }
    }
    expect(registrations.size).toBe(1);
    expect(problems).toEqual([]);
  });
});

describe('<fh-film> when the learning record cannot open', () => {
  it('says the clip will not count here and still plays it', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // The connection drops before the record's code arrives.
      await page.route(recordChunkUrl(), (route) => route.abort('internetdisconnected'));
      await page.goto(`${baseUrl}/films/${filmId}/`);
      const problem = page.locator('fh-film').getByRole('alert');
      await problem.waitFor();
      expect(await problem.innerText()).toBe(
        'Your learning record could not be opened in this browser, so watching this clip will not count towards your plan here. You can still watch it. Reload the page to try again, or use another browser.',
      );
      await expectNoAxeViolations(page);
      await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => element.play());
      await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(0.5);
    } finally {
      await browser.close();
    }
  });
});

/**
 * <fh-film> on a real film page, playing the real clip: the Video Profile
 * statements, that skipping to the end does not count as watched, resuming from
 * the last recorded position, and completion once 90 % has been played.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course, journeyFilm } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, recordedStatements, type StoredStatement } from './harness.ts';

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
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
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
    expect(segments).toMatch(/^0\.000\[\.\]\d+\.\d{3}$/);
    expect(Number(segments.split('[.]')[1])).toBeGreaterThan(30);
    const sessions = new Set((await recordedStatements(page)).map((statement) => statement.context?.extensions?.[ext('session-id')]));
    expect(sessions.size).toBe(1);
    await expect.poll(() => status(page)).toContain('In progress');
  });

  it('does not count skipping to the end as watching', async () => {
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => (element.currentTime = element.duration - 1));
    await page.keyboard.press('Space');
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => new Promise((done) => (element.ended ? done(true) : element.addEventListener('ended', done, { once: true }))));
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

  it('records terminated when the page is left, then resumes from the last position after a reload', async () => {
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => (element.currentTime = 25));
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('seeked');
    // A real unload may end the page before IndexedDB finishes writing, so the event is sent while the page lives.
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf).at(-1)).toBe('terminated');
    const terminated = (await recordedStatements(page)).at(-1);
    expect(terminated?.result?.extensions?.[ext('time')]).toBeCloseTo(25, 0);
    await page.reload();
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
    await page.locator('fh-film video').evaluate((element: HTMLVideoElement) => new Promise((done) => (element.ended ? done(true) : element.addEventListener('ended', done, { once: true }))));
    await expect.poll(async () => (await recordedStatements(page)).map(verbOf), { timeout: 5000 }).toContain('completed');
    const completed = (await recordedStatements(page)).find((statement) => verbOf(statement) === 'completed');
    expect(completed?.result?.completion).toBe(true);
    await expect.poll(() => status(page)).toContain('Completed');
    expect(await page.locator('fh-film .fh-film__resume').count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});


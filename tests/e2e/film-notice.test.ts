/**
 * The demo clips say they are demos where the player's controls never sit: in
 * the band at the top of the picture, not along the bottom, which the controls
 * (and captions) cover whenever they show.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { course } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';

// Only the demonstration council's clips are demos; a council's own films carry no such notice.
describe.runIf(course.site.demo)('the demo notice in the clips', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(Object.keys(course.films))('is drawn in the top band of %s, with nothing under the controls', async (filmId) => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/films/${filmId}/`);
    // Share of light (text) pixels in the top band's right half, where the notice is, and along the bottom.
    const measure = () =>
      page.evaluate(async () => {
        const video = document.querySelector('video')!;
        video.muted = true;
        if (video.readyState < 2) await new Promise((done) => video.addEventListener('loadeddata', done, { once: true }));
        video.currentTime = 1;
        await new Promise((done) => video.addEventListener('seeked', done, { once: true }));
        const canvas = Object.assign(document.createElement('canvas'), { width: video.videoWidth, height: video.videoHeight });
        const context = canvas.getContext('2d', { willReadFrequently: true })!;
        context.drawImage(video, 0, 0);
        const share = (x: number, y: number, width: number, height: number) => {
          const { data } = context.getImageData(x, y, width, height);
          let count = 0;
          for (let index = 0; index < data.length; index += 4) if (data[index]! + data[index + 1]! + data[index + 2]! > 450) count += 1;
          return count / (width * height);
        };
        const { width, height } = canvas;
        return { notice: share(Math.round(width / 2), 8, Math.round(width / 2) - 20, 38), bottom: share(0, height - 60, width, 60) };
      });
    // A frame can be drawn a moment before the decoder has it; measure until the picture is there.
    await expect.poll(async () => (await measure()).notice, { timeout: 10_000 }).toBeGreaterThan(0.03);
    const light = await measure();
    expect(light.bottom).toBe(0);
    await page.close();
  });
});

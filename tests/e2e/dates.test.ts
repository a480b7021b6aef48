/**
 * The same instant shows the same day everywhere, whatever time zone the learner's
 * device is set to: a renewal at 2027-06-10T23:30Z (00:30 on 11 June in London) reads
 * the same on My learning, in the certificate PDF, on the verify page and in the
 * calendar file, all in the council's time zone from site.yaml.
 */
import type { Browser, Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDayIn, formatDate } from '../../src/lib/dates/index.ts';
import { course, journeyRole } from './course.ts';
import { baseUrl, launchBrowser } from './harness.ts';
import { completedRecordFile } from './record-files.ts';

const renewalAt = '2027-06-10T23:30:00.000Z';
const { timeZone } = course.site;
const expectedDay = formatDate(renewalAt, timeZone);

// Every required item done at once, so the certificate is valid until the soonest renewal: at `renewalAt`.
const renewalMonths = Math.min(...journeyRole.required.map((id) => (course.matrix.renewal[id] ?? course.matrix.defaultRenewal).months));
const renewal = new Date(renewalAt);
const completedAt = new Date(
  Date.UTC(renewal.getUTCFullYear(), renewal.getUTCMonth() - renewalMonths, renewal.getUTCDate(), renewal.getUTCHours(), renewal.getUTCMinutes()),
);

/** The text of every page of a PDF, read with pdf.js. */
async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}

async function download(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('dates in the council’s time zone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sets up a renewal whose day differs between UTC and London', () => {
    expect(completedAt.getTime(), 'the completion must lie in the past').toBeLessThan(Date.now());
    expect(calendarDayIn(renewalAt, 'Europe/London')).toBe('2027-06-11');
    expect(calendarDayIn(renewalAt, 'UTC')).toBe('2027-06-10');
  });

  it.each(['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo'])(
    'shows %s the same day on My learning, the certificate, the verify page and the calendar file',
    async (deviceZone) => {
      const context = await browser.newContext({ timezoneId: deviceZone, acceptDownloads: true });
      const page = await context.newPage();
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(deviceZone);
      const file = completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Riverside Library' }, completedAt);
      await page.goto(`${baseUrl}/privacy/`);
      await page
        .getByLabel('Choose a record file (.json)')
        .setInputFiles({ name: 'record.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await page.getByRole('button', { name: 'Load this file' }).click();
      await page.locator('[data-import-result]').filter({ hasText: 'new learning statements added' }).waitFor();

      await page.goto(`${baseUrl}/my-learning/`);
      await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
      expect(await page.locator('[data-certificate-text]').innerText()).toContain(`Your certificate is valid until ${expectedDay}.`);
      expect(await page.locator('[data-plan-items]').innerText()).toContain(`Valid until ${expectedDay}`);

      const pdf = await download(page, 'Download certificate (PDF)');
      expect(await pdfText(pdf)).toContain(expectedDay);

      const calendar = (await download(page, 'Add renewal date to my calendar')).toString('utf8');
      expect(calendar).toContain(`DTSTART;VALUE=DATE:${calendarDayIn(renewalAt, timeZone).replaceAll('-', '')}`);

      await page.goto(`${baseUrl}/verify/`);
      await page.getByLabel(/Choose the certificate/).setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.locator('[data-result] .notification__title').waitFor();
      expect(await page.locator('[data-result]').innerText()).toMatch(new RegExp(`Valid until\\s+${expectedDay}`));
      await context.close();
    },
  );
});

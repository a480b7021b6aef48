/**
 * The same instant shows the same day everywhere, whatever time zone the learner's
 * device is set to: a renewal at 2027-06-10T23:30Z (00:30 on 11 June in London) reads
 * the same on My learning, in the certificate PDF, on the verify page and in the
 * calendar file, all in the council's time zone from site.yaml.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDayIn, formatDate } from '../../src/lib/dates/index.ts';
import { course, journeyRole } from './course.ts';
import { readPdfText } from '../support/pdf.ts';
import { baseUrl, downloadFrom, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const renewalAt = '2027-06-10T23:30:00.000Z';
const { timeZone } = course.site;
const expectedDay = formatDate(renewalAt, timeZone);

// Every required item done at once, so the certificate is valid until the soonest renewal: at `renewalAt`.
const renewalMonths = Math.min(...journeyRole.required.map((id) => (course.matrix.renewal[id] ?? course.matrix.defaultRenewal).months));
const renewal = new Date(renewalAt);
const completedAt = new Date(
  Date.UTC(renewal.getUTCFullYear(), renewal.getUTCMonth() - renewalMonths, renewal.getUTCDate(), renewal.getUTCHours(), renewal.getUTCMinutes()),
);

/** All the text of a PDF, in one line. */
async function pdfText(bytes: Buffer): Promise<string> {
  const pages = await readPdfText(new Uint8Array(bytes));
  return pages
    .flatMap((page) => page.boxes.map((box) => box.text))
    .join(' ')
    .replace(/\s+/g, ' ');
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
      await loadRecordOnPrivacyPage(page, baseUrl, file);

      await page.goto(`${baseUrl}/my-learning/`);
      await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
      expect(await page.locator('[data-certificate-text]').innerText()).toContain(`Your certificate is valid until ${expectedDay}.`);
      expect(await page.locator('[data-plan-items]').innerText()).toContain(`Valid until ${expectedDay}`);

      const pdf = (await downloadFrom(page, 'Download certificate (PDF)')).bytes;
      expect(await pdfText(pdf)).toContain(expectedDay);

      const calendar = (await downloadFrom(page, 'Add renewal date to my calendar')).bytes.toString('utf8');
      expect(calendar).toContain(`DTSTART;VALUE=DATE:${calendarDayIn(renewalAt, timeZone).replaceAll('-', '')}`);

      await page.goto(`${baseUrl}/verify/`);
      await page.getByLabel(/Choose the certificate/).setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.locator('[data-result] .notification__title').waitFor();
      expect(await page.locator('[data-result]').innerText()).toMatch(new RegExp(`Valid until\\s+${expectedDay}`));
      await context.close();
    },
  );
});

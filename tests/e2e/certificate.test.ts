import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertificate, verifyCertificate } from '../../src/lib/certificate/index.ts';
import { course, journeyRole } from './course.ts';
import { baseUrl, downloadFrom, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';
import { loadFontFromNodeModules } from '../fixtures/certificate/fonts.ts';
import { exampleCertificateInput } from '../fixtures/certificate/inputs.ts';

const role = journeyRole;
const roleId = role.id;

/** A fresh browser profile whose record holds a completed plan for `name`. */
async function learnerWithCompletedPlan(browser: Browser, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const file = completedRecordFile(
    course,
    roleId,
    { name, organisation: 'Brookfield Libraries', district: course.site.districts[0]!.id, email: 'learner@example.org' },
    new Date(Date.now() - 86_400_000),
  );
  await loadRecordOnPrivacyPage(page, baseUrl, file);
  await page.goto(`${baseUrl}/my-learning/`);
  await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
  return { context, page };
}

describe('certificates', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives a learner who completed her plan a genuine certificate with her name as typed, loading pdf-lib only on the click', async () => {
    const { context, page } = await learnerWithCompletedPlan(browser, 'Siân Llŷr');
    const scripts: string[] = [];
    const fonts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
      if (request.url().endsWith('.ttf')) fonts.push(request.url());
    });
    await expect(page.getByText(`You have completed every required item for ${role.name}`).isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    const before = scripts.length;
    expect(fonts).toEqual([]);

    const pdf = await downloadFrom(page, 'Download certificate (PDF)');
    expect(scripts.length).toBeGreaterThan(before);
    expect(fonts.some((url) => /NotoSansSC/.test(url))).toBe(false);
    expect(pdf.name).toMatch(/^certificate-.+\.pdf$/);
    const result = await verifyCertificate(new Uint8Array(pdf.bytes));
    expect(result.status).toBe('genuine');
    if (result.status !== 'genuine') return;
    expect(result.details.learnerName).toBe('Siân Llŷr');
    expect(result.details.organisation).toBe('Brookfield Libraries');
    expect(result.details.requirements.map((requirement) => requirement.id)).toEqual(role.required);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your certificate has downloaded' }).count()).toBe(1);
    await expect(page.getByText(`Its integrity code is ${result.details.integrityCode}`).isVisible()).resolves.toBe(true);

    const record = await downloadFrom(page, 'Download my record for my lead');
    const sent = JSON.parse(record.bytes.toString('utf8')) as {
      profile: Record<string, unknown>;
      statements: { verb: { id: string }; object: { id: string } }[];
    };
    expect(sent.profile).toMatchObject({ name: 'Siân Llŷr', organisation: 'Brookfield Libraries' });
    expect(sent.profile).not.toHaveProperty('email');
    const { statements } = sent;
    expect(statements.filter((statement) => statement.verb.id === 'http://id.tincanapi.com/verb/earned')).toHaveLength(1);
    await context.close();
  });

  it('prints a Chinese name, fetching the Chinese font only for it', async () => {
    const { context, page } = await learnerWithCompletedPlan(browser, '李雷');
    const fonts: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.ttf')) fonts.push(request.url());
    });
    const pdf = await downloadFrom(page, 'Download certificate (PDF)');
    // The name is printed in bold, so one 10 MB Chinese font is fetched: the bold one.
    expect(fonts.filter((url) => /NotoSansSC/.test(url)).map((url) => /NotoSansSC_700Bold/.test(url))).toEqual([true]);
    const result = await verifyCertificate(new Uint8Array(pdf.bytes));
    expect(result.status === 'genuine' && result.details.learnerName).toBe('李雷');
    await context.close();
  });

  it('offers the renewal date as a calendar file', async () => {
    const { context, page } = await learnerWithCompletedPlan(browser, 'Zoë Łukasiewicz');
    const ics = await downloadFrom(page, 'Add renewal date to my calendar');
    const text = ics.bytes.toString('utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('BEGIN:VALARM');
    expect(text).toMatch(/DTSTART;VALUE=DATE:\d{8}/);
    await context.close();
  });

  describe('the verify page', () => {
    let certificate: Buffer;
    beforeAll(async () => {
      const { context, page } = await learnerWithCompletedPlan(browser, 'Nguyễn Thị Minh Khai');
      certificate = (await downloadFrom(page, 'Download certificate (PDF)')).bytes;
      await context.close();
    });

    const check = async (name: string, bytes: Buffer, mimeType = 'application/pdf') => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/verify/`);
      await page.getByLabel(/Choose the certificate/).setInputFiles({ name, mimeType, buffer: bytes });
      await page.locator('[data-result] .notification__title').waitFor();
      return page;
    };

    it('says a genuine certificate is genuine and shows its details', async () => {
      const page = await check('certificate.pdf', certificate);
      expect(await page.locator('[data-result] .notification__title').textContent()).toBe('Self-issued: shows it was not changed');
      expect(await page.locator('[data-result]').textContent()).toContain('Nguyễn Thị Minh Khai');
      await expectNoAxeViolations(page);
      await page.close();
    });

    it('keeps every date on one line in a 1280-pixel window', async () => {
      // Eight requirements with long titles: the table is as crowded as a real certificate's gets.
      const { bytes } = await buildCertificate(exampleCertificateInput('Nguyễn Thị Minh Khai', 8), { loadFont: loadFontFromNodeModules });
      const page = await check('certificate.pdf', Buffer.from(bytes));
      await page.setViewportSize({ width: 1280, height: 800 });
      const dates = await page.locator('[data-result] td').evaluateAll((cells) =>
        cells
          .filter((cell) => /^\d{1,2} [A-Z][a-z]+ \d{4}$/.test(cell.textContent ?? ''))
          .map((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return { text: cell.textContent, lines: new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size };
          }),
      );
      expect(dates).toHaveLength(16);
      expect(dates.filter((date) => date.lines !== 1)).toEqual([]);
      await page.close();
    });

    it('says plainly when a certificate was edited', async () => {
      const edited = Buffer.from(certificate);
      // Flip one byte in the middle of the file: whatever it lands in (page text, fonts or evidence) must fail the check.
      const target = Math.floor(edited.length / 2);
      edited[target] = edited[target]! ^ 0x01;
      const page = await check('edited.pdf', edited);
      const title = await page.locator('[data-result] .notification__title').textContent();
      expect(['This certificate has been changed', 'This file cannot be read as a certificate', 'This is not one of our certificates']).toContain(title);
      expect(title).not.toBe('Self-issued: shows it was not changed');
      await expectNoAxeViolations(page);
      await page.close();
    });

    it('checks a certificate dropped onto the page', async () => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/verify/`);
      const transfer = await page.evaluateHandle(
        (bytes) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], 'dropped.pdf', { type: 'application/pdf' }));
          return data;
        },
        [...certificate],
      );
      await page.locator('[data-drop-zone]').dispatchEvent('drop', { dataTransfer: transfer });
      await page.locator('[data-result] .notification__title').waitFor();
      expect(await page.locator('[data-result] .notification__title').textContent()).toBe('Self-issued: shows it was not changed');
      await page.close();
    });

    it('turns away a file that is not a PDF', async () => {
      const page = await check('notes.txt', Buffer.from('These are my notes, not a certificate.'), 'text/plain');
      expect(await page.locator('[data-result] .notification__title').textContent()).toBe('This file cannot be read as a certificate');
      expect(await page.locator('[data-result]').textContent()).toContain('notes.txt');
      await page.close();
    });
  });
});

/**
 * A learner gives, confirms and removes an email address for reminders in the
 * browser, against a real hub process with SMTP_URL pointing at a mail server
 * started by the test.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/hub/db/index.ts';
import { startHub, type HubProcess } from '../hub/support/process.ts';
import { smtpSink, type SmtpSink } from '../hub/support/smtp-sink.ts';
import { journeyRole } from './course.ts';
import { expectNoAxeViolations, launchBrowser } from './harness.ts';

const poll = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 20_000 });
const publicUrl = 'https://learning.brookfield.example.org';

describe('email reminders in the browser', () => {
  let dir: string;
  let hub: HubProcess;
  let sink: SmtpSink;
  let browser: Browser;
  let link: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-email-'));
    const db = await openDatabase({ dataDir: dir });
    const organisation = randomUUID();
    await db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [organisation, 'Northgate Library', 'northgate']);
    link = randomBytes(32).toString('base64url');
    await db.query("insert into enrolment_link (id, token_sha256, organisation_id, expires, max_uses) values ($1, $2, $3, now() + interval '7 days', 5)", [
      randomUUID(),
      createHash('sha256').update(link).digest('hex'),
      organisation,
    ]);
    await db.close();
    sink = await smtpSink();
    hub = await startHub({
      HUB_DATA_DIR: dir,
      HUB_SITE_DIR: 'dist',
      HUB_URL: publicUrl,
      SMTP_URL: sink.url,
      SMTP_FROM: 'Brookfield Family Hub learning <learning@brookfield.example.org>',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await sink?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A link from an email, opened on the hub the test runs (emails name its public address). */
  const onHub = (url: string) => url.replace(publicUrl, hub.url);
  const statusOf = (page: Page) => page.locator('[data-email-state]').innerText();

  it('gives an address, confirms it by the emailed link, and removes it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/enrol/#${link}`);
    await poll(() => page.locator('[data-organisation]').innerText()).toBe('Northgate Library');
    await page.getByLabel('Your name').fill('Siân Llŷr');
    await page.getByLabel('Your role').selectOption(journeyRole.id);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await poll(() => page.getByRole('heading', { name: 'You have signed up' }).isVisible()).toBe(true);

    await page.goto(`${hub.url}/devices/`);
    const section = page.getByRole('region', { name: 'Email reminders' });
    await poll(() => section.isVisible()).toBe(true);
    await poll(() => statusOf(page)).toBe('You have not given an email address.');
    await expect(page.getByRole('button', { name: 'Remove my email address' }).isVisible()).resolves.toBe(false);
    await expectNoAxeViolations(page);

    await page.getByLabel('Email address').fill('sian@example');
    await page.getByRole('button', { name: 'Send me a link to confirm it' }).click();
    await poll(() => page.getByRole('alert').innerText()).toContain('Enter an email address in the correct format, like name@example.com.');
    await expect(page.getByLabel('Email address').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectNoAxeViolations(page);

    await page.getByLabel('Email address').fill('sian@example.org');
    await page.getByRole('button', { name: 'Send me a link to confirm it' }).click();
    await poll(() => statusOf(page)).toBe(
      'Check your email: we sent a link to sian@example.org. Open it within 48 hours to confirm the address. Until you do, we will not email you.',
    );
    await expect(page.getByRole('alert').isVisible()).resolves.toBe(false);
    await poll(() => sink.received.length).toBe(1);
    const confirm = /https:\/\/\S+\/email\/confirm\/#[A-Za-z0-9_-]{43}/.exec(sink.received[0]!.text)![0];

    await page.goto(onHub(confirm));
    await poll(() => page.locator('[data-email-link-status]').innerText()).toBe(
      'Your email address is confirmed. We will email you reminders. You can close this page.',
    );
    expect(page.url()).toBe(`${hub.url}/email/confirm/`);
    await expectNoAxeViolations(page);

    await page.goto(`${hub.url}/devices/`);
    await poll(() => statusOf(page)).toBe('We send reminders to sian@example.org.');
    await expect(page.getByText('A different email address', { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Remove my email address' }).click();
    await poll(() => statusOf(page)).toBe('Your email address has been removed. We will not email you.');
    await expect(page.evaluate(() => document.activeElement?.hasAttribute('data-email-state'))).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Remove my email address' }).isVisible()).resolves.toBe(false);
    await expectNoAxeViolations(page);
    await page.reload();
    await poll(() => statusOf(page)).toBe('You have not given an email address.');
    await context.close();
  });

  it('says plainly when a stop link is not recognised', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/email/stop/#${'x'.repeat(43)}`);
    await poll(() => page.locator('[data-email-link-problem-text]').innerText()).toBe(
      'This link is not complete or is not recognised: check you copied all of it.',
    );
    await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Your emails have not been stopped');
    expect(page.url()).toBe(`${hub.url}/email/stop/`);
    await expectNoAxeViolations(page);
    await context.close();
  });
});

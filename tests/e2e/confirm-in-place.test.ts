import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser } from './harness.ts';
import { contextWithPasskeys, serveHub, type ServedHub } from './hub-server.ts';

/** The accessible name of the focused element, or its text. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('asking before revoking an API key, in the page', () => {
  let hub: ServedHub;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([serveHub('Ade Admin'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('asks with a warning and a Yes/Cancel pair, by keyboard alone: Escape and Cancel give focus back, Yes revokes', async () => {
    const admin = await contextWithPasskeys(browser);
    const { page } = admin;
    // A native dialog would fail the test: the page must never open one.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(hub.adminLink);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${hub.url}/admin/`);
    await page.getByLabel('Name of the system that will use it').fill('Council LMS');
    await page.getByRole('group', { name: 'What it may do' }).getByLabel('all', { exact: true }).check();
    await page.getByRole('button', { name: 'Make the key' }).click();
    const keys = page.getByRole('table', { name: 'API keys' });
    const revoke = keys.getByRole('button', { name: 'Revoke Council LMS' });
    await revoke.waitFor();

    await revoke.focus();
    await page.keyboard.press('Enter');
    const question = page.getByRole('group', { name: 'Warning: Revoke the key for Council LMS? That system will no longer be able to use the hub.' });
    await question.waitFor();
    expect(await focused(page)).toBe('Warning: Revoke the key for Council LMS? That system will no longer be able to use the hub.');
    expect(await revoke.isHidden()).toBe(true);
    await expectNoAxeViolations(page);

    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('Revoke Council LMS');

    await page.keyboard.press('Enter');
    await question.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Cancel');
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('Revoke Council LMS');
    expect(await keys.getByText(/^Revoked/).count()).toBe(0);

    await page.keyboard.press('Enter');
    await question.waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Yes, revoke the key for Council LMS');
    await page.keyboard.press('Enter');
    await keys.getByText(/^Revoked/).waitFor();
    await page.getByRole('status').getByText('The key for Council LMS is revoked.').waitFor();
    await expectNoAxeViolations(page);
    expect(dialogs).toEqual([]);
    await admin.context.close();
  });
});

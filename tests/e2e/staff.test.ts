import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { contextWithPasskeys, serveHub, type ServedHub } from './hub-server.ts';

describe('staff pages on a hub', () => {
  let hub: ServedHub;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([serveHub('Ade Admin'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('the first admin creates a passkey from the setup link, adds an organisation and invites a lead, who registers, makes an enrolment link and signs in again', async () => {
    const admin = await contextWithPasskeys(browser);
    await admin.page.goto(hub.adminLink);
    await admin.page.getByText('You are invited to be an admin of the hub, Ade Admin.').waitFor();
    expect(admin.page.url()).not.toContain('#');
    await expectNoAxeViolations(admin.page);
    await admin.page.getByLabel('Name this passkey (optional)').fill('Council laptop');
    await admin.page.getByRole('button', { name: 'Create a passkey' }).click();
    await admin.page.waitForURL(`${hub.url}/admin/`);
    await admin.page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await admin.credentials()).toHaveLength(1);

    await admin.page.getByLabel('Name', { exact: true }).fill(`Llyfrgell "Aber" <b>&</b>`);
    await admin.page.getByLabel('District (optional)').fill('North');
    await admin.page.getByRole('button', { name: 'Save the organisation' }).click();
    await admin.page.getByRole('table', { name: 'Organisations', exact: true }).getByText(`Llyfrgell "Aber" <b>&</b>`).waitFor();
    await expectNoAxeViolations(admin.page);

    await admin.page.getByLabel('Their name').fill('Priya Shah');
    await admin.page.getByRole('group', { name: 'Organisations they lead' }).getByLabel(`Llyfrgell "Aber" <b>&</b>`).check();
    await admin.page.getByRole('button', { name: 'Make an invitation link' }).click();
    const inviteUrl = admin.page.locator('#invite-url');
    await expect.poll(() => inviteUrl.inputValue(), { timeout: 15_000 }).toMatch(/\/staff\/join\/#/);
    const invite = await inviteUrl.inputValue();
    await expectNoAxeViolations(admin.page);

    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      admin.page.getByRole('link', { name: 'Download the whole audit log (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('hub-audit-log.csv');

    const lead = await contextWithPasskeys(browser);
    await lead.page.goto(invite);
    await lead.page.getByText(`You are invited to be the workforce lead for Llyfrgell "Aber" <b>&</b>, Priya Shah.`).waitFor();
    await lead.page.getByRole('button', { name: 'Create a passkey' }).click();
    await lead.page.waitForURL(`${hub.url}/lead/staff/`);
    await lead.page.getByRole('table', { name: 'Your organisations' }).getByText(`Llyfrgell "Aber" <b>&</b>`).waitFor();
    await expectNoAxeViolations(lead.page);

    await lead.page.getByLabel('Name for this link (optional)').fill('Staff meeting');
    await lead.page.getByLabel('Days the link works').fill('30');
    await lead.page.getByLabel('Most people who can enrol with it').fill('12');
    await lead.page.getByRole('button', { name: 'Make the link' }).click();
    await lead.page.getByRole('heading', { name: 'Your new enrolment link' }).waitFor();
    expect(await lead.page.locator('#new-link-url').inputValue()).toMatch(new RegExp(`^${hub.url}/enrol/#[A-Za-z0-9_-]{43}$`));
    await lead.page.getByRole('img', { name: /QR code of the enrolment link/ }).waitFor();
    await lead.page.getByRole('cell', { name: '0 of 12' }).waitFor();
    await expectNoAxeViolations(lead.page);

    await lead.page.getByRole('button', { name: 'Sign out' }).click();
    await lead.page.waitForURL(/\/staff\/sign-in\/\?signed-out=1$/);
    await lead.page.getByText('You have signed out.').waitFor();
    await expectNoAxeViolations(lead.page);
    await lead.page.goto(`${hub.url}/lead/staff/`);
    await lead.page.getByRole('link', { name: 'Sign in' }).click();
    await lead.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await lead.page.waitForURL(`${hub.url}/lead/staff/`);
    await lead.page.getByRole('cell', { name: 'Staff meeting' }).waitFor();

    await admin.context.close();
    await lead.context.close();
  });

  it('keeps a lead out of the admin page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/admin/`);
    await page.getByText('Sign in to manage the hub.').waitFor();
    await expectNoAxeViolations(page);
    await context.close();
  });
});

describe('staff pages on a static host', () => {
  it.each(['/admin/', '/lead/staff/', '/staff/sign-in/'])('%s says it works only on the council’s hub', async (path) => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { name: /works only on .*hub/ }).waitFor();
      await expectNoAxeViolations(page);
    } finally {
      await browser.close();
    }
  });
});

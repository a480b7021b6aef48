import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser } from './harness.ts';
import { contextWithPasskeys, serveHub, type ServedHub } from './hub-server.ts';
import { startIdentityProvider, type IdentityProvider } from '../hub/support/identity-provider.ts';

describe('signing in with the council’s identity provider, in the browser', () => {
  let hub: ServedHub;
  let idp: IdentityProvider | undefined;
  let browser: Browser;
  beforeAll(async () => {
    [hub, browser] = await Promise.all([
      serveHub('Ade Admin', async (url) => {
        idp = await startIdentityProvider(`${url}/api/staff/oidc/callback`);
        return { OIDC_ISSUER: idp.config.issuer, OIDC_CLIENT_ID: idp.config.clientId, OIDC_CLIENT_SECRET: idp.config.clientSecret };
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await idp?.close();
  });

  it('an admin links their council account, then signs in with it; an account linked to nobody is refused in words', async () => {
    const admin = await contextWithPasskeys(browser);
    const { page } = admin;
    await page.goto(hub.adminLink);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${hub.url}/admin/`);

    await page.goto(`${hub.url}/lead/staff/`);
    await page.getByText('Link the account you sign in to Brookfield Council’s systems with').waitFor();
    await expectNoAxeViolations(page);
    idp!.subject = 'ade.admin@brookfield.example';
    await page.getByRole('button', { name: 'Link your Brookfield Council account' }).click();
    await page.waitForURL(`${hub.url}/lead/staff/?linked=oidc`);
    await page.getByText('Your Brookfield Council account is linked: you can sign in with it as well as with a passkey.').waitFor();
    await page.getByRole('status').getByText('Your council account is linked.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/staff\/sign-in\/\?signed-out=1$/);
    const start = page.getByRole('link', { name: 'Sign in with your Brookfield Council account' });
    await start.waitFor();
    await expectNoAxeViolations(page);
    await start.click();
    await page.waitForURL(`${hub.url}/admin/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await admin.context.close();

    // Another browser, so the provider has not already signed anyone in there.
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    await other.goto(`${hub.url}/staff/sign-in/`);
    idp!.subject = 'someone.else@brookfield.example';
    await other.getByRole('link', { name: 'Sign in with your Brookfield Council account' }).click();
    await other.waitForURL(`${hub.url}/staff/sign-in/?problem=oidc-unknown`);
    await other
      .getByRole('alert')
      .getByText(/Your council account is not linked to a workforce lead or admin on this hub/)
      .waitFor();
    expect(await other.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    await expectNoAxeViolations(other);
    await stranger.close();
  });
});

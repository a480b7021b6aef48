/**
 * A hub serving the production build on http://localhost (WebAuthn refuses
 * 127.0.0.1 as a domain), with PGlite in a temporary directory, for browser
 * tests of the pages that need one.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../hub/support/global-setup.ts';
import { root, runHub } from '../hub/support/process.ts';

export interface ServedHub {
  url: string;
  /** The first admin's one-time link, printed by `npm run hub -- admin-link` before the hub started. */
  adminLink: string;
  stop(): Promise<void>;
}

/**
 * Serves the build on a new hub. `moreEnv` adds settings such as forwarding, or a function of the hub's address
 * for settings that depend on it, such as an identity provider that must know its callback.
 */
export async function serveHub(
  adminName: string,
  moreEnv: Record<string, string> | ((url: string) => Promise<Record<string, string>>) = {},
): Promise<ServedHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-e2e-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const extra = typeof moreEnv === 'function' ? await moreEnv(url) : moreEnv;
  const env = { HUB_DATA_DIR: dataDir, HUB_URL: url, HUB_SITE_DIR: join(root, 'dist'), PORT: String(port), HOST: '127.0.0.1', ...extra };
  const made = await runHub(['admin-link', '--name', adminName], env);
  const adminLink = /http:\/\/localhost:\d+\/staff\/join\/#\S+/.exec(made.stdout)?.[0];
  if (made.code !== 0 || !adminLink) throw new Error(`admin-link failed (${made.code}):\n${made.stdout}${made.stderr}`);
  const child = spawn(process.execPath, [join(root, 'src/hub/main.ts')], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (output.includes('Hub listening') ? resolve() : setTimeout(check, 50));
    check();
    void exited.then(() => reject(new Error(`the hub stopped before listening:\n${output}`)));
  });
  return {
    url,
    adminLink,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser context holding a virtual platform authenticator (Chromium's, over CDP), as a laptop with a fingerprint reader. */
export async function contextWithPasskeys(browser: Browser): Promise<{ context: BrowserContext; page: Page; credentials: () => Promise<unknown[]> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { context, page, credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}

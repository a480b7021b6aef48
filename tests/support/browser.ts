/**
 * Finds and starts the test browser: CHROMIUM_PATH if set, else the system
 * Chromium, else the one packed inside @sparticuz/chromium, so tests need no
 * download and no root.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core';

/** Chromium flags for a closed network; never the serverless ones that turn security off. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

/** The path of the Chromium binary the tests drive. */
export async function findChromium(): Promise<string> {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const { default: packed } = await import('@sparticuz/chromium');
  return packed.executablePath();
}

/** Starts a headless Chromium for one test file. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: await findChromium(), headless: true, args: chromiumArgs, ...options });
}

/** Starts Chromium with a profile kept on disk, to test what survives a browser restart. */
export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: await findChromium(), headless: true, args: chromiumArgs });
}

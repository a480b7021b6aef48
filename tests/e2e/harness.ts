/** What every browser test needs: the served build, a browser, and axe. */
import { inject } from 'vitest';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.ts';

export { launchBrowser, launchPersistent } from '../support/browser.ts';
export { axeViolations } from '../support/axe.ts';

/** The address of the production build served for this run. */
export const baseUrl: string = inject('baseUrl');

/** Fails with every violation listed when axe finds anything on the page as it is now. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

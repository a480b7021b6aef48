/**
 * A learner and the hub, in the browser, against a real hub process serving the
 * build (PGlite in a temporary folder): enrolment from a lead's link to learning
 * the hub accepts, a second browser continuing with a one-time code, and signing
 * out of a shared computer, which leaves nothing behind.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/hub/auth/index.ts';
import { openDatabase } from '../../src/hub/db/index.ts';
import { startHub, type HubProcess } from '../hub/support/process.ts';
import { journeyModules, journeyRole } from './course.ts';
import { expectNoAxeViolations, launchBrowser, recordedStatements } from './harness.ts';

/** expect.poll with room for a busy machine: the record loads after first paint, and a hub process shares the CPU. */
const poll = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 20_000 });

const siteDatabases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? ''));
const storageKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage));

describe('a learner on the hub', () => {
  let dir: string;
  let hub: HubProcess;
  let browser: Browser;
  let keyAuth: string;
  const links: string[] = [];

  beforeAll(async () => {
    // PGlite belongs to one process: the organisation, links and a key are made before the hub starts.
    dir = mkdtempSync(join(tmpdir(), 'hub-learner-'));
    const db = await openDatabase({ dataDir: dir });
    const organisation = randomUUID();
    await db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [organisation, 'Northgate Library', 'northgate']);
    for (let i = 0; i < 3; i++) {
      const token = randomBytes(32).toString('base64url');
      await db.query("insert into enrolment_link (id, token_sha256, organisation_id, expires, max_uses) values ($1, $2, $3, now() + interval '7 days', 5)", [
        randomUUID(),
        createHash('sha256').update(token).digest('hex'),
        organisation,
      ]);
      links.push(token);
    }
    const { key, secret } = await createKey(db, 'test reader', ['all/read']);
    keyAuth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    await db.close();
    hub = await startHub({ HUB_DATA_DIR: dir, HUB_SITE_DIR: 'dist' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const statementsOnHub = async (learnerId: string): Promise<{ id: string; actor: { account: { name: string } } }[]> => {
    const agent = JSON.stringify({ account: { homePage: `http://localhost:${new URL(hub.url).port}`, name: learnerId } });
    const response = await fetch(`${hub.url}/xapi/statements?agent=${encodeURIComponent(agent)}`, {
      headers: { Authorization: keyAuth, 'X-Experience-API-Version': '1.0.3' },
    });
    return ((await response.json()) as { statements: { id: string; actor: { account: { name: string } } }[] }).statements;
  };

  const enrol = async (page: Page, token: string, options: { name: string; mine?: 'yes' | 'no'; shared?: boolean }) => {
    await page.goto(`${hub.url}/enrol/#${token}`);
    await poll(() => page.locator('[data-organisation]').innerText()).toBe('Northgate Library');
    await page.getByLabel('Your name').fill(options.name);
    await page.getByLabel('Your role').selectOption(journeyRole.id);
    if (options.mine === 'yes') await page.getByLabel('Yes, it is mine: add it to my account').check();
    if (options.mine === 'no') await page.getByLabel('No, it is someone else’s').check();
    if (options.shared) await page.getByLabel('This is a shared computer').check();
  };

  it('enrols from a link, moves the learning already in the browser after the learner says it is theirs, and the hub accepts it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/modules/${journeyModules[0]}/`);
    await poll(async () => (await recordedStatements(page)).length).toBeGreaterThan(0);
    const before = await recordedStatements(page);

    await enrol(page, links[0] as string, { name: 'Siân Llŷr' });
    await expect(page.getByRole('group', { name: 'Is the learning already in this browser yours?' }).isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign up' }).click();
    // The learner must answer before anything is sent.
    await poll(() => page.getByRole('alert').innerText()).toContain('Say whether the learning in this browser is yours');
    await page.getByLabel('Yes, it is mine: add it to my account').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await poll(() => page.getByRole('heading', { name: 'You have signed up' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain(links[0]);
    await expectNoAxeViolations(page);

    const learnerId = await page.evaluate(() => (JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { learnerId: string }).learnerId);
    const after = await recordedStatements(page);
    expect(after).toHaveLength(before.length);
    expect(after.map((s) => s.id)).not.toEqual(expect.arrayContaining(before.map((s) => s.id)));
    const onHub = await statementsOnHub(learnerId);
    expect(onHub.map((s) => s.id).sort()).toEqual(after.map((s) => s.id).sort());
    expect(onHub.every((s) => s.actor.account.name === learnerId)).toBe(true);
    await context.close();
  });

  it('stops, moving nothing, when the learning in the browser is someone else’s', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/modules/${journeyModules[0]}/`);
    await poll(async () => (await recordedStatements(page)).length).toBeGreaterThan(0);
    await enrol(page, links[1] as string, { name: 'Sam', mine: 'no' });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await poll(() => page.getByRole('heading', { name: 'Someone else’s learning is in this browser' }).isVisible()).toBe(true);
    expect(await storageKeys(page)).not.toContain('fh-hub-device');
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('refuses a link it does not know, in words a learner can act on, taking a token in the query out of the address', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/enrol/?token=${'x'.repeat(43)}`);
    await poll(() => page.url()).toBe(`${hub.url}/enrol/#${'x'.repeat(43)}`);
    await expect
      .poll(() => page.locator('[data-link-problem-text]').innerText())
      .toBe('This enrolment link is not recognised: check you copied all of it, or ask your workforce lead for a new link.');
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('gives a second browser its own credential with a one-time code, and signs a shared computer out leaving nothing behind', async () => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await enrol(page, links[2] as string, { name: 'Zoë Łukasiewicz', shared: true });
    await page.getByLabel('A name for this computer or phone (optional)').fill('Library PC 3');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await poll(() => page.getByRole('heading', { name: 'You have signed up' }).isVisible()).toBe(true);
    const learnerId = await page.evaluate(() => (JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { learnerId: string }).learnerId);

    await page.goto(`${hub.url}/devices/`);
    await poll(() => page.locator('[data-who]').innerText()).toContain('signed in as Zoë Łukasiewicz, staff of Northgate Library');
    await page.getByRole('button', { name: 'Show a code' }).click();
    await poll(() => page.locator('[data-code]').innerText()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const code = await page.locator('[data-code]').innerText();
    expect(await page.getByRole('img', { name: `QR code that opens this page with the code ${code} filled in` }).count()).toBe(1);
    await expectNoAxeViolations(page);

    const second = await browser.newContext();
    const phone = await second.newPage();
    await phone.goto(`${hub.url}/devices/`);
    await poll(() => phone.getByRole('button', { name: 'Continue on this device' }).isVisible()).toBe(true);
    await expectNoAxeViolations(phone);
    await phone.getByLabel('Code', { exact: true }).fill(code.toLowerCase());
    await phone.getByLabel('A name for this computer or phone (optional)').fill('My phone');
    await phone.getByRole('button', { name: 'Continue on this device' }).click();
    await poll(() => phone.locator('[data-who]').innerText()).toContain('signed in as Zoë Łukasiewicz');
    const phoneCredential = await phone.evaluate(() => JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { learnerId: string; token: string });
    expect(phoneCredential.learnerId).toBe(learnerId);
    await poll(() => phone.locator('[data-device-rows] tr').count()).toBe(2);
    // The phone's learning reaches the hub as the same learner.
    await phone.goto(`${hub.url}/modules/${journeyModules[0]}/`);
    await poll(async () => (await recordedStatements(phone)).length).toBeGreaterThan(0);
    const [statement] = await recordedStatements(phone);
    const sent = await phone.evaluate(
      async ([token, body]) =>
        (
          await fetch('/xapi/statements', {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
            body,
          })
        ).status,
      [phoneCredential.token, JSON.stringify(statement)] as const,
    );
    expect(sent).toBe(200);

    // Sign out of the shared computer: the learning there goes to the hub first, then nothing is left.
    await page.goto(`${hub.url}/modules/${journeyModules[0]}/`);
    await poll(async () => (await recordedStatements(page)).length).toBeGreaterThan(0);
    const lastHere = (await recordedStatements(page)).map((s) => s.id);
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { token: string }).token);
    await page.goto(`${hub.url}/devices/`);
    await page.getByRole('button', { name: 'Sign out of this computer' }).click();
    await poll(() => page.getByRole('heading', { name: 'Are you sure you want to sign out of this computer?' }).isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Yes, sign out and erase' }).click();
    await expect
      .poll(() => page.locator('[data-devices-result]').innerText())
      .toBe('This computer is signed out, and your learning record has been erased from this browser.');
    expect((await siteDatabases(page)).filter((name) => name.startsWith('_pouch_'))).toEqual([]);
    // PouchDB's probe of whether localStorage works ("1") is all that may stay: nothing of the learner.
    expect((await page.evaluate(() => Object.entries(localStorage))).filter(([key, value]) => !(key === '_pouch_check_localstorage' && value === '1'))).toEqual(
      [],
    );
    expect(await recordedStatements(page)).toEqual([]);
    const onHub = (await statementsOnHub(learnerId)).map((s) => s.id);
    expect(onHub).toEqual(expect.arrayContaining(lastHere));
    const refused = await fetch(`${hub.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    // The phone is still signed in.
    expect((await fetch(`${hub.url}/api/me`, { headers: { Authorization: `Bearer ${phoneCredential.token}` } })).status).toBe(200);
    // Signed out from elsewhere: the phone forgets its dead credential and says where its record is.
    await fetch(`${hub.url}/api/me/sign-out`, { method: 'POST', headers: { Authorization: `Bearer ${phoneCredential.token}` } });
    await phone.goto(`${hub.url}/devices/`);
    await expect
      .poll(() => phone.locator('[data-signed-out-note]').innerText())
      .toMatch(/^This device has been signed out: .* Any learning record is still in this browser/);
    expect(await storageKeys(phone)).not.toContain('fh-hub-device');
    expect((await recordedStatements(phone)).length).toBeGreaterThan(0);
    await first.close();
    await second.close();
  });
});

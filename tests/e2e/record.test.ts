/**
 * The learner record as a learner meets it, on the production build: the
 * profile form on a first visit, progress that survives a reload and a browser
 * restart, two tabs in step, blocked or failing storage, export then import into
 * a fresh profile, erase with its confirmation, and bad files on the privacy page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile, type Profile } from '../../src/lib/profile/index.ts';
import { recordFileOf } from '../../src/lib/record/file.ts';
import { actorOf } from '../../src/lib/profile/index.ts';
import { quizPassed, type RecordedStatement } from '../../src/lib/xapi/index.ts';
import { course, journeyModules, journeyRole } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser, launchPersistent } from './harness.ts';
import { completedRecordFile } from './record-files.ts';
import { passQuiz } from './quiz-journey.ts';

const siteUrl = course.site.siteUrl;
const role = journeyRole.id;
const required = journeyRole.required;
/** The first, second and (where the role has one) third module of the learner's plan. */
const [firstModule, secondModule, thirdModule] = journeyModules as [string, string, string | undefined];

const warningTitle = 'Your progress cannot be saved in this browser';

/** A passed quiz for a module, as the site records it, at `when`. */
function passOf(profile: Profile, moduleId: string, when: Date): RecordedStatement {
  const module = course.modules[moduleId]!;
  const total = course.quizzes[moduleId]!.questions.length;
  return quizPassed({
    actor: actorOf(profile, siteUrl),
    siteUrl,
    module: { id: moduleId, title: module.title, version: module.version },
    score: { raw: total, max: total },
    now: when,
  });
}

/** A record file as "Download my record" writes it. */
function recordFileText(profile: Profile | null, statements: readonly unknown[]): string {
  return JSON.stringify(recordFileOf(statements as RecordedStatement[], profile, siteUrl, new Date()), null, 2);
}

async function fillProfile(page: Page, name: string, organisation: string): Promise<void> {
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Organisation').fill(organisation);
  await page.getByRole('button', { name: 'Save and see my plan' }).click();
  await page.locator('[data-learning]').waitFor();
}

/** My learning's plan as the learner reads it: each item's tag and sentence. */
async function planOf(page: Page): Promise<Record<string, string>> {
  await page.locator('[data-plan-items] li').first().waitFor();
  const rows = await page.locator('[data-plan-items] li').all();
  const plan: Record<string, string> = {};
  for (const row of rows) plan[(await row.getAttribute('data-item')) ?? ''] = (await row.innerText()).replace(/\s+/g, ' ').trim();
  return plan;
}

const rowTag = (page: Page, itemId: string): Locator => page.locator(`[data-plan-items] li[data-item="${itemId}"] .tag`);

/** Clicks `button` and returns the file the browser downloads. */
async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

async function loadRecordFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await page.locator('#import-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Load this file' }).click();
}

const summaryText = (page: Page) => page.locator('[data-record-summary]').innerText();

/** Opens the privacy page and waits until its record controls have read the record. */
async function openPrivacy(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/privacy/`);
  await expect.poll(() => summaryText(page)).not.toBe('Reading your record…');
}

describe('the learner record in the browser', () => {
  let browser: Browser;
  let profileDir: string;
  /** The plan as the learner left it in the persistent profile, and the record file they downloaded there. */
  let exported: { name: string; text: string; plan: Record<string, string> };

  beforeAll(async () => {
    browser = await launchBrowser();
    profileDir = mkdtempSync(join(tmpdir(), 'fh-record-profile-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('asks a first-time learner who they are, explains mistakes, and keeps names in any script exactly', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/my-learning/?role=${role}`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    expect(await page.getByLabel('Your role').inputValue()).toBe(role);
    expect(await page.locator('[data-storage-warning]').isHidden()).toBe(true);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Save and see my plan' }).click();
    const summary = page.locator('[data-error-summary]');
    await summary.waitFor();
    expect(await summary.getByRole('heading').innerText()).toBe('There is a problem');
    expect(await summary.getByRole('link').allInnerTexts()).toEqual(['Enter your name', 'Enter your organisation']);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).toBe(true);
    expect(await page.getByLabel('Your name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#profile-name-error').innerText()).toContain('Enter your name');
    await expectNoAxeViolations(page);
    // The summary's link takes the learner to the field.
    await summary.getByRole('link', { name: 'Enter your organisation' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('profile-organisation');

    await fillProfile(page, 'Zoë Łukasiewicz', 'Brookfield Libraries');
    expect(await page.locator('[data-profile-summary]').innerText()).toContain('Zoë Łukasiewicz');
    expect(await page.getByRole('heading', { name: `Your learning plan: ${journeyRole.name}` }).isVisible()).toBe(true);
    expect(await page.locator('[data-role-status]').innerText()).toBe(`You have completed 0 of ${required.length} required items.`);
    const plan = await planOf(page);
    expect(Object.keys(plan).slice(0, required.length)).toEqual(required);
    for (const text of Object.values(plan)) expect(text).toContain('Not started');
    expect(await page.locator('[data-continue-title]').innerText()).toBe('Next in your plan');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Change your details' }).click();
    expect(await page.getByLabel('Your name', { exact: true }).inputValue()).toBe('Zoë Łukasiewicz');
    await fillProfile(page, 'محمد علي', 'Brookfield Libraries');
    await page.reload();
    await page.locator('[data-learning]').waitFor();
    const names = await page.locator('[data-profile-summary] dd').allInnerTexts();
    expect(names[0]).toBe('محمد علي');
    await context.close();
  });

  it('keeps a quiz pass through a reload and a browser restart', async () => {
    let context: BrowserContext = await launchPersistent(profileDir);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${baseUrl}/my-learning/?role=${role}`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await fillProfile(page, 'Siân Llŷr', 'Brookfield Libraries');

    await passQuiz(page, baseUrl, firstModule);
    await page.reload();
    await expect.poll(() => page.locator('fh-quiz .fh-quiz__status').innerText()).toContain('Completed');

    await page.goto(`${baseUrl}/my-learning/`);
    await expect.poll(() => rowTag(page, firstModule).innerText()).toBe('Completed');
    const before = await planOf(page);
    expect(before[firstModule]).toMatch(/Passed on \d{1,2} \w+ \d{4} with 100%\. Valid until/);
    await context.close();

    context = await launchPersistent(profileDir);
    page = context.pages()[0] ?? (await context.newPage());
    try {
      await page.goto(`${baseUrl}/my-learning/`);
      await page.locator('[data-learning]').waitFor();
      expect((await page.locator('[data-profile-summary] dd').allInnerTexts())[0]).toBe('Siân Llŷr');
      expect(await planOf(page)).toEqual(before);
      expect(await page.locator('[data-role-status]').innerText()).toBe(`You have completed 1 of ${required.length} required items.`);

      // Two tabs: the plan and the role page follow a pass made in a third tab, without a reload.
      const plan = page;
      const rolePage = await context.newPage();
      await rolePage.goto(`${baseUrl}/roles/${role}/`);
      const roleStatus = rolePage.locator(`fh-status[item-id="${secondModule}"] .tag`);
      await expect.poll(() => roleStatus.innerText()).toBe('Not started');
      await expect.poll(() => rolePage.locator(`fh-status[item-id="${firstModule}"] .tag`).innerText()).toBe('Completed');
      // Tag and sentence are read one after the other, so the status is said once: "Completed Passed on …".
      const spoken = await rolePage.locator(`fh-status[item-id="${firstModule}"]`).innerText();
      expect(spoken).toMatch(/^Completed\s+Passed on \d{1,2} \w+ \d{4} with 100%\. Valid until /);
      expect(spoken.match(/complete/gi)).toHaveLength(1);
      const quizTab = await context.newPage();
      await passQuiz(quizTab, baseUrl, secondModule);
      await expect.poll(() => rowTag(plan, secondModule).innerText()).toBe('Completed');
      await expect.poll(() => plan.locator('[data-role-status]').innerText()).toBe(`You have completed 2 of ${required.length} required items.`);
      await expect.poll(() => roleStatus.innerText()).toBe('Completed');
      // Each pass stored once, though three tabs watch the record.
      const file = await download(plan, plan.getByRole('button', { name: 'Download my record for my lead' }));
      const statements = (JSON.parse(file.text) as { statements: { verb: { id: string } }[] }).statements;
      expect(statements.filter((statement) => statement.verb.id.endsWith('/passed'))).toHaveLength(2);
      exported = { ...file, plan: await planOf(plan) };
    } finally {
      await context.close();
    }
  });

  it('gives the same progress in a fresh profile after export and import', async () => {
    expect(exported.name).toMatch(/^learning-record-\d{4}-\d{2}-\d{2}\.json$/);
    const context = await browser.newContext();
    const page = await context.newPage();
    await openPrivacy(page);
    await expect.poll(() => summaryText(page)).toBe('There is no learning record in this browser.');
    await loadRecordFile(page, { name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
    const result = page.locator('[data-import-result]');
    const count = (JSON.parse(exported.text) as { statements: unknown[] }).statements.length;
    await expect.poll(() => result.innerText()).toContain(`Loaded ${exported.name}: ${count} new learning statements added, 0 already here.`);
    expect(await result.innerText()).toContain('Your details were restored from the file.');
    await expect.poll(() => summaryText(page)).toBe(`This browser holds a learning record for Siân Llŷr with ${count} learning statements.`);
    await expectNoAxeViolations(page);

    // Loading it again adds nothing.
    await loadRecordFile(page, { name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
    await expect.poll(() => result.innerText()).toContain(`0 new learning statements added, ${count} already here.`);

    await page.goto(`${baseUrl}/my-learning/`);
    await page.locator('[data-learning]').waitFor();
    expect(await planOf(page)).toEqual(exported.plan);
    await context.close();
  });

  it('erases the record only after the learner confirms', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const profile = createProfile({ name: 'Zoë Łukasiewicz', organisation: 'Brookfield Libraries', roleId: role });
    await openPrivacy(page);
    await loadRecordFile(page, {
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from(recordFileText(profile, [passOf(profile, firstModule, new Date('2026-10-01T10:00:00Z'))])),
    });
    await expect.poll(() => summaryText(page)).toBe('This browser holds a learning record for Zoë Łukasiewicz with 1 learning statement.');

    await page.getByRole('button', { name: 'Erase my record' }).click();
    const confirm = page.locator('[data-erase-confirm]');
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-confirm-heading');
    expect(await confirm.innerText()).toContain('Are you sure you want to erase your record?');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'No, keep it' }).click();
    expect(await confirm.isHidden()).toBe(true);
    expect(await summaryText(page)).toBe('This browser holds a learning record for Zoë Łukasiewicz with 1 learning statement.');

    // My learning open in another tab follows the erasure.
    const planTab = await context.newPage();
    await planTab.goto(`${baseUrl}/my-learning/`);
    await expect.poll(() => rowTag(planTab, firstModule).innerText()).toBe('Completed');

    await page.getByRole('button', { name: 'Erase my record' }).click();
    await page.getByRole('button', { name: 'Yes, erase my record' }).click();
    await expect.poll(() => page.locator('[data-erase-result]').innerText()).toBe('Your record has been erased from this browser.');
    await expect.poll(() => summaryText(page)).toBe('There is no learning record in this browser.');
    await planTab.getByRole('heading', { name: 'About you' }).waitFor();
    expect(await planTab.locator('[data-learning]').isHidden()).toBe(true);
    expect(await planTab.getByLabel('Your name', { exact: true }).inputValue()).toBe('');

    await page.goto(`${baseUrl}/my-learning/`);
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    expect(await page.getByLabel('Your name', { exact: true }).inputValue()).toBe('');
    await page.reload();
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await context.close();
  });

  it('names the file and loses nothing when a file is not a good record', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const profile = createProfile({ name: 'Siân Llŷr', organisation: 'Brookfield Libraries', roleId: role });
    await openPrivacy(page);
    const good = [passOf(profile, firstModule, new Date('2026-10-01T10:00:00Z'))];
    await loadRecordFile(page, { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(recordFileText(profile, good)) });
    const held = 'This browser holds a learning record for Siân Llŷr with 1 learning statement.';
    await expect.poll(() => summaryText(page)).toBe(held);
    const error = page.locator('#import-error');

    await loadRecordFile(page, { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('Tea rota: Mon Siân, Tue Zoë') });
    await expect.poll(() => error.innerText()).toContain('"notes.json" cannot be read: it is not a learning record file');
    expect(await page.locator('#import-file').getAttribute('aria-invalid')).toBe('true');

    await loadRecordFile(page, { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n') });
    await expect.poll(() => error.innerText()).toContain('"certificate.pdf" is a PDF, not a learning record.');

    await loadRecordFile(page, { name: 'other-site.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ hello: 'world' })) });
    await expect.poll(() => error.innerText()).toContain('"other-site.json" is not a learning record from this site');

    const second = passOf(profile, secondModule, new Date('2026-10-02T10:00:00Z'));
    const broken = { ...passOf(profile, thirdModule ?? firstModule, new Date('2026-10-03T10:00:00Z')), timestamp: 'yesterday' };
    await loadRecordFile(page, {
      name: 'partly-broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(recordFileText(profile, [...good, second, broken])),
    });
    const result = page.locator('[data-import-result]');
    await expect.poll(() => result.innerText()).toContain('Loaded partly-broken.json: 1 new learning statement added, 1 already here.');
    expect(await error.isHidden()).toBe(true);
    expect(await result.innerText()).toContain('1 statement was left out because it is not valid:');
    expect(await result.locator('li').allInnerTexts()).toEqual([expect.stringMatching(new RegExp(`^Statement 3 \\(${broken.id}\\): timestamp`))]);
    await expect.poll(() => summaryText(page)).toBe('This browser holds a learning record for Siân Llŷr with 2 learning statements.');
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/my-learning/`);
    await expect.poll(() => rowTag(page, firstModule).innerText()).toBe('Completed');
    expect(await rowTag(page, secondModule).innerText()).toBe('Completed');
    // The statement left out counts for nothing.
    if (thirdModule) expect(await rowTag(page, thirdModule).innerText()).toBe('Not started');
    expect((await planOf(page))[firstModule]).toContain('Passed on 1 October 2026 with 100%.');
    await context.close();
  });

  it('warns and still offers the record when the browser will not open storage', async () => {
    const context = await browser.newContext();
    // As a browser with site storage blocked answers: the open request fails asynchronously.
    await context.addInitScript(() => {
      IDBFactory.prototype.open = function open(): IDBOpenDBRequest {
        const request = new EventTarget() as EventTarget & Record<string, unknown>;
        Object.assign(request, {
          result: undefined,
          error: null,
          readyState: 'pending',
          source: null,
          transaction: null,
          onsuccess: null,
          onerror: null,
          onupgradeneeded: null,
          onblocked: null,
        });
        setTimeout(() => {
          request['error'] = new DOMException('The user denied permission to access the database.', 'UnknownError');
          request['readyState'] = 'done';
          const event = new Event('error', { cancelable: true, bubbles: false });
          request.dispatchEvent(event);
          (request['onerror'] as ((event: Event) => void) | null)?.call(request, event);
        }, 0);
        return request as unknown as IDBOpenDBRequest;
      };
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/my-learning/?role=${role}`);
    const warning = page.locator('[data-storage-warning]');
    await warning.getByRole('heading', { name: warningTitle }).waitFor();
    await page.getByRole('heading', { name: 'About you' }).waitFor();
    await expectNoAxeViolations(page);
    await fillProfile(page, 'Zoë Łukasiewicz', 'Brookfield Libraries');
    expect(await page.locator('[data-profile-summary] dd').first().innerText()).toBe('Zoë Łukasiewicz');
    const mine = JSON.parse((await download(page, warning.getByRole('button', { name: 'Download my record' }))).text) as { profile: Profile };
    expect(mine.profile).toMatchObject({ name: 'Zoë Łukasiewicz', organisation: 'Brookfield Libraries', roleId: role });

    // The privacy page says so too, and a file loaded there comes back out in the download.
    const profile = createProfile({ name: 'Siân Llŷr', organisation: 'Brookfield Libraries', roleId: role });
    const passes = [passOf(profile, firstModule, new Date('2026-10-01T10:00:00Z')), passOf(profile, secondModule, new Date('2026-10-02T10:00:00Z'))];
    await openPrivacy(page);
    await expect.poll(() => summaryText(page)).toContain('This browser is not letting us keep it after you close the page.');
    await loadRecordFile(page, { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(recordFileText(profile, passes)) });
    await expect.poll(() => page.locator('[data-import-result]').innerText()).toContain('2 new learning statements added');
    const file = JSON.parse((await download(page, page.getByRole('button', { name: 'Download my record' }))).text) as { statements: { id: string }[] };
    expect(file.statements.map((statement) => statement.id)).toEqual(passes.map((statement) => statement.id));

    // Where the learning happens, the module page warns before the quiz is taken, with the same way out.
    await page.goto(`${baseUrl}/modules/${firstModule}/`);
    const moduleWarning = page.locator('fh-storage-warning');
    await moduleWarning.getByRole('heading', { name: warningTitle }).waitFor();
    await expectNoAxeViolations(page);
    const fromModule = JSON.parse((await download(page, moduleWarning.getByRole('button', { name: 'Download my record' }))).text) as {
      profile: Profile | null;
    };
    expect(fromModule.profile).toBeNull();
    await context.close();
  });

  it('keeps everything and says so when storage starts failing mid-way', async () => {
    const context = await browser.newContext();
    // Storage that fills up: once the flag is set, every write transaction is aborted by the browser.
    await context.addInitScript(() => {
      const transaction = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        const started = transaction.apply(this, args);
        if (args[1] === 'readwrite' && (globalThis as { fhStorageFull?: boolean }).fhStorageFull) {
          void Promise.resolve().then(() => {
            try {
              started.abort();
            } catch {
              // Already finished.
            }
          });
        }
        return started;
      } as IDBDatabase['transaction'];
    });
    const page = await context.newPage();
    const { profile, statements } = completedRecordFile(
      course,
      role,
      { name: 'Zoë Łukasiewicz', organisation: 'Brookfield Libraries' },
      new Date(Date.UTC(2026, 9, 1, 10)),
    );
    const passes = statements as RecordedStatement[];
    await openPrivacy(page);
    await loadRecordFile(page, { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(recordFileText(profile, passes)) });
    await expect.poll(() => summaryText(page)).toBe(`This browser holds a learning record for Zoë Łukasiewicz with ${passes.length} learning statements.`);
    // The report appears once the import is written to storage; leaving before then would race it.
    await page
      .locator('[data-import-result]')
      .filter({ hasText: `${passes.length} new learning statements added` })
      .waitFor();

    await page.goto(`${baseUrl}/my-learning/`);
    await page.locator('[data-certificate-ready]').waitFor();
    const warning = page.locator('[data-storage-warning]');
    expect(await warning.isHidden()).toBe(true);
    await page.evaluate(() => {
      (globalThis as { fhStorageFull?: boolean }).fhStorageFull = true;
    });
    const certificate = await download(page, page.getByRole('button', { name: 'Download certificate (PDF)' }));
    expect(certificate.name).toMatch(/\.pdf$/);
    await warning.getByRole('heading', { name: warningTitle }).waitFor();
    const file = JSON.parse((await download(page, warning.getByRole('button', { name: 'Download my record' }))).text) as {
      statements: { id: string; verb: { id: string } }[];
    };
    expect(new Set(file.statements.slice(0, passes.length).map((statement) => statement.id))).toEqual(new Set(passes.map((statement) => statement.id)));
    expect(file.statements.map((statement) => statement.verb.id).at(-1)).toBe('http://id.tincanapi.com/verb/earned');
    await expectNoAxeViolations(page);
    await context.close();
  });
});

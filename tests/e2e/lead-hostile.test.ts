/**
 * The built lead page handed a pile of genuine files with more than thirty
 * kinds of hostile file mixed in: every file is reported with its own reason,
 * every genuine person is in the matrix exactly as without the hostile files,
 * and nothing goes wrong in the page or its worker.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLeadFixtures } from '../../scripts/make-lead-fixtures.mjs';
import { makeHostileFiles, type HostileFile } from '../fixtures/hostile/hostile-files.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'fh-lead-hostile-'));

interface Entry {
  name: string;
  recordFile: string;
  certificateFile?: string;
}

/** What the page labels each refused or conflicting file with. */
const labels: Partial<Record<HostileFile['status'], string>> = {
  conflict: 'Conflicting statements',
  'not-ours': 'Not from this site',
  edited: 'Edited after it was made',
  unreadable: 'Cannot be read',
  'too-big': 'Too big',
};

let browser: Browser;
let manifest: Entry[];
let genuine: string[];
let hostile: HostileFile[];
let victim: Entry;

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Page errors, unhandled rejections and errors logged by the page or its worker. */
  faults: string[];
}

async function openLeadPage(): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const faults: string[] = [];
  page.on('pageerror', (error) => faults.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') faults.push(`console: ${message.text()}`);
  });
  page.on('worker', (worker) => worker.on('close', () => faults.push('the import worker stopped')));
  await page.addInitScript(() => addEventListener('unhandledrejection', (event) => console.error(`unhandled rejection: ${String(event.reason)}`)));
  await page.goto(`${baseUrl}/lead/`);
  return { context, page, faults };
}

async function importAll(page: Page, files: string[]): Promise<string> {
  await page.setInputFiles('#lead-files', files);
  await page.waitForFunction(
    () => /^(Finished|The files could not|Something went wrong)/.test(document.querySelector('#lead-status')?.textContent ?? ''),
    null,
    { timeout: 100_000 },
  );
  return (await page.textContent('#lead-status')) ?? '';
}

/** Each person's row as the lead reads it, by name. */
async function rowsOf(page: Page): Promise<Map<string, string[]>> {
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll('#lead-matrix tbody tr')].map((row) =>
      [...(row as HTMLTableRowElement).cells].map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    ),
  );
  return new Map(rows.map((cells) => [cells[0]!, cells]));
}

beforeAll(async () => {
  manifest = (await makeLeadFixtures({ dir, staff: 8, certificates: 3, seed: 5 })) as Entry[];
  genuine = manifest.flatMap((entry) => [entry.recordFile, ...(entry.certificateFile ? [entry.certificateFile] : [])]).map((path) => join(dir, path));
  const text = (path: string) => readFileSync(join(dir, path), 'utf8');
  victim = manifest.find((entry) => !entry.certificateFile && text(entry.recordFile).includes('"score"'))!;
  const withCertificate = manifest.find((entry) => entry.certificateFile)!;
  hostile = await makeHostileFiles({
    record: { name: basename(victim.recordFile), text: text(victim.recordFile) },
    otherRecord: text(withCertificate.recordFile),
    certificate: new Uint8Array(readFileSync(join(dir, withCertificate.certificateFile!))),
  });
  for (const file of hostile) writeFileSync(join(dir, file.name), file.bytes);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lead page with hostile files among genuine ones', () => {
  it('reports every file with its own reason and counts every genuine person as without the hostile files', { timeout: 240_000 }, async () => {
    const clean = await openLeadPage();
    expect(await importAll(clean.page, genuine)).toMatch(/^Finished reading/);
    const cleanRows = await rowsOf(clean.page);
    await clean.context.close();
    expect(cleanRows.size).toBe(manifest.length);

    // The hostile copy of a genuine statement first; the byte-order-mark copy after its original.
    const first = hostile.filter((file) => file.name === 'conflicting-copy.json');
    const last = hostile.filter((file) => file.name === 'utf8-bom-copy.json');
    const middle = hostile.filter((file) => !first.includes(file) && !last.includes(file));
    const at = (files: HostileFile[]) => files.map((file) => join(dir, file.name));
    const pile = [
      ...at(first),
      ...genuine.flatMap((path, index) => [path, ...at(middle.slice(index * 3, index * 3 + 3))]),
      ...at(middle.slice(genuine.length * 3)),
      ...at(last),
    ];
    expect(pile).toHaveLength(genuine.length + hostile.length);

    const { context, page, faults } = await openLeadPage();
    const status = await importAll(page, pile);
    const conflicts = hostile.filter((file) => file.status === 'conflict').length + 1;
    const refused = hostile.filter((file) => labels[file.status] && file.status !== 'conflict').length;
    expect(status).toMatch(
      new RegExp(
        `^Finished reading ${pile.length} files: \\d+ imported, \\d+ already imported, ${conflicts} with conflicting statements, ${refused} not imported\\.`,
      ),
    );

    const report = new Map(
      (await page.locator('#lead-files-report li').allInnerTexts()).map((text) => {
        const name = text.slice(0, text.indexOf(': '));
        return [name, text.slice(name.length + 2)] as [string, string];
      }),
    );
    expect([...report.keys()].sort()).toEqual(pile.map((path) => basename(path)).sort());
    for (const file of hostile) {
      const said = report.get(file.name)!;
      const label = labels[file.status];
      expect(said.startsWith(label ? `${label}. ` : ''), `${file.name}: ${said}`).toBe(true);
      expect(said.slice(label ? label.length + 2 : 0), file.name).toMatch(file.message);
    }
    const victimFile = basename(victim.recordFile);
    expect(report.get(victimFile)).toMatch(
      new RegExp(
        `^Conflicting statements\\. ${victimFile.replace('.', '\\.')} and conflicting-copy\\.json both hold statement [0-9a-f-]{36} with different content; neither was used\\.`,
      ),
    );

    const rows = await rowsOf(page);
    for (const entry of manifest) {
      expect(rows.has(entry.name), entry.name).toBe(true);
      if (entry !== victim) expect(rows.get(entry.name), entry.name).toEqual(cleanRows.get(entry.name));
    }
    await expectNoAxeViolations(page);
    expect(faults).toEqual([]);
    await context.close();
  });
});

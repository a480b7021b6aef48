/**
 * The workforce lead's journey: drop a mix of staff files, read the per-file
 * results, the matrix and the summary, filter, sort by keyboard, download CSV,
 * import again (nothing changes), add newer evidence, and clear everything.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLeadFixtures } from '../../scripts/make-lead-fixtures.mjs';
import type { Role } from '../../src/lib/content/schema.ts';
import { actorOf, type Profile } from '../../src/lib/profile/index.ts';
import type { RecordFile } from '../../src/lib/record/index.ts';
import { course, journeyRole, titleOf } from './course.ts';
import { baseUrl, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completionStatements } from './record-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'fh-lead-'));
const formulaName = '=HYPERLINK("x")';

type ItemState = 'completed' | 'due' | 'expired' | 'missing';
/** Every required item of a role complete, except those given. */
const statesOf = (role: Role, given: Record<string, ItemState> = {}): Record<string, ItemState> =>
  Object.fromEntries(role.required.map((id) => [id, given[id] ?? 'completed']));

// The roles come from the course: the one with most required items, the learners' usual role, and the lightest.
const { roles } = course.matrix;
const widest = [...roles].sort((a, b) => b.required.length - a.required.length)[0]!;
const usual = journeyRole.id === widest.id ? roles.find((role) => role.id !== widest.id)! : journeyRole;
const lightest = [...roles].filter((role) => role.id !== widest.id).sort((a, b) => a.required.length - b.required.length)[0]!;
/** An item only the widest role requires, so the others' cells say "Not required"; Dev Patel has not done it yet. */
const onlyWidest = widest.required.find((id, index) => index !== 1 && !usual.required.includes(id) && !lightest.required.includes(id));
const devMissing = onlyWidest ?? widest.required.at(-1)!;
const [districtA, districtB = districtA, districtC = districtB] = course.site.districts.map((district) => district.id) as [string, ...string[]];
const districtName = (id: string | undefined) => course.site.districts.find((district) => district.id === id)?.name;

/** Who hands in what: four record files, two people who send only a certificate. */
const people = [
  { name: formulaName, roleId: lightest.id, organisation: 'Home-Start Brookfield', district: districtC, states: statesOf(lightest) },
  { name: 'Siân Llŷr', roleId: usual.id, organisation: 'Brookfield Libraries', district: districtA, states: statesOf(usual, { [usual.required[1]!]: 'due' }) },
  {
    name: 'Dev Patel',
    roleId: widest.id,
    organisation: 'Jobcentre Plus Brookfield',
    district: districtB,
    states: statesOf(widest, { [widest.required[1]!]: 'expired', [devMissing]: 'missing' }),
  },
  {
    name: 'Zoë Łukasiewicz',
    roleId: usual.id,
    organisation: 'Brookfield Libraries',
    district: undefined,
    states: Object.fromEntries(usual.required.map((id) => [id, 'missing'])),
  },
  { name: 'Aisha Khan', roleId: lightest.id, organisation: 'Home-Start Brookfield', district: districtA, states: statesOf(lightest) },
  { name: 'Tomasz Nowak', roleId: usual.id, organisation: 'Brookfield Libraries', district: districtB, states: statesOf(usual) },
];

/** A person's overall status, as the lead reads it: expired beats missing beats due. */
const overallOf = (states: Record<string, string>) => {
  const values = Object.values(states);
  if (values.includes('expired')) return 'Expired';
  if (values.includes('missing')) return 'Incomplete';
  if (values.includes('due')) return 'Due for renewal';
  return 'Completed';
};

/** The summary rows the lead should see for people grouped by `groupOf`: people, complete (due counts), per cent, due, expired. */
function expectedSummary(groupOf: (person: (typeof people)[number]) => string): string[][] {
  const row = (group: string, members: typeof people) => {
    const overall = members.map((person) => overallOf(person.states));
    const complete = overall.filter((status) => status === 'Completed' || status === 'Due for renewal').length;
    return [
      group,
      String(members.length),
      String(complete),
      String(Math.round((complete / members.length) * 100)),
      String(overall.filter((status) => status === 'Due for renewal').length),
      String(overall.filter((status) => status === 'Expired').length),
    ];
  };
  const groups = [...new Set(people.map(groupOf))].sort((a, b) => a.localeCompare(b, 'en-GB'));
  return [
    ...groups.map((group) =>
      row(
        group,
        people.filter((person) => groupOf(person) === group),
      ),
    ),
    row('All staff', people),
  ];
}
const roleName = (roleId: string) => roles.find((role) => role.id === roleId)!.name;

interface Entry {
  name: string;
  recordFile: string;
  certificateFile?: string;
  actorId: string;
}

let browser: Browser;
let context: BrowserContext;
let page: Page;
let firstRound: string[];
let manifest: Entry[];

/** The matrix as the lead reads it: header texts and each row's cell texts. */
async function readMatrix(target: Page) {
  return target.evaluate(() => {
    const table = document.querySelector('#lead-matrix') as HTMLTableElement;
    const text = (cell: Element) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
    return {
      headers: [...(table.tHead?.rows[0]?.cells ?? [])].map(text),
      rows: [...table.querySelectorAll('tbody tr')].map((row) => [...(row as HTMLTableRowElement).cells].map(text)),
    };
  });
}

async function cellOf(name: string, header: string): Promise<string> {
  const { headers, rows } = await readMatrix(page);
  const column = headers.findIndex((text) => text.startsWith(header));
  const row = rows.find((cells) => cells[0] === name);
  expect(column, `column ${header}`).toBeGreaterThanOrEqual(0);
  expect(row, `row for ${name}`).toBeDefined();
  return row![column]!;
}

async function importFiles(files: string[]): Promise<string> {
  await page.setInputFiles('#lead-files', files);
  await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent?.startsWith('Finished'));
  return (await page.textContent('#lead-status')) ?? '';
}

const fileMessage = (fileName: string) => page.locator('#lead-files-report li', { hasText: fileName }).innerText();

beforeAll(async () => {
  manifest = (await makeLeadFixtures({ dir, staff: people.length, certificates: 4, people: people as never[] })) as Entry[];
  const at = (path: string) => join(dir, path);
  const [formula, sian, , , aisha, tomasz] = manifest as [Entry, Entry, Entry, Entry, Entry, Entry];
  expect([formula, sian, aisha, tomasz].every((entry) => entry.certificateFile)).toBe(true);
  // A copy of a file already in the batch, an edited certificate and a file that is neither.
  copyFileSync(at(sian.recordFile), at('sian-llyr-copy.json'));
  const edited = readFileSync(at(formula.certificateFile!));
  const text = edited.toString('latin1');
  const stream = text.indexOf('stream', text.indexOf('/Type /EmbeddedFile')) + 'stream'.length + 1 + 20;
  edited[stream] = edited[stream]! ^ 0xff;
  writeFileSync(at('edited-certificate.pdf'), edited);
  writeFileSync(at('notes.txt'), 'Team meeting notes: remind everyone about safeguarding refreshers.');
  firstRound = [
    ...manifest.slice(0, 4).map((entry) => at(entry.recordFile)),
    at(aisha.certificateFile!),
    at(tomasz.certificateFile!),
    at('sian-llyr-copy.json'),
    at('edited-certificate.pdf'),
    at('notes.txt'),
  ];
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  // Keeps every text the status line shows, so a test can tell when the page has finished loading what was added before.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { leadStatusSeen: string[] }).leadStatusSeen = seen;
    document.addEventListener('DOMContentLoaded', () => {
      const status = document.querySelector('#lead-status');
      if (status) new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
    });
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lead page', () => {
  it('starts empty, says nothing is uploaded, and passes axe', async () => {
    await page.goto(`${baseUrl}/lead/`);
    await expect(page.locator('main').innerText()).resolves.toContain('Nothing is uploaded. Files are read in this web browser');
    expect(await page.isVisible('#lead-results')).toBe(false);
    expect(await page.isVisible('text=This page needs JavaScript')).toBe(false);
    await expectNoAxeViolations(page);
  });

  it('says without JavaScript that it needs it', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${baseUrl}/lead/`);
    expect(await plain.isVisible('text=This page needs JavaScript')).toBe(true);
    expect(await plain.isVisible('#lead-files')).toBe(false);
    await noScript.close();
  });

  it('imports a mix of files and says what happened to each', async () => {
    expect(await importFiles(firstRound)).toBe('Finished reading 9 files: 6 imported, 1 already imported, 2 not imported.');
    expect(await fileMessage('sian-llyr-copy.json')).toBe('sian-llyr-copy.json: Already imported: Siân Llŷr’s learning record has nothing new.');
    expect(await fileMessage('edited-certificate.pdf')).toMatch(/^edited-certificate\.pdf: Edited after it was made\. The evidence inside/);
    expect(await fileMessage('notes.txt')).toBe(
      'notes.txt: Not from this site. It is neither a certificate PDF nor a learning record file (.json) from this site.',
    );
    expect(await fileMessage(manifest[4]!.certificateFile!.split('/')[1]!)).toMatch(/Imported Aisha Khan’s certificate: \d+ new learning statements\./);
    expect(await page.getAttribute('#lead-progress-bar', 'value')).toBe('9');
  });

  it('shows one row per person and a cell per requirement, as progress derives them', async () => {
    const { rows } = await readMatrix(page);
    expect(rows.map((row) => row[0])).toEqual([formulaName, 'Aisha Khan', 'Dev Patel', 'Siân Llŷr', 'Tomasz Nowak', 'Zoë Łukasiewicz']);
    expect(await cellOf('Siân Llŷr', titleOf(usual.required[1]!))).toMatch(/^Due for renewal by \d{1,2} \w{3,4} \d{4}$/);
    expect(await cellOf('Siân Llŷr', 'Overall')).toBe('Due for renewal');
    expect(await cellOf('Dev Patel', titleOf(widest.required[1]!))).toMatch(/^Expired \d{1,2} \w{3,4} \d{4}$/);
    expect(await cellOf('Dev Patel', titleOf(devMissing))).toBe('Missing');
    expect(await cellOf('Dev Patel', 'Overall')).toBe('Expired');
    expect(await cellOf('Zoë Łukasiewicz', 'District')).toBe('Not given');
    expect(await cellOf('Zoë Łukasiewicz', 'Overall')).toBe('Incomplete');
    expect(await cellOf(formulaName, titleOf(lightest.required[0]!))).toMatch(/^Completed \d{1,2} \w{3,4} \d{4}$/);
    if (onlyWidest) expect(await cellOf(formulaName, titleOf(onlyWidest))).toBe('Not required');
    // The name is text: no link or element was made from it.
    expect(await page.locator('#lead-matrix a').count()).toBe(0);
    expect(await page.locator('#lead-matrix tbody th', { hasText: 'HYPERLINK' }).innerText()).toBe(formulaName);
    await expectNoAxeViolations(page);
  });

  it('summarises per organisation and per role', async () => {
    const summary = async (id: string) =>
      page.locator(`#${id} tbody tr`).evaluateAll((rows) => rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim())));
    const organisations = expectedSummary((person) => person.organisation);
    expect(organisations).toEqual([
      ['Brookfield Libraries', '3', '2', '67', '1', '0'],
      ['Home-Start Brookfield', '2', '2', '100', '0', '0'],
      ['Jobcentre Plus Brookfield', '1', '0', '0', '0', '1'],
      ['All staff', '6', '4', '67', '1', '1'],
    ]);
    expect(await summary('lead-summary-organisation')).toEqual(organisations);
    expect((await summary('lead-summary-role')).map((row) => row.slice(0, 3))).toEqual(
      expectedSummary((person) => roleName(person.roleId)).map((row) => row.slice(0, 3)),
    );
  });

  it('filters by organisation and status, and passes axe when filtered', async () => {
    await page.selectOption('#lead-filter-organisation', 'Brookfield Libraries');
    expect((await readMatrix(page)).rows.map((row) => row[0])).toEqual(['Siân Llŷr', 'Tomasz Nowak', 'Zoë Łukasiewicz']);
    expect(await page.textContent('#lead-shown')).toBe('Showing 3 people of 6.');
    await page.selectOption('#lead-filter-status', 'incomplete');
    expect((await readMatrix(page)).rows.map((row) => row[0])).toEqual(['Zoë Łukasiewicz']);
    await expectNoAxeViolations(page);
    await page.click('text=Show everyone');
    await page.waitForFunction(() => document.querySelectorAll('#lead-matrix tbody tr').length === 6);
  });

  it('sorts by any column from the keyboard', async () => {
    await page.locator('#lead-matrix thead button', { hasText: 'Name' }).focus();
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overall');
    await page.keyboard.press('Enter');
    const overall = page.locator('#lead-matrix thead th', { hasText: 'Overall' });
    expect(await overall.getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('#lead-matrix thead th', { hasText: 'Name' }).getAttribute('aria-sort')).toBeNull();
    expect((await readMatrix(page)).rows.map((row) => row[4])).toEqual(['Incomplete', 'Expired', 'Due for renewal', 'Completed', 'Completed', 'Completed']);
    await page.keyboard.press('Space');
    expect(await overall.getAttribute('aria-sort')).toBe('descending');
    expect((await readMatrix(page)).rows[0]?.[4]).toBe('Completed');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overall');
  });

  it('downloads the matrix and the summary as CSV, with formula-like names escaped', async () => {
    await page.locator('#lead-matrix thead button', { hasText: 'Name' }).click();
    const [matrixDownload] = await Promise.all([page.waitForEvent('download'), page.click('text=Download this table (CSV)')]);
    const matrixCsv = readFileSync((await matrixDownload.path())!, 'utf8');
    expect(matrixDownload.suggestedFilename()).toMatch(/^staff-learning-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = matrixCsv.split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFName,Organisation,District,Role,Overall,./);
    expect(lines[1]!.startsWith(`"'=HYPERLINK(""x"")",Home-Start Brookfield,${districtName(districtC)},${roleName(lightest.id)},Completed,`)).toBe(true);
    expect(lines[1]).toMatch(/,Completed \d{4}-\d{2}-\d{2}(,|$)/);
    expect(lines).toHaveLength(8);
    const [summaryDownload] = await Promise.all([page.waitForEvent('download'), page.click('text=Download the summary (CSV)')]);
    const summaryCsv = readFileSync((await summaryDownload.path())!, 'utf8');
    expect(summaryCsv).toContain('Organisation,Brookfield Libraries,3,2,67,1,0\r\n');
    expect(summaryCsv).toContain('Role,All staff,6,4,67,1,1\r\n');
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await readMatrix(page);
    expect(await importFiles(firstRound)).toBe('Finished reading 9 files: 0 imported, 7 already imported, 2 not imported.');
    expect(await readMatrix(page)).toEqual(before);
  });

  it('adds newer evidence from a later file, and keeps it after a reload', async () => {
    const dev = manifest[2]!;
    const record = JSON.parse(readFileSync(join(dir, dev.recordFile), 'utf8')) as RecordFile;
    const done = completionStatements(course, actorOf(record.profile as Profile, course.site.siteUrl), devMissing, new Date());
    const later = { ...record, exportedAt: new Date().toISOString(), statements: [...record.statements, ...done] };
    writeFileSync(join(dir, 'dev-patel-later.json'), JSON.stringify(later));
    expect(await importFiles([join(dir, 'dev-patel-later.json')])).toBe('Finished reading 1 file: 1 imported, 0 already imported, 0 not imported.');
    const added = done.length === 1 ? '1 new learning statement' : `${done.length} new learning statements`;
    expect(await fileMessage('dev-patel-later.json')).toBe(`dev-patel-later.json: Imported Dev Patel’s learning record: ${added}.`);
    expect(await cellOf('Dev Patel', titleOf(devMissing))).toMatch(/^Completed /);
    await page.reload();
    await page.waitForSelector('#lead-matrix tbody tr');
    expect((await readMatrix(page)).rows).toHaveLength(6);
    expect(await cellOf('Dev Patel', titleOf(devMissing))).toMatch(/^Completed /);
  });

  it('clears all imported data only after confirming', async () => {
    await page.click('#lead-clear');
    expect(await page.isVisible('#lead-confirm-clear')).toBe(true);
    await expectNoAxeViolations(page);
    await page.click('text=No, keep it');
    expect(await page.isVisible('#lead-confirm-clear')).toBe(false);
    expect((await readMatrix(page)).rows).toHaveLength(6);
    await page.click('#lead-clear');
    await page.click('text=Yes, clear all imported data');
    await page.waitForFunction(() => document.querySelector('#lead-status')?.textContent === 'All imported data has been cleared from this browser.');
    expect(await page.isVisible('#lead-results')).toBe(false);
    await page.reload();
    // The page loads what was added before only while its database exists: wait until it has, or until there is none to load.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const seen = (window as unknown as { leadStatusSeen: string[] }).leadStatusSeen;
          const loading = 'Loading what you added before…';
          if (seen.includes(loading)) return seen.at(-1) !== loading;
          return !(await indexedDB.databases()).some((database) => database.name === '_pouch_lead-imports');
        }),
      )
      .toBe(true);
    expect(await page.isVisible('#lead-results')).toBe(false);
    await expectNoAxeViolations(page);
  });
});

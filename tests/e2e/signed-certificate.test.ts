/**
 * A certificate signed by the council's hub, in the browser, against a real hub
 * process serving the build (PGlite in a temporary folder): an enrolled learner
 * whose lead has not confirmed her gets a self-issued certificate saying why;
 * once confirmed, her certificate is signed, and the verify page, with the
 * network off, says the council's record holds it. A copy with its evidence
 * edited is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/hub/db/index.ts';
import { buildCertificate, verifyCertificate } from '../../src/lib/certificate/index.ts';
import { readJwks } from '../../src/lib/signing/index.ts';
import { freePort } from '../hub/support/global-setup.ts';
import { root } from '../hub/support/process.ts';
import { loadFontFromNodeModules } from '../fixtures/certificate/fonts.ts';
import { course, journeyRole } from './course.ts';
import { downloadFrom, expectNoAxeViolations, launchBrowser } from './harness.ts';
import { completedRecordFile, loadRecordOnPrivacyPage } from './record-files.ts';

const poll = <T>(check: () => T | Promise<T>) => expect.poll(check, { timeout: 30_000 });
const council = course.site.council;

/** The hub on a fixed port, so the learner's browser keeps its origin (and credential) across a restart. */
async function runHub(dataDir: string, port: number): Promise<{ stop(): Promise<void> }> {
  const env = { HUB_DATA_DIR: dataDir, HUB_URL: `http://localhost:${port}`, HUB_SITE_DIR: join(root, 'dist'), PORT: String(port), HOST: '127.0.0.1' };
  const child: ChildProcess = spawn(process.execPath, [join(root, 'src/hub/main.ts')], { cwd: root, env: { ...process.env, HUB_SIGNING_KEY: '', ...env } });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (output.includes('Hub listening') ? resolve() : setTimeout(check, 50));
    check();
    void exited.then(() => reject(new Error(`the hub stopped before listening:\n${output}`)));
  });
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('a certificate signed by the council’s learning record', () => {
  let dir: string;
  let port: number;
  let url: string;
  let hub: { stop(): Promise<void> } | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let signed: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-signed-'));
    port = await freePort();
    url = `http://localhost:${port}`;
    // PGlite belongs to one process: the organisation and the lead's link are made before the hub starts.
    const db = await openDatabase({ dataDir: dir });
    token = randomBytes(32).toString('base64url');
    const organisation = randomUUID();
    await db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [organisation, 'Northgate Library', course.site.districts[0]!.id]);
    await db.query("insert into enrolment_link (id, token_sha256, organisation_id, expires, max_uses) values ($1, $2, $3, now() + interval '7 days', 5)", [
      randomUUID(),
      createHash('sha256').update(token).digest('hex'),
      organisation,
    ]);
    await db.close();
    hub = await runHub(dir, port);
    browser = await launchBrowser();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const certificateStatus = () => page.locator('[data-certificate-status]').innerText();

  it('is self-issued, saying why, while the lead has not confirmed the learner', async () => {
    // She passed her role's items in this browser, then enrols and says the learning is hers: it goes to the hub.
    const file = completedRecordFile(course, journeyRole.id, { name: 'Siân Llŷr', organisation: 'Northgate Library' }, new Date(Date.now() - 86_400_000));
    await loadRecordOnPrivacyPage(page, url, file);
    await page.goto(`${url}/enrol/#${token}`);
    await poll(() => page.locator('[data-organisation]').innerText()).toBe('Northgate Library');
    await page.getByLabel('Your name').fill('Siân Llŷr');
    await page.getByLabel('Your role').selectOption(journeyRole.id);
    await page.getByLabel('Yes, it is mine: add it to my account').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await poll(() => page.getByRole('heading', { name: 'You have signed up' }).isVisible()).toBe(true);

    await page.goto(`${url}/my-learning/`);
    const pdf = await downloadFrom(page, 'Download certificate (PDF)');
    await poll(certificateStatus).toContain(
      `It is self-issued: Your workforce lead has not confirmed your enrolment yet, so ${council}’s learning record could not sign it.`,
    );
    const result = await verifyCertificate(new Uint8Array(pdf.bytes));
    expect(result.status === 'genuine' && result.details.issuer).toEqual({ kind: 'self-issued', uncheckedSignature: false });
    await expectNoAxeViolations(page);
  });

  it('is signed once the lead confirms her, and verifies as recorded by the council', async () => {
    // The lead confirms her (the lead's pages do this; here in SQL, with the hub stopped, as PGlite is one process's).
    await hub?.stop();
    hub = undefined;
    const db = await openDatabase({ dataDir: dir });
    await db.query("update person set status = 'confirmed' where kind = 'learner'");
    await db.close();
    hub = await runHub(dir, port);

    await page.goto(`${url}/my-learning/`);
    const pdf = await downloadFrom(page, 'Download certificate (PDF)');
    await poll(certificateStatus).toContain('It is recorded by the council’s learning record, which signed it.');
    signed = pdf.bytes;
    const keys = readJwks(await (await fetch(`${url}/.well-known/jwks.json`)).json());
    expect(keys.keys).toHaveLength(1);
    const result = await verifyCertificate(new Uint8Array(signed), { keys });
    expect(result.status === 'genuine' && result.details.issuer).toMatchObject({ kind: 'recorded', council, keyId: keys.keys[0]!.kid });
    await expectNoAxeViolations(page);
  });

  it('verifies on the verify page with the network off, and refuses a copy whose evidence was edited', async () => {
    const verify = await context.newPage();
    await verify.goto(`${url}/verify/`);
    await verify.waitForLoadState('networkidle');
    await context.setOffline(true);
    try {
      await verify.getByLabel(/Choose the certificate/).setInputFiles({ name: 'signed.pdf', mimeType: 'application/pdf', buffer: signed });
      const title = verify.locator('[data-result] .notification__title');
      await poll(() => title.textContent()).toBe(`Recorded by ${council}’s learning record`);
      const text = await verify.locator('[data-result]').innerText();
      expect(text).toMatch(new RegExp(`Recorded by ${council}’s learning record on \\d{1,2} [A-Z][a-z]+ \\d{4}\\. signed\\.pdf has not been changed since\\.`));
      expect(text).toContain('The council’s signature proves what its learning record holds, not who did the learning.');
      await expectNoAxeViolations(verify);

      // The same signature on a certificate made again with another name: its own check values agree, the council's signature does not.
      const original = await verifyCertificate(new Uint8Array(signed));
      if (original.status !== 'genuine') throw new Error(`the signed certificate did not verify: ${original.status}`);
      const { evidence } = original;
      const forged = await buildCertificate(
        {
          kind: evidence.certificate.kind,
          council: { ...evidence.certificate.council, timeZone: course.site.timeZone },
          learner: { ...evidence.certificate.learner, name: 'Someone Else' },
          requirements: evidence.certificate.requirements,
          validUntil: evidence.certificate.validUntil,
          issuedAt: evidence.certificate.issuedAt,
          certificateId: evidence.certificate.id,
          matrixVersion: evidence.matrixVersion,
          verifyUrl: `${evidence.certificate.council.siteUrl}/verify/`,
          statements: evidence.statements,
          profile: evidence.profile,
          ...(evidence.signature ? { signature: evidence.signature } : {}),
        },
        { loadFont: loadFontFromNodeModules },
      );
      await verify.getByLabel(/Choose the certificate/).setInputFiles({ name: 'forged.pdf', mimeType: 'application/pdf', buffer: Buffer.from(forged.bytes) });
      await poll(() => title.textContent()).toBe('This certificate has been changed');
      expect(await verify.locator('[data-result]').innerText()).toContain(
        `forged.pdf: The certificate does not match what ${council}’s learning record signed: the name is different, so it was changed.`,
      );
      await expectNoAxeViolations(verify);
    } finally {
      await context.setOffline(false);
      await verify.close();
    }
  });
});

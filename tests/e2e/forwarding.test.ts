/**
 * The admin's view of forwarding on a hub whose council LRS (a small server in the
 * test) refuses one statement and cannot take the others yet: the page shows what
 * waits, the latest problem and the refused statement, and sends it again.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser } from './harness.ts';
import { contextWithPasskeys, serveHub, type ServedHub } from './hub-server.ts';
import { freePort } from '../hub/support/global-setup.ts';

describe('forwarding on the admin page', () => {
  let hub: ServedHub;
  let browser: Browser;
  let lrs: Server;
  /** What the council's LRS does: refuse this id with 400, answer 503 to the rest until it is ready. */
  const refused = randomUUID();
  let ready = false;

  beforeAll(async () => {
    const port = await freePort();
    lrs = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const ids = (JSON.parse(body) as { id: string }[]).map((s) => s.id);
        if (!ready && ids.includes(refused)) response.writeHead(400).end(JSON.stringify({ error: 'the verb is not one this LRS accepts' }));
        else if (!ready) response.writeHead(503).end(JSON.stringify({ error: 'down for maintenance' }));
        else response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(ids));
      });
    });
    await new Promise<void>((resolve) => lrs.listen(port, '127.0.0.1', resolve));
    [hub, browser] = await Promise.all([
      serveHub('Ade Admin', { FORWARD_LRS_ENDPOINT: `http://127.0.0.1:${port}/xapi/`, FORWARD_LRS_KEY: 'hub', FORWARD_LRS_SECRET: 'secret' }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    lrs?.closeAllConnections();
    await new Promise((resolve) => lrs?.close(resolve));
  });

  it('shows the queue, the latest problem and a refused statement, and sends it again', async () => {
    const admin = await contextWithPasskeys(browser);
    const { page } = admin;
    await page.goto(hub.adminLink);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${hub.url}/admin/`);
    await page.getByText(`Forwarding is on: the hub sends every statement it stores to http://127.0.0.1:`).waitFor();

    // A system with a key sends statements, as the council's LMS or a learner's device would.
    await page.getByLabel('Name of the system that will use it').fill('Test LMS');
    await page.getByRole('group', { name: 'What it may do' }).getByLabel('all', { exact: true }).check();
    await page.getByRole('button', { name: 'Make the key' }).click();
    await page.getByRole('heading', { name: 'Your new key' }).waitFor();
    const key = await page.locator('[data-key-id]').textContent();
    const secret = await page.locator('[data-key-secret]').textContent();
    const statement = (id: string) => ({
      id,
      actor: { account: { homePage: hub.url, name: 'learner-1' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: `${hub.url}/modules/safeguarding-basics` },
    });
    const posted = await fetch(`${hub.url}/xapi/statements`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify([statement(refused), statement(randomUUID()), statement(randomUUID())]),
    });
    expect(posted.status).toBe(200);

    // Three refusals (about 6 seconds of backoff) make it a dead letter; the others wait on the 503.
    const table = page.getByRole('table', { name: 'Statements the LRS refused' });
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Check again' }).click();
          return table.getByRole('rowheader', { name: refused }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    await expect.poll(() => page.locator('[data-page-status]').textContent()).toBe('Forwarding status updated.');
    await expect(table.getByText('The LRS answered 400: the verb is not one this LRS accepts').count()).resolves.toBe(1);
    await expect(page.locator('[data-forwarding="waiting"]').textContent()).resolves.toBe('2 statements');
    await expect(page.locator('[data-forwarding="problem"]').textContent()).resolves.toBe('The LRS answered 503: down for maintenance');
    await expectNoAxeViolations(page);

    ready = true;
    await table.getByRole('button', { name: `Send again statement ${refused}` }).click();
    await page.getByText('1 statement will be sent again.').waitFor();
    await page.getByRole('table', { name: 'Audit log' }).getByText('forwarding retried').waitFor();
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Check again' }).click();
          return page.locator('[data-forwarding="waiting"]').textContent();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('0 statements');
    await expect(table.getByText('None: the LRS has refused no statements.').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Send all refused statements again' }).isHidden()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await admin.context.close();
  });
});

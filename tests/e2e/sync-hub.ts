/**
 * A hub process for the outbox's browser journeys and its bench: fresh PGlite
 * directory, free port, enrolment links for one organisation and a reading key to
 * see what the hub holds; and signing a learner up with a link, as they do.
 * No test runner here, so `npm run bench` can use it too.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createKey } from '../../src/hub/auth/index.ts';
import { openDatabase } from '../../src/hub/db/index.ts';
import { startHub } from '../hub/support/process.ts';
import { journeyRole } from './course.ts';

export interface SyncHub {
  url: string;
  /** One single-use-per-learner enrolment link token for each learner the tests sign up. */
  links: string[];
  /** The ids of every statement the hub holds for a learner, paging with `more`. */
  idsOnHub(learnerId: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts a hub on a fresh PGlite directory, with `learners` enrolment links for Northgate Library. */
export async function startSyncHub(learners: number): Promise<SyncHub> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-sync-'));
  const db = await openDatabase({ dataDir: dir });
  const organisation = randomUUID();
  await db.query('insert into organisation (id, name, district) values ($1, $2, $3)', [organisation, 'Northgate Library', 'northgate']);
  const links: string[] = [];
  for (let i = 0; i < learners; i++) {
    const token = randomBytes(32).toString('base64url');
    await db.query("insert into enrolment_link (id, token_sha256, organisation_id, expires, max_uses) values ($1, $2, $3, now() + interval '7 days', 5)", [
      randomUUID(),
      createHash('sha256').update(token).digest('hex'),
      organisation,
    ]);
    links.push(token);
  }
  const { key, secret } = await createKey(db, 'test reader', ['all/read']);
  const keyAuth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  await db.close();
  const hub = await startHub({ HUB_DATA_DIR: dir, HUB_SITE_DIR: 'dist' });
  return {
    url: hub.url,
    links,
    async idsOnHub(learnerId) {
      const agent = JSON.stringify({ account: { homePage: `http://localhost:${new URL(hub.url).port}`, name: learnerId } });
      const ids: string[] = [];
      for (let next: string | undefined = `/xapi/statements?agent=${encodeURIComponent(agent)}`; next;) {
        const response = await fetch(`${hub.url}${next}`, { headers: { Authorization: keyAuth, 'X-Experience-API-Version': '1.0.3' } });
        const page = (await response.json()) as { statements: { id: string }[]; more: string };
        ids.push(...page.statements.map((statement) => statement.id));
        next = page.more || undefined;
      }
      return ids;
    },
    async stop() {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs a learner up with an enrolment link, as the journey role, and returns their learner id. */
export async function enrol(page: Page, site: string, token: string, name: string): Promise<string> {
  await page.goto(`${site}/enrol/#${token}`);
  await page.locator('[data-organisation]', { hasText: /^Northgate Library$/ }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Your role').selectOption(journeyRole.id);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'You have signed up' }).waitFor({ timeout: 30_000 });
  return page.evaluate(() => (JSON.parse(localStorage.getItem('fh-hub-device') ?? '{}') as { learnerId: string }).learnerId);
}

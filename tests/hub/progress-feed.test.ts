import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/index.ts';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { describeChange, openProgressFeed, progressStream, type ProgressFeed } from '../../src/hub/progress/feed.ts';
import { projectProgress, type ProgressChange } from '../../src/hub/progress/projection.ts';
import { createApp } from '../../src/hub/app.ts';
import { createKey } from '../../src/hub/auth/index.ts';
import { quizPassed } from '../../src/lib/xapi/index.ts';
import { newPostgresDatabase, testConfig } from './support/hub.ts';

const course = loadHubCourse(process.cwd());
const { siteUrl } = course.site;
// Learners' accounts are on the hub: its public address in the tests' config.
const homePage = testConfig().publicUrl;
const role = course.matrix.roles.find((candidate) => candidate.required.some((id) => course.catalogue[id]?.kind === 'module'))!;
const moduleId = role.required.find((id) => course.catalogue[id]?.kind === 'module')!;
const moduleRef = { id: moduleId, title: course.catalogue[moduleId]!.title, version: course.catalogue[moduleId]!.version };

describe('live progress across two hub processes on one PostgreSQL database', () => {
  let first: Database;
  let second: Database;
  let feed: ProgressFeed;
  const northgate = randomUUID();
  const riverside = randomUUID();
  const sian = randomUUID();
  const tomasz = randomUUID();

  beforeAll(async () => {
    const url = await newPostgresDatabase();
    first = await openDatabase({ databaseUrl: url, dataDir: '' });
    second = await openDatabase({ databaseUrl: url, dataDir: '' });
    feed = await openProgressFeed(second);
    await first.query('insert into organisation (id, name) values ($1, $2), ($3, $4)', [northgate, 'Northgate Library', riverside, 'Riverside Centre']);
    await first.query(
      `insert into person (id, kind, name, role_id, organisation_id, status) values ($1, 'learner', $2, $3, $4, 'confirmed'), ($5, 'learner', $6, $3, $7, 'confirmed')`,
      [sian, 'Siân Llŷr', role.id, northgate, tomasz, 'Tomasz Wiśniewski', riverside],
    );
  });
  afterAll(async () => {
    await feed?.close();
    await first?.close();
    await second?.close();
  });

  it("hands a change made through one process to the other's streams, only where the organisation is theirs", async () => {
    const app = createApp({ db: first, config: testConfig() });
    const { key, secret } = await createKey(first, 'test', ['all']);
    const northgateLead: ProgressChange[] = [];
    const riversideLead: ProgressChange[] = [];
    const admin: ProgressChange[] = [];
    feed.subscribe([northgate], (change) => northgateLead.push(change));
    feed.subscribe([riverside], (change) => riversideLead.push(change));
    feed.subscribe('all', (change) => admin.push(change));

    const statement = quizPassed({
      actor: { objectType: 'Agent', name: 'Siân Llŷr', account: { homePage, name: sian } },
      siteUrl,
      module: moduleRef,
      score: { raw: 5, max: 5 },
    });
    const stored = await app.request('/xapi/statements', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(statement),
    });
    expect(stored.status).toBe(200);
    await projectProgress(first, course, homePage);
    await expect.poll(() => northgateLead.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const mine = northgateLead.find((change) => change.personId === sian)!;
    expect(describeChange(mine)).toBe(`Siân Llŷr completed ${moduleRef.title}`);
    expect(admin.map((change) => change.personId)).toContain(sian);
    expect(riversideLead.map((change) => change.personId)).not.toContain(sian);
  });
});

describe('the progress stream', () => {
  it('sends a ready event, then each change in scope as `progress` with its sentence, and nothing outside it', async () => {
    const listeners: ((payload: string) => void)[] = [];
    const fakeDb = { listen: async (_channel: string, handler: (payload: string) => void) => (listeners.push(handler), async () => {}) } as unknown as Database;
    const feed = await openProgressFeed(fakeDb);
    const app = new Hono().get('/events', (c) => progressStream(c, feed, ['org-a'], { lifetimeMs: 300 }));
    const response = await app.request('/events');
    expect(response.headers.get('Content-Type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const notify = (organisationId: string, name: string) =>
      listeners.forEach((listener) =>
        listener(JSON.stringify({ personId: name, organisationId, name, status: 'completed', completed: ['Safeguarding basics'] })),
      );
    setTimeout(() => {
      notify('org-b', 'Someone Else');
      notify('org-a', '<b>Siân</b>');
      listeners.forEach((listener) => listener('not json'));
    }, 50);
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: ready');
    expect(text).toContain('event: progress');
    expect(text).toContain('"message":"<b>Siân</b> completed Safeguarding basics"');
    expect(text).not.toContain('Someone Else');
  });
});

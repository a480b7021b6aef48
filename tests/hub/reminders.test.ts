import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadHubCourse } from '../../src/hub/progress/course.ts';
import { runReminders } from '../../src/hub/reminders/job.ts';
import { maxEmailLength } from '../../src/hub/reminders/address.ts';
import { drivers } from './support/hub.ts';
import { firstAdmin, newLead, newOrganisation, staffHub, type StaffBrowser, type StaffHub } from './support/staff.ts';
import { smtpSink, type SmtpSink } from './support/smtp-sink.ts';

const course = loadHubCourse(process.cwd());
const day = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(drivers)('email reminders on %s', (driver) => {
  let hub: StaffHub;
  let sink: SmtpSink;
  let admin: StaffBrowser;
  let leadA: StaffBrowser;
  let orgA: string;
  let orgB: string;
  let linkA: string;
  let linkB: string;

  beforeAll(async () => {
    sink = await smtpSink();
    hub = await staffHub(driver, {}, { mailer: sink.mailer });
    admin = await firstAdmin(hub);
    orgA = await newOrganisation(admin, 'Northgate Library');
    orgB = await newOrganisation(admin, 'Southmoor Jobcentre');
    leadA = await newLead(hub, admin, 'Lena Lead', [orgA]);
    const leadB = await newLead(hub, admin, 'Bo Lead', [orgB]);
    const linkOf = async (lead: StaffBrowser, organisationId: string) => {
      const response = await lead.request('/api/lead/links', { json: { organisationId, days: 30, maxUses: 100 } });
      return new URL(((await response.json()) as { url: string }).url).hash.slice(1);
    };
    linkA = await linkOf(leadA, orgA);
    linkB = await linkOf(leadB, orgB);
  });
  afterAll(async () => {
    await hub?.close();
    await sink?.close();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.recipients.length = 0;
  });

  /** Enrols a learner by link and, unless told otherwise, has a lead confirm them. */
  async function learner(name: string, link = linkA, confirm = true): Promise<{ id: string; token: string }> {
    const response = await hub.request('/api/enrol', {
      json: { token: link, name, roleId: 'receptionist' },
      address: `198.51.100.${Math.floor(Math.random() * 250)}`,
    });
    const body = (await response.json()) as { token: string; learner: { id: string } };
    if (confirm) await hub.db.query("update person set status = 'confirmed', confirmed = now() where id = $1", [body.learner.id]);
    return { id: body.learner.id, token: body.token };
  }
  const asLearner = (token: string, method: string, json?: unknown) =>
    hub.request('/api/email/learner', { method, headers: { Authorization: `Bearer ${token}` }, ...(json === undefined ? {} : { json }) });
  const confirmationToken = (to: string) => {
    const email = sink.received.findLast((message) => message.to === to && message.subject.startsWith('Confirm'));
    return /\/email\/confirm\/#([A-Za-z0-9_-]{43})/.exec(email?.text ?? '')?.[1];
  };
  /** A learner with a confirmed address. */
  async function withEmail(name: string, email: string, link = linkA): Promise<{ id: string; token: string }> {
    const person = await learner(name, link);
    expect((await asLearner(person.token, 'PUT', { email })).status).toBe(200);
    expect((await hub.request('/api/email/confirm', { json: { token: confirmationToken(email) } })).status).toBe(200);
    return person;
  }
  const due = (personId: string, itemId: string, renewalOn: string, completedOn: string | null = null) =>
    hub.db.query("insert into learner_item (person_id, item_id, status, completed_on, renewal_on) values ($1, $2, 'completed', $3, $4)", [
      personId,
      itemId,
      completedOn,
      renewalOn,
    ]);
  const run = () => runReminders(hub.db, { mailer: sink.mailer, course, publicUrl: hub.config.publicUrl, now: hub.clock.now });

  it('sends a link to confirm an address, and confirms it once', async () => {
    const ana = await learner('Ana Ng');
    const given = await asLearner(ana.token, 'PUT', { email: ' Ana.Ng@Example.ORG ' });
    expect(given.status).toBe(200);
    expect(await given.json()).toEqual({ on: true, email: 'Ana.Ng@example.org', state: 'unconfirmed', reason: '' });
    const [sent] = sink.received;
    expect(sent).toMatchObject({ to: 'Ana.Ng@example.org', subject: 'Confirm your email address for Brookfield Council Family Hub learning' });
    expect(sent!.text).toContain('Hello Ana Ng,');
    expect(sent!.html).toContain('<a href="https://learning.example.org/email/confirm/#');
    const token = confirmationToken('Ana.Ng@example.org');
    const stored = await hub.db.query<{ token_sha256: string }>('select token_sha256 from email_confirmation where person_id = $1', [ana.id]);
    expect(stored[0]?.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.token_sha256).not.toBe(token);
    expect((await hub.request('/api/email/confirm', { json: { token } })).status).toBe(200);
    expect(await (await asLearner(ana.token, 'GET')).json()).toMatchObject({ state: 'confirmed' });
    const again = await hub.request('/api/email/confirm', { json: { token } });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ where: 'token' });
  });

  it('refuses a confirmation link more than 48 hours old', async () => {
    const ben = await learner('Ben Old');
    await asLearner(ben.token, 'PUT', { email: 'ben@example.org' });
    hub.clock.advanceMinutes(48 * 60 + 1);
    try {
      const late = await hub.request('/api/email/confirm', { json: { token: confirmationToken('ben@example.org') } });
      expect(late.status).toBe(400);
      expect(await (await asLearner(ben.token, 'GET')).json()).toMatchObject({ state: 'unconfirmed' });
    } finally {
      hub.clock.advanceMinutes(-(48 * 60 + 1));
    }
  });

  it.each([
    ['not text', 42, 'enter your email address'],
    ['empty', '  ', 'enter your email address'],
    ['without an @', 'ana.example.org', 'enter an email address in the correct format, like name@example.com'],
    ['with a space', 'ana ng@example.org', 'enter an email address in the correct format, like name@example.com'],
    ['with a line break', 'ana@example.org\nBcc: x@example.org', 'enter an email address in the correct format, like name@example.com'],
    ['too long', `${'a'.repeat(maxEmailLength)}@example.org`, `your email address must be ${maxEmailLength} characters or fewer`],
  ])('refuses an address %s, naming the field', async (_, email, error) => {
    const cat = await learner('Cat Input');
    const response = await asLearner(cat.token, 'PUT', { email });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error, where: 'email' });
    expect(await (await asLearner(cat.token, 'GET')).json()).toMatchObject({ email: null, state: 'none' });
    expect(sink.received).toEqual([]);
  });

  it('lets only the signed-in learner give their address, and a lead only with the CSRF token', async () => {
    expect((await hub.request('/api/email/learner', { method: 'PUT', json: { email: 'x@example.org' } })).status).toBe(401);
    expect((await hub.request('/api/email/learner', { method: 'PUT', json: { email: 'x@example.org', personId: 'someone' }, headers: {} })).status).toBe(401);
    const noCsrf = await hub.request('/api/email/lead', { method: 'PUT', json: { email: 'lena@example.org' }, headers: { Cookie: leadA.cookie } });
    expect(noCsrf.status).toBe(403);
    expect((await admin.request('/api/email/lead', { method: 'PUT', json: { email: 'ade@example.org' } })).status).toBe(403);
    expect(sink.received).toEqual([]);
  });

  it('reminds a learner once, 30 days before an item expires, with links and how to stop, and nobody else’s learning', async () => {
    const dee = await withEmail('Dee Renew', 'dee@example.org');
    const other = await withEmail('Eli Other', 'eli@example.org');
    await due(dee.id, 'safeguarding-basics', day(hub.clock.now, 20));
    await due(dee.id, 'family-hubs', day(hub.clock.now, 45));
    await due(other.id, 'family-hubs', day(hub.clock.now, 200));
    sink.received.length = 0;
    // Two runs at once, as two hub processes would, then another: one email.
    await Promise.all([run(), run()]);
    await run();
    const toDee = sink.received.filter((message) => message.to === 'dee@example.org');
    expect(toDee).toHaveLength(1);
    expect(sink.received.filter((message) => message.to === 'eli@example.org')).toEqual([]);
    const [email] = toDee;
    const renewBy = new Date(`${day(hub.clock.now, 20)}T00:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(email!.subject).toBe(`Renew your Family Hub learning by ${renewBy}`);
    expect(email!.text).toContain(`- Safeguarding basics for partner staff: renew by ${renewBy}\n  https://learning.example.org/modules/safeguarding-basics/`);
    expect(email!.text).not.toContain('Family Hubs and Start for Life');
    expect(email!.text).toMatch(/To stop these emails, open this link: https:\/\/learning\.example\.org\/email\/stop\/#[A-Za-z0-9_-]{43}/);
    expect(email!.html).toContain('<a href="https://learning.example.org/modules/safeguarding-basics/">');
    expect(email!.raw).not.toContain('Eli Other');
    expect(email!.raw).toMatch(/List-Unsubscribe:\s+<https:\/\/learning\.example\.org\/email\/stop\/#/);
    // The next day, the same item is not reminded again.
    hub.clock.advanceMinutes(24 * 60);
    try {
      await run();
      expect(sink.received.filter((message) => message.to === 'dee@example.org')).toHaveLength(1);
    } finally {
      hub.clock.advanceMinutes(-24 * 60);
    }
  });

  it('stops every email when the link in one is opened', async () => {
    const fay = await withEmail('Fay Stop', 'fay@example.org');
    await due(fay.id, 'safeguarding-basics', day(hub.clock.now, 10));
    await run();
    const reminder = sink.received.find((message) => message.to === 'fay@example.org' && message.subject.startsWith('Renew'));
    const stop = /\/email\/stop\/#([A-Za-z0-9_-]{43})/.exec(reminder!.text)![1];
    expect((await hub.request('/api/email/stop', { json: { token: stop } })).status).toBe(200);
    expect(await (await asLearner(fay.token, 'GET')).json()).toMatchObject({ email: null, state: 'none' });
  });

  it('sends nothing to an unconfirmed address, an unconfirmed learner or a removed address', async () => {
    const gus = await learner('Gus Unconfirmed Address');
    await asLearner(gus.token, 'PUT', { email: 'gus@example.org' });
    await due(gus.id, 'safeguarding-basics', day(hub.clock.now, 5));
    const hal = await learner('Hal Awaiting', linkA, false);
    await asLearner(hal.token, 'PUT', { email: 'hal@example.org' });
    await hub.request('/api/email/confirm', { json: { token: confirmationToken('hal@example.org') } });
    await due(hal.id, 'safeguarding-basics', day(hub.clock.now, 5));
    const ivy = await withEmail('Ivy Removed', 'ivy@example.org');
    await due(ivy.id, 'safeguarding-basics', day(hub.clock.now, 5));
    expect((await asLearner(ivy.token, 'DELETE')).status).toBe(204);
    expect(await (await asLearner(ivy.token, 'GET')).json()).toMatchObject({ email: null, state: 'none' });
    sink.received.length = 0;
    await run();
    expect(sink.received.map((message) => message.to)).not.toEqual(expect.arrayContaining(['gus@example.org']));
    expect(sink.received.map((message) => message.to)).not.toEqual(expect.arrayContaining(['hal@example.org']));
    expect(sink.received.map((message) => message.to)).not.toEqual(expect.arrayContaining(['ivy@example.org']));
  });

  it('marks an address the server refuses (550) as not working, tells the learner and the lead, and never tries it again', async () => {
    const jo = await withEmail('Jo Bounce', 'jo@example.org');
    await due(jo.id, 'safeguarding-basics', day(hub.clock.now, 12));
    sink.recipients.length = 0;
    sink.refuse('jo@example.org', 550);
    await run();
    expect(await (await asLearner(jo.token, 'GET')).json()).toMatchObject({
      email: 'jo@example.org',
      state: 'not-working',
      reason: expect.stringContaining('550'),
    });
    const learners = (await (await leadA.request('/api/lead/learners')).json()) as { name: string; emailNotWorking: boolean }[];
    expect(learners.find((row) => row.name === 'Jo Bounce')).toMatchObject({ emailNotWorking: true });
    await due(jo.id, 'family-hubs', day(hub.clock.now, 14));
    hub.clock.advanceMinutes(24 * 60);
    try {
      await run();
    } finally {
      hub.clock.advanceMinutes(-24 * 60);
    }
    expect(sink.recipients.filter((address) => address === 'jo@example.org')).toHaveLength(1);
  });

  it('tries again later when the server says 451, and sends once', async () => {
    const kit = await withEmail('Kit Busy', 'kit@example.org');
    await due(kit.id, 'safeguarding-basics', day(hub.clock.now, 8));
    sink.received.length = 0;
    sink.recipients.length = 0;
    sink.refuse('kit@example.org', 451);
    expect(await run()).toMatchObject({ retrying: 1, sent: 0 });
    expect(await (await asLearner(kit.token, 'GET')).json()).toMatchObject({ state: 'confirmed' });
    await run();
    expect(sink.received.filter((message) => message.to === 'kit@example.org')).toEqual([]);
    hub.clock.advanceMinutes(31);
    try {
      await run();
      await run();
    } finally {
      hub.clock.advanceMinutes(-31);
    }
    expect(sink.received.filter((message) => message.to === 'kit@example.org')).toHaveLength(1);
    expect(sink.recipients.filter((address) => address === 'kit@example.org')).toHaveLength(2);
  });

  it('sends each lead a weekly summary of their own organisations only', async () => {
    const lee = await withEmail('Lee Northgate', 'lee@example.org');
    await due(lee.id, 'safeguarding-basics', day(hub.clock.now, 300), day(hub.clock.now, -2));
    await due(lee.id, 'family-hubs', day(hub.clock.now, -3));
    const mo = await learner('Mo Southmoor', linkB);
    await due(mo.id, 'safeguarding-basics', day(hub.clock.now, 10), day(hub.clock.now, -1));
    await learner('Nia Awaiting', linkA, false);
    await learner('Oz Awaiting South', linkB, false);
    const ray = await withEmail('Ray Refused', 'ray@example.org');
    const una = await withEmail('Una Refused South', 'una@example.org', linkB);
    await hub.db.query("update person set email_refused = now(), email_refused_reason = '550 No such mailbox' where id = any($1::uuid[])", [[ray.id, una.id]]);
    expect((await leadA.request('/api/email/lead', { method: 'PUT', json: { email: 'lena@example.org' } })).status).toBe(200);
    expect((await hub.request('/api/email/confirm', { json: { token: confirmationToken('lena@example.org') } })).status).toBe(200);
    sink.received.length = 0;
    await run();
    await run();
    const summaries = sink.received.filter((message) => message.to === 'lena@example.org');
    expect(summaries).toHaveLength(1);
    const { text, raw } = summaries[0]!;
    expect(summaries[0]!.subject).toBe('Family Hub learning: your weekly summary for the week of 30 November 2026');
    expect(text).toContain('Hello Lena Lead,');
    expect(text).toMatch(/Completed in the last 7 days \(\d+\):\n[^]*- Lee Northgate, Northgate Library: Safeguarding basics for partner staff, on/);
    expect(text).toMatch(/Expired \(\d+\):\n[^]*- Lee Northgate, Northgate Library: Family Hubs and Start for Life, expired on/);
    expect(text).toMatch(/Enrolments awaiting your confirmation \(\d+\):\n[^]*- Nia Awaiting, Northgate Library: enrolled on 30 November 2026/);
    expect(text).toContain('- Ray Refused, Northgate Library: their mail server refused the address');
    for (const stranger of ['Mo Southmoor', 'Oz Awaiting South', 'Una Refused South', 'Southmoor Jobcentre']) expect(raw).not.toContain(stranger);
    // Another week brings another summary.
    hub.clock.advanceMinutes(7 * 24 * 60);
    try {
      await run();
    } finally {
      hub.clock.advanceMinutes(-7 * 24 * 60);
    }
    expect(sink.received.filter((message) => message.to === 'lena@example.org')).toHaveLength(2);
  });

  it('removes the address, its links and its emails when the learner’s record is erased', async () => {
    const pat = await withEmail('Pat Erase', 'pat@example.org');
    await due(pat.id, 'safeguarding-basics', day(hub.clock.now, 9));
    await asLearner(pat.token, 'PUT', { email: 'pat.new@example.org' });
    await run();
    expect((await admin.request(`/api/admin/learners/${pat.id}/erase`, { json: {} })).status).toBe(200);
    for (const table of ['person where id', 'email_confirmation where person_id', 'email_message where person_id', 'renewal_reminder where person_id']) {
      expect(await hub.db.query(`select 1 from ${table} = $1`, [pat.id])).toEqual([]);
    }
    expect(await hub.db.query("select 1 from person where email like 'pat%'")).toEqual([]);
  });
});

describe('without SMTP_URL', () => {
  let hub: StaffHub;
  beforeAll(async () => {
    hub = await staffHub('pglite');
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('says email reminders are off and takes no address', async () => {
    expect(await (await hub.request('/api/email')).json()).toEqual({ on: false });
    const admin = await firstAdmin(hub);
    const org = await newOrganisation(admin, 'Northgate Library');
    const lead = await newLead(hub, admin, 'Lena Lead', [org]);
    const response = await lead.request('/api/email/lead', { method: 'PUT', json: { email: 'lena@example.org' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'this hub does not send emails: the council has not switched email reminders on', where: 'email' });
    expect(await (await lead.request('/api/email/lead')).json()).toEqual({ on: false, email: null, state: 'none', reason: '' });
  });
});

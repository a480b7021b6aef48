import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/hub/config.ts';
import { deliveryOf } from '../../src/hub/reminders/mailer.ts';
import { renewalEmail, summaryEmail, summaryListLimit } from '../../src/hub/reminders/emails.ts';
import { mondayOf } from '../../src/hub/reminders/job.ts';

describe('SMTP settings', () => {
  const base = { HUB_URL: 'https://learning.example.org' };
  it('switches reminders on with SMTP_URL, SMTP_FROM and HUB_URL', () => {
    expect(configFromEnv({ ...base, SMTP_URL: 'smtps://u:p@smtp.example.org:465', SMTP_FROM: 'Learning <learning@example.org>' }).smtp).toEqual({
      url: 'smtps://u:p@smtp.example.org:465',
      from: 'Learning <learning@example.org>',
    });
    expect(configFromEnv(base).smtp).toBeUndefined();
  });
  it.each([
    [{ SMTP_URL: 'mail.example.org' }, 'SMTP_URL must start "smtp://" or "smtps://", for example smtps://user:password@smtp.example.gov.uk:465'],
    [{ SMTP_URL: 'smtp://mail.example.org' }, 'SMTP_FROM must be the address emails come from, for example "Family Hub learning <learning@example.gov.uk>"'],
    [{ SMTP_FROM: 'learning@example.org' }, 'SMTP_FROM is set but SMTP_URL is not: set SMTP_URL to the mail server, or remove SMTP_FROM'],
    [
      { SMTP_URL: 'smtp://mail.example.org', SMTP_FROM: 'learning@example.org', HUB_URL: '' },
      'HUB_URL must be set when SMTP_URL is: emails link to the hub by its public address, for example https://learning.example.gov.uk',
    ],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => configFromEnv({ ...base, ...env })).toThrow(message);
  });
});

describe('what a mail server’s answer means', () => {
  it.each([
    [
      { command: 'RCPT TO', responseCode: 550, response: '550 No such mailbox' },
      { outcome: 'refused', reason: '550 No such mailbox' },
    ],
    [
      { command: 'RCPT TO', responseCode: 451, response: '451 Try later' },
      { outcome: 'retry', reason: '451 Try later' },
    ],
    [
      { command: 'DATA', responseCode: 554, response: '554 Message rejected' },
      { outcome: 'retry', reason: '554 Message rejected' },
    ],
    [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:25' },
      { outcome: 'retry', reason: 'connect ECONNREFUSED 127.0.0.1:25' },
    ],
  ])('%o → %o', (error, delivery) => {
    expect(deliveryOf(error)).toEqual(delivery);
  });
});

describe('the emails', () => {
  it('keeps names and titles as text in the HTML', () => {
    const email = renewalEmail({
      to: 'a@example.org',
      name: '<img src=x onerror=alert(1)>',
      council: 'Brookfield Council',
      items: [{ title: 'A & <b>B</b>', renewalOn: '2027-01-14', href: 'https://learning.example.org/modules/a/' }],
      publicUrl: 'https://learning.example.org',
      stopLink: 'https://learning.example.org/email/stop/#t',
    });
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(email.html).toContain('A &#38; &#60;b&#62;B&#60;/b&#62;: renew by 14 January 2027');
    expect(email.text).toContain('- A & <b>B</b>: renew by 14 January 2027\n  https://learning.example.org/modules/a/');
  });

  it('lists at most 50 people under a heading and counts the rest', () => {
    const people = Array.from({ length: summaryListLimit + 3 }, (_, index) => ({ name: `Person ${index}`, organisation: 'Library', detail: 'due' }));
    const email = summaryEmail({
      to: 'lead@example.org',
      name: 'Lena',
      council: 'Brookfield Council',
      summary: { weekOf: '2026-11-30', completed: [], dueSoon: people, expired: [], awaiting: [], notWorking: [] },
      publicUrl: 'https://learning.example.org',
      stopLink: 'https://learning.example.org/email/stop/#t',
    });
    expect(email.text).toContain('Completed in the last 7 days: nobody');
    expect(email.text).toContain(`Due for renewal in the next 30 days (${summaryListLimit + 3}):`);
    expect(email.text).toContain(`Person ${summaryListLimit - 1}, Library`);
    expect(email.text).not.toContain(`Person ${summaryListLimit},`);
    expect(email.text).toContain('And 3 more: see the lead page.');
  });

  it.each([
    ['2026-11-30', '2026-11-30'],
    ['2026-12-06', '2026-11-30'],
    ['2026-12-07', '2026-12-07'],
    ['2027-01-01', '2026-12-28'],
  ])('the week of %s starts on Monday %s', (day, monday) => {
    expect(mondayOf(day)).toBe(monday);
  });
});

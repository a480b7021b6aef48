import { describe, expect, it } from 'vitest';
import { emailRemindersNote } from '../../../src/pages/lead/live/_email-note.ts';
import { emailStateText } from '../../../src/browser/email-reminders.ts';

describe('what the lead is told about email reminders', () => {
  it('says whether the hub emails people itself or only copied reminders reach them', () => {
    expect(emailRemindersNote(true)).toMatch(/^Email reminders are switched on: people who gave and confirmed an email address are emailed 30 days before/);
    expect(emailRemindersNote(false)).toBe('Email reminders are not switched on, so the hub emails nobody. Copy a reminder for each person who needs one.');
  });
});

describe('what a person is told about their address', () => {
  it.each([
    [{ email: null, state: 'none', reason: '' }, 'You have not given an email address.'],
    [{ email: 'a@example.org', state: 'confirmed', reason: '' }, 'We send reminders to a@example.org.'],
    [
      { email: 'a@example.org', state: 'not-working', reason: '550 No such mailbox' },
      'Emails to a@example.org are not arriving: the mail server refused them (it said “550 No such mailbox”). We have stopped sending to it. Give another address, or remove this one.',
    ],
  ] as const)('%o', (answer, text) => {
    expect(emailStateText(answer)).toBe(text);
  });
});

/**
 * "Add renewal date to my calendar": an iCalendar file (RFC 5545) with one
 * all-day event on the renewal date and a reminder some days before.
 */
import { defaultTimeZone } from '../dates/index.ts';
import { calendarDay } from './dates.ts';
import { CertificateInputError } from './errors.ts';

/** What the calendar event says. */
export interface RenewalReminder {
  /** Stable across downloads so calendars update rather than duplicate. @example "3f1c…@learning.brookfield.example.org" */
  uid: string;
  /** ISO date the learning must be renewed by. */
  renewalDate: string;
  /** The council's time zone (site.yaml): the event falls on the renewal date's day there. @default "Europe/London" */
  timeZone?: string;
  /** @example "Renew your Library staff learning" */
  summary: string;
  description?: string;
  /** Where to renew, e.g. the learning plan page. */
  url?: string;
  /** Days before the renewal date the reminder goes off. @default 30 */
  alarmDaysBefore?: number;
}

/** Escapes iCalendar TEXT. */
// RFC 5545 §3.3.11: backslash, semicolon and comma are escaped; line breaks become \n.
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one iCalendar content line. */
// RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space,
// never inside a UTF-8 sequence.
export function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (day: string) => day.replaceAll('-', '');
const utcStamp = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/** The VEVENT lines for one renewal date. @throws CertificateInputError */
function renewalEvent(reminder: RenewalReminder, now: Date): string[] {
  if (!/^\d{4}-\d{2}-\d{2}/.test(reminder.renewalDate) || Number.isNaN(Date.parse(reminder.renewalDate))) {
    throw new CertificateInputError('renewalDate', `The renewal date “${reminder.renewalDate}” is not an ISO date such as 2027-03-12.`);
  }
  if (!reminder.uid.trim()) throw new CertificateInputError('uid', 'The calendar event needs a UID, for example the certificate id with the site’s host name.');
  const day = calendarDay(reminder.renewalDate, reminder.timeZone ?? defaultTimeZone);
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const days = reminder.alarmDaysBefore ?? 30;
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(reminder.uid)}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;VALUE=DATE:${basicDate(day)}`,
    `DTEND;VALUE=DATE:${basicDate(next.toISOString().slice(0, 10))}`,
    `SUMMARY:${escapeText(reminder.summary)}`,
    ...(reminder.description ? [`DESCRIPTION:${escapeText(reminder.description)}`] : []),
    ...(reminder.url ? [`URL:${reminder.url}`] : []),
    'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(reminder.summary)}`,
    `TRIGGER;RELATED=START:-P${days}D`,
    'END:VALARM',
    'END:VEVENT',
  ];
}

/** The .ics text for one or more renewal dates, lines ending CRLF. `now` becomes DTSTAMP. @throws CertificateInputError */
export function renewalsCalendar(reminders: readonly RenewalReminder[], now: Date = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Family Hub workforce learning//Renewal reminder//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...reminders.flatMap((reminder) => renewalEvent(reminder, now)),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** The .ics text for a renewal date, lines ending CRLF. `now` becomes DTSTAMP. @throws CertificateInputError */
export function renewalCalendar(reminder: RenewalReminder, now: Date = new Date()): string {
  return renewalsCalendar([reminder], now);
}

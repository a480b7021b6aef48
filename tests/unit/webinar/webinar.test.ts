import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { webinarSchema } from '../../../src/lib/content/index.ts';
import { formatSessionTime, instantOf, sessionCalendar, upcomingSessions, wallTimeIn } from '../../../src/lib/webinar/index.ts';

const siteUrl = 'https://learning.fixture.example.org';
// Two sessions either side of the clocks going back on 31 October 2027: 10am BST, then 6:30pm GMT.
const webinar = webinarSchema.parse({
  title: 'Local offer update, with "quotes"; commas, and more',
  summary: 'What is new.',
  audience: ['library-staff'],
  host: 'Fixture family hubs',
  timeZone: 'Europe/London',
  sessions: [
    { id: 'november-evening', start: '2027-11-04T18:30', minutes: 45, joinUrl: 'https://meet.fixture.example.org/j/2' },
    { id: 'october', start: '2027-10-21T10:00', minutes: 60, joinUrl: 'https://meet.fixture.example.org/j/1', platform: 'Microsoft Teams' },
  ],
});

describe('session times', () => {
  it.each([
    ['2027-10-21T10:00', 'Europe/London', '2027-10-21T09:00:00.000Z'],
    ['2027-11-04T18:30', 'Europe/London', '2027-11-04T18:30:00.000Z'],
    ['2027-03-18T10:00', 'Europe/London', '2027-03-18T10:00:00.000Z'],
    ['2027-04-15T10:00', 'Europe/London', '2027-04-15T09:00:00.000Z'],
    // The hour repeated when the clocks go back: the first of the two.
    ['2027-10-31T01:30', 'Europe/London', '2027-10-31T00:30:00.000Z'],
    ['2027-06-01T09:00', 'America/New_York', '2027-06-01T13:00:00.000Z'],
  ])('%s in %s is %s', (local, timeZone, utc) => {
    expect(instantOf(local, timeZone)?.toISOString()).toBe(utc);
    expect(wallTimeIn(new Date(utc), timeZone)).toBe(local);
  });

  it('has no instant for a time the clocks skip', () => {
    expect(instantOf('2027-03-28T01:30', 'Europe/London')).toBeUndefined();
  });

  it('offers only sessions that have not started, soonest first', () => {
    const ids = (now: string) => upcomingSessions(webinar, new Date(now)).map((scheduled) => scheduled.session.id);
    expect(ids('2027-01-01T00:00:00Z')).toEqual(['october', 'november-evening']);
    expect(ids('2027-10-21T08:59:59Z')).toEqual(['october', 'november-evening']);
    // Started at 09:00 UTC (10am BST): no longer offered, even while it runs.
    expect(ids('2027-10-21T09:00:00Z')).toEqual(['november-evening']);
    expect(ids('2027-11-05T00:00:00Z')).toEqual([]);
  });

  it('reads as people say it, in the webinar time zone', () => {
    const [october, november] = upcomingSessions(webinar, new Date('2027-01-01T00:00:00Z'));
    expect(formatSessionTime(october!.start, october!.end, 'Europe/London')).toBe('Thursday 21 October 2027, 10am to 11am (UK time)');
    expect(formatSessionTime(november!.start, november!.end, 'Europe/London')).toBe('Thursday 4 November 2027, 6:30pm to 7:15pm (UK time)');
  });
});

describe('the calendar file of a session', () => {
  const stamp = new Date('2027-01-15T12:00:00Z');
  const eventOf = (sessionId: string) => {
    const session = webinar.sessions.find((candidate) => candidate.id === sessionId)!;
    const text = sessionCalendar({ webinarId: 'update', webinar, session, siteUrl, stamp });
    const calendar = new ICAL.Component(ICAL.parse(text));
    return { text, event: new ICAL.Event(calendar.getFirstSubcomponent('vevent')!) };
  };

  it('opens in a calendar at the right time in Europe/London on both sides of the clock change', () => {
    const october = eventOf('october').event;
    const november = eventOf('november-evening').event;
    expect(october.startDate.toJSDate().toISOString()).toBe('2027-10-21T09:00:00.000Z');
    expect(october.endDate.toJSDate().toISOString()).toBe('2027-10-21T10:00:00.000Z');
    expect(wallTimeIn(october.startDate.toJSDate(), 'Europe/London')).toBe('2027-10-21T10:00');
    expect(november.startDate.toJSDate().toISOString()).toBe('2027-11-04T18:30:00.000Z');
    expect(wallTimeIn(november.startDate.toJSDate(), 'Europe/London')).toBe('2027-11-04T18:30');
  });

  it('names the webinar, the joining link and a stable id, with text escaped', () => {
    const { text, event } = eventOf('october');
    expect(event.summary).toBe('Webinar: Local offer update, with "quotes"; commas, and more');
    expect(event.uid).toBe('update-october@learning.fixture.example.org');
    expect(event.location).toBe('https://meet.fixture.example.org/j/1');
    expect(event.description).toContain('Join on Microsoft Teams: https://meet.fixture.example.org/j/1');
    expect(event.description).toContain(`record that you attended: ${siteUrl}/webinars/update/`);
    expect(text).toContain('SUMMARY:Webinar: Local offer update\\, with "quotes"\\; commas\\, and more');
    expect(text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
  });
});

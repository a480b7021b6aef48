/**
 * Webinars in time: which sessions are still to come, and the calendar file
 * (RFC 5545) for one session. Pure: pages, tests and the browser share it.
 */
import { escapeText, fold } from '../certificate/calendar.ts';
import type { Webinar, WebinarSession } from '../content/webinar.ts';
import { instantOf, isUpcoming, wallTimeIn, type TimedSession } from './sessions.ts';

export { instantOf, isUpcoming, localTimePattern, wallTimeIn, type TimedSession } from './sessions.ts';

/** A session with its instants. @throws RangeError when its start does not exist in the webinar's time zone (the schema refuses those). */
export function timedSession(webinar: Pick<Webinar, 'timeZone'>, session: WebinarSession): TimedSession {
  const start = instantOf(session.start, webinar.timeZone);
  if (!start) throw new RangeError(`${session.start} is not a time in ${webinar.timeZone}`);
  return { id: session.id, start, end: new Date(start.getTime() + session.minutes * 60_000) };
}

/** A session as written, with the instants it starts and ends. */
export interface ScheduledSession extends TimedSession {
  session: WebinarSession;
}

/** Every session of a webinar with its instants, soonest first. */
export function scheduledSessions(webinar: Webinar): ScheduledSession[] {
  return webinar.sessions.map((session) => ({ session, ...timedSession(webinar, session) })).sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The sessions still to come at `now`, soonest first. */
export function upcomingSessions(webinar: Webinar, now: Date): ScheduledSession[] {
  return scheduledSessions(webinar).filter((scheduled) => isUpcoming(scheduled, now));
}

/** Where the calendar file of a session is served. */
export const sessionCalendarPath = (webinarId: string, sessionId: string) => `/webinars/${webinarId}/${sessionId}.ics`;

const utcStamp = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/**
 * The .ics text for one session, lines ending CRLF. Times are written in UTC,
 * which every calendar shows in its own zone, so the same file is right on both
 * sides of a clock change. `stamp` becomes DTSTAMP (the build's time).
 */
export function sessionCalendar(options: { webinarId: string; webinar: Webinar; session: WebinarSession; siteUrl: string; stamp: Date }): string {
  const { webinarId, webinar, session, siteUrl, stamp } = options;
  const { start, end } = timedSession(webinar, session);
  const page = `${siteUrl}/webinars/${webinarId}/`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Family Hub workforce learning//Webinar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(`${webinarId}-${session.id}@${new URL(siteUrl).host}`)}`,
    `DTSTAMP:${utcStamp(stamp)}`,
    `DTSTART:${utcStamp(start)}`,
    `DTEND:${utcStamp(end)}`,
    `SUMMARY:${escapeText(`Webinar: ${webinar.title}`)}`,
    `DESCRIPTION:${escapeText(`${webinar.summary}\n\nJoin${session.platform ? ` on ${session.platform}` : ''}: ${session.joinUrl}\nHosted by ${webinar.host}.\nAfter the webinar, record that you attended: ${page}`)}`,
    `LOCATION:${escapeText(session.joinUrl)}`,
    `URL:${session.joinUrl}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(`Webinar: ${webinar.title}`)}`,
    'TRIGGER;RELATED=START:-PT15M',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "Thursday 21 October 2027, 10am to 11am (UK time)": a session as people read it, in the webinar's time zone. */
export function formatSessionTime(start: Date, end: Date, timeZone: string): string {
  let days = dayFormats.get(timeZone);
  if (!days) {
    days = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    dayFormats.set(timeZone, days);
  }
  const clock = (instant: Date) => {
    const [hour, minute] = wallTimeIn(instant, timeZone).slice(11).split(':').map(Number) as [number, number];
    const suffix = hour < 12 ? 'am' : 'pm';
    const twelve = hour % 12 === 0 ? 12 : hour % 12;
    if (hour === 12 && minute === 0) return 'midday';
    return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minute).padStart(2, '0')}${suffix}`;
  };
  const zone = timeZone === 'Europe/London' ? 'UK time' : timeZone;
  return `${days.format(start).replace(/^(\w+),? /, '$1 ')}, ${clock(start)} to ${clock(end)} (${zone})`;
}

/**
 * Webinar sessions in time: a session is written as a wall-clock time in its
 * webinar's time zone ("2027-10-21T10:00" in Europe/London) and happens at one
 * instant, whichever side of a clock change it falls.
 */

/** A wall-clock date and time as authors write it. @example "2027-10-21T10:00" */
export const localTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock time an instant shows in `timeZone`, as "YYYY-MM-DDTHH:MM". */
export function wallTimeIn(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    wallFormat(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
}

/**
 * The instant a wall-clock time in `timeZone` names, or undefined when that time
 * does not exist there (the hour skipped when clocks go forward). In the hour
 * repeated when clocks go back, the first of the two is taken.
 */
export function instantOf(localTime: string, timeZone: string): Date | undefined {
  const match = localTimePattern.exec(localTime);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(asUtc).toISOString().slice(0, 16) !== localTime) return undefined;
  const offsetAt = (instant: number) => Date.parse(`${wallTimeIn(new Date(instant), timeZone)}:00Z`) - instant;
  // Try the offsets in force a day either side; the earlier instant wins in a repeated hour.
  const candidates = [...new Set([offsetAt(asUtc - 86_400_000), offsetAt(asUtc + 86_400_000)])]
    .map((offset) => asUtc - offset)
    .filter((instant) => wallTimeIn(new Date(instant), timeZone) === localTime)
    .sort((a, b) => a - b);
  return candidates[0] === undefined ? undefined : new Date(candidates[0]);
}

/** A session with the instants it starts and ends. */
export interface TimedSession {
  id: string;
  start: Date;
  end: Date;
}

/** Whether a session is still to come at `now`: once it has started it is no longer offered. */
export function isUpcoming(session: { start: Date }, now: Date): boolean {
  return session.start.getTime() > now.getTime();
}

/** Dates as the certificate prints them: the day in the council's time zone, as every page shows it. */
import { calendarDayIn, defaultTimeZone } from '../dates/index.ts';

export { calendarDayIn as calendarDay, formatDate } from '../dates/index.ts';

/**
 * Whether a certificate valid until `validUntil` (inclusive) has expired at `now`: the
 * day it is now has passed the day printed on it, both in the council's time zone.
 */
export function isExpired(validUntil: string, now: Date, timeZone: string = defaultTimeZone): boolean {
  return calendarDayIn(now, timeZone) > calendarDayIn(validUntil, timeZone);
}

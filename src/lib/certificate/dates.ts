/** Dates as the certificate prints them: the day in the council's time zone, as every page shows it. */
export { calendarDayIn as calendarDay, formatDate } from '../dates/index.ts';

/** The calendar day of an ISO date or date-time, in UTC: "2026-03-12". */
function utcDay(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : new Date(iso).toISOString().slice(0, 10);
}

/** Whether a certificate valid until `validUntil` (inclusive) has expired at `now`. */
export function isExpired(validUntil: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > utcDay(validUntil);
}

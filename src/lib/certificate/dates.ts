/** Dates as the certificate prints them, read from ISO 8601 strings in UTC. */

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The calendar day of an ISO date or date-time, in UTC: "2026-03-12". */
export function calendarDay(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso : new Date(iso).toISOString().slice(0, 10);
}

/** GOV.UK style: "12 March 2026". */
export function formatDate(iso: string): string {
  const [year, month, day] = calendarDay(iso).split('-').map(Number);
  return `${day} ${months[(month ?? 1) - 1]} ${year}`;
}

/** Whether a certificate valid until `validUntil` (inclusive) has expired at `now`. */
export function isExpired(validUntil: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > calendarDay(validUntil);
}

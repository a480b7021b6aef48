/**
 * Dates as the site shows them — pages, the verify page, certificates, the lead's CSV and
 * calendar files — always in the council's time zone (site.yaml `timeZone`), so one instant
 * is the same day everywhere, whatever time zone the device showing it is set to.
 */

/** The time zone of a council whose site.yaml names none. */
export const defaultTimeZone = 'Europe/London';

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormatIn = (timeZone: string): Intl.DateTimeFormat => {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
};

/** Whether `timeZone` is an IANA time zone name this JavaScript engine knows. @example isTimeZone("Europe/London") */
export function isTimeZone(timeZone: string): boolean {
  try {
    dayFormatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar day, "2027-06-11", on which an instant falls in `timeZone`. A date
 * without a time ("2027-06-10", as lessons give review dates) is a day already and
 * comes back as it is.
 * @throws RangeError when `iso` is not an ISO 8601 date or date-time
 */
export function calendarDayIn(iso: string | Date, timeZone: string): string {
  if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const instant = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(instant.getTime())) throw new RangeError(`"${String(iso)}" is not a date`);
  const parts = Object.fromEntries(
    dayFormatIn(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

function partsOf(day: string): [number, number, number] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`"${day}" is not a calendar day written as YYYY-MM-DD`);
  return day.split('-').map(Number) as [number, number, number];
}

/** A calendar day, already the council's, in GOV.UK style: "2027-06-11" → "11 June 2027". */
export function formatDay(day: string): string {
  const [year, month, date] = partsOf(day);
  return `${date} ${monthNames[month - 1]} ${year}`;
}

/** A calendar day, already the council's, in the short form for tables: "2027-06-11" → "11 Jun 2027". */
export function formatShortDay(day: string): string {
  const [year, month, date] = partsOf(day);
  return `${date} ${monthNames[month - 1]!.slice(0, 3)} ${year}`;
}

/** GOV.UK style, for the day an instant falls on in `timeZone`: "11 June 2027". */
export function formatDate(iso: string | Date, timeZone: string): string {
  return formatDay(calendarDayIn(iso, timeZone));
}

/** The short form for tables, for the day an instant falls on in `timeZone`: "11 Jun 2027". */
export function formatShortDate(iso: string | Date, timeZone: string): string {
  return formatShortDay(calendarDayIn(iso, timeZone));
}

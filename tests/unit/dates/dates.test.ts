/**
 * One date formatter for every page, the certificate, the lead's CSV and calendar files:
 * the day an instant falls on in the council's time zone, across the clock changes and
 * whatever time zone the process (or the learner's device) is set to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { calendarDayIn, defaultTimeZone, formatDate, formatDay, formatShortDate, formatShortDay, isTimeZone } from '../../../src/lib/dates/index.ts';

const london = 'Europe/London';

describe('calendarDayIn', () => {
  it.each([
    // British Summer Time starts at 01:00 GMT on 28 March 2027 and ends at 01:00 GMT on 31 October 2027.
    ['the evening before the clocks go forward, still GMT', '2027-03-27T23:30:00Z', '2027-03-27'],
    ['the first night of BST', '2027-03-28T23:30:00Z', '2027-03-29'],
    ['just before the clocks go forward', '2027-03-28T00:59:59Z', '2027-03-28'],
    ['just after the clocks go forward', '2027-03-28T01:00:00Z', '2027-03-28'],
    ['a summer night after 11pm GMT, already the next day in London', '2027-06-10T23:30:00Z', '2027-06-11'],
    ['the last BST evening', '2027-10-30T23:30:00Z', '2027-10-31'],
    ['the first GMT evening', '2027-10-31T23:30:00Z', '2027-10-31'],
    ['just before the clocks go back', '2027-10-31T00:59:59Z', '2027-10-31'],
    ['a time given with its own offset', '2027-06-11T00:30:00+01:00', '2027-06-11'],
  ])('in London: %s', (_case, instant, day) => {
    expect(calendarDayIn(instant, london)).toBe(day);
    expect(calendarDayIn(new Date(instant), london)).toBe(day);
  });

  it.each([
    ['UTC', '2027-06-10'],
    ['Europe/London', '2027-06-11'],
    ['America/New_York', '2027-06-10'],
    ['Asia/Tokyo', '2027-06-11'],
  ])('gives the day of 2027-06-10T23:30Z in %s', (timeZone, day) => {
    expect(calendarDayIn('2027-06-10T23:30:00Z', timeZone)).toBe(day);
  });

  it('keeps a date without a time as the day it names, in any time zone', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', london]) expect(calendarDayIn('2026-11-01', timeZone)).toBe('2026-11-01');
  });

  it('refuses what is not a date', () => {
    expect(() => calendarDayIn('yesterday', london)).toThrow('"yesterday" is not a date');
    expect(() => formatDay('2026-11')).toThrow('"2026-11" is not a calendar day written as YYYY-MM-DD');
  });
});

describe('formatDate and formatShortDate', () => {
  it.each([
    ['2027-06-10T23:30:00Z', '11 June 2027', '11 Jun 2027'],
    ['2027-03-28T23:30:00Z', '29 March 2027', '29 Mar 2027'],
    ['2027-10-31T23:30:00Z', '31 October 2027', '31 Oct 2027'],
    ['2027-09-01T12:00:00Z', '1 September 2027', '1 Sep 2027'],
    ['2026-11-01', '1 November 2026', '1 Nov 2026'],
  ])('writes %s as "%s" and "%s" in London', (instant, long, short) => {
    expect(formatDate(instant, london)).toBe(long);
    expect(formatShortDate(instant, london)).toBe(short);
    expect(formatDay(calendarDayIn(instant, london))).toBe(long);
    expect(formatShortDay(calendarDayIn(instant, london))).toBe(short);
  });
});

describe('the time zone of the process', () => {
  const processZone = process.env['TZ'];
  afterEach(() => {
    if (processZone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = processZone;
  });

  // Node reads TZ again whenever it is set, as a device's own time zone would differ.
  it.each(['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati'])('changes nothing when it is %s', (zone) => {
    process.env['TZ'] = zone;
    const offset = new Date('2027-06-10T23:30:00Z').getTimezoneOffset();
    expect(offset, 'the process really is in this zone').toBe(
      { UTC: 0, 'Europe/London': -60, 'America/New_York': 240, 'Asia/Tokyo': -540, 'Pacific/Kiritimati': -840 }[zone],
    );
    expect(formatDate('2027-06-10T23:30:00Z', london)).toBe('11 June 2027');
    expect(formatDate('2027-10-31T00:30:00Z', london)).toBe('31 October 2027');
    expect(formatShortDate('2027-03-28T00:30:00Z', london)).toBe('28 Mar 2027');
  });
});

describe('isTimeZone', () => {
  it('knows IANA names and the default, and refuses others', () => {
    expect(defaultTimeZone).toBe('Europe/London');
    for (const zone of [defaultTimeZone, 'UTC', 'Asia/Tokyo']) expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Europe/Londn', 'Mars/Olympus_Mons', '']) expect(isTimeZone(zone), zone).toBe(false);
  });
});

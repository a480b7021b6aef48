/** A certificate expires once the day it is in the council's time zone passes the day printed on it. */
import { describe, expect, it } from 'vitest';
import { isExpired } from '../../../src/lib/certificate/dates.ts';

describe('isExpired', () => {
  // Valid until 2027-06-10T23:30Z, which is printed as 11 June 2027 in London.
  const validUntil = '2027-06-10T23:30:00.000Z';

  it.each([
    ['00:30 on 11 June in London, the day printed', '2027-06-10T23:45:00.000Z', false],
    ['the last minute of 11 June in London', '2027-06-11T22:59:00.000Z', false],
    ['the first minute of 12 June in London', '2027-06-11T23:00:00.000Z', true],
  ])('at %s says %s', (_when, now, expired) => {
    expect(isExpired(validUntil, new Date(now), 'Europe/London')).toBe(expired);
  });

  it('uses London unless told the council’s time zone', () => {
    expect(isExpired(validUntil, new Date('2027-06-11T12:00:00.000Z'))).toBe(false);
    expect(isExpired(validUntil, new Date('2027-06-11T12:00:00.000Z'), 'America/New_York')).toBe(true);
  });
});

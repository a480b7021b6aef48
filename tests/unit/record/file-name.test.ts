import { describe, expect, it } from 'vitest';
import { recordFileNameOf } from '../../../src/lib/record/index.ts';

describe('recordFileNameOf', () => {
  it.each([
    ['2027-06-10T23:30:00.000Z', 'Europe/London', 'learning-record-2027-06-11.json'],
    ['2027-06-10T23:30:00.000Z', 'UTC', 'learning-record-2027-06-10.json'],
    ['2027-01-10T23:30:00.000Z', 'Europe/London', 'learning-record-2027-01-10.json'],
    ['2027-06-10T03:00:00.000Z', 'America/New_York', 'learning-record-2027-06-09.json'],
  ])('dates a record downloaded at %s by the day in %s', (at, timeZone, name) => {
    expect(recordFileNameOf(new Date(at), timeZone)).toBe(name);
  });
});

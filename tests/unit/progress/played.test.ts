import { describe, expect, it } from 'vitest';
import { PlayedSegments } from '../../../src/lib/progress/played.ts';

/** The wall clock is in milliseconds, as performance.now() gives it. */
const second = 1000;

describe('PlayedSegments', () => {
  it('grows a segment while playback moves on continuously', () => {
    const played = new PlayedSegments();
    played.open(0, 0);
    expect(played.advance(1, 1 * second, 1)).toBe(true);
    expect(played.advance(2, 2 * second, 1)).toBe(true);
    expect(played.session()).toEqual([{ start: 0, end: 2 }]);
    expect(played.lastTime).toBe(2);
  });

  it('allows faster playback at a higher rate', () => {
    const played = new PlayedSegments();
    played.open(0, 0);
    expect(played.advance(2, 1 * second, 2)).toBe(true);
    expect(played.session()).toEqual([{ start: 0, end: 2 }]);
  });

  it('closes the segment and starts another when the time jumps ahead of the clock', () => {
    const played = new PlayedSegments();
    played.open(0, 0);
    played.advance(1, 1 * second, 1);
    expect(played.advance(100, 2 * second, 1)).toBe(false);
    played.advance(101, 3 * second, 1);
    expect(played.session()).toEqual([
      { start: 0, end: 1 },
      { start: 100, end: 101 },
    ]);
  });

  it('closes the segment when playback goes backwards', () => {
    const played = new PlayedSegments();
    played.open(10, 0);
    played.advance(11, 1 * second, 1);
    expect(played.advance(5, 2 * second, 1)).toBe(false);
    expect(played.session()).toEqual([{ start: 10, end: 11 }]);
  });

  it('opens a segment at the first time reported when none is open', () => {
    const played = new PlayedSegments();
    expect(played.advance(30, 0, 1)).toBe(false);
    expect(played.playing).toBe(true);
    played.advance(31, 1 * second, 1);
    expect(played.session()).toEqual([{ start: 30, end: 31 }]);
  });

  it('keeps an empty segment out', () => {
    const played = new PlayedSegments();
    played.open(5, 0);
    played.close();
    expect(played.session()).toEqual([]);
    expect(played.playing).toBe(false);
  });

  it('grows to where the page went only if playback got there continuously', () => {
    const played = new PlayedSegments();
    played.open(0, 0);
    played.advanceIfContinuous(1, 1 * second, 1);
    played.advanceIfContinuous(60, 2 * second, 1);
    expect(played.session()).toEqual([{ start: 0, end: 1 }]);
  });

  it('counts earlier sessions of the registration first, then this one', () => {
    const played = new PlayedSegments();
    played.startSession([{ start: 0, end: 50 }]);
    played.open(50, 0);
    played.advance(60, 10 * second, 1);
    expect(played.registration()).toEqual([
      { start: 0, end: 50 },
      { start: 50, end: 60 },
    ]);
    expect(played.fraction(100)).toBeCloseTo(0.6);
  });

  it.each([
    [89, false],
    [90, true],
  ])('counts a 100-second clip once %i seconds are played: %s', (seconds, counts) => {
    const played = new PlayedSegments();
    played.startSession([{ start: 0, end: seconds }]);
    expect(played.counts(100)).toBe(counts);
  });

  it('never counts a clip of unknown length', () => {
    const played = new PlayedSegments();
    played.startSession([{ start: 0, end: 100 }]);
    expect(played.counts(0)).toBe(false);
  });

  it('does not count the same moment twice', () => {
    const played = new PlayedSegments();
    played.startSession([
      { start: 0, end: 50 },
      { start: 0, end: 50 },
    ]);
    expect(played.fraction(100)).toBe(0.5);
  });

  it('starts a fresh session with nothing of the last one', () => {
    const played = new PlayedSegments();
    played.open(0, 0);
    played.advance(5, 5 * second, 1);
    played.startSession([]);
    expect(played.registration()).toEqual([]);
    expect(played.playing).toBe(false);
  });

  it('notes where a seek landed without counting the jump', () => {
    const played = new PlayedSegments();
    played.moveTo(40);
    expect(played.lastTime).toBe(40);
    expect(played.session()).toEqual([]);
  });
});

/**
 * What a viewer has actually played of a film, as the xAPI Video Profile's
 * played segments: a segment grows only while playback moves on continuously
 * from one moment to the next, so a seek, a jump or skipping to the end does not
 * count as watching. Pure: the player passes in the video's time, the wall clock
 * and the playback rate.
 * @see https://github.com/adlnet/xapi-authored-profiles/tree/master/video
 */
import { playedFraction, type Segment } from '../xapi/segments.ts';
import { filmCompletionThreshold } from './film-threshold.ts';

/** Leeway, in seconds of video, for timer jitter between two time updates. */
const jitter = 0.5;

export class PlayedSegments {
  /** What earlier sessions of the registration played, in the order played. */
  private earlier: Segment[] = [];
  /** Segments this session has closed. */
  private closed: Segment[] = [];
  /** Where the open segment started; undefined when nothing is playing. */
  private start: number | undefined;
  /** The last position reached by continuous playback, and the wall clock then (milliseconds). */
  private last = 0;
  private lastWall = 0;

  /** Starts a session that continues a registration which has already played `earlier`. */
  startSession(earlier: readonly Segment[]): void {
    this.earlier = [...earlier];
    this.closed = [];
    this.start = undefined;
  }

  /** The last position reached by continuous playback, in seconds. */
  get lastTime(): number {
    return this.last;
  }

  /** Whether a segment is open (playback is under way). */
  get playing(): boolean {
    return this.start !== undefined;
  }

  /** Opens a segment at `time`: playback starts or resumes there. */
  open(time: number, wall: number): void {
    this.start = time;
    this.last = time;
    this.lastWall = wall;
  }

  /** Notes where a jump landed without opening a segment (a seek while paused). */
  moveTo(time: number): void {
    this.last = time;
  }

  /**
   * Playback reports `time`. If it got there continuously (no further than the
   * wall clock allows at `rate`), the open segment grows and this returns true;
   * otherwise the open segment closes and a new one starts at `time`.
   */
  advance(time: number, wall: number, rate: number): boolean {
    if (this.start === undefined) {
      this.open(time, wall);
      return false;
    }
    if (!this.continuous(time, wall, rate)) {
      this.close();
      this.open(time, wall);
      return false;
    }
    this.last = time;
    this.lastWall = wall;
    return true;
  }

  /** Grows the open segment to `time` only if playback got there continuously; for the page going away. */
  advanceIfContinuous(time: number, wall: number, rate: number): void {
    if (this.start !== undefined && this.continuous(time, wall, rate)) this.last = time;
  }

  /** Closes the open segment at the last moment actually played. */
  close(): void {
    if (this.start !== undefined && this.last > this.start) this.closed.push({ start: this.start, end: this.last });
    this.start = undefined;
  }

  /** This session's segments, the open one included. */
  session(): Segment[] {
    const open = this.start !== undefined && this.last > this.start ? [{ start: this.start, end: this.last }] : [];
    return [...this.closed, ...open];
  }

  /** Everything the registration has played: earlier sessions first, then this one, in the order played. */
  registration(): Segment[] {
    return [...this.earlier, ...this.session()];
  }

  /** Share of a clip `length` seconds long that the registration has played, 0–1. */
  fraction(length: number): number {
    return playedFraction(this.registration(), length);
  }

  /** Whether the registration has played enough of a clip `length` seconds long for it to count. */
  counts(length: number): boolean {
    return length > 0 && this.fraction(length) >= filmCompletionThreshold;
  }

  private continuous(time: number, wall: number, rate: number): boolean {
    const step = time - this.last;
    return step >= 0 && step <= ((wall - this.lastWall) / 1000) * rate + jitter;
  }
}

/**
 * The Video Profile's played-segments: which parts of a clip have been played,
 * written as "0.000[.]12.000[,]14.000[.]21.000" (start[.]end pairs joined by [,]).
 * @see https://github.com/adlnet/xapi-authored-profiles/tree/master/video
 */

/** A played stretch of a clip, in seconds from its start. */
export interface Segment {
  start: number;
  end: number;
}

const pairSeparator = '[,]';
const boundSeparator = '[.]';

/**
 * Reads a played-segments string. Pieces that are not two numbers with
 * start ≤ end are left out: imported records may come from other players.
 */
export function parsePlayedSegments(text: string): Segment[] {
  if (text.trim() === '') return [];
  const segments: Segment[] = [];
  for (const pair of text.split(pairSeparator)) {
    const bounds = pair.split(boundSeparator);
    if (bounds.length !== 2) continue;
    const [start, end] = bounds.map((bound) => (bound.trim() === '' ? Number.NaN : Number(bound)));
    if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end)) continue;
    if (start < 0 || end < start) continue;
    segments.push({ start, end });
  }
  return segments;
}

/** Writes segments in the Video Profile's format, three decimals each. */
export function formatPlayedSegments(segments: readonly Segment[]): string {
  return segments.map((segment) => `${segment.start.toFixed(3)}${boundSeparator}${segment.end.toFixed(3)}`).join(pairSeparator);
}

/** Merges overlapping, touching and repeated segments into the fewest, sorted. */
export function unionSegments(segments: readonly Segment[]): Segment[] {
  const sorted = segments.filter((segment) => segment.end >= segment.start).toSorted((a, b) => a.start - b.start || a.end - b.end);
  const merged: Segment[] = [];
  for (const segment of sorted) {
    const last = merged.at(-1);
    if (last && segment.start <= last.end) last.end = Math.max(last.end, segment.end);
    else merged.push({ start: segment.start, end: segment.end });
  }
  return merged;
}

/** Share of a clip of `length` seconds that the segments cover, 0–1. */
export function playedFraction(segments: readonly Segment[], length: number): number {
  if (!(length > 0)) return 0;
  const covered = unionSegments(segments).reduce((total, segment) => total + Math.max(0, Math.min(segment.end, length) - Math.max(segment.start, 0)), 0);
  return Math.min(1, covered / length);
}

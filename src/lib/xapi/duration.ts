/**
 * ISO 8601 durations as xAPI uses them in `result.duration`.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md#46-iso-8601-durations
 */

const durationPattern =
  /^P(?:(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?)(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;

/** Whether `text` is an ISO 8601 duration such as "PT1M30.5S" (not "P" or "PT"; weeks only on their own, as "P4W"). */
export function isIsoDuration(text: string): boolean {
  if (text.includes('W') && !/^P\d+(?:\.\d+)?W$/.test(text)) return false;
  return durationPattern.test(text) && text !== 'P' && !text.endsWith('T');
}

/** Writes seconds as an ISO 8601 duration to the hundredth: 90.5 → "PT1M30.5S". */
export function isoDurationOf(seconds: number): string {
  const hundredths = Math.round(Math.max(0, seconds) * 100);
  const hours = Math.floor(hundredths / 360_000);
  const minutes = Math.floor((hundredths % 360_000) / 6_000);
  const rest = (hundredths % 6_000) / 100;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest || (!hours && !minutes) ? `${rest}S` : ''}`;
}

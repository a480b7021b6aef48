/** Calendar arithmetic for renewal, in UTC so every device agrees on the date. */

const dayMs = 24 * 60 * 60 * 1000;

/**
 * When a completion made at `completedAt` needs renewing: the same day
 * `months` later, or the last day of that month when it is shorter
 * (31 January + 1 month = 28 or 29 February).
 */
export function renewalDateOf(completedAt: Date, months: number): Date {
  const year = completedAt.getUTCFullYear();
  const month = completedAt.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(completedAt.getUTCDate(), lastDay),
      completedAt.getUTCHours(),
      completedAt.getUTCMinutes(),
      completedAt.getUTCSeconds(),
      completedAt.getUTCMilliseconds(),
    ),
  );
}

/** The moment `days` whole days before `date`. */
export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * dayMs);
}

/** Whole minutes as people say them. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const hourText = `${hours} hour${hours === 1 ? '' : 's'}`;
  return rest === 0 ? hourText : `${hourText} ${rest} minute${rest === 1 ? '' : 's'}`;
}

/** Months as people say them: "1 year", "6 months", "2 years". */
export function formatMonths(months: number): string {
  if (months % 12 === 0) return `${months / 12} year${months === 12 ? '' : 's'}`;
  return `${months} month${months === 1 ? '' : 's'}`;
}

/** How often something is renewed, as people say it: "every year", "every 6 months", "every 2 years". */
export function formatRenewal(months: number): string {
  if (months === 1) return 'every month';
  if (months === 12) return 'every year';
  return `every ${formatMonths(months)}`;
}

/**
 * Small charts for the lead, as SVG text: where people stand (stacked bars per
 * organisation or role) and completions week by week. Each chart has a title and
 * a description for screen readers, patterns as well as colour, and sits beside
 * a data table with the same figures (the page draws both). No charting library:
 * a few rectangles and text.
 */
export interface StandingCount {
  label: string;
  completed: number;
  due: number;
  expired: number;
  incomplete: number;
}

export interface WeekCount {
  /** Monday of the week. @example "2026-11-23" */
  week: string;
  completions: number;
}

/** The four standings in the order bars stack them, with the words a lead reads and how each is drawn. */
export const standings = [
  { key: 'completed', label: 'Completed', fill: '#00703c', pattern: undefined },
  { key: 'due', label: 'Due for renewal', fill: '#f47738', pattern: 'diagonal' },
  { key: 'expired', label: 'Expired', fill: '#d4351c', pattern: 'cross' },
  { key: 'incomplete', label: 'Still to do', fill: '#ffffff', pattern: 'dots' },
] as const;

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Pattern definitions, ids prefixed so two charts on one page do not clash. */
function patternDefs(prefix: string): string {
  return (
    `<defs>` +
    `<pattern id="${prefix}-diagonal" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="8" height="8" fill="#f47738"/><rect width="3" height="8" fill="#0b0c0c" fill-opacity="0.55"/></pattern>` +
    `<pattern id="${prefix}-cross" width="8" height="8" patternUnits="userSpaceOnUse">` +
    `<rect width="8" height="8" fill="#d4351c"/><path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-width="1.5"/></pattern>` +
    `<pattern id="${prefix}-dots" width="6" height="6" patternUnits="userSpaceOnUse">` +
    `<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.2" fill="#505a5f"/></pattern>` +
    `</defs>`
  );
}

const fillOf = (prefix: string, standing: (typeof standings)[number]) => (standing.pattern ? `url(#${prefix}-${standing.pattern})` : standing.fill);

/** Accessible wrapper: role="img" named by the title, described by the description. */
function svgOpen(prefix: string, width: number, height: number, title: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" class="chart">` +
    `<title id="${prefix}-title">${escapeXml(title)}</title><desc id="${prefix}-desc">${escapeXml(description)}</desc>`
  );
}

const total = (row: StandingCount) => row.completed + row.due + row.expired + row.incomplete;

/** One stacked bar per row (organisation or role), as shares of its people, with a legend. */
export function standingChartSvg(rows: readonly StandingCount[], options: { id: string; title: string; description: string }): string {
  const prefix = options.id.replace(/[^a-z0-9-]/gi, '');
  const labelWidth = 220;
  const barWidth = 440;
  const rowHeight = 34;
  const legendHeight = 40;
  const width = labelWidth + barWidth + 70;
  const height = legendHeight + rows.length * rowHeight + 10;
  const legend = standings
    .map((standing, index) => {
      const x = index * 170;
      return (
        `<rect x="${x}" y="8" width="18" height="18" fill="${fillOf(prefix, standing)}" stroke="#0b0c0c"/>` +
        `<text x="${x + 24}" y="22" font-size="14" fill="#0b0c0c">${escapeXml(standing.label)}</text>`
      );
    })
    .join('');
  const bars = rows
    .map((row, index) => {
      const y = legendHeight + index * rowHeight;
      const people = total(row);
      let x = labelWidth;
      const segments = standings
        .map((standing) => {
          const count = row[standing.key];
          if (people === 0 || count === 0) return '';
          const w = (count / people) * barWidth;
          const rect = `<rect x="${x.toFixed(1)}" y="${y + 6}" width="${w.toFixed(1)}" height="22" fill="${fillOf(prefix, standing)}" stroke="#0b0c0c" stroke-width="1"/>`;
          x += w;
          return rect;
        })
        .join('');
      const share = people === 0 ? 0 : Math.round(((row.completed + row.due) / people) * 100);
      const label = row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label;
      return (
        `<text x="${labelWidth - 8}" y="${y + 22}" font-size="14" text-anchor="end" fill="#0b0c0c">${escapeXml(label)}</text>` +
        segments +
        `<text x="${labelWidth + barWidth + 8}" y="${y + 22}" font-size="14" fill="#0b0c0c">${share}%</text>`
      );
    })
    .join('');
  return `${svgOpen(prefix, width, height, options.title, options.description)}${patternDefs(prefix)}<g aria-hidden="true">${legend}${bars}</g></svg>`;
}

/** One column per week with its count above it; weeks labelled by day and month. */
export function weeklyChartSvg(
  weeks: readonly WeekCount[],
  options: { id: string; title: string; description: string; formatWeek: (week: string) => string },
): string {
  const prefix = options.id.replace(/[^a-z0-9-]/gi, '');
  const columnWidth = 52;
  const plotHeight = 160;
  const top = 24;
  const width = Math.max(weeks.length, 1) * columnWidth + 20;
  const height = top + plotHeight + 40;
  const most = Math.max(1, ...weeks.map((week) => week.completions));
  const columns = weeks
    .map((week, index) => {
      const x = 10 + index * columnWidth;
      const h = (week.completions / most) * plotHeight;
      const y = top + plotHeight - h;
      return (
        (week.completions > 0
          ? `<rect x="${x + 8}" y="${y.toFixed(1)}" width="${columnWidth - 16}" height="${h.toFixed(1)}" fill="#1d70b8" stroke="#0b0c0c"/>`
          : '') +
        `<text x="${x + columnWidth / 2}" y="${(y - 6).toFixed(1)}" font-size="13" text-anchor="middle" fill="#0b0c0c">${week.completions}</text>` +
        `<text x="${x + columnWidth / 2}" y="${top + plotHeight + 20}" font-size="12" text-anchor="middle" fill="#0b0c0c">${escapeXml(options.formatWeek(week.week))}</text>`
      );
    })
    .join('');
  const axis = `<line x1="10" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#0b0c0c"/>`;
  return `${svgOpen(prefix, width, height, options.title, options.description)}<g aria-hidden="true">${axis}${columns}</g></svg>`;
}

/** A sentence summing up a standing chart, for its description. */
export function describeStandings(rows: readonly StandingCount[], what: string): string {
  if (rows.length === 0) return `No confirmed learners yet, so there is nothing to show by ${what}.`;
  const parts = rows.map((row) => {
    const people = total(row);
    return `${row.label}: ${row.completed + row.due} of ${people} completed${row.expired > 0 ? `, ${row.expired} expired` : ''}`;
  });
  return `Share of people with everything their role requires, by ${what}. ${parts.join('; ')}.`;
}

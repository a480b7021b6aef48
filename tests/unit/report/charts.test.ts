import { describe, expect, it } from 'vitest';
import { describeStandings, standingChartSvg, weeklyChartSvg } from '../../../src/lib/report/charts.ts';

const rows = [
  { label: 'Northgate <Library>', completed: 6, due: 2, expired: 1, incomplete: 1 },
  { label: 'Riverside Centre', completed: 0, due: 0, expired: 0, incomplete: 4 },
];

describe('standing chart', () => {
  const svg = standingChartSvg(rows, {
    id: 'by-organisation',
    title: 'Where staff stand, by organisation',
    description: describeStandings(rows, 'organisation'),
  });

  it('is an image named by its title and described in words', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="by-organisation-title by-organisation-desc"/);
    expect(svg).toContain('<title id="by-organisation-title">Where staff stand, by organisation</title>');
    expect(svg).toContain('Northgate &#60;Library&#62;: 8 of 10 completed, 1 expired; Riverside Centre: 0 of 4 completed.');
    expect(svg).not.toContain('<Library>');
  });

  it('draws due, expired and still-to-do with patterns, not colour alone', () => {
    expect(svg).toContain('fill="url(#by-organisation-diagonal)"');
    expect(svg).toContain('fill="url(#by-organisation-cross)"');
    expect(svg).toContain('fill="url(#by-organisation-dots)"');
    expect(svg).toContain('80%');
    expect(svg).toContain('>0%<');
  });

  it('says so when there is nobody yet', () => {
    expect(describeStandings([], 'role')).toBe('No confirmed learners yet, so there is nothing to show by role.');
  });
});

describe('weekly chart', () => {
  it('shows every week, empty ones at zero, with its count', () => {
    const svg = weeklyChartSvg(
      [
        { week: '2026-11-16', completions: 0 },
        { week: '2026-11-23', completions: 5 },
      ],
      { id: 'weeks', title: 'Completions by week', description: '5 completions in the week of 23 November', formatWeek: (week) => week.slice(5) },
    );
    expect(svg).toContain('>11-16<');
    expect(svg).toContain('>5<');
    expect(svg.match(/<rect /g)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { filesReportHtml, pageButtonsHtml, rowHtml, shownText } from '../../../src/pages/lead/_lead-html.ts';

describe('the lead table as HTML', () => {
  it('escapes names, organisations and places, which are data, never markup', () => {
    const html = rowHtml({
      name: '<img src=x onerror=alert(1)>',
      organisation: 'Smith & "Sons"',
      district: undefined,
      role: 'Library staff',
      status: 'incomplete',
      cells: [{ status: 'not-required' }],
    } as unknown as Parameters<typeof rowHtml>[0]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('Smith &#38; &#34;Sons&#34;');
    expect(html).toContain('<span class="lead-none">Not given</span>');
  });

  it('names refused files first, with why, and escapes their names', () => {
    const html = filesReportHtml([
      { fileName: 'a.json', status: 'imported', message: 'Siân Llŷr' },
      { fileName: '<b>.pdf', status: 'edited', message: 'The integrity code does not match.' },
    ] as Parameters<typeof filesReportHtml>[0]);
    expect(html.indexOf('1 file not imported')).toBeLessThan(html.indexOf('1 file imported'));
    expect(html).toContain('<strong>&#60;b&#62;.pdf</strong>: Edited after it was made. The integrity code does not match.');
  });

  it('marks the current page among the page buttons', () => {
    expect(pageButtonsHtml(2, 3)).toContain('data-page="2" aria-label="Page 2" aria-current="page"');
    expect(pageButtonsHtml(2, 3).match(/aria-current/g)).toHaveLength(1);
  });

  it.each([
    [{ matching: 40, total: 40, page: 1, pageSize: 100, showingAll: false }, 'Showing all 40 people.'],
    [{ matching: 1, total: 40, page: 1, pageSize: 100, showingAll: false }, 'Showing 1 person of 40.'],
    [{ matching: 2000, total: 2000, page: 3, pageSize: 100, showingAll: false }, 'Showing people 201 to 300 of 2,000.'],
    [{ matching: 1500, total: 2000, page: 15, pageSize: 100, showingAll: false }, 'Showing people 1,401 to 1,500 of 1,500 (2,000 in all).'],
    [{ matching: 1500, total: 2000, page: 1, pageSize: 100, showingAll: true }, 'Showing all 1,500 people (2,000 in all).'],
  ])('says which rows are shown: %o', (shown, words) => {
    expect(shownText(shown)).toBe(words);
  });
});

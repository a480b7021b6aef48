import { describe, expect, it } from 'vitest';
import { deriveProgress } from '../../../src/lib/progress/index.ts';
import {
  actorKeyOf,
  cellText,
  completionMatrix,
  filterChoices,
  filterRows,
  latestProfiles,
  matrixCsv,
  describeConflicts,
  mergeHandedIn,
  requirementsOf,
  collator,
  sortRanksOf,
  sortRows,
  sortedPositions,
  staffOf,
  summarise,
  summaryCsv,
  type MatrixCell,
  type MatrixRow,
  type MatrixSort,
} from '../../../src/lib/report/index.ts';
import { modules } from '../../fixtures/learning-record/course.ts';
import { allStatements, catalogue, districts, matrix, now, passed, people, records, sightings, siteUrl } from './staff-fixture.ts';

const keyOf = (profile: { actorId: string }) => actorKeyOf({ homePage: siteUrl, name: profile.actorId });
const { staff } = staffOf(allStatements, sightings);
const report = completionMatrix({ staff, matrix, catalogue, siteUrl, districts, timeZone: 'Europe/London', now });
const rowOf = (name: string) => report.rows.find((row) => row.name === name) as MatrixRow;
const names = (rows: readonly MatrixRow[]) => rows.map((row) => row.name);

describe('merging handed-in files', () => {
  const nothingHeld = { statements: new Map(), sources: new Map() };

  it('adds each statement once, and counts the same content from another file (keys in another order, stored by an LRS) as a repeat', () => {
    const [first, ...rest] = records.sian;
    const { id, ...others } = first!;
    const reordered = { ...Object.fromEntries(Object.entries(others).reverse()), id, stored: '2026-03-01T00:00:00.000Z', version: '1.0.3' } as typeof first;
    const merges = mergeHandedIn(
      [
        { fileName: 'sian.json', statements: records.sian },
        { fileName: 'sian-lrs.json', statements: [reordered!, ...rest] },
        { fileName: 'dev.json', statements: records.dev },
      ],
      nothingHeld,
    );
    expect(merges.map((merge) => [merge.fresh.length, merge.repeated, merge.conflicts.length])).toEqual([
      [records.sian.length, 0, 0],
      [0, records.sian.length, 0],
      [records.dev.length, 0, 0],
    ]);
  });

  it('uses neither statement when two files in one import hold one id with different content, and names both', () => {
    const [first] = records.sian;
    const altered = { ...first!, timestamp: '2020-01-01T00:00:00.000Z' };
    const merges = mergeHandedIn(
      [
        { fileName: 'forged.json', statements: [altered] },
        { fileName: 'sian.json', statements: records.sian },
      ],
      nothingHeld,
    );
    expect(merges[0]).toEqual({ fresh: [], repeated: 0, conflicts: [{ statementId: first!.id, otherFiles: ['sian.json'], heldBefore: false }] });
    expect(merges[1]!.fresh).toEqual(records.sian.slice(1));
    expect(merges[1]!.conflicts).toEqual([{ statementId: first!.id, otherFiles: ['forged.json'], heldBefore: false }]);
    expect(describeConflicts('sian.json', merges[1]!.conflicts)).toBe(
      `sian.json and forged.json both hold statement ${first!.id} with different content; neither was used.`,
    );
  });

  it('keeps a statement held before and names the file that disagrees with it', () => {
    const [first, second] = records.sian;
    const held = {
      statements: new Map([
        [first!.id!, first!],
        [second!.id!, second!],
      ]),
      sources: new Map([[first!.id!, 'sian.json']]),
    };
    const forged = [
      { ...first!, result: { success: false } },
      { ...second!, timestamp: '2020-01-01T00:00:00.000Z' },
    ];
    const [merge] = mergeHandedIn([{ fileName: 'forged.json', statements: forged }], held);
    expect(merge!.fresh).toEqual([]);
    expect(describeConflicts('forged.json', merge!.conflicts)).toBe(
      `forged.json and sian.json, imported before, both hold statement ${first!.id} with different content; the one imported before is kept and this file’s was not used. ` +
        `forged.json and a file imported before both hold statement ${second!.id} with different content; the one imported before is kept and this file’s was not used.`,
    );
  });

  it('uses neither statement when one file holds an id twice with different content', () => {
    const [first] = records.sian;
    const [merge] = mergeHandedIn([{ fileName: 'twice.json', statements: [first!, { ...first!, timestamp: '2020-01-01T00:00:00.000Z' }] }], nothingHeld);
    expect(merge!.fresh).toEqual([]);
    expect(describeConflicts('twice.json', merge!.conflicts)).toBe(`twice.json holds statement ${first!.id} twice with different content; neither was used.`);
  });

  it('groups statements by account and lists everyone with a profile', () => {
    const { staff: grouped, withoutProfile } = staffOf(allStatements, sightings);
    expect(grouped.map((member) => [member.profile.name, member.statements.length])).toEqual([
      ['Siân Llŷr', 5],
      ['Dev Patel', 7],
      ['=HYPERLINK("x")', 2],
      ['Zoë Łukasiewicz', 0],
    ]);
    expect(withoutProfile).toEqual([]);
  });

  it('names accounts whose statements came without a profile', () => {
    const { staff: grouped, withoutProfile } = staffOf(allStatements, sightings.slice(1));
    expect(grouped).toHaveLength(3);
    expect(withoutProfile).toEqual([keyOf(people.sian)]);
  });

  it.each([
    ['a later file', '2026-06-12T09:00:00.000Z', 'Brookfield Libraries (Northgate branch)'],
    ['an earlier file', '2026-05-01T09:00:00.000Z', 'Brookfield Libraries'],
    ['a file of the same moment', '2026-06-10T09:00:00.000Z', 'Brookfield Libraries'],
  ])('takes the profile from %s only when it is newer', (_, asOf, organisation) => {
    const moved = { homePage: siteUrl, asOf, profile: { ...people.sian, organisation: 'Brookfield Libraries (Northgate branch)' } };
    const latest = latestProfiles([...sightings, moved]);
    expect(latest.get(keyOf(people.sian))?.profile.organisation).toBe(organisation);
  });
});

describe('completionMatrix', () => {
  it('has one column per item any role requires, in matrix order', () => {
    expect(requirementsOf(matrix, catalogue).map((requirement) => requirement.id)).toEqual([
      'family-hubs',
      'safeguarding-basics',
      'baby-hub-tour',
      'parental-conflict',
      'local-offer-briefing',
    ]);
  });

  it('has one row per person, sorted by name', () => {
    expect(names(report.rows)).toEqual(['=HYPERLINK("x")', 'Dev Patel', 'Siân Llŷr', 'Zoë Łukasiewicz']);
    expect(rowOf('Siân Llŷr')).toMatchObject({ organisation: 'Brookfield Libraries', role: 'Library staff', district: 'Northgate', status: 'due' });
    expect(rowOf('Zoë Łukasiewicz').district).toBe('');
  });

  it.each([
    ['Siân Llŷr', 'family-hubs', 'Completed 2026-01-10'],
    ['Siân Llŷr', 'safeguarding-basics', 'Due for renewal by 2026-07-01'],
    ['Siân Llŷr', 'baby-hub-tour', 'Completed 2026-02-01'],
    ['Siân Llŷr', 'parental-conflict', 'Not required'],
    ['Dev Patel', 'safeguarding-basics', 'Expired 2026-03-01'],
    ['Dev Patel', 'parental-conflict', 'Missing'],
    ['Dev Patel', 'local-offer-briefing', 'Completed 2026-05-01'],
    ['=HYPERLINK("x")', 'family-hubs', 'Completed 2026-04-01'],
    ['=HYPERLINK("x")', 'safeguarding-basics', 'Not required'],
    ['Zoë Łukasiewicz', 'family-hubs', 'Missing'],
  ])('shows %s on %s as "%s"', (name, itemId, text) => {
    const index = report.requirements.findIndex((requirement) => requirement.id === itemId);
    expect(cellText(rowOf(name).cells[index]!)).toBe(text);
  });

  it.each([
    ['Siân Llŷr', 'due'],
    ['Dev Patel', 'expired'],
    ['=HYPERLINK("x")', 'completed'],
    ['Zoë Łukasiewicz', 'incomplete'],
  ])("gives %s the overall status %s, as the learner's own page derives it", (name, status) => {
    const member = staff.find((candidate) => candidate.profile.name === name)!;
    const own = deriveProgress({ statements: member.statements, matrix, catalogue, roleId: member.profile.roleId, siteUrl, now });
    expect(rowOf(name).status).toBe(status);
    expect(own.status === 'completed' || own.status === 'due' || own.status === 'expired' ? own.status : 'incomplete').toBe(status);
  });

  it('turns due into expired once the renewal date passes', () => {
    const later = completionMatrix({ staff, matrix, catalogue, siteUrl, districts, timeZone: 'Europe/London', now: new Date('2026-07-02T00:00:00.000Z') });
    expect(later.rows.find((row) => row.name === 'Siân Llŷr')?.status).toBe('expired');
  });

  it('shows someone whose role the matrix no longer has, claiming nothing for them', () => {
    const gone = staffOf([], [{ homePage: siteUrl, asOf: '2026-06-01T00:00:00.000Z', profile: { ...people.zoe, roleId: 'mobile-library-driver' } }]);
    const [row] = completionMatrix({ staff: gone.staff, matrix, catalogue, siteUrl, timeZone: 'Europe/London', now }).rows;
    expect(row?.role).toBe('mobile-library-driver (not in the current matrix)');
    expect(row?.cells.every((cell) => cell.status === 'not-required')).toBe(true);
  });
});

describe('dates in the council’s time zone', () => {
  // A pass at 23:30 GMT on 31 May 2026 is 00:30 on 1 June in London (BST) and still 31 May in New York.
  const late = passed(people.formula, modules.familyHubs, '2026-05-31T23:30:00.000Z');
  const lateStaff = staffOf(late, [{ homePage: siteUrl, asOf: '2026-06-10T09:00:00.000Z', profile: people.formula }]).staff;
  const cellIn = (timeZone: string) =>
    completionMatrix({ staff: lateStaff, matrix, catalogue, siteUrl, timeZone, now }).rows[0]!.cells.find((cell) => cell.completedAt);

  it.each([
    ['Europe/London', '2026-06-01'],
    ['America/New_York', '2026-05-31'],
    ['Asia/Tokyo', '2026-06-01'],
  ])('gives each cell the day in %s, as the CSV writes it', (timeZone, day) => {
    expect(cellIn(timeZone)?.completedAt).toBe(day);
    const lateReport = completionMatrix({ staff: lateStaff, matrix, catalogue, siteUrl, timeZone, now });
    expect(matrixCsv(lateReport, lateReport.rows)).toContain(`Completed ${day}`);
  });
});

describe('filters and sorting', () => {
  it.each([
    [{ organisation: 'Brookfield Libraries' }, ['=HYPERLINK("x")', 'Siân Llŷr', 'Zoë Łukasiewicz']],
    [{ district: 'Riverside' }, ['Dev Patel']],
    [{ role: 'Library staff' }, ['Siân Llŷr', 'Zoë Łukasiewicz']],
    [{ status: 'incomplete' as const }, ['Zoë Łukasiewicz']],
    [{ organisation: 'Brookfield Libraries', status: 'due' as const }, ['Siân Llŷr']],
    [{ organisation: '', role: '' }, ['=HYPERLINK("x")', 'Dev Patel', 'Siân Llŷr', 'Zoë Łukasiewicz']],
  ])('filters by %j', (filter, expected) => {
    expect(names(filterRows(report.rows, filter))).toEqual(expected);
  });

  it('offers each organisation, district and role once', () => {
    expect(filterChoices(report.rows, 'organisation')).toEqual(['Brookfield Libraries', 'Jobcentre Plus Riverside']);
    expect(filterChoices(report.rows, 'district')).toEqual(['Eastmoor', 'Northgate', 'Riverside']);
  });

  const ids = report.requirements.map((requirement) => requirement.id);
  it.each<[MatrixSort, string[]]>([
    [{ column: 'name', direction: 'descending' }, ['Zoë Łukasiewicz', 'Siân Llŷr', 'Dev Patel', '=HYPERLINK("x")']],
    [{ column: 'organisation', direction: 'ascending' }, ['=HYPERLINK("x")', 'Siân Llŷr', 'Zoë Łukasiewicz', 'Dev Patel']],
    [{ column: 'district', direction: 'ascending' }, ['Zoë Łukasiewicz', '=HYPERLINK("x")', 'Siân Llŷr', 'Dev Patel']],
    [{ column: 'status', direction: 'ascending' }, ['Zoë Łukasiewicz', 'Dev Patel', 'Siân Llŷr', '=HYPERLINK("x")']],
    [{ column: { itemId: 'safeguarding-basics' }, direction: 'ascending' }, ['Zoë Łukasiewicz', 'Dev Patel', 'Siân Llŷr', '=HYPERLINK("x")']],
    [{ column: { itemId: 'family-hubs' }, direction: 'descending' }, ['=HYPERLINK("x")', 'Siân Llŷr', 'Dev Patel', 'Zoë Łukasiewicz']],
  ])('sorts by %j', (sort, expected) => {
    expect(names(sortRows(report.rows, sort, ids))).toEqual(expected);
  });

  it('sorts by ranks worked out once exactly as comparing with the collator each time would, for every column, both ways', () => {
    // Names and places the collator counts as equal ("Zoë" and "zoe"), numbers in names, and empty districts.
    const people = ['Zoë Ng', 'zoe ng', 'Unit 10', 'Unit 2', 'Ánh Lê', 'anh le', 'Dev Patel', 'Siân Llŷr', 'siân llŷr', '=HYPERLINK("x")'];
    const rows = people.flatMap((name, index) =>
      report.rows.map((row, copy) => ({
        ...row,
        key: `${index}-${copy}`,
        name,
        organisation: ['Brookfield Libraries', 'brookfield libraries', 'Unit 10', 'Unit 9'][(index + copy) % 4]!,
        district: ['', 'Eastmoor', 'eastmoor'][index % 3]!,
        cells: report.rows[(index + copy) % report.rows.length]!.cells,
        status: report.rows[(index * 3 + copy) % report.rows.length]!.status,
      })),
    );
    const cellRank = { missing: 0, expired: 1, due: 2, completed: 3, 'not-required': 4 };
    const staffRank = { incomplete: 0, expired: 1, due: 2, completed: 3 };
    const reference = (sort: MatrixSort) => {
      const sign = sort.direction === 'ascending' ? 1 : -1;
      const { column } = sort;
      const compare = (a: MatrixRow, b: MatrixRow): number => {
        if (typeof column === 'object') {
          const index = ids.indexOf(column.itemId);
          const [x, y] = [a.cells[index]!, b.cells[index]!];
          const date = (cell: MatrixCell) => cell.renewalDate ?? cell.completedAt ?? '';
          return cellRank[x.status] - cellRank[y.status] || date(x).localeCompare(date(y));
        }
        if (column === 'status') return staffRank[a.status] - staffRank[b.status];
        return collator.compare(a[column], b[column]);
      };
      return [...rows].sort((a, b) => sign * compare(a, b) || collator.compare(a.name, b.name) || a.key.localeCompare(b.key));
    };
    const ranks = sortRanksOf(rows);
    for (const column of ['name', 'organisation', 'district', 'role', 'status', ...ids.map((itemId) => ({ itemId }))] as const)
      for (const direction of ['ascending', 'descending'] as const) {
        const sort = { column, direction };
        const expected = reference(sort).map((row) => row.key);
        expect(
          sortRows(rows, sort, ids).map((row) => row.key),
          JSON.stringify(sort),
        ).toEqual(expected);
        expect(
          sortedPositions(rows, sort, ids, ranks).map((index) => rows[index]!.key),
          JSON.stringify(sort),
        ).toEqual(expected);
        // Sorting some of the rows (those a filter kept) gives them in the same order.
        const kept = rows.map((_, index) => index).filter((index) => index % 3 !== 0);
        expect(
          sortedPositions(rows, sort, ids, ranks, kept).map((index) => rows[index]!.key),
          JSON.stringify(sort),
        ).toEqual(expected.filter((key) => kept.some((index) => rows[index]!.key === key)));
      }
  });

  it('refuses a column the matrix does not have', () => {
    expect(() => sortRows(report.rows, { column: { itemId: 'knitting' }, direction: 'ascending' }, ids)).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: There is no requirement column "knitting" to sort by.]`,
    );
  });
});

describe('summary', () => {
  it('counts per organisation: complete, due in the next 30 days, expired', () => {
    expect(summarise(report.rows, 'organisation')).toMatchInlineSnapshot(`
      {
        "by": "organisation",
        "groups": [
          {
            "completed": 2,
            "completedPercent": 67,
            "dueSoon": 1,
            "expired": 0,
            "group": "Brookfield Libraries",
            "staff": 3,
          },
          {
            "completed": 0,
            "completedPercent": 0,
            "dueSoon": 0,
            "expired": 1,
            "group": "Jobcentre Plus Riverside",
            "staff": 1,
          },
        ],
        "total": {
          "completed": 2,
          "completedPercent": 50,
          "dueSoon": 1,
          "expired": 1,
          "group": "All staff",
          "staff": 4,
        },
      }
    `);
  });

  it('counts per role', () => {
    expect(summarise(report.rows, 'role').groups.map((row) => [row.group, row.staff, row.completedPercent])).toEqual([
      ['Jobcentre Plus work coach', 1, 0],
      ['Library staff', 2, 50],
      ['Volunteer or family hub champion', 1, 100],
    ]);
  });
});

describe('CSV export', () => {
  it('writes the matrix with formula-like names escaped', () => {
    expect(matrixCsv(report, report.rows).split('\r\n')).toEqual([
      '\uFEFFName,Organisation,District,Role,Overall,What family hubs are,Safeguarding basics,A tour of the baby hub,Reducing parental conflict,Local offer briefing',
      `"'=HYPERLINK(""x"")",Brookfield Libraries,Eastmoor,Volunteer or family hub champion,Completed,Completed 2026-04-01,Not required,Not required,Not required,Not required`,
      'Dev Patel,Jobcentre Plus Riverside,Riverside,Jobcentre Plus work coach,Expired,Completed 2025-11-01,Expired 2026-03-01,Not required,Missing,Completed 2026-05-01',
      'Siân Llŷr,Brookfield Libraries,Northgate,Library staff,Due for renewal,Completed 2026-01-10,Due for renewal by 2026-07-01,Completed 2026-02-01,Not required,Not required',
      'Zoë Łukasiewicz,Brookfield Libraries,,Library staff,Incomplete,Missing,Missing,Missing,Not required,Not required',
      '',
    ]);
  });

  it('writes both summaries in one file', () => {
    expect(summaryCsv([summarise(report.rows, 'organisation'), summarise(report.rows, 'role')]).split('\r\n')).toEqual([
      '\uFEFFGrouped by,Group,Staff,Completed,Completed (%),Due in the next 30 days,Expired',
      'Organisation,Brookfield Libraries,3,2,67,1,0',
      'Organisation,Jobcentre Plus Riverside,1,0,0,0,1',
      'Organisation,All staff,4,2,50,1,1',
      'Role,Jobcentre Plus work coach,1,0,0,0,1',
      'Role,Library staff,2,1,50,1,0',
      'Role,Volunteer or family hub champion,1,1,100,0,0',
      'Role,All staff,4,2,50,1,1',
      '',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { readCourse } from '../../../src/lib/content/read.ts';
import { catalogueOf, formatMinutes, formatMonths, formatRenewal, itemPath, learningPlan, renewalFor, UnknownRoleError } from '../../../src/lib/plan/index.ts';

const course = readCourse(new URL('../../fixtures/course', import.meta.url).pathname);
const catalogue = catalogueOf(course.modules, course.films, course.webinars);

describe('learningPlan', () => {
  it('turns a role into its items, level, minutes and renewal', () => {
    const plan = learningPlan(course.matrix, catalogue, 'library-staff');
    expect({
      level: plan.level.name,
      items: plan.items.map((item) => `${item.required ? 'required' : 'recommended'} ${item.kind} ${item.id} ${item.minutes}min renew ${item.renewal.months}m`),
      requiredMinutes: plan.requiredMinutes,
      recommendedMinutes: plan.recommendedMinutes,
      renewalMonths: plan.renewalMonths,
      matrixVersion: plan.matrixVersion,
    }).toMatchInlineSnapshot(`
      {
        "items": [
          "required module first-steps 11min renew 24m",
          "required module keeping-safe 12min renew 12m",
          "recommended film stay-and-play 2min renew 24m",
        ],
        "level": "Front door",
        "matrixVersion": "test.1",
        "recommendedMinutes": 2,
        "renewalMonths": 12,
        "requiredMinutes": 23,
      }
    `);
  });

  it('counts a film in whole minutes, rounding up', () => {
    expect(catalogue['stay-and-play']?.minutes).toBe(2);
  });

  it('uses the default renewal for items the matrix does not list', () => {
    expect(renewalFor(course.matrix, 'first-steps')).toEqual({ months: 24, basis: 'Fixture policy.' });
    expect(renewalFor(course.matrix, 'keeping-safe').months).toBe(12);
  });

  it('names the role it cannot find', () => {
    expect(() => learningPlan(course.matrix, catalogue, 'librarian')).toThrow(UnknownRoleError);
    expect(() => learningPlan(course.matrix, catalogue, 'librarian')).toThrowErrorMatchingInlineSnapshot(
      `[UnknownRoleError: There is no role 'librarian' in the workforce development matrix.]`,
    );
  });

  it.each(course.matrix.roles.map((role) => role.id))('builds a plan for every fixture role (%s)', (roleId) => {
    const plan = learningPlan(course.matrix, catalogue, roleId);
    expect(plan.items.filter((item) => item.required).map((item) => item.id)).toEqual(course.matrix.roles.find((role) => role.id === roleId)?.required);
  });
});

describe('formatMinutes and formatMonths', () => {
  it.each([
    [1, '1 minute'],
    [45, '45 minutes'],
    [60, '1 hour'],
    [61, '1 hour 1 minute'],
    [135, '2 hours 15 minutes'],
  ])('writes %i minutes as "%s"', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
  it.each([
    [1, '1 month'],
    [6, '6 months'],
    [12, '1 year'],
    [24, '2 years'],
    [18, '18 months'],
  ])('writes %i months as "%s"', (months, text) => {
    expect(formatMonths(months)).toBe(text);
  });
  it.each([
    [1, 'every month'],
    [6, 'every 6 months'],
    [12, 'every year'],
    [24, 'every 2 years'],
    [18, 'every 18 months'],
  ])('writes a renewal of %i months as "%s"', (months, text) => {
    expect(formatRenewal(months)).toBe(text);
  });
});

describe('itemPath', () => {
  it.each([
    [{ kind: 'module', id: 'safeguarding-basics' } as const, '/modules/safeguarding-basics/'],
    [{ kind: 'film', id: 'stay-and-play' } as const, '/films/stay-and-play/'],
  ])('%j → %s', (item, path) => {
    expect(itemPath(item)).toBe(path);
  });
});

/**
 * The course the browser tests run against: whatever courses/ holds, so the journeys
 * pass for any council's content, not only the demonstration council's. The roles,
 * modules and clips each journey uses are picked from the course here, once.
 */
import { readCourse } from '../../src/lib/content/read.ts';
import type { Role } from '../../src/lib/content/schema.ts';

export const course = readCourse(process.cwd());

/** Whether an item id names a module (otherwise it is a film clip). */
export const isModule = (id: string): boolean => id in course.modules;

/** A role's required modules, in the order to take them. */
export const requiredModulesOf = (role: Role): string[] => role.required.filter(isModule);

/** The title of a module or film. */
export const titleOf = (id: string): string => (course.modules[id] ?? course.films[id])?.title ?? id;

function pick<T>(found: T | undefined, what: string): T {
  if (found === undefined) throw new Error(`The browser tests need ${what} in courses/.`);
  return found;
}

/**
 * The learner's role in the journeys: the first role with at least two required
 * modules, preferring one that requires nothing else (Library staff in the demonstration).
 */
export const journeyRole: Role = pick(
  course.matrix.roles.find((role) => requiredModulesOf(role).length >= 2 && role.required.every(isModule)) ??
    course.matrix.roles.find((role) => requiredModulesOf(role).length >= 2),
  'a role with at least two required modules',
);

/** The journey role's required modules, in order. */
export const journeyModules = requiredModulesOf(journeyRole);

/** A role to change to from the journey role. */
export const otherRole: Role = pick(
  course.matrix.roles.find((role) => role.id !== journeyRole.id),
  'at least two roles',
);

/** The quiz the keyboard journey takes: the first with a multiple-choice question that has more than one right answer. */
export const quizModule: string = pick(
  Object.keys(course.modules).find((id) =>
    course.quizzes[id]?.questions.some((question) => question.type === 'multiple' && question.options.filter((option) => option.correct).length > 1),
  ),
  'a quiz with a multiple-choice question that has more than one right answer',
);

/** The film the player journey watches: the first clip of at least 40 seconds, long enough to play, pause and skip in. */
export const journeyFilm: string = pick(
  Object.keys(course.films).find((id) => course.films[id]!.duration >= 40),
  'a film clip of at least 40 seconds',
);

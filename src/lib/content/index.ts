export * from './schema.ts';
export { ContentError, formatProblem, type ContentProblem } from './errors.ts';
export { crossCheckCourse, coursePaths, type Course } from './check.ts';

export * from './schema.ts';
export { ContentError, formatProblem, type ContentProblem } from './errors.ts';
export { checkLessonContacts, crossCheckCourse, coursePaths, type Course } from './check.ts';
export { absoluteWordIn, absoluteWords, guessAnswer, reviewQuizFairness, reviewRoleFit, reviewSelectAllCounts, roleFitRules, type Guess } from './review.ts';
export * from './webinar.ts';

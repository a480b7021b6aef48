/** Quiz logic without a page: scoring, option order and reading embedded quiz data. */
export { responseOf, scoreAttempt, scoreQuestion, unansweredQuestions, type Answers, type AttemptResult, type QuestionResult } from './score.ts';
export { optionOrder, shuffleWithSeed } from './shuffle.ts';
export { parseQuizData, QuizDataError } from './data.ts';

/**
 * Scoring a quiz attempt. Every question is right or wrong as a whole: on a
 * multiple-choice question the learner must choose exactly the correct options,
 * so a partial answer is wrong.
 */
import type { Question, Quiz } from '../content/schema.ts';

/** The options a learner chose, by question id (authored option ids). */
export type Answers = Readonly<Record<string, readonly string[]>>;

/** How one question went. */
export interface QuestionResult {
  questionId: string;
  /** Option ids the learner chose, in the author's order. */
  chosen: string[];
  /** Option ids the author marked correct, in the author's order. */
  correct: string[];
  success: boolean;
  /** The xAPI interaction response: option ids joined by `[,]`, in the author's order. */
  response: string;
}

/** How one attempt went. */
export interface AttemptResult {
  questions: QuestionResult[];
  /** Questions answered correctly. */
  correctCount: number;
  total: number;
  /** Share of questions right, 0–1, as xAPI's `result.score.scaled`. */
  scaled: number;
  passMark: number;
  passed: boolean;
}

/**
 * Separator between ids in an xAPI choice interaction response.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md#response-patterns
 */
const responseSeparator = '[,]';

/** Builds the xAPI response string for the chosen option ids, in the author's order. */
export function responseOf(question: Question, chosen: Iterable<string>): string {
  return inAuthoredOrder(question, chosen).join(responseSeparator);
}

/** Scores one question from the option ids the learner chose. */
export function scoreQuestion(question: Question, chosen: Iterable<string>): QuestionResult {
  const picked = inAuthoredOrder(question, chosen);
  const correct = question.options.filter((option) => option.correct).map((option) => option.id);
  const success = picked.length === correct.length && correct.every((id) => picked.includes(id));
  return { questionId: question.id, chosen: picked, correct, success, response: picked.join(responseSeparator) };
}

/** Question ids the learner has not answered yet, in the quiz's order. */
export function unansweredQuestions(quiz: Quiz, answers: Answers): string[] {
  return quiz.questions.filter((question) => inAuthoredOrder(question, answers[question.id] ?? []).length === 0).map((question) => question.id);
}

/** Scores a whole attempt against the quiz's pass mark. */
export function scoreAttempt(quiz: Quiz, answers: Answers): AttemptResult {
  const questions = quiz.questions.map((question) => scoreQuestion(question, answers[question.id] ?? []));
  const correctCount = questions.filter((result) => result.success).length;
  const total = questions.length;
  const scaled = total === 0 ? 0 : correctCount / total;
  // Compare counts, not floats: 4 of 5 against 0.8 must pass however 0.8 rounds.
  const passed = correctCount >= Math.ceil(quiz.passMark * total - 1e-9);
  return { questions, correctCount, total, scaled, passMark: quiz.passMark, passed };
}

/** Keeps only ids the question has, once each, in the author's order. */
function inAuthoredOrder(question: Question, chosen: Iterable<string>): string[] {
  const wanted = new Set(chosen);
  return question.options.filter((option) => wanted.has(option.id)).map((option) => option.id);
}

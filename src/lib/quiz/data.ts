/**
 * Reading the quiz a page embeds as JSON. The page prints data the build already
 * validated with `quizSchema`, so this checks only that the shape arrived whole,
 * without shipping zod to the browser.
 */
import type { Quiz } from '../content/schema.ts';

/** The embedded quiz data is missing or not the shape the build writes. */
export class QuizDataError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`The quiz on this page could not be read: ${reason}. Rebuild the site; if it persists, check the module's quiz.yaml.`);
    this.name = 'QuizDataError';
    this.reason = reason;
  }
}

/** Parses the quiz JSON a page embeds. @throws QuizDataError */
export function parseQuizData(json: string | null | undefined): Quiz {
  if (!json || !json.trim()) throw new QuizDataError('no quiz data found');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new QuizDataError('the quiz data is not valid JSON');
  }
  if (
    !isRecord(data) ||
    typeof data['passMark'] !== 'number' ||
    typeof data['shuffle'] !== 'boolean' ||
    !Array.isArray(data['questions']) ||
    data['questions'].length === 0
  ) {
    throw new QuizDataError('expected passMark, shuffle and at least one question');
  }
  data['questions'].forEach((question: unknown, index: number) => {
    const where = `question ${index + 1}`;
    if (!isRecord(question) || typeof question['id'] !== 'string' || typeof question['prompt'] !== 'string')
      throw new QuizDataError(`${where} has no id or prompt`);
    if (!['single', 'multiple', 'true-false', 'scenario'].includes(String(question['type']))) throw new QuizDataError(`${where} has an unknown type`);
    const options = question['options'];
    if (!Array.isArray(options) || options.length < 2) throw new QuizDataError(`${where} needs at least two options`);
    options.forEach((option: unknown, optionIndex: number) => {
      if (
        !isRecord(option) ||
        typeof option['id'] !== 'string' ||
        typeof option['text'] !== 'string' ||
        typeof option['correct'] !== 'boolean' ||
        typeof option['feedback'] !== 'string'
      ) {
        throw new QuizDataError(`option ${optionIndex + 1} of ${where} needs id, text, correct and feedback`);
      }
    });
  });
  return data as Quiz;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { z } from 'zod';
import { problemsOf } from '../problems/index.ts';

/** One thing wrong with the course content, located by file and field. */
export interface ContentProblem {
  /** Path of the file, relative to the project. @example "courses/matrix.yaml" */
  file: string;
  /** Field path inside the file. @example "roles[2].required[1]" */
  field: string;
  message: string;
}

/** Thrown when `courses/` holds a mistake; the message lists every problem, one per line. */
export class ContentError extends Error {
  readonly problems: ContentProblem[];
  constructor(problems: ContentProblem[]) {
    super(`The course content has ${problems.length === 1 ? 'a mistake' : `${problems.length} mistakes`}:\n` + problems.map(formatProblem).join('\n'));
    this.name = 'ContentError';
    this.problems = problems;
  }
}

/** `courses/matrix.yaml: roles[2].required[1]: no module, film or webinar 'safegarding'` */
export function formatProblem(problem: ContentProblem): string {
  return problem.field ? `${problem.file}: ${problem.field}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

/** Turns zod issues into problems for one file. */
export function problemsFromZod(file: string, error: z.ZodError): ContentProblem[] {
  return problemsOf(error).map((problem) => ({ file, field: problem.field, message: problem.reason }));
}

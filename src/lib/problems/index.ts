/**
 * The one way zod's issues become words: one problem per field, each field
 * named as the person who wrote the data would look for it
 * (`roles[2].required[1]`), never as zod's raw path (`roles.2.required.1`).
 */
/** One thing wrong with some data: where, and what. */
export interface FieldProblem {
  /** The field's path, or "" for the whole thing. @example "roles[2].required[1]" */
  field: string;
  /** What is wrong with it. @example "must be a UUID" */
  reason: string;
}

/** Writes a path such as ['roles', 2, 'required', 1] as `roles[2].required[1]`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** What zod (classic or mini) reports: its issues, each with a path and a message. */
export interface ZodIssues {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}

/** One problem per zod issue, with the field written by `formatFieldPath`. */
export function problemsOf(error: ZodIssues): FieldProblem[] {
  return error.issues.map((issue) => ({ field: formatFieldPath(issue.path), reason: issue.message }));
}

/**
 * Problems on one line: `roles[2].name: is missing; version: must be a string`.
 * A problem with the whole thing is named `whole`.
 */
export function describeProblems(problems: readonly FieldProblem[], whole = 'it'): string {
  return problems.map((problem) => `${problem.field || whole}: ${problem.reason}`).join('; ');
}

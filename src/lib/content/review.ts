/**
 * Reviews of a course that a schema cannot make: whether a quiz can be passed
 * without knowing the answers, and whether the matrix gives every role the
 * learning it needs. Pure: they take parsed content and return problems.
 */
import { coursePaths } from './check.ts';
import type { ContentProblem } from './errors.ts';
import { scoreAttempt } from '../quiz/score.ts';
import type { Matrix, Question, Quiz } from './schema.ts';

/**
 * Words that make a statement sound too strong to be true. A learner who has
 * not read the lesson can answer a true-false question from them alone.
 */
export const absoluteWords = ['only', 'never', 'always', 'must', 'all', 'every', 'everyone', 'everything', 'none', 'nobody', 'nothing'] as const;

const absolutePattern = new RegExp(`\\b(${absoluteWords.join('|')})\\b`, 'i');

/** The first absolute word in a text, if any. @example absoluteWordIn("It is only ever one building") === "only" */
export function absoluteWordIn(text: string): string | undefined {
  return absolutePattern.exec(text)?.[1]?.toLowerCase();
}

/** A way of answering without knowing: always the longest option, or always the shortest. */
export type Guess = 'longest' | 'shortest';

const length = (text: string) => text.trim().length;

/**
 * The options a test-wise learner picks without knowing the answer. On a
 * true-false question they answer "False" when the statement holds an absolute
 * word and "True" when it does not. Elsewhere they follow `guess`: on a
 * single-answer question the longest (or shortest) option, and where options
 * tie they are given the right one if it is among them; on a select-all
 * question every option except the shortest (or the longest), the pattern of
 * "three right and one absurd".
 */
export function guessAnswer(question: Question, guess: Guess): string[] {
  if (question.type === 'true-false') {
    const wanted = absoluteWordIn(question.prompt) ? 'false' : 'true';
    return question.options.filter((option) => option.text.trim().toLowerCase() === wanted).map((option) => option.id);
  }
  const lengths = question.options.map((option) => length(option.text));
  if (question.type === 'multiple') {
    const left = guess === 'longest' ? Math.min(...lengths) : Math.max(...lengths);
    return question.options.filter((_, index) => lengths[index] !== left).map((option) => option.id);
  }
  const extreme = guess === 'longest' ? Math.max(...lengths) : Math.min(...lengths);
  const tied = question.options.filter((_, index) => lengths[index] === extreme);
  return [(tied.find((option) => option.correct) ?? tied[0])!.id];
}

/**
 * Problems with one quiz: any way of guessing that would pass it, scored by
 * the quiz's own scorer, naming the questions that gave themselves away.
 */
export function reviewQuizFairness(moduleId: string, quiz: Quiz): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const guess of ['longest', 'shortest'] as const) {
    const answers = Object.fromEntries(quiz.questions.map((question) => [question.id, guessAnswer(question, guess)]));
    const result = scoreAttempt(quiz, answers);
    if (!result.passed) continue;
    const given = quiz.questions.filter((_, index) => result.questions[index]!.success);
    const clues = given.map((question) => {
      if (question.type !== 'true-false') return `${question.id} (${guess} ${question.type === 'multiple' ? 'options' : 'option'})`;
      const word = absoluteWordIn(question.prompt);
      return `${question.id} (${word ? `says "${word}" and is false` : 'has no absolute word and is true'})`;
    });
    problems.push({
      file: coursePaths.quiz(moduleId),
      field: 'questions',
      message: `a learner who always picks the ${guess} option, and answers true-false from absolute words such as "only" or "never", scores ${result.correctCount} of ${result.total} and passes. Right by guessing: ${clues.join(', ')}`,
    });
  }
  return problems;
}

/**
 * Problems across a course's select-all questions: if every one has the same
 * number of right answers, a learner can count instead of reading.
 */
export function reviewSelectAllCounts(quizzes: Record<string, Quiz>): ContentProblem[] {
  const counts = new Map<number, string[]>();
  for (const [moduleId, quiz] of Object.entries(quizzes)) {
    for (const question of quiz.questions) {
      if (question.type !== 'multiple') continue;
      const right = question.options.filter((option) => option.correct).length;
      counts.set(right, [...(counts.get(right) ?? []), `${coursePaths.quiz(moduleId)} ${question.id}`]);
    }
  }
  const total = [...counts.values()].reduce((sum, ids) => sum + ids.length, 0);
  if (total < 2 || counts.size >= 2) return [];
  const [[right, where] = [0, []]] = [...counts.entries()];
  return [
    {
      file: 'courses/modules',
      field: '',
      message: `all ${total} "select all that apply" questions have ${right} right answers; vary how many are right (${where.join('; ')})`,
    },
  ];
}

/** Module ids the matrix must give to roles, when the course has those modules. */
export const roleFitRules = {
  /** Domestic abuse can come up at any counter, so every role learns it. */
  everyRole: 'domestic-abuse',
  /** Reception staff make referrals, so they learn how. */
  receptionists: 'local-offer-and-referrals',
} as const;

/** Roles whose id or name says they work on a reception or front desk. */
const isReception = (role: Matrix['roles'][number]) => /reception|front[ -]desk/i.test(`${role.id} ${role.name}`);

/**
 * Problems with who must learn what: every role requires the domestic abuse
 * module, and reception roles require local offer and referrals, whenever the
 * course has those modules.
 */
export function reviewRoleFit(matrix: Matrix, moduleIds: readonly string[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  matrix.roles.forEach((role, index) => {
    const missing = (id: string, why: string) => {
      if (moduleIds.includes(id) && !role.required.includes(id)) {
        problems.push({ file: coursePaths.matrix, field: `roles[${index}].required`, message: `role '${role.id}' must require '${id}': ${why}` });
      }
    };
    missing(roleFitRules.everyRole, 'every role meets families who may be living with domestic abuse');
    if (isReception(role)) missing(roleFitRules.receptionists, 'reception staff make referrals');
  });
  return problems;
}

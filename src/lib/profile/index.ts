/**
 * The learner profile: who is learning, for which role. Chosen on first visit,
 * changeable later; the actor id stays the same so the record stays theirs.
 */
import { describeProblems, problemsOf } from '../problems/index.ts';
import { idMessage, idPattern } from '../content/id.ts';
import { z } from './zod.ts';

/** A role or district id, as the content uses them. @example "library-staff" */
const idSchema = z.string().check(z.regex(idPattern, idMessage));

/** Empty form fields mean "not given"; the field may also be left out. */
const optional = <S extends z.ZodMiniType>(schema: S) =>
  z.optional(
    z.pipe(
      z.transform((value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)),
      z.optional(schema),
    ),
  );

/** A person's words: kept as written in any script, trimmed, normalised so "ŷ" typed two ways is one name. */
const textSchema = (what: string) =>
  z.pipe(
    z
      .string({ error: `${what} must be text` })
      .check(z.trim(), z.minLength(1, `enter your ${what}`), z.maxLength(200, `${what} must be 200 characters or fewer`)),
    z.transform((text: string) => text.normalize('NFC')),
  );

export const profileSchema = z.object({
  /** The name to print on certificates, as the learner writes it. @example "Siân Llŷr" */
  name: textSchema('name'),
  /** Who they work for. @example "Brookfield Libraries" */
  organisation: textSchema('organisation'),
  /** One of the matrix's role ids. @example "library-staff" */
  roleId: idSchema,
  /** One of site.yaml's district ids, if they chose one. @example "northgate" */
  district: optional(idSchema),
  /** Only if they choose to give it; never sent in statements. */
  email: optional(z.email('enter an email address like name@example.org')),
  /** The UUID behind the learner's xAPI account; stays the same when the profile changes. */
  actorId: z.uuid('must be a UUID'),
  /**
   * The hub that made the account, once the learner has enrolled on one: it is then the account's homePage,
   * in place of the site's address. @example "https://learning.brookfield.example.org"
   */
  accountHomePage: z.optional(z.url('must be a web address')),
});
export type Profile = z.output<typeof profileSchema>;
/** What a learner fills in; `actorId` is given only when changing an existing profile. */
export type ProfileInput = Omit<z.input<typeof profileSchema>, 'actorId'> & { actorId?: string };

/** One thing wrong with what the learner entered. */
export interface ProfileProblem {
  field: string;
  reason: string;
}

/** Thrown when profile details are not usable; `problems` has one entry per field for the form. */
export class ProfileError extends Error {
  readonly problems: ProfileProblem[];
  constructor(problems: ProfileProblem[]) {
    super(`The profile cannot be saved: ${describeProblems(problems)}.`);
    this.name = 'ProfileError';
    this.problems = problems;
  }
}

/** Checks and tidies profile details; a new profile gets a random actor id. @throws ProfileError */
export function createProfile(input: ProfileInput): Profile {
  const result = profileSchema.safeParse({ ...input, actorId: input.actorId ?? crypto.randomUUID() });
  if (!result.success) {
    throw new ProfileError(problemsOf(result.error).map((problem) => ({ field: problem.field || 'profile', reason: problem.reason })));
  }
  return result.data;
}

export { actorOf } from './actor.ts';

/**
 * What a certificate is built from, checked at the boundary: the caller
 * derives it from progress (never from page state), this module only prints it.
 */
import { describeProblems, problemsOf } from '../problems/index.ts';
import { z } from '../profile/zod.ts';
import { defaultTimeZone, isTimeZone } from '../dates/index.ts';
import { evidenceRequirementSchema } from './evidence.ts';
import { CertificateInputError, LearnerNameError } from './errors.ts';
import { unrenderableCharacters, type MissingCharacter } from './scripts.ts';

/** Longest name a certificate accepts, in characters. */
export const maxNameLength = 200;
/** Most requirement rows that fit on the one page. */
export const maxRequirements = 16;

const isoDate = evidenceRequirementSchema.shape.completedAt;
const text = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(300, 'must be at most 300 characters'));

export const certificateInputSchema = z
  .object({
    /** A role certificate covers all of a role's requirements; a module certificate one module. */
    kind: z.enum(['role', 'module']),
    council: z.object({
      /** @example "Brookfield Council" */
      name: text,
      /** @example "https://learning.brookfield.example.org" */
      siteUrl: z.string().check(z.minLength(1)),
      /** The council logo as PNG bytes, drawn at the top left. */
      logoPng: z.optional(z.instanceof(Uint8Array)),
      /** What the logo shows, for the PDF's alternative text. */
      logoAlt: z.optional(z.string()),
      /** The council's time zone (site.yaml): dates print as the day they fall on there. @default "Europe/London" */
      timeZone: z._default(z.string().check(z.refine(isTimeZone, 'must be a time zone name such as "Europe/London"')), defaultTimeZone),
    }),
    learner: z.object({
      /** Exactly as the learner typed it, in any script. @example "Siân Llŷr" */
      name: z.string(),
      /** The name in Latin script, printed when `name` has letters no font draws (see `needsLatinName`). */
      latinName: z.optional(z.string()),
      /** @example "Brookfield Libraries" */
      organisation: text,
      /** @example "Library staff" */
      roleName: text,
      /** @example 1 */
      level: z.int().check(z.gte(1)),
      /** @example "Front door" */
      levelName: text,
    }),
    requirements: z
      .array(z.extend(evidenceRequirementSchema, { title: text }))
      .check(z.maxLength(maxRequirements, `must list at most ${maxRequirements} items to fit on one page`)),
    /** The earliest renewal date among the requirements. */
    validUntil: isoDate,
    issuedAt: isoDate,
    certificateId: z.uuid('must be a UUID'),
    /** @example "2026.1" */
    matrixVersion: text,
    /** The site's verify page; the QR code links here with `?id=`. @example "https://learning.brookfield.example.org/verify/" */
    verifyUrl: z.url({ protocol: /^https?$/, error: 'must be a full web address starting https://' }),
    /** The xAPI statements the certificate rests on; carried as they are. */
    statements: z.array(z.record(z.string(), z.unknown())),
    /** The learner profile from the record; carried as it is. */
    profile: z.record(z.string(), z.unknown()),
    /** The council's hub's JWS over this certificate's claims, when its record holds the learning; carried in the evidence. */
    signature: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.requirements.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements'],
          message:
            input.kind === 'role'
              ? 'a role certificate needs the completed requirements of the role; none were given'
              : 'a module certificate needs the completed module; none was given',
        });
      }
      if (input.kind === 'module' && input.requirements.length > 1) {
        ctx.addIssue({ code: 'custom', path: ['requirements'], message: `a module certificate covers one module, not ${input.requirements.length}` });
      }
    }),
  );

/** Everything a certificate states, as the caller passes it. */
export type CertificateInput = z.input<typeof certificateInputSchema>;
type ParsedInput = z.output<typeof certificateInputSchema>;

/** The input after checking: names trimmed and in Unicode NFC, and the name to print chosen. */
export type CheckedInput = ParsedInput & { printedName: string; secondName: string | undefined };

const describe = (missing: MissingCharacter[]) => missing.map((item) => `"${item.character}" (${item.codePoint})`).join(', ');

// Direction overrides could make the printed name read differently from the stored one.
const controls = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F]/u;

function checkName(raw: string, field: 'name' | 'latinName'): string {
  const name = raw.trim().normalize('NFC');
  const label = field === 'name' ? 'The learner’s name' : 'The name in Latin script';
  const at = field === 'name' ? 'learner.name' : 'learner.latinName';
  if (name === '') throw new LearnerNameError('empty', `${label} is empty. Type the name as it should appear on the certificate.`, at);
  const length = [...name].length;
  if (length > maxNameLength) {
    throw new LearnerNameError(
      'too-long',
      `${label} is ${length} characters long; a certificate takes at most ${maxNameLength}. Shorten it, for example by leaving out middle names.`,
      at,
    );
  }
  if (controls.test(name)) {
    throw new LearnerNameError(
      'control-characters',
      `${label} contains invisible control characters (such as line breaks or direction marks). Type it again without them.`,
      at,
    );
  }
  return name;
}

/** Checks the input and decides which name to print. @throws CertificateInputError, LearnerNameError */
export function checkCertificateInput(input: CertificateInput): CheckedInput {
  const result = certificateInputSchema.safeParse(input);
  if (!result.success) {
    const [problem = { field: '', reason: 'is not valid' }] = problemsOf(result.error);
    throw new CertificateInputError(problem.field, `The certificate cannot be made: ${describeProblems([problem], 'the input')}.`);
  }
  const parsed = result.data;
  const name = checkName(parsed.learner.name, 'name');
  const latinName = parsed.learner.latinName?.trim() ? checkName(parsed.learner.latinName, 'latinName') : undefined;
  const missing = unrenderableCharacters(name);
  let printedName = name;
  let secondName: string | undefined;
  if (missing.length > 0) {
    if (!latinName) {
      throw new LearnerNameError(
        'needs-latin-name',
        `The certificate cannot print ${describe(missing)} in “${name}”. Ask for the name in Latin script as well and pass it as learner.latinName.`,
      );
    }
    printedName = latinName;
  } else if (latinName && latinName !== name) {
    secondName = latinName;
  }
  if (latinName) {
    const latinMissing = unrenderableCharacters(latinName);
    if (latinMissing.length > 0) {
      throw new LearnerNameError(
        'latin-name-unrenderable',
        `The name in Latin script cannot contain ${describe(latinMissing)}. Type it with Latin letters only.`,
        'learner.latinName',
      );
    }
  }
  const otherText: Array<[string, string]> = [
    ['council.name', parsed.council.name],
    ['learner.organisation', parsed.learner.organisation],
    ['learner.roleName', parsed.learner.roleName],
    ['learner.levelName', parsed.learner.levelName],
    ...parsed.requirements.map((requirement, index): [string, string] => [`requirements.${index}.title`, requirement.title]),
  ];
  for (const [field, value] of otherText) {
    const cannot = unrenderableCharacters(value);
    if (cannot.length > 0) throw new CertificateInputError(field, `The certificate cannot print ${describe(cannot)} in ${field} “${value}”. Change that text.`);
  }
  return {
    ...parsed,
    learner: { ...parsed.learner, name, latinName },
    printedName,
    secondName,
  };
}

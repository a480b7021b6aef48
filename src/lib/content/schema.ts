/**
 * The content model: one zod schema per kind of file under `courses/`.
 * Pure zod, so the same schemas serve Astro's content collections, the
 * build-time cross-checks and the unit tests.
 */
import { z } from 'zod';
import { defaultTimeZone, isTimeZone } from '../dates/index.ts';
import { idMessage, idPattern } from './id.ts';

/** A lower-case, hyphenated identifier. @example "safeguarding-basics" */
export const idSchema = z.string().regex(idPattern, idMessage);

/** A calendar date written as YYYY-MM-DD. @example "2026-10-01" */
export const isoDateSchema = z
  .union([z.string(), z.date()], {
    error: (issue) => (issue.input === undefined ? 'is missing: add a date written as YYYY-MM-DD' : 'must be a date written as YYYY-MM-DD'),
  })
  .transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
      ctx.addIssue({ code: 'custom', message: `must be a date written as YYYY-MM-DD, not "${text}"` });
      return z.NEVER;
    }
    return text;
  });

const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be a full web address starting https://' });

/** A UK telephone number as people dial it. @example "0113 496 0123" */
export const phoneSchema = z.string().regex(/^(\+44 ?|0)[0-9 ]{9,13}$/, 'must be a UK telephone number such as "0113 496 0123"');

// ---------------------------------------------------------------- site.yaml

const contactSchema = z.object({
  /** Who answers. @example "Children's Services Front Door" */
  name: z.string().min(1),
  /** @example "0113 496 0100" */
  phone: phoneSchema.optional(),
  /** @example "frontdoor@brookfield.example.org" */
  email: z.email().optional(),
  /** @example "https://brookfield.example.org/report-a-concern" */
  web: httpsUrl.optional(),
  /** When the line is answered. @example "Monday to Friday, 8:30am to 5pm" */
  hours: z.string().optional(),
});

const hubSchema = z.object({
  id: idSchema,
  /** @example "Northgate Family Hub" */
  name: z.string().min(1),
  /** Which district the hub serves; one of `districts[].id`. */
  district: idSchema,
  /** @example "12 Market Street, Northgate, QQ1 2AB" */
  address: z.string().min(1),
  phone: phoneSchema.optional(),
  /** @example "Monday to Friday 9am to 5pm; Thursday until 7pm" */
  openingTimes: z.string().min(1),
});

/**
 * A national service with a real number, such as 999 or a national helpline.
 * Unlike the council's own contacts, these reach real people: each one names
 * where its number was checked, and when.
 */
const nationalContactSchema = contactSchema.extend({
  /** How a lesson names it inside a sentence. @example "NHS 111" */
  label: z.string().min(1),
  /** A UK number, or a short code such as 999 or 111. @example "0808 2000 247" */
  phone: z
    .string()
    .regex(/^(?:\d{3}|116 ?\d{3}|(?:\+44 ?|0)[0-9 ]{7,13})$/, 'must be a UK telephone number such as "0808 800 5000", or a short code such as "999"'),
  /** The page that gives this number. @example "https://www.nspcc.org.uk/keeping-children-safe/reporting-abuse/report/" */
  source: httpsUrl,
  /** When someone last checked the number against `source`. */
  reviewed: isoDateSchema,
});
export type NationalContact = z.output<typeof nationalContactSchema>;

/** What the hub keeps about learners and for how long: the privacy page says it, the hub's retention job applies it. */
export const privacySchema = z.object({
  /**
   * The lawful basis for keeping staff's learning records on the hub, in plain words, under UK GDPR Article 6.
   * @example "Public task: the council trains the people who help families find support (UK GDPR Article 6(1)(e))."
   */
  lawfulBasis: z.string().trim().min(20, 'must say in a sentence which lawful basis applies and why'),
  /** Why the hub keeps the records. @example "So workforce leads can see who has done the training their role needs." */
  purpose: z.string().trim().min(10, 'must say in a sentence why the records are kept'),
  retention: z.object({
    /**
     * Months after a learner was last active on the hub before the hub removes their account, devices and statements.
     * @example 24
     */
    inactiveLearnerMonths: z.number().int('must be a whole number of months').min(1).max(120, 'must be 120 months (10 years) or fewer'),
    /** Months the audit log keeps an entry. @example 72 */
    auditLogMonths: z.number().int('must be a whole number of months').min(1).max(240, 'must be 240 months (20 years) or fewer'),
  }),
});
export type Privacy = z.output<typeof privacySchema>;

export const siteSchema = z.object({
  /** The council's name as residents know it. @example "Brookfield Council" */
  council: z.string().min(1),
  /** The site's public address; every xAPI IRI sits under it. @example "https://learning.brookfield.example.org" */
  siteUrl: httpsUrl.transform((url) => url.replace(/\/+$/, '')),
  /** One line under the site title. */
  tagline: z.string().min(1),
  districts: z.array(z.object({ id: idSchema, name: z.string().min(1) })).min(1),
  contacts: z.object({
    /** Where anyone worried about a child reports it. */
    safeguardingFrontDoor: contactSchema.extend({
      /** Out-of-hours number for urgent concerns. */
      outOfHours: contactSchema.optional(),
    }),
    /** The family hub information line. */
    familyHubs: contactSchema,
    /** Who to contact about the accessibility of this site. */
    accessibility: contactSchema,
    /** Who to contact about data and privacy. */
    dataProtection: contactSchema,
  }),
  /**
   * National numbers lessons may name, by id, such as 999, NHS 111 and national
   * helplines. Lessons use `<Call of="id" />` or `<National of="id" />`, never the number.
   */
  nationalContacts: z.record(idSchema, nationalContactSchema).default({}),
  hubs: z.array(hubSchema).min(1),
  /** The online family hub directory, the "go to" website for families. */
  onlineHub: httpsUrl.optional(),
  branding: z
    .object({
      /** Path under public/ to the council logo (PNG or JPEG), showing the council's name: certificates print it in place of the name. @example "/brand/logo.png" */
      logo: z.string().startsWith('/').optional(),
      /** @example "Brookfield Council logo" */
      logoAlt: z.string().optional(),
    })
    .default({}),
  /** Whether film captions show without the learner turning them on. */
  captionsOnByDefault: z.boolean().default(true),
  /**
   * The council's time zone, as an IANA name. Every date the site shows (pages, certificates, the lead's CSV,
   * calendar files) is the day in this zone, whatever time zone the learner's device is set to.
   * @default "Europe/London"
   * @example "Europe/London"
   */
  timeZone: z.string().refine(isTimeZone, 'must be a time zone name such as "Europe/London"').default(defaultTimeZone),
  /**
   * Marks the fictional demonstration council this project ships with. The tests then also hold the course to
   * the demonstration's own promises: exactly its modules and clips, telephone numbers from Ofcom's drama ranges,
   * addresses on example.org. A council's own copy leaves it out, and the tests check only what any course must meet.
   * @default false
   * @example true
   */
  demo: z.boolean().default(false),
  /**
   * Only needed when the council runs the hub: the lawful basis, purpose and retention periods for what the hub
   * keeps about staff. The privacy page shows them; the hub removes records past the retention period.
   */
  privacy: privacySchema.optional(),
});
export type Site = z.output<typeof siteSchema>;

// -------------------------------------------------------------- matrix.yaml

const renewalSchema = z.object({
  /** Months a completion stays valid. @example 12 */
  months: z.number().int().min(1).max(120),
  /** Why this period: a source or the local policy. */
  basis: z.string().min(1),
});
export type Renewal = z.output<typeof renewalSchema>;

/**
 * A field under the name the matrix used before it said "level" everywhere.
 * Rejected with what to do rather than accepted: two words for one thing in a
 * council's file would soon be two meanings, and the fix is a one-word rename.
 */
const renamed = (to: string) => z.never({ error: `is now called "${to}": rename it to "${to}", the word the site shows` }).optional();

const roleSchema = z.object({
  id: idSchema,
  /** @example "Library staff" */
  name: z.string().min(1),
  /** Who this role covers, in the learner's words. */
  description: z.string().min(1),
  /** One of `levels[].id`: how much contact the role has with families. @example 1 */
  level: z.number().int().min(1),
  /** The earlier name of `level`. */
  tier: renamed('level'),
  /** Module or film ids the role must complete, in the order to take them. */
  required: z.array(idSchema).min(1),
  /** Module or film ids suggested on top. */
  recommended: z.array(idSchema).default([]),
});

export const matrixSchema = z.object({
  /** Changes whenever roles or requirements change; printed on certificates. @example "2026.1" */
  version: z.string().min(1),
  levels: z
    .array(
      z.object({
        /** 1 is the lightest contact with families. */
        id: z.number().int().min(1),
        /** @example "Front door" */
        name: z.string().min(1),
        /** What contact with families this level means. */
        contact: z.string().min(1),
      }),
    )
    .min(1),
  /** The earlier name of `levels`. */
  tiers: renamed('levels'),
  roles: z.array(roleSchema).min(1),
  /** Renewal for any item not listed in `renewal`. */
  defaultRenewal: renewalSchema,
  /** Renewal by module or film id. */
  renewal: z.record(idSchema, renewalSchema).default({}),
});
export type Matrix = z.output<typeof matrixSchema>;
export type Role = Matrix['roles'][number];

// ------------------------------------------------------ modules/<id>/index.mdx

const sourceSchema = z.object({
  /** @example "Working together to safeguard children 2023" */
  title: z.string().min(1),
  /** @example "Department for Education" */
  publisher: z.string().min(1),
  url: httpsUrl,
  /** When someone last checked the lesson against this source. */
  reviewed: isoDateSchema,
});

export const moduleSchema = z.object({
  title: z.string().min(1),
  /** One or two sentences shown on plans and cards. */
  summary: z.string().min(1),
  /** Time to read the lesson and take the quiz. */
  minutes: z.number().int().positive().max(60),
  /** Bump when the lesson or quiz changes in substance; a pass counts for the version it was taken on. @example "1.0" */
  version: z.string().regex(/^\d+\.\d+$/, 'must be a version such as "1.0"'),
  /** What the learner can do afterwards. */
  outcomes: z.array(z.string().min(1)).min(1),
  sources: z.array(sourceSchema).min(1, 'every module must cite at least one source'),
  /** When the whole lesson was last reviewed. */
  reviewed: isoDateSchema,
  /** Other words people search with for this lesson, including common misspellings. @example ["safegaurding"] */
  searchTerms: z.array(z.string().min(1)).default([]),
});
export type ModuleMeta = z.output<typeof moduleSchema>;

// ------------------------------------------------------- modules/<id>/quiz.yaml

const optionSchema = z.object({
  id: idSchema,
  text: z.string().min(1),
  correct: z.boolean().default(false),
  /** Shown after the learner submits: why this option is right or wrong. */
  feedback: z.string().min(1),
});

const questionTypes = ['single', 'multiple', 'true-false', 'scenario'] as const;
export type QuestionType = (typeof questionTypes)[number];

const questionSchema = z
  .object({
    id: idSchema,
    type: z.enum(questionTypes),
    /** The case a scenario question is about. */
    scenario: z.string().min(1).optional(),
    prompt: z.string().min(1),
    options: z.array(optionSchema).min(2),
  })
  .superRefine((question, ctx) => {
    const correct = question.options.filter((option) => option.correct).length;
    if (question.type === 'multiple') {
      if (correct < 1) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a multiple-choice question needs at least one correct option' });
    } else if (correct !== 1) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${question.type} question needs exactly one correct option, found ${correct}` });
    }
    if (question.type === 'true-false' && question.options.length !== 2) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a true-false question has exactly two options' });
    }
    if (question.type === 'scenario' && !question.scenario) {
      ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'a scenario question needs the case it is about' });
    }
    const seen = new Set<string>();
    question.options.forEach((option, index) => {
      if (seen.has(option.id)) ctx.addIssue({ code: 'custom', path: ['options', index, 'id'], message: `duplicate option id '${option.id}'` });
      seen.add(option.id);
    });
  });

export const quizSchema = z
  .object({
    /** Share of questions to answer correctly, 0–1. */
    passMark: z.number().min(0.5).max(1).default(0.8),
    /** Whether options may appear in a different order on each attempt. */
    shuffle: z.boolean().default(true),
    questions: z.array(questionSchema).min(1),
  })
  .superRefine((quiz, ctx) => {
    const seen = new Set<string>();
    quiz.questions.forEach((question, index) => {
      if (seen.has(question.id)) ctx.addIssue({ code: 'custom', path: ['questions', index, 'id'], message: `duplicate question id '${question.id}'` });
      seen.add(question.id);
    });
  });
export type Quiz = z.output<typeof quizSchema>;
export type Question = Quiz['questions'][number];

// ------------------------------------------------------------ films/<id>.yaml

export const filmSchema = z.object({
  title: z.string().min(1),
  /** The service the clip shows; one of the ids under `courses/services/`. */
  service: idSchema,
  summary: z.string().min(1),
  /** Length in seconds. */
  duration: z.number().positive().max(1800),
  /** Bump when the clip is replaced. */
  version: z
    .string()
    .regex(/^\d+\.\d+$/, 'must be a version such as "1.0"')
    .default('1.0'),
  /** Video files under public/, best first. */
  media: z.array(z.object({ src: z.string().startsWith('/'), type: z.enum(['video/mp4', 'video/webm']) })).min(1),
  /** WebVTT caption files under public/. */
  captions: z
    .array(z.object({ src: z.string().startsWith('/').endsWith('.vtt'), lang: z.string().min(2), label: z.string().min(1) }))
    .min(1, 'every film needs captions'),
  poster: z.string().startsWith('/').optional(),
  /** Everything said and shown, for people who cannot or prefer not to watch. */
  transcript: z.string().min(1),
});
export type Film = z.output<typeof filmSchema>;

// ------------------------------------------------------------ glossary.yaml

/**
 * Plain meanings of the words staff meet in lessons, for staff who speak
 * English as an additional language and anyone new to the work.
 */
export const glossarySchema = z.object({
  terms: z
    .array(
      z.object({
        /** @example "Front door" */
        term: z.string().min(1),
        /** One or two short sentences in plain English. */
        meaning: z.string().min(1),
        /** Other words people use for the same thing. @example ["MASH"] */
        alsoCalled: z.array(z.string().min(1)).default([]),
      }),
    )
    .min(1)
    .superRefine((terms, ctx) => {
      const seen = new Set<string>();
      terms.forEach((entry, index) => {
        const key = entry.term.toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index, 'term'], message: `'${entry.term}' is listed twice` });
        seen.add(key);
      });
    }),
});
export type Glossary = z.output<typeof glossarySchema>;

// -------------------------------------------------------- services/<id>.yaml

/** The core offer themes every family hub network covers. */
export const themes = {
  'best-start-for-life': 'Best Start for Life (pregnancy to age 2)',
  'school-age': 'Support for families with school-age children',
  'young-people': 'Young people',
  'health-and-wellbeing': 'Health and wellbeing',
  'parenting-and-family-support': 'Parenting and family support',
  send: 'Special educational needs and disabilities (SEND)',
  'money-employment-housing': 'Money, training, employment and housing',
} as const;
export type Theme = keyof typeof themes;

export const accessRoutes = {
  'drop-in': 'Drop in',
  'self-referral': 'Families can refer themselves',
  referral: 'Needs a referral from a professional',
} as const;

export const serviceSchema = z.object({
  name: z.string().min(1),
  theme: z.enum(Object.keys(themes) as [Theme, ...Theme[]]),
  /** What the service does, in one or two sentences. */
  summary: z.string().min(1),
  /** Who can use it. @example "Parents and carers of children under 5" */
  who: z.string().min(1),
  /** District ids from site.yaml, or "all". */
  districts: z.union([z.literal('all'), z.array(idSchema).min(1)]),
  access: z.array(z.enum(Object.keys(accessRoutes) as [keyof typeof accessRoutes])).min(1),
  /** How to get in touch or refer. */
  contact: contactSchema.partial({ name: true }),
  /** When and where it runs. */
  when: z.string().optional(),
  /**
   * Words families and staff use for the need this service meets, including common misspellings, so search finds it.
   * @example ["no money for food", "food bank", "cost of living"]
   */
  searchTerms: z.array(z.string().min(1)).default([]),
});
export type Service = z.output<typeof serviceSchema>;

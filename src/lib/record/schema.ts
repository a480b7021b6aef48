/** zod schemas for what the record stores and for the record file people download and import. */
import { profileSchema } from '../profile/index.ts';
import { z } from '../profile/zod.ts';

/** The `format` every record file carries, so we never mistake another JSON file for one. */
export const recordFileFormat = 'fh-learning-record';
/** The record file format this code writes and reads. */
export const recordFileVersion = 1;

/** The learner's profile, kept as one document beside the statements. */
export const storedProfileSchema = z.object({
  _id: z.literal('profile'),
  _rev: z.optional(z.string()),
  kind: z.literal('profile'),
  profile: profileSchema,
});

/**
 * A person the lead holds: their latest profile, the site their account is on,
 * and when the file that said so was made. One document per account.
 */
export const storedPersonSchema = z.object({
  _id: z.string().check(z.minLength(1)),
  _rev: z.optional(z.string()),
  kind: z.literal('person'),
  // Named as the lead's first saved records named it, so they still open.
  sighting: z.object({
    /** The actor's `account.homePage`. */
    homePage: z.string().check(z.minLength(1)),
    profile: profileSchema,
    /** A record file's `exportedAt`, a certificate's `issuedAt`. */
    asOf: z.string().check(z.minLength(1)),
  }),
});
/** A person as the lead's record keeps them. */
export type StoredPerson = z.output<typeof storedPersonSchema>['sighting'];

/** The downloadable record: everything needed to restore progress on another device or hand it to a lead. */
export const recordFileSchema = z.object({
  format: z.literal(recordFileFormat),
  version: z.literal(recordFileVersion),
  /** When the file was made. @example "2026-03-02T10:15:30.000Z" */
  exportedAt: z.iso.datetime({ offset: true }),
  /** The site the record was made on. @example "https://learning.brookfield.example.org" */
  siteUrl: z.url(),
  profile: z.nullable(profileSchema),
  /** xAPI statements; each is validated on its own so one bad statement does not sink the rest. */
  statements: z.array(z.unknown()),
});
export type RecordFile = z.output<typeof recordFileSchema>;

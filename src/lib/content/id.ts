/**
 * What an identifier looks like, in one place: the content schemas check ids
 * in course files with it, and the learner's profile checks role and district
 * ids with it. Plain values, no zod, so browser code can use it without the
 * content schemas.
 */

/** A lower-case, hyphenated identifier. @example "safeguarding-basics" */
export const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What a learner or author is told when an id does not match `idPattern`. */
export const idMessage = 'must be lower-case letters, digits and single hyphens, like "safeguarding-basics"';

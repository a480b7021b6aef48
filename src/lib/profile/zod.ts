/**
 * zod for code that runs in the learner's browser: `zod/mini`, the same zod 4
 * checks with a functional API that bundles only what is used (classic `zod`
 * is about 28 KB gzip on every page that records learning).
 *
 * zod/mini carries no messages of its own; it gets the English ones classic
 * zod uses, so a problem reads the same whichever API checked it.
 */
import { en } from 'zod/locales';
import { z } from 'zod/mini';

z.config(en());

export { z };

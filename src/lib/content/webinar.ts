/**
 * The content model of a webinar, `courses/webinars/<id>.yaml`: a live session
 * (or several) on any platform and, once held, a captioned recording played like
 * a film clip.
 */
import { z } from 'zod';
import { isTimeZone } from '../dates/index.ts';
import { instantOf, localTimePattern } from '../webinar/sessions.ts';
import { idSchema } from './schema.ts';

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be a full web address starting https://' });

const sessionSchema = z.object({
  /** Names the session in "I attended" statements; stays the same if the time moves. @example "october-2027" */
  id: idSchema,
  /** The wall-clock start in the webinar's `timeZone`, in quotes. @example "2027-10-21T10:00" */
  start: z
    .string({ error: 'must be a date and time in quotes, such as "2027-10-21T10:00"' })
    .regex(localTimePattern, 'must be a date and time such as "2027-10-21T10:00"'),
  /** How long it runs, in minutes. @example 60 */
  minutes: z.number().int().min(5).max(480),
  /** Where to join, on any platform (Teams, Zoom, Meet…). @example "https://meet.example.org/j/123" */
  joinUrl: httpsUrl,
  /** The platform's name, for learners who need to know before they click. @example "Microsoft Teams" */
  platform: z.string().min(1).optional(),
});

const recordingSchema = z.object({
  /** Length in seconds. */
  duration: z
    .number()
    .positive()
    .max(4 * 3600),
  /** Video files under public/, best first. */
  media: z.array(z.object({ src: z.string().startsWith('/'), type: z.enum(['video/mp4', 'video/webm']) })).min(1),
  /** WebVTT caption files under public/. */
  captions: z
    .array(z.object({ src: z.string().startsWith('/').endsWith('.vtt'), lang: z.string().min(2), label: z.string().min(1) }), {
      error: (issue) => (issue.input === undefined ? 'is missing: every recording needs captions' : undefined),
    })
    .min(1, 'every recording needs captions'),
  poster: z.string().startsWith('/').optional(),
  /** Everything said and shown. */
  transcript: z.string().min(1),
});

export const webinarSchema = z
  .object({
    title: z.string().min(1),
    /** One or two sentences shown on plans and lists. */
    summary: z.string().min(1),
    /** Role ids (courses/matrix.yaml) the webinar is for; it shows on their learning plans. */
    audience: z.array(idSchema).min(1),
    /** Who runs it. @example "Brookfield Family Hubs workforce team" */
    host: z.string().min(1),
    /**
     * The time zone session times are written in, as an IANA name. Required: a time without a zone is a different
     * moment for every reader.
     * @example "Europe/London"
     */
    timeZone: z
      .string({ error: 'is missing: add the time zone the session times are in, such as "Europe/London"' })
      .refine(isTimeZone, 'must be a time zone name such as "Europe/London"'),
    /** Bump when the recording is replaced. */
    version: z
      .string()
      .regex(/^\d+\.\d+$/, 'must be a version such as "1.0"')
      .default('1.0'),
    sessions: z.array(sessionSchema).default([]),
    /** Once the webinar has been held: the recording, with captions and a transcript. */
    recording: recordingSchema.optional(),
  })
  .superRefine((webinar, ctx) => {
    if (webinar.sessions.length === 0 && !webinar.recording) {
      ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'a webinar needs at least one session or a recording' });
    }
    const seen = new Set<string>();
    webinar.sessions.forEach((session, index) => {
      if (seen.has(session.id)) ctx.addIssue({ code: 'custom', path: ['sessions', index, 'id'], message: `duplicate session id '${session.id}'` });
      seen.add(session.id);
      if (isTimeZone(webinar.timeZone) && localTimePattern.test(session.start) && !instantOf(session.start, webinar.timeZone)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sessions', index, 'start'],
          message: `${session.start} does not exist in ${webinar.timeZone}: the clocks go forward then`,
        });
      }
    });
  });
export type Webinar = z.output<typeof webinarSchema>;
export type WebinarSession = Webinar['sessions'][number];
export type WebinarRecording = NonNullable<Webinar['recording']>;

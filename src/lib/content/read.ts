/**
 * Reads and checks a whole `courses/` folder from disk (Node only: the build
 * and the tests use it; pages in the browser never do).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { checkLessonContacts, coursePaths, crossCheckCourse, type Course } from './check.ts';
import { ContentError, problemsFromZod, type ContentProblem } from './errors.ts';
import { filmSchema, glossarySchema, matrixSchema, moduleSchema, quizSchema, serviceSchema, siteSchema } from './schema.ts';
import { webinarSchema } from './webinar.ts';

/** Splits an MDX file into its YAML frontmatter and body. */
export function splitFrontmatter(text: string): { frontmatter: string; body: string } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  return match ? { frontmatter: match[1] ?? '', body: match[2] ?? '' } : undefined;
}

/**
 * Reads every file of the course at `root` (the folder holding `courses/` and
 * `public/`), validates it and cross-checks it. `now` is when the site is
 * built: a required webinar must still have a session to come, or a recording.
 * @throws ContentError listing every mistake with its file and field.
 */
export function readCourse(root: string, now: Date = new Date()): Course {
  const problems: ContentProblem[] = [];
  const read = <S extends z.ZodType>(file: string, schema: S, text?: string): z.output<S> | undefined => {
    let raw: unknown;
    try {
      raw = parseYaml(text ?? readFileSync(join(root, file), 'utf8'));
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0] ?? 'unreadable';
      problems.push({ file, field: '', message: existsSync(join(root, file)) ? `is not valid YAML: ${reason}` : 'file is missing' });
      return undefined;
    }
    const result = schema.safeParse(raw ?? {});
    if (!result.success) {
      problems.push(...problemsFromZod(file, result.error));
      return undefined;
    }
    return result.data;
  };
  const ids = (dir: string, pick: (name: string) => string | undefined): string[] => {
    const full = join(root, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full, { withFileTypes: true })
      .map((entry) => pick(entry.isDirectory() ? `${entry.name}/` : entry.name))
      .filter((id): id is string => id !== undefined)
      .sort();
  };
  const checkId = (file: string, id: string) => {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
      problems.push({ file, field: '', message: `the name '${id}' must be lower-case letters, digits and single hyphens` });
    }
  };

  const site = read(coursePaths.site, siteSchema);
  const matrix = read(coursePaths.matrix, matrixSchema);
  const modules: Course['modules'] = {};
  const quizzes: Course['quizzes'] = {};
  const lessons: Record<string, string> = {};
  const lessonStarts: Record<string, number> = {};
  for (const id of ids('courses/modules', (name) => (name.endsWith('/') ? name.slice(0, -1) : undefined))) {
    const file = coursePaths.module(id);
    checkId(file, id);
    if (existsSync(join(root, file))) {
      const parts = splitFrontmatter(readFileSync(join(root, file), 'utf8'));
      if (!parts) problems.push({ file, field: '', message: 'must start with frontmatter between two --- lines' });
      else {
        const meta = read(file, moduleSchema, parts.frontmatter);
        if (meta) modules[id] = meta;
        if (parts.body.trim() === '') problems.push({ file, field: '', message: 'the lesson has no text' });
        lessons[id] = parts.body;
        lessonStarts[id] = parts.frontmatter.split('\n').length + 3;
      }
    } else problems.push({ file, field: '', message: 'file is missing: each module folder needs its lesson' });
    if (existsSync(join(root, coursePaths.quiz(id)))) {
      const quiz = read(coursePaths.quiz(id), quizSchema);
      if (quiz) quizzes[id] = quiz;
    }
  }
  const films: Course['films'] = {};
  for (const id of ids('courses/films', (name) => /^(.+)\.yaml$/.exec(name)?.[1])) {
    checkId(coursePaths.film(id), id);
    const film = read(coursePaths.film(id), filmSchema);
    if (film) films[id] = film;
  }
  const services: Course['services'] = {};
  for (const id of ids('courses/services', (name) => /^(.+)\.yaml$/.exec(name)?.[1])) {
    checkId(coursePaths.service(id), id);
    const service = read(coursePaths.service(id), serviceSchema);
    if (service) services[id] = service;
  }
  const webinars: Course['webinars'] = {};
  for (const id of ids('courses/webinars', (name) => /^(.+)\.yaml$/.exec(name)?.[1])) {
    checkId(coursePaths.webinar(id), id);
    const webinar = read(coursePaths.webinar(id), webinarSchema);
    if (webinar) webinars[id] = webinar;
  }

  const glossary = existsSync(join(root, coursePaths.glossary)) ? read(coursePaths.glossary, glossarySchema) : undefined;
  for (const [id, body] of Object.entries(lessons)) {
    const line = body.split('\n').findIndex((text) => /\]\(\/glossary\/?\)/.test(text));
    if (line >= 0 && !existsSync(join(root, coursePaths.glossary))) {
      problems.push({
        file: coursePaths.module(id),
        field: `line ${line + (lessonStarts[id] ?? 1)}`,
        message: 'links to the glossary, but there is no courses/glossary.yaml',
      });
    }
  }
  if (site) for (const [id, body] of Object.entries(lessons)) problems.push(...checkLessonContacts(id, body, site, lessonStarts[id]));

  if (problems.length === 0 && site && matrix) {
    const course: Course = { site, matrix, modules, quizzes, films, services, webinars, glossary };
    problems.push(...crossCheckCourse(course, (publicPath) => existsSync(join(root, 'public', publicPath)), now));
    if (problems.length === 0) return course;
  }
  throw new ContentError(problems);
}

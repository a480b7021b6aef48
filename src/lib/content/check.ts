import type { ContentProblem } from './errors.ts';
import type { Film, Glossary, Matrix, ModuleMeta, Quiz, Service, Site } from './schema.ts';
import type { Webinar } from './webinar.ts';
import { upcomingSessions } from '../webinar/index.ts';

/** Everything under `courses/`, parsed and keyed by id. */
export interface Course {
  site: Site;
  matrix: Matrix;
  modules: Record<string, ModuleMeta>;
  quizzes: Record<string, Quiz>;
  films: Record<string, Film>;
  services: Record<string, Service>;
  webinars: Record<string, Webinar>;
  /** The glossary, if the course has courses/glossary.yaml. */
  glossary?: Glossary | undefined;
}

/** Where each part of a course lives, for error messages. */
export const coursePaths = {
  site: 'courses/site.yaml',
  matrix: 'courses/matrix.yaml',
  module: (id: string) => `courses/modules/${id}/index.mdx`,
  quiz: (id: string) => `courses/modules/${id}/quiz.yaml`,
  film: (id: string) => `courses/films/${id}.yaml`,
  service: (id: string) => `courses/services/${id}.yaml`,
  webinar: (id: string) => `courses/webinars/${id}.yaml`,
  glossary: 'courses/glossary.yaml',
};

/** Lesson components that name a contact from site.yaml, and where they look it up. */
const contactComponents = {
  Contact: (site: Site) => Object.keys(site.contacts).filter((key) => key === 'safeguardingFrontDoor' || key === 'familyHubs'),
  National: (site: Site) => Object.keys(site.nationalContacts),
  Call: (site: Site) => Object.keys(site.nationalContacts),
} as const;

/** A telephone number or short code written out in lesson text: 999, 111, 0808 800 5000. */
const writtenNumber = /(?<![\w/.=-])(?:999|111|116 ?\d{3}|(?:\+44 ?|0)\d(?:[ -]?\d){6,11})(?![\w/])/g;

/**
 * Checks a lesson's text against site.yaml: every `<Contact of>`, `<National of>`
 * and `<Call of>` names a contact that exists, and no telephone number is written
 * out, so a council changes numbers in one place. `firstLine` is the body's
 * first line in the file, so problems name the line an editor shows.
 */
export function checkLessonContacts(moduleId: string, body: string, site: Site, firstLine = 1): ContentProblem[] {
  const file = coursePaths.module(moduleId);
  const problems: ContentProblem[] = [];
  const lines = body.split('\n');
  lines.forEach((line, index) => {
    const field = `line ${index + firstLine}`;
    for (const match of line.matchAll(/<(Contact|National|Call)\b([^>]*)\/?>/g)) {
      const component = match[1] as keyof typeof contactComponents;
      const of = /\bof="([^"]*)"/.exec(match[2] ?? '')?.[1];
      const known = contactComponents[component](site);
      if (of === undefined) problems.push({ file, field, message: `<${component}> needs of="…", one of: ${known.join(', ')}` });
      else if (!known.includes(of)) {
        const where = component === 'Contact' ? 'contacts' : 'nationalContacts';
        problems.push({
          file,
          field,
          message: `<${component} of="${of}" />: courses/site.yaml has no ${where}.${of}; use one of: ${known.join(', ') || '(none yet)'}`,
        });
      }
    }
    const prose = line.replace(/<[^>]*>/g, ' ').replace(/\]\([^)]*\)/g, ']');
    for (const [number] of prose.matchAll(writtenNumber)) {
      problems.push({
        file,
        field,
        message: `writes out the number ${number}: put it in site.yaml (nationalContacts or contacts) and use <Call of="…" /> or <National of="…" />`,
      });
    }
  });
  return problems;
}

/**
 * Checks what a schema cannot see on its own: references between files,
 * ids unique across modules, films and webinars, media that exists, and
 * required webinars that can still be done at `now` (the build's time).
 * `fileExists` answers for paths under public/ such as "/films/x.mp4".
 */
export function crossCheckCourse(course: Course, fileExists: (publicPath: string) => boolean, now: Date = new Date()): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const { site, matrix, modules, films, services, webinars } = course;

  for (const id of Object.keys(films)) {
    if (id in modules) problems.push({ file: coursePaths.film(id), field: '', message: `id '${id}' is also a module; module and film ids must be unique` });
  }
  for (const id of Object.keys(webinars)) {
    if (id in modules || id in films) {
      problems.push({
        file: coursePaths.webinar(id),
        field: '',
        message: `id '${id}' is also a ${id in modules ? 'module' : 'film'}; module, film and webinar ids must be unique`,
      });
    }
  }
  for (const id of Object.keys(modules)) {
    if (!(id in course.quizzes)) problems.push({ file: coursePaths.quiz(id), field: '', message: `module '${id}' has no quiz.yaml` });
  }
  for (const id of Object.keys(course.quizzes)) {
    if (!(id in modules)) problems.push({ file: coursePaths.quiz(id), field: '', message: `quiz has no lesson: add courses/modules/${id}/index.mdx` });
  }

  const itemExists = (id: string) => id in modules || id in films || id in webinars;
  const levelIds = new Set<number>();
  matrix.levels.forEach((level, index) => {
    if (levelIds.has(level.id)) problems.push({ file: coursePaths.matrix, field: `levels[${index}].id`, message: `duplicate level id ${level.id}` });
    levelIds.add(level.id);
  });
  const roleIds = new Set<string>();
  matrix.roles.forEach((role, index) => {
    const at = `roles[${index}]`;
    if (roleIds.has(role.id)) problems.push({ file: coursePaths.matrix, field: `${at}.id`, message: `duplicate role id '${role.id}'` });
    roleIds.add(role.id);
    if (!levelIds.has(role.level)) problems.push({ file: coursePaths.matrix, field: `${at}.level`, message: `no level ${role.level}` });
    const listed = new Set<string>();
    for (const list of ['required', 'recommended'] as const) {
      role[list].forEach((item, itemIndex) => {
        const field = `${at}.${list}[${itemIndex}]`;
        if (!itemExists(item)) problems.push({ file: coursePaths.matrix, field, message: `no module, film or webinar '${item}'` });
        else if (list === 'required' && item in webinars && !webinars[item]!.recording && upcomingSessions(webinars[item]!, now).length === 0) {
          problems.push({
            file: coursePaths.matrix,
            field,
            message: `webinar '${item}' is required, but it has no session still to come and no recording: add a session or the recording`,
          });
        } else if (listed.has(item)) problems.push({ file: coursePaths.matrix, field, message: `'${item}' is listed twice for this role` });
        listed.add(item);
      });
    }
  });
  for (const item of Object.keys(matrix.renewal)) {
    if (!itemExists(item)) problems.push({ file: coursePaths.matrix, field: `renewal.${item}`, message: `no module, film or webinar '${item}'` });
  }

  for (const [id, film] of Object.entries(films)) {
    const file = coursePaths.film(id);
    if (!(film.service in services)) problems.push({ file, field: 'service', message: `no service '${film.service}' in courses/services/` });
    film.media.forEach((media, index) => {
      if (!fileExists(media.src)) problems.push({ file, field: `media[${index}].src`, message: `file public${media.src} does not exist` });
    });
    film.captions.forEach((track, index) => {
      if (!fileExists(track.src)) problems.push({ file, field: `captions[${index}].src`, message: `file public${track.src} does not exist` });
    });
    if (film.poster && !fileExists(film.poster)) problems.push({ file, field: 'poster', message: `file public${film.poster} does not exist` });
  }

  for (const [id, webinar] of Object.entries(webinars)) {
    const file = coursePaths.webinar(id);
    webinar.audience.forEach((role, index) => {
      if (!roleIds.has(role)) problems.push({ file, field: `audience[${index}]`, message: `no role '${role}' in courses/matrix.yaml` });
    });
    const recording = webinar.recording;
    if (!recording) continue;
    recording.media.forEach((media, index) => {
      if (!fileExists(media.src)) problems.push({ file, field: `recording.media[${index}].src`, message: `file public${media.src} does not exist` });
    });
    recording.captions.forEach((track, index) => {
      if (!fileExists(track.src)) problems.push({ file, field: `recording.captions[${index}].src`, message: `file public${track.src} does not exist` });
    });
    if (recording.poster && !fileExists(recording.poster))
      problems.push({ file, field: 'recording.poster', message: `file public${recording.poster} does not exist` });
  }

  const districtIds = new Set(site.districts.map((district) => district.id));
  site.hubs.forEach((hub, index) => {
    if (!districtIds.has(hub.district))
      problems.push({ file: coursePaths.site, field: `hubs[${index}].district`, message: `no district '${hub.district}' in districts` });
  });
  if (site.branding.logo && !fileExists(site.branding.logo)) {
    problems.push({ file: coursePaths.site, field: 'branding.logo', message: `file public${site.branding.logo} does not exist` });
  }
  for (const [id, service] of Object.entries(services)) {
    if (service.districts === 'all') continue;
    service.districts.forEach((district, index) => {
      if (!districtIds.has(district))
        problems.push({ file: coursePaths.service(id), field: `districts[${index}]`, message: `no district '${district}' in courses/site.yaml` });
    });
  }
  return problems;
}

/**
 * The one way page scripts and components reach the learner's record. The record
 * (PouchDB) and the progress rules load on first use, after the page has painted,
 * and are shared by every element on the page.
 *
 * Components never store state of their own: they record statements here and
 * render the status `watchItem` derives from the whole record.
 */
import { parseCourseFacts, type CourseFacts } from '../lib/content/facts.ts';
import type { Quiz } from '../lib/content/schema.ts';
import type { Profile } from '../lib/profile/index.ts';
import type { FilmHistory, ItemStatus, LearnerProgress, ProgressInput } from '../lib/progress/index.ts';
import type { AttemptResult } from '../lib/quiz/index.ts';
import type { LearnerRecord, RecordStore } from '../lib/record/index.ts';
import type { Agent, RecordedStatement, Segment, Statement, WebinarSessionRef } from '../lib/xapi/index.ts';
import type { CertificateAsk, IssuedCertificate } from './certificate.ts';
import { describeItem } from './status-words.ts';

/** An item's status as the page shows it; for a film, also where the learner left it. */
export interface ItemView extends FilmHistory {
  /** Matches the site's `.tag--<state>` styles. */
  state: ItemStatus;
  /** A few words, such as "Completed". */
  label: string;
  /** One sentence more, such as "on 4 June 2026 with 100%". */
  detail: string;
}

/** One Video Profile event, as `<fh-film>` reports it. */
export interface VideoEvent {
  verb: 'initialized' | 'played' | 'paused' | 'seeked' | 'completed' | 'terminated';
  filmId: string;
  filmTitle: string;
  filmVersion: string;
  /** What is played: a film clip, or the recording of the webinar `filmId`. @default "film" */
  of?: 'film' | 'webinar-recording';
  /** The id of the session's `initialized` statement (the Video Profile's session-id). */
  sessionId: string;
  /** The film registration the session belongs to (`context.registration`). */
  registration: string;
  /** Seconds. */
  length: number;
  time: number;
  /** Everything played in the registration so far, this session included, in the order played. */
  playedSegments: Segment[];
  /** Seconds the registration has lasted so far, this session included. */
  registrationSeconds: number;
  timeFrom?: number;
  timeTo?: number;
}

/** One scored quiz attempt, as `<fh-quiz>` reports it. */
export interface QuizAttempt {
  moduleId: string;
  moduleTitle: string;
  moduleVersion: string;
  quiz: Quiz;
  result: AttemptResult;
  /** Seconds from the start of the attempt to Submit. */
  durationSeconds: number;
}

/** The learner's record as components use it. */
export interface Learner {
  /** The site's public address; every IRI sits under it. */
  readonly siteUrl: string;
  /** The record store, for pages that export, import or erase. */
  readonly store: RecordStore;
  /** The record and where it is kept (`storageState`), for the "progress cannot be kept" warning. */
  readonly record: LearnerRecord;
  /** The learner's profile, or undefined until they choose one on the My learning page. */
  readonly profile: Profile | undefined;
  /** Who the statements are about: the profile's actor, or an anonymous one until a profile is chosen. */
  actor(): Agent;
  /** Calls `listener` now and after every change to the record (this tab or another) with the item's status. */
  watchItem(itemId: string, listener: (view: ItemView) => void): () => void;
  /**
   * Calls `listener` now and after every change to the record with the progress of the learner's own
   * plan, or undefined while they have not chosen a role.
   */
  watchPlan(listener: (progress: LearnerProgress | undefined) => void): () => void;
  /** Records `experienced` for a lesson the learner opened. */
  recordLessonOpened(module: { id: string; title: string; version: string }): Promise<void>;
  /** Records `answered` for every question and `passed` or `failed` for the attempt, all under one new registration. */
  recordQuizAttempt(attempt: QuizAttempt): Promise<void>;
  /**
   * Records one Video Profile statement. The statement is made and kept safe
   * before this returns, so a call from `pagehide` is not lost with the page.
   */
  recordVideoEvent(event: VideoEvent): Promise<void>;
  /** Records "I attended" for one session of a webinar. */
  recordWebinarAttended(session: WebinarSessionRef): Promise<void>;
  /**
   * Makes a role or module certificate from the progress the page shows, and records
   * that it was earned. @throws when it cannot be made: `certificateFailureInWords` says why
   */
  issueCertificate(ask: CertificateAsk): Promise<IssuedCertificate>;
  /** Erases the record from this browser, databases and all. @throws RecordEraseError */
  erase(): Promise<void>;
}

let learner: Promise<Learner> | undefined;

/** The learner's record for this page, opened on first call. */
export function learnerRecord(): Promise<Learner> {
  learner ??= openLearner();
  return learner;
}

/** The page has no `<meta name="fh-site-url">`: statements would have no home. */
export class MissingSiteUrlError extends Error {
  constructor() {
    super('This page has no <meta name="fh-site-url">, so learning cannot be recorded. The page layout must print it.');
    this.name = 'MissingSiteUrlError';
  }
}

async function openLearner(): Promise<Learner> {
  const siteUrl = document.querySelector<HTMLMetaElement>('meta[name="fh-site-url"]')?.content.replace(/\/+$/, '');
  if (!siteUrl) throw new MissingSiteUrlError();
  const course = readCourseFacts();
  // Loaded here, not at the top, so PouchDB never delays the first paint. The record and the actor
  // come from their own modules, not the folders' index files, which also bring zod for reading
  // record files and checking profile forms: a page that only shows progress (a role page) does without.
  const [{ openLearnerRecord }, { actorOf }, xapi, { deriveProgress, filmCompletionThreshold, filmHistory, progressOfItem }] = await Promise.all([
    import('../lib/record/learner-record.ts'),
    import('../lib/profile/actor.ts'),
    import('../lib/xapi/index.ts'),
    import('../lib/progress/index.ts'),
  ]);
  const record = await openLearnerRecord(recordName);
  const { store } = record;
  let profile = await store.getProfile();
  // Before a profile is chosen, statements are made by an anonymous account. Its
  // UUID is kept by the record itself (the actor of the statements already there),
  // so the profile chosen later takes it over and nothing is stored apart.
  let anonymousId = profile?.actorId ?? anonymousIdIn(await store.all(), siteUrl) ?? crypto.randomUUID();
  const actor = (): Agent => (profile ? actorOf(profile, siteUrl) : { objectType: 'Agent', account: { homePage: siteUrl, name: anonymousId } });

  const append = async (statements: RecordedStatement[]) => {
    keepUnsaved(statements);
    try {
      await store.append(statements);
    } finally {
      forgetUnsaved(statements);
    }
  };
  // Statements made as an earlier page went away, whose write did not finish: saved now, with their own times.
  const unsaved = readUnsaved();
  // One that still cannot be saved stays kept for the next page, and the cause goes to the console.
  const saved: Statement[] = [];
  for (const statement of unsaved) {
    await store.append([statement]).then(
      () => saved.push(statement),
      (failure: unknown) => console.error(failure),
    );
  }
  forgetUnsaved(saved);
  // Another tab's statement is saved here too, at once: that tab may close before its own write finishes
  // (a learner who passes a quiz and closes the tab), and this page would otherwise never show it.
  window.addEventListener('storage', (event) => {
    if (!event.key?.startsWith(unsavedPrefix) || !event.newValue) return;
    try {
      // A failed write moves the record to memory, which the storage warning tells the learner about.
      void append([JSON.parse(event.newValue) as RecordedStatement]).catch((failure: unknown) => console.error(failure));
    } catch {
      // Not a statement: nothing to save.
    }
  });

  // One read of the record and one derivation per role for each change, shared by
  // every element watching an item on this page (a role page watches a dozen).
  interface Snapshot {
    profile: Profile | undefined;
    statements: Statement[];
    progressByRole: Map<string, LearnerProgress>;
  }
  let snapshot: Promise<Snapshot> | undefined;
  store.subscribe(() => {
    snapshot = undefined;
  });
  const currentSnapshot = () =>
    (snapshot ??= Promise.all([store.getProfile(), store.all()]).then(([latest, statements]) => ({
      profile: latest,
      statements,
      progressByRole: new Map<string, LearnerProgress>(),
    })));

  const viewOf = (itemId: string, { statements, progressByRole }: Snapshot): ItemView => {
    const derive = (input: ProgressInput) => {
      let progress = progressByRole.get(input.roleId);
      if (!progress) progressByRole.set(input.roleId, (progress = deriveProgress(input)));
      return progress;
    };
    const itemProgress = course ? progressOfItem(derive, course, statements, itemId, profile?.roleId, new Date()) : undefined;
    const view: ItemView = describeItem(itemProgress);
    const item = course?.catalogue[itemId];
    if (item?.kind === 'film' || item?.kind === 'webinar') Object.assign(view, filmHistory(siteUrl, itemId, item.version, statements, item.kind));
    return view;
  };

  return {
    siteUrl,
    store,
    record,
    get profile() {
      return profile;
    },
    actor,
    watchItem(itemId, listener) {
      let live = true;
      const refresh = async () => {
        const current = await currentSnapshot();
        profile = current.profile;
        if (profile) anonymousId = profile.actorId;
        if (live) listener(viewOf(itemId, current));
      };
      const unsubscribe = store.subscribe(() => void refresh());
      void refresh();
      return () => {
        live = false;
        unsubscribe();
      };
    },
    watchPlan(listener) {
      let live = true;
      const refresh = async () => {
        const current = await currentSnapshot();
        profile = current.profile;
        if (!live) return;
        const roleId = current.profile?.roleId;
        if (!course || !roleId || !course.matrix.roles.some((role) => role.id === roleId)) return listener(undefined);
        let progress = current.progressByRole.get(roleId);
        if (!progress) {
          progress = deriveProgress({
            statements: current.statements,
            matrix: course.matrix,
            catalogue: course.catalogue,
            roleId,
            siteUrl: course.siteUrl,
            now: new Date(),
          });
          current.progressByRole.set(roleId, progress);
        }
        listener(progress);
      };
      const unsubscribe = store.subscribe(() => void refresh());
      void refresh();
      return () => {
        live = false;
        unsubscribe();
      };
    },
    async recordLessonOpened(module) {
      await append([xapi.moduleExperienced({ actor: actor(), siteUrl, module })]);
    },
    async recordWebinarAttended(session) {
      await append([xapi.webinarAttended({ actor: actor(), siteUrl, session })]);
    },
    async recordQuizAttempt(attempt) {
      await append(
        xapi.quizAttempt({
          actor: actor(),
          siteUrl,
          module: { id: attempt.moduleId, title: attempt.moduleTitle, version: attempt.moduleVersion },
          questions: attempt.quiz.questions,
          outcomes: attempt.result.questions,
          passed: attempt.result.passed,
          score: { raw: attempt.result.correctCount, max: attempt.result.total, min: 0 },
          durationSeconds: attempt.durationSeconds,
        }),
      );
    },
    async recordVideoEvent(event) {
      const options = {
        actor: actor(),
        siteUrl,
        film: { id: event.filmId, title: event.filmTitle, version: event.filmVersion, ...(event.of ? { of: event.of } : {}) },
        sessionId: event.sessionId,
        registration: event.registration,
        length: event.length,
        completionThreshold: filmCompletionThreshold,
      };
      const played = { ...options, time: event.time, playedSegments: event.playedSegments };
      const statement = (() => {
        switch (event.verb) {
          case 'initialized':
            // The session is named after its initialized statement.
            return xapi.videoInitialized({ ...options, id: event.sessionId });
          case 'played':
            return xapi.videoPlayed({ ...options, time: event.time });
          case 'paused':
            return xapi.videoPaused(played);
          case 'seeked':
            return xapi.videoSeeked({ ...options, timeFrom: event.timeFrom ?? event.time, timeTo: event.timeTo ?? event.time });
          case 'completed':
            return xapi.videoCompleted({ ...played, durationSeconds: event.registrationSeconds });
          case 'terminated':
            return xapi.videoTerminated(played);
        }
      })();
      await append([statement]);
    },
    async issueCertificate(ask) {
      if (!course) throw new Error('This page has no course facts, so it cannot make certificates.');
      const current = await currentSnapshot();
      if (!current.profile) throw new Error('A certificate needs the learner’s details first.');
      const { issueCertificate } = await import('./certificate.ts');
      return issueCertificate(ask, { course, profile: current.profile, statements: current.statements, actor: actor(), append });
    },
    async erase() {
      forgetUnsaved(readUnsaved());
      await store.erase();
    },
  };
}

/** The name of the learner's record on this device (the IndexedDB database is named after it). */
const recordName = 'learner';

/** The anonymous account already used in this record on this site, if any. */
function anonymousIdIn(statements: readonly Statement[], siteUrl: string): string | undefined {
  for (const statement of statements) {
    const account = 'account' in statement.actor ? statement.actor.account : undefined;
    if (account?.homePage === siteUrl && account.name) return account.name;
  }
  return undefined;
}

/** The course facts a page embedded with CourseData.astro, or undefined on pages without them. @throws CourseFactsError when they are damaged */
export function readCourseFacts(): CourseFacts | undefined {
  const script = document.getElementById('fh-course');
  return script ? parseCourseFacts(script.textContent) : undefined;
}

/**
 * Statements kept in localStorage from the moment they are made until the
 * record has them. localStorage writes at once, where IndexedDB writes later:
 * a statement made as the page goes away (terminated, on pagehide) may never
 * reach IndexedDB, so the next page to open the record saves it then. One key
 * per statement, so two tabs never overwrite each other's.
 */
const unsavedPrefix = 'fh-unsaved-statement:';

function keepUnsaved(statements: readonly RecordedStatement[]): void {
  try {
    for (const statement of statements) localStorage.setItem(unsavedPrefix + statement.id, JSON.stringify(statement));
  } catch {
    // No localStorage (blocked, full): the ordinary write still runs.
  }
}

function forgetUnsaved(statements: readonly Statement[]): void {
  try {
    for (const statement of statements) localStorage.removeItem(unsavedPrefix + statement.id);
  } catch {
    // Nothing was kept.
  }
}

function readUnsaved(): Statement[] {
  try {
    const found: Statement[] = [];
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      if (!key?.startsWith(unsavedPrefix)) continue;
      try {
        found.push(JSON.parse(localStorage.getItem(key) ?? '') as Statement);
      } catch {
        localStorage.removeItem(key);
      }
    }
    return found;
  } catch {
    return [];
  }
}

const adopted = new Set<string>();

/** Adds a component's light-DOM styles to the document once. */
export function adoptStyles(tag: string, css: string): void {
  if (adopted.has(tag)) return;
  adopted.add(tag);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** A fresh random seed, for a new quiz attempt's option order. */
export function randomSeed(): string {
  return crypto.randomUUID();
}

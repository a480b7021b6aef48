/**
 * The lead page's import worker: reads dropped files, merges their statements
 * by id into the lead's own database and derives the completion matrix, all
 * off the main thread so the page stays responsive. Nothing leaves the browser.
 */
import PouchDB, { type PouchDatabase, type PouchDoc } from 'pouchdb-browser';
import { createMemoryRecordStore, destroyPouchDatabase, openPouchRecordStore, type RecordStore } from '../../lib/record/index.ts';
import { completionMatrix, staffOf, type ProfileSighting } from '../../lib/report/index.ts';
import type { Statement } from '../../lib/xapi/index.ts';
import { importHandedIn, type HeldPerson } from './_import.ts';
import type { CourseFacts, FromWorker, ToWorker } from './_protocol.ts';

/** The lead's statements: separate from any learner record kept in the same browser. */
const statementsDatabase = 'lead-imports';
/**
 * The latest profile of each person, one document per xAPI account (as the
 * xAPI Agent Profile resource keeps one per agent).
 */
const peopleDatabase = 'lead-imports-people';
/** Statements written to the database at a time. */
const writeBatchSize = 5_000;
/** At most this often the page hears how far the import has got. */
const progressEveryMs = 100;

interface Person extends HeldPerson {
  rev?: string;
}

interface State {
  course: CourseFacts;
  store: RecordStore;
  people: PouchDatabase | undefined;
  statements: Map<string, Statement>;
  /** The file each statement came from, for statements imported since the page opened. */
  sources: Map<string, string>;
  persons: Map<string, Person>;
  /** The people database was erased; the next import makes it again. */
  reopenPeople?: boolean;
}

const post = (message: FromWorker) => postMessage(message);
let opened: Promise<State> | undefined;
// Imports and clearing run one after another, in the order asked.
let queue: Promise<unknown> = Promise.resolve();

async function open(course: CourseFacts): Promise<State> {
  let store: RecordStore;
  let people: PouchDatabase | undefined;
  try {
    store = await openPouchRecordStore(statementsDatabase);
    people = new PouchDB(peopleDatabase, { auto_compaction: true });
    await people.info();
  } catch {
    // Private windows and blocked storage: the import still works for as long as the page is open.
    store = createMemoryRecordStore();
    people = undefined;
  }
  const statements = new Map<string, Statement>();
  for (const statement of await store.all()) statements.set(statement.id as string, statement);
  const persons = new Map<string, Person>();
  if (people) {
    const { rows } = await people.allDocs({ include_docs: true });
    for (const row of rows) {
      // PouchDB's allDocs types a row's document loosely; people documents are written only by this worker.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      const doc = row.doc as (PouchDoc & { sighting?: ProfileSighting }) | null | undefined;
      if (doc?.sighting && doc._rev) persons.set(row.id ?? row.key, { sighting: doc.sighting, rev: doc._rev });
    }
  }
  return { course, store, people, statements, sources: new Map(), persons };
}

function publish(state: State, after: 'open' | 'import' | 'clear'): void {
  const { course } = state;
  const { staff, withoutProfile } = staffOf(
    [...state.statements.values()],
    [...state.persons.values()].map((person) => person.sighting),
  );
  const matrix = completionMatrix({
    staff,
    matrix: course.matrix,
    catalogue: course.catalogue,
    siteUrl: course.siteUrl,
    districts: course.districts,
    timeZone: course.timeZone,
    now: new Date(),
  });
  post({ type: 'matrix', after, matrix, persistent: state.people !== undefined || state.reopenPeople === true, withoutProfile: withoutProfile.length });
}

async function importFiles(state: State, files: readonly File[]): Promise<void> {
  const { course } = state;
  const now = new Date();
  let lastPost = performance.now();

  const { outcomes, fresh, changedPeople } = await importHandedIn(files, state, { siteUrl: course.siteUrl, matrix: course.matrix, now }, (done) => {
    if (done < files.length && performance.now() - lastPost > progressEveryMs) {
      post({ type: 'progress', done, total: files.length, outcomes: [] });
      lastPost = performance.now();
    }
  });
  for (let start = 0; start < fresh.length; start += writeBatchSize) await state.store.append(fresh.slice(start, start + writeBatchSize));
  if (state.reopenPeople && changedPeople.size > 0) {
    state.people = new PouchDB(peopleDatabase, { auto_compaction: true });
    state.reopenPeople = false;
  }
  if (state.people && changedPeople.size > 0) {
    const docs = [...changedPeople].map((key): PouchDoc => {
      const person = state.persons.get(key) as Person;
      return { _id: key, ...(person.rev ? { _rev: person.rev } : {}), kind: 'person', sighting: person.sighting };
    });
    const results = await state.people.bulkDocs(docs);
    for (const result of results) {
      const person = result.id === undefined ? undefined : state.persons.get(result.id);
      if (person && result.ok && result.rev) person.rev = result.rev;
    }
  }
  post({ type: 'progress', done: files.length, total: files.length, outcomes });
  publish(state, 'import');
}

async function clear(state: State): Promise<void> {
  await state.store.erase();
  if (state.people) {
    await destroyPouchDatabase(state.people, 'The imported records');
    // Made again only when the next import writes to it.
    state.people = undefined;
    state.reopenPeople = true;
  }
  state.statements.clear();
  state.sources.clear();
  state.persons.clear();
  publish(state, 'clear');
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const run = (task: (state: State) => Promise<void>) => {
    const current = opened;
    if (!current) return;
    queue = queue.then(async () => task(await current)).catch((error: unknown) => post({ type: 'failed', message: describe(error) }));
  };
  if (message.type === 'open') {
    opened ??= open(message.course);
    run(async (state) => publish(state, 'open'));
  } else if (message.type === 'import') {
    run((state) => importFiles(state, message.files));
  } else {
    run(clear);
  }
});

/**
 * The lead page's import worker: reads dropped files, merges their statements
 * by id into the lead's own database and derives the completion matrix, all
 * off the main thread so the page stays responsive. Nothing leaves the browser.
 */
import PouchDB, { type PouchDatabase, type PouchDoc } from 'pouchdb-browser';
import { createMemoryRecordStore, destroyPouchDatabase, openPouchRecordStore, type RecordStore } from '../../lib/record/index.ts';
import { completionMatrix, isNewerSighting, profileKeyOf, staffOf, type ProfileSighting } from '../../lib/report/index.ts';
import type { Statement } from '../../lib/xapi/index.ts';
import type { CourseFacts, FileOutcome, FromWorker, ToWorker } from './_protocol.ts';
import { readHandedInFile } from './_read-file.ts';

/** The lead's statements: separate from any learner record kept in the same browser. */
const statementsDatabase = 'lead-imports';
/**
 * The latest profile of each person, one document per xAPI account (as the
 * xAPI Agent Profile resource keeps one per agent).
 */
const peopleDatabase = 'lead-imports-people';
/** Files read between writes to the database. */
const batchSize = 200;
/** At most this often the page hears how far the import has got. */
const progressEveryMs = 100;

interface Person {
  sighting: ProfileSighting;
  rev?: string;
}

interface State {
  course: CourseFacts;
  store: RecordStore;
  people: PouchDatabase | undefined;
  statements: Map<string, Statement>;
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
      const doc = row.doc as (PouchDoc & { sighting?: ProfileSighting }) | null | undefined;
      if (doc?.sighting && doc._rev) persons.set(row.id ?? row.key, { sighting: doc.sighting, rev: doc._rev });
    }
  }
  return { course, store, people, statements, persons };
}

function publish(state: State, after: 'open' | 'import' | 'clear'): void {
  const { course } = state;
  const { staff, withoutProfile } = staffOf([...state.statements.values()], [...state.persons.values()].map((person) => person.sighting));
  const matrix = completionMatrix({ staff, matrix: course.matrix, catalogue: course.catalogue, siteUrl: course.siteUrl, districts: course.districts, now: new Date() });
  post({ type: 'matrix', after, matrix, persistent: state.people !== undefined, withoutProfile: withoutProfile.length });
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;

async function importFiles(state: State, files: readonly File[]): Promise<void> {
  const { course } = state;
  let pendingStatements: Statement[] = [];
  const changedPeople = new Set<string>();
  let outcomes: FileOutcome[] = [];
  let lastPost = 0;
  const now = new Date();

  // One write in flight at a time, while the next files are read: IndexedDB works beside this thread.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = pendingStatements;
    pendingStatements = [];
    await writing;
    writing = batch.length > 0 ? state.store.append(batch).then(() => undefined) : Promise.resolve();
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
    changedPeople.clear();
  };

  for (const [index, file] of files.entries()) {
    const reading = await readHandedInFile(file, { siteUrl: course.siteUrl, matrix: course.matrix, now });
    let outcome: FileOutcome;
    if (!reading.ok) {
      outcome = { fileName: file.name, status: reading.refusal, message: reading.reason };
    } else {
      const fresh = reading.statements.filter((statement) => !state.statements.has(statement.id as string));
      for (const statement of fresh) state.statements.set(statement.id as string, statement);
      pendingStatements.push(...fresh);
      const key = profileKeyOf(reading.sighting);
      const known = state.persons.get(key);
      const newer = isNewerSighting(reading.sighting, known?.sighting);
      // A later file with the same details is not news, but its date is kept.
      const newerDetails = newer && (!known || JSON.stringify(known.sighting.profile) !== JSON.stringify(reading.sighting.profile));
      if (newer) {
        state.persons.set(key, { sighting: reading.sighting, ...(known?.rev ? { rev: known.rev } : {}) });
        changedPeople.add(key);
      }
      const what = reading.kind === 'record' ? `${reading.sighting.profile.name}’s learning record` : `${reading.sighting.profile.name}’s certificate`;
      const left = reading.invalid > 0 ? ` ${plural(reading.invalid, 'statement')} in it ${reading.invalid === 1 ? 'was' : 'were'} not valid and ${reading.invalid === 1 ? 'was' : 'were'} left out.` : '';
      if (fresh.length === 0 && !newerDetails) {
        outcome = { fileName: file.name, status: 'duplicate', message: `Already imported: ${what} has nothing new.${left}` };
      } else {
        const added = fresh.length > 0 ? `${plural(fresh.length, 'new learning statement')}` : 'newer details, no new learning statements';
        outcome = { fileName: file.name, status: 'imported', message: `Imported ${what}: ${added}.${left}` };
      }
    }
    outcomes.push(outcome);
    if ((index + 1) % batchSize === 0) await flush();
    const done = index + 1;
    if (done === files.length || performance.now() - lastPost > progressEveryMs) {
      if (done === files.length) {
        await flush();
        await writing;
      }
      post({ type: 'progress', done, total: files.length, outcomes });
      outcomes = [];
      lastPost = performance.now();
    }
  }
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
  state.persons.clear();
  publish(state, 'clear');
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const run = (task: (state: State) => Promise<void>) => {
    const current = opened;
    if (!current) return;
    queue = queue
      .then(async () => task(await current))
      .catch((error: unknown) => post({ type: 'failed', message: describe(error) }));
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

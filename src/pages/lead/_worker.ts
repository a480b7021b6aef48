/**
 * The lead page's import worker: reads dropped files, merges their statements
 * by id into the lead's own database and derives the completion matrix, all
 * off the main thread so the page stays responsive. Nothing leaves the browser.
 */
import { openLeadRecord, type LeadRecord } from '../../lib/record/index.ts';
import { completionMatrix, sortRanksOf, staffOf } from '../../lib/report/index.ts';
import type { Statement } from '../../lib/xapi/index.ts';
import { importHandedIn, type HeldPerson } from './_import.ts';
import type { FromWorker, ToWorker } from './_protocol.ts';
import type { CourseFacts } from '../../lib/content/facts.ts';

/** Statements written to the database at a time. */
const writeBatchSize = 5_000;
/** Matrix rows sent to the page in one message: each message is read in a task of its own there. */
const rowsPerMessage = 250;
/** At most this often the page hears how far the import has got. */
const progressEveryMs = 100;

interface State {
  course: CourseFacts;
  record: LeadRecord;
  statements: Map<string, Statement>;
  /** The file each statement came from, for statements imported since the page opened. */
  sources: Map<string, string>;
  persons: Map<string, HeldPerson>;
  /** What kept the saved data from being read on opening, told to the lead once the page has the (empty) matrix. */
  unreadable?: string;
}

const post = (message: FromWorker) => postMessage(message);
let opened: Promise<State> | undefined;
// Imports and clearing run one after another, in the order asked.
let queue: Promise<unknown> = Promise.resolve();
/** Files of an import whose last part has not arrived yet. */
let arriving: File[] = [];

async function open(course: CourseFacts): Promise<State> {
  const record = await openLeadRecord();
  const state: State = { course, record, statements: new Map(), sources: new Map(), persons: new Map() };
  try {
    for (const statement of await record.statements.all()) state.statements.set(statement.id as string, statement);
    for (const [key, sighting] of await record.people.all()) state.persons.set(key, { sighting });
  } catch (error) {
    // Saved data this page cannot read (changed by something else): the lead is told what to do,
    // and "Clear all imported data" still works, since the record itself is open.
    state.statements.clear();
    state.persons.clear();
    state.unreadable = describe(error);
  }
  return state;
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
  const ranks = sortRanksOf(matrix.rows);
  for (let start = 0; start < matrix.rows.length; start += rowsPerMessage)
    post({ type: 'matrix-rows', rows: matrix.rows.slice(start, start + rowsPerMessage) });
  post({ type: 'matrix', after, matrix: { ...matrix, rows: [] }, ranks, persistent: state.record.persistent, withoutProfile: withoutProfile.length });
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
  for (let start = 0; start < fresh.length; start += writeBatchSize) await state.record.statements.append(fresh.slice(start, start + writeBatchSize));
  if (changedPeople.size > 0) await state.record.people.put([...changedPeople].map((key) => [key, (state.persons.get(key) as HeldPerson).sighting] as const));
  post({ type: 'progress', done: files.length, total: files.length, outcomes });
  publish(state, 'import');
}

async function clear(state: State): Promise<void> {
  await state.record.statements.erase();
  await state.record.people.erase();
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
    run(async (state) => {
      publish(state, 'open');
      if (state.unreadable) post({ type: 'failed', message: state.unreadable });
    });
  } else if (message.type === 'import') {
    // The parts of one import arrive one after another; it starts once the last is here.
    arriving.push(...message.files);
    if (message.more) return;
    const files = arriving;
    arriving = [];
    run((state) => importFiles(state, files));
  } else {
    run(clear);
  }
});

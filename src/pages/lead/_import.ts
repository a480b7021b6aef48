/**
 * One import on the lead page, before anything is saved: reads every file,
 * merges their statements by id with what the lead already holds, and says
 * what happened to each file. Every file is read before any statement is kept,
 * so two files that disagree about a statement are both found, whatever order
 * they come in. The worker saves what this returns.
 */
import type { Matrix } from '../../lib/content/index.ts';
import { describeConflicts, isNewerSighting, mergeHandedIn, profileKeyOf, type FileMerge, type ProfileSighting } from '../../lib/report/index.ts';
import type { Statement } from '../../lib/xapi/index.ts';
import type { FileOutcome } from './_protocol.ts';
import { readHandedInFile, type FileReading } from './_read-file.ts';

/** A person the lead holds: their latest profile. */
export interface HeldPerson {
  sighting: ProfileSighting;
}

/** What the lead holds; an import adds to it in place. */
export interface LeadHoldings {
  statements: Map<string, Statement>;
  /** The file each statement came from, where known. */
  sources: Map<string, string>;
  persons: Map<string, HeldPerson>;
}

/** What an import changed, for the worker to save, and a sentence per file. */
export interface LeadImport {
  outcomes: FileOutcome[];
  /** Statements new to the lead, in file order. */
  fresh: Statement[];
  /** Keys of the persons whose profile is newer. */
  changedPeople: Set<string>;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
/** A field path from a hostile file can be long; its start says where. */
const shortField = (field: string) => (field.length > 60 ? `${field.slice(0, 59)}…` : field);
const was = (count: number) => (count === 1 ? 'was' : 'were');

/** One plain sentence about a file that was read, and its status. */
function outcomeOf(fileName: string, reading: Extract<FileReading, { ok: true }>, merge: FileMerge, newerDetails: boolean): FileOutcome {
  const what = reading.kind === 'record' ? `${reading.sighting.profile.name}’s learning record` : `${reading.sighting.profile.name}’s certificate`;
  const first = reading.firstInvalid;
  const left = first
    ? ` ${plural(reading.invalid, 'statement')} in it ${was(reading.invalid)} not valid and ${was(reading.invalid)} left out (statement ${first.position.toLocaleString('en-GB')}: ${first.field ? `${shortField(first.field)} ` : ''}${first.reason}).`
    : '';
  const fresh = merge.fresh.length;
  if (merge.conflicts.length > 0) {
    const rest = fresh > 0 ? ` ${plural(fresh, 'other new learning statement')} in ${what} ${was(fresh)} imported.` : ` Nothing else in ${what} was new.`;
    return { fileName, status: 'conflict', message: `${describeConflicts(fileName, merge.conflicts)}${rest}${left}` };
  }
  if (fresh === 0 && !newerDetails) return { fileName, status: 'duplicate', message: `Already imported: ${what} has nothing new.${left}` };
  const added = fresh > 0 ? plural(fresh, 'new learning statement') : 'newer details, no new learning statements';
  return { fileName, status: 'imported', message: `Imported ${what}: ${added}.${left}` };
}

/**
 * Reads and merges the files of one import into `held`. Never throws for a
 * file: each gets its own outcome. `onRead` hears how many files have been read.
 */
export async function importHandedIn(
  files: readonly File[],
  held: LeadHoldings,
  options: { siteUrl: string; matrix: Matrix; now: Date },
  onRead: (done: number) => void = () => {},
): Promise<LeadImport> {
  const readings: FileReading[] = [];
  for (const file of files) {
    readings.push(await readHandedInFile(file, options));
    onRead(readings.length);
  }
  const read = readings.flatMap((reading, index) => (reading.ok ? [{ reading, fileName: files[index]!.name }] : []));
  const merges = mergeHandedIn(
    read.map(({ reading, fileName }) => ({ fileName, statements: reading.statements })),
    held,
  );
  const outcomes: FileOutcome[] = [];
  const fresh: Statement[] = [];
  const changedPeople = new Set<string>();
  let next = 0;
  readings.forEach((reading, index) => {
    const fileName = files[index]!.name;
    if (!reading.ok) {
      outcomes.push({ fileName, status: reading.refusal, message: reading.reason });
      return;
    }
    const merge = merges[next++]!;
    for (const statement of merge.fresh) {
      held.statements.set(statement.id as string, statement);
      held.sources.set(statement.id as string, fileName);
    }
    fresh.push(...merge.fresh);
    const key = profileKeyOf(reading.sighting);
    const known = held.persons.get(key);
    const newer = isNewerSighting(reading.sighting, known?.sighting);
    // A later file with the same details is not news, but its date is kept.
    const newerDetails = newer && (!known || JSON.stringify(known.sighting.profile) !== JSON.stringify(reading.sighting.profile));
    if (newer) {
      held.persons.set(key, { ...known, sighting: reading.sighting });
      changedPeople.add(key);
    }
    outcomes.push(outcomeOf(fileName, reading, merge, newerDetails));
  });
  return { outcomes, fresh, changedPeople };
}

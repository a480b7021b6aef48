/**
 * Merging the statements of handed-in files by id. A statement is immutable,
 * so one id with two different contents means one of the files is wrong: the
 * lead is told which files disagree, and neither version is used (one already
 * held before the import stays as it was). Content is compared as xAPI says,
 * ignoring what an LRS adds and the order of keys.
 * @see https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md#231-statement-comparison-requirements
 */
import { canonicalStatement, type Statement } from '../xapi/index.ts';

/** The statements one handed-in file holds. */
export interface HandedInStatements {
  fileName: string;
  statements: readonly Statement[];
}

/** A statement id this file holds with content another file (or the lead's store) holds differently. */
export interface StatementConflict {
  statementId: string;
  /** The other files, by name; the file itself when it holds the id twice. */
  otherFiles: string[];
  /** Whether the lead already held the other version before this import; it is kept. */
  heldBefore: boolean;
}

/** What merging decided for one file. */
export interface FileMerge {
  /** Statements to add: new, and no other file disagrees about them. */
  fresh: Statement[];
  /** Statements already held, or given by an earlier file in this import, with the same content. */
  repeated: number;
  conflicts: StatementConflict[];
}

/** What the lead holds before the import: statements by id and, where known, the file each came from. */
export interface HeldStatements {
  statements: ReadonlyMap<string, Statement>;
  sources: ReadonlyMap<string, string>;
}

interface Copy {
  file: number;
  statement: Statement;
}

/** Decides, for each file of an import, which statements are new, which repeat, and which conflict. */
export function mergeHandedIn(files: readonly HandedInStatements[], held: HeldStatements): FileMerge[] {
  const merges: FileMerge[] = files.map(() => ({ fresh: [], repeated: 0, conflicts: [] }));
  const copies = new Map<string, Copy[]>();
  files.forEach((file, index) => {
    for (const statement of file.statements) {
      const id = statement.id as string;
      const list = copies.get(id);
      if (list) list.push({ file: index, statement });
      else copies.set(id, [{ file: index, statement }]);
    }
  });
  const addConflict = (file: number, conflict: StatementConflict) => {
    const list = merges[file]!.conflicts;
    if (!list.some((known) => known.statementId === conflict.statementId)) list.push(conflict);
  };
  for (const [id, list] of copies) {
    const heldStatement = held.statements.get(id);
    if (heldStatement) {
      const heldText = canonicalStatement(heldStatement);
      for (const copy of list) {
        if (canonicalStatement(copy.statement) === heldText) merges[copy.file]!.repeated += 1;
        else addConflict(copy.file, { statementId: id, otherFiles: held.sources.has(id) ? [held.sources.get(id)!] : [], heldBefore: true });
      }
      continue;
    }
    if (list.length === 1) {
      merges[list[0]!.file]!.fresh.push(list[0]!.statement);
      continue;
    }
    const texts = list.map((copy) => canonicalStatement(copy.statement));
    if (texts.every((text) => text === texts[0])) {
      merges[list[0]!.file]!.fresh.push(list[0]!.statement);
      for (const copy of list.slice(1)) merges[copy.file]!.repeated += 1;
      continue;
    }
    list.forEach((copy, index) => {
      const others = list.filter((_, otherIndex) => texts[otherIndex] !== texts[index]).map((other) => files[other.file]!.fileName);
      addConflict(copy.file, { statementId: id, otherFiles: [...new Set(others)], heldBefore: false });
    });
  }
  return merges;
}

const listOf = (names: readonly string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/**
 * Says in plain English which files disagree about which statements.
 * @example "sian.json and copy.json both hold statement 0d5a… with different content; neither was used."
 */
export function describeConflicts(fileName: string, conflicts: readonly StatementConflict[]): string {
  const groups = new Map<string, StatementConflict[]>();
  for (const conflict of conflicts) {
    const key = `${conflict.heldBefore}|${conflict.otherFiles.join('\n')}`;
    groups.set(key, [...(groups.get(key) ?? []), conflict]);
  }
  return [...groups.values()]
    .map((group) => {
      const { otherFiles, heldBefore } = group[0]!;
      const what =
        group.length === 1 ? `statement ${group[0]!.statementId}` : `${group.length.toLocaleString('en-GB')} statements (for example ${group[0]!.statementId})`;
      if (otherFiles.length === 1 && otherFiles[0] === fileName) return `${fileName} holds ${what} twice with different content; neither was used.`;
      const others = otherFiles.filter((other) => other !== fileName);
      if (heldBefore) {
        const earlier = others.length > 0 ? `${listOf(others)}, imported before,` : 'a file imported before';
        return `${fileName} and ${earlier} both hold ${what} with different content; the one imported before is kept and this file’s was not used.`;
      }
      return `${listOf([fileName, ...others])} ${others.length > 1 ? 'all' : 'both'} hold ${what} with different content; neither was used.`;
    })
    .join(' ');
}

/** The messages between the lead page and its import worker. */
import type { CourseFacts } from '../../lib/content/facts.ts';
import type { CompletionMatrix, SortRanks } from '../../lib/report/index.ts';
import type { Refusal } from './_read-file.ts';

/** What happened to one file. */
export interface FileOutcome {
  fileName: string;
  /** `conflict`: the file and another hold one statement id with different content. */
  status: 'imported' | 'duplicate' | 'conflict' | Refusal;
  /** One plain sentence about the file. */
  message: string;
}

export type ToWorker =
  | { type: 'open'; course: CourseFacts }
  /**
   * Files to import, a few to a message: passing a file to a worker costs the page about a millisecond, so 2,000 in
   * one message would freeze it for seconds. `more` says another part of the same import follows.
   */
  | { type: 'import'; files: File[]; more: boolean }
  | { type: 'clear' };

export type FromWorker =
  /** Rows of the matrix that follows, a few hundred to a message, so the page never reads 2,000 rows in one task. */
  | { type: 'matrix-rows'; rows: CompletionMatrix['rows'] }
  /**
   * The lead's data as stored, after opening or clearing, its rows sent before it as `matrix-rows`. `persistent` is
   * false when the browser will not keep it.
   * `ranks` order the rows for sorting, worked out here so the page never runs the collator over every row.
   */
  | { type: 'matrix'; after: 'open' | 'import' | 'clear'; matrix: CompletionMatrix; ranks: SortRanks; persistent: boolean; withoutProfile: number }
  | { type: 'progress'; done: number; total: number; outcomes: FileOutcome[] }
  | { type: 'failed'; message: string };

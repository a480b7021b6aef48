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

export type ToWorker = { type: 'open'; course: CourseFacts } | { type: 'import'; files: File[] } | { type: 'clear' };

export type FromWorker =
  /**
   * The lead's data as stored, after opening or clearing. `persistent` is false when the browser will not keep it.
   * `ranks` order the rows for sorting, worked out here so the page never runs the collator over every row.
   */
  | { type: 'matrix'; after: 'open' | 'import' | 'clear'; matrix: CompletionMatrix; ranks: SortRanks; persistent: boolean; withoutProfile: number }
  | { type: 'progress'; done: number; total: number; outcomes: FileOutcome[] }
  | { type: 'failed'; message: string };

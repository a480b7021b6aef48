/** The messages between the lead page and its import worker. */
import type { Matrix } from '../../lib/content/index.ts';
import type { Catalogue } from '../../lib/plan/index.ts';
import type { CompletionMatrix } from '../../lib/report/index.ts';
import type { Refusal } from './_read-file.ts';

/** The course facts the worker derives the matrix from. */
export interface CourseFacts {
  siteUrl: string;
  matrix: Matrix;
  catalogue: Catalogue;
  districts: Array<{ id: string; name: string }>;
}

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
  /** The lead's data as stored, after opening or clearing. `persistent` is false when the browser will not keep it. */
  | { type: 'matrix'; after: 'open' | 'import' | 'clear'; matrix: CompletionMatrix; persistent: boolean; withoutProfile: number }
  | { type: 'progress'; done: number; total: number; outcomes: FileOutcome[] }
  | { type: 'failed'; message: string };

/**
 * Keeps the projection current while the hub runs: a pass every second (a pass
 * with nothing new reads two index ranges and returns). `poke` asks for one at
 * once, for example after this process stored statements. Every hub process
 * runs one; the pass's lock lets only one work at a time.
 */
import type { Database } from '../db/index.ts';
import type { HubCourse } from './course.ts';
import { projectProgress, type ProgressChange } from './projection.ts';
import { startRepeating, type Repeating } from '../repeating.ts';

export type Projector = Repeating;

export function startProjector(
  db: Database,
  course: HubCourse,
  homePage: string,
  options: { intervalMs?: number; now?: () => Date; onChanges?: (changes: ProgressChange[]) => void; onError?: (error: unknown) => void } = {},
): Projector {
  return startRepeating(
    async () => {
      const result = await projectProgress(db, course, homePage, options.now?.() ?? new Date());
      if (result.changes.length > 0) options.onChanges?.(result.changes);
      return false;
    },
    options.intervalMs ?? 1000,
    options.onError ?? ((error: unknown) => console.error('hub: deriving learner progress failed:', error)),
  );
}

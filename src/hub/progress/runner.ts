/**
 * Keeps the projection current while the hub runs: a pass every second (a pass
 * with nothing new reads two index ranges and returns). `poke` asks for one at
 * once, for example after this process stored statements. Every hub process
 * runs one; the pass's lock lets only one work at a time.
 */
import type { Database } from '../db/index.ts';
import type { HubCourse } from './course.ts';
import { projectProgress, type ProgressChange } from './projection.ts';

export interface Projector {
  poke(): void;
  /** Waits for a running pass, then stops. */
  stop(): Promise<void>;
}

export function startProjector(
  db: Database,
  course: HubCourse,
  homePage: string,
  options: { intervalMs?: number; now?: () => Date; onChanges?: (changes: ProgressChange[]) => void; onError?: (error: unknown) => void } = {},
): Projector {
  const intervalMs = options.intervalMs ?? 1000;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = projectProgress(db, course, homePage, options.now?.() ?? new Date())
      .then((result) => {
        if (result.changes.length > 0) options.onChanges?.(result.changes);
      })
      .catch((error: unknown) => (options.onError ?? ((e: unknown) => console.error('hub: deriving learner progress failed:', e)))(error))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    poke: run,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * A piece of background work the hub repeats while it runs (deriving progress,
 * forwarding statements): a pass every `intervalMs`, never two at once, and a
 * `poke` for a pass as soon as the current one ends. A pass that reports more
 * work waiting is followed by another at once.
 */
export interface Repeating {
  /** Asks for a pass now (it runs after the current one, if any). */
  poke(): void;
  /** Waits for the running pass, then stops. */
  stop(): Promise<void>;
}

/**
 * Starts repeating `pass`; it resolves true when there is more to do straight away. A pass that fails is reported
 * to `onError` and the next one runs as usual. The timer never keeps the process alive by itself.
 */
export function startRepeating(pass: () => Promise<boolean>, intervalMs: number, onError: (error: unknown) => void): Repeating {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .then((more) => {
        if (more) again = true;
      })
      .catch(onError)
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

/**
 * The hub's background loop (deriving progress, forwarding): passes never
 * overlap, a poke during a pass runs one more after it, a pass that says more
 * is waiting is followed at once, and a failure is reported without stopping it.
 */
import { describe, expect, it } from 'vitest';
import { startRepeating } from '../../src/hub/repeating.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('startRepeating', () => {
  it('runs one pass at a time, and one more after a poke that came during a pass', async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const loop = startRepeating(
      () => {
        passes += 1;
        active += 1;
        most = Math.max(most, active);
        return new Promise<boolean>((resolve) => {
          release = () => {
            active -= 1;
            resolve(false);
          };
        });
      },
      60_000,
      (error) => {
        throw error;
      },
    );
    loop.poke();
    loop.poke();
    expect(passes).toBe(1);
    release();
    await settle();
    expect(passes).toBe(2);
    release();
    await settle();
    expect(passes).toBe(2);
    expect(most).toBe(1);
    await loop.stop();
  });

  it('follows a pass that has more to do at once, and keeps going after a failure', async () => {
    const results: Array<boolean | Error> = [true, true, new Error('the database went away'), false];
    const errors: unknown[] = [];
    let passes = 0;
    const loop = startRepeating(
      async () => {
        const result = results[passes++] ?? false;
        if (result instanceof Error) throw result;
        return result;
      },
      60_000,
      (error) => errors.push(error),
    );
    await settle();
    expect(passes).toBe(3);
    expect(errors).toEqual([new Error('the database went away')]);
    loop.poke();
    await settle();
    expect(passes).toBe(4);
    await loop.stop();
    loop.poke();
    await settle();
    expect(passes).toBe(4);
  });
});

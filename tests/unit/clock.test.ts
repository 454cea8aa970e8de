import { describe, expect, it } from 'vitest';
import { createManualClock, createScaledClock } from '../../sandbox/cluster/clock.ts';

describe('scaled clock', () => {
  it('never runs a timer before its simulated due time, whatever the rounding of real delays', async () => {
    const clock = createScaledClock(7);
    const lateness: number[] = [];
    await Promise.all(
      [1, 13, 99, 345.6, 1234.5].map(
        (ms) =>
          new Promise<void>((resolve) => {
            const due = clock.now() + ms;
            clock.setTimer(() => {
              lateness.push(clock.now() - due);
              resolve();
            }, ms);
          }),
      ),
    );
    expect(lateness).toHaveLength(5);
    for (const late of lateness) expect(late).toBeGreaterThanOrEqual(0);
  });

  it('rejects a scale that is not positive', () => {
    expect(() => createScaledClock(0)).toThrow(RangeError);
  });
});

describe('manual clock', () => {
  it('fires due timers in order while advancing', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 200);
    clock.setTimer(() => fired.push('a'), 100);
    const cancel = clock.setTimer(() => fired.push('never'), 150);
    cancel();
    clock.advance(150);
    expect(fired).toEqual(['a']);
    clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(250);
  });
});

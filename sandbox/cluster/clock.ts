/**
 * Time for the control plane. Every controller and every simulated node reads time and sets
 * timers only through a Clock, so tests can step time by hand and a classroom can run rollouts
 * faster than life (a time scale of 10 turns `minReadySeconds: 60` into six real seconds).
 */
export interface Clock {
  /** Milliseconds since the epoch, in simulated time. */
  now(): number;
  /**
   * Calls `fn` once `ms` milliseconds of simulated time have passed (never earlier: when it runs,
   * now() is at or past the due time). Returns a function that cancels it.
   */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The wall clock, optionally sped up: simulated time runs `scale` times faster than real time. */
export function createScaledClock(scale = 1, realNow: () => number = Date.now): Clock {
  if (!(scale > 0)) throw new RangeError(`time scale must be a positive number, got ${scale}`);
  const origin = realNow();
  const now = (): number => origin + (realNow() - origin) * scale;
  return {
    now,
    setTimer(fn, ms) {
      // Node rounds timer delays to whole milliseconds and may wake a little early; a timer must
      // never run before its simulated due time, or a caller that compares now() with the due
      // time would see it early and wait forever. So wake, check, and sleep again if needed.
      const due = now() + Math.max(0, ms);
      let handle: ReturnType<typeof setTimeout>;
      const arm = (): void => {
        handle = setTimeout(
          () => (now() < due ? arm() : fn()),
          Math.max(0, Math.ceil((due - now()) / scale)),
        );
        handle.unref?.();
      };
      arm();
      return () => clearTimeout(handle);
    },
  };
}

/** A clock that moves only when told to: for tests. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due on the way, in order. */
  advance(ms: number): void;
  /** How many timers are waiting. */
  pendingTimers(): number;
}

export function createManualClock(start = Date.parse('2026-01-01T00:00:00Z')): ManualClock {
  let current = start;
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  return {
    now: () => current,
    setTimer(fn, ms) {
      const id = nextId++;
      timers.set(id, { due: current + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    advance(ms) {
      const target = current + ms;
      for (;;) {
        let nextKey: number | undefined;
        let nextDue = Number.POSITIVE_INFINITY;
        for (const [id, t] of timers) {
          if (t.due <= target && t.due < nextDue) {
            nextDue = t.due;
            nextKey = id;
          }
        }
        if (nextKey === undefined) break;
        const timer = timers.get(nextKey)!;
        timers.delete(nextKey);
        current = Math.max(current, timer.due);
        timer.fn();
      }
      current = target;
    },
    pendingTimers: () => timers.size,
  };
}

/** RFC 3339 with seconds precision, as Kubernetes writes timestamps. */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * How long the terminal waits before reconnecting. The ceiling doubles from 0.5 s with each failed
 * attempt up to 15 s, and each wait is drawn between half the ceiling and the ceiling, so that a
 * classroom of browsers does not reconnect in lockstep after a server restart:
 *
 * | attempt | ceiling | wait |
 * | --- | --- | --- |
 * | 0 | 500 ms | 250–500 ms |
 * | 1 | 1 s | 0.5–1 s |
 * | 3 | 4 s | 2–4 s |
 * | 5 and later | 15 s (16 s capped) | 7.5–15 s |
 */

/** The first ceiling, in milliseconds. */
export const BASE_RECONNECT_DELAY_MS = 500;
/** The largest ceiling, in milliseconds. */
export const MAX_RECONNECT_DELAY_MS = 15_000;

/** Milliseconds to wait before attempt `attempt` (0 for the first retry); `random` gives [0, 1). */
export function computeReconnectDelay(attempt: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(attempt, 30));
  const ceiling = Math.min(MAX_RECONNECT_DELAY_MS, BASE_RECONNECT_DELAY_MS * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

import { describe, expect, it } from 'vitest';
import { computeReconnectDelay } from '../../../src/scripts/terminal/backoff.ts';

describe('computeReconnectDelay', () => {
  it.each([
    // attempt, random, milliseconds: half the ceiling plus random × half the ceiling
    [0, 0, 250],
    [0, 0.999, 500],
    [1, 0.5, 750],
    [3, 0, 2000],
    [4, 1, 8000],
    [5, 0, 7500],
    [5, 0.999, 14_993],
    [40, 0, 7500],
    [-1, 0, 250],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(computeReconnectDelay(attempt, () => random)).toBe(expected);
  });
});

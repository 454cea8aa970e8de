/**
 * Resolving `intstr.IntOrString` values such as maxSurge and maxUnavailable against a total,
 * the way apimachinery's GetScaledValueFromIntOrPercent does.
 */
import type { IntOrString } from './workload-types.ts';

/** Raised for a value that is neither an integer nor an integer percentage (`"25%"`). */
export class InvalidIntOrPercentError extends Error {
  readonly value: unknown;
  constructor(value: unknown) {
    super(
      `invalid value for IntOrString: invalid type: string is not a percentage: ${JSON.stringify(value)}`,
    );
    this.name = 'InvalidIntOrPercentError';
    this.value = value;
  }
}

/**
 * Scales an int-or-percent against `total`. Integers are returned as they are; percentages are
 * taken of `total` and rounded up or down. Worked example with total 3 and "25%": 0.75 of a
 * replica, so 1 when rounding up (maxSurge) and 0 when rounding down (maxUnavailable).
 */
export function getScaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new InvalidIntOrPercentError(value);
    return value;
  }
  const match = /^(-?\d+)%$/.exec(value);
  if (!match) throw new InvalidIntOrPercentError(value);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

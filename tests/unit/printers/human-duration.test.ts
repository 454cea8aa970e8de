import { describe, expect, it } from 'vitest';
import { formatAge, formatTimestampSince } from '../../../sandbox/cluster/api/printers/index.ts';

const MS = 1;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

describe('formatAge', () => {
  // The examples upstream documents for HumanDuration, plus the ages in the learner's notes.
  it.each([
    [SECOND, '1s'],
    [9 * SECOND, '9s'],
    [39 * SECOND, '39s'],
    [70 * SECOND, '70s'],
    [190 * SECOND, '3m10s'],
    [6 * MINUTE + 48 * SECOND, '6m48s'],
    [70 * MINUTE, '70m'],
    [3 * HOUR + 10 * MINUTE, '3h10m'],
    [47 * HOUR, '47h'],
    [49 * HOUR, '2d1h'],
    [2 * DAY + 3 * HOUR, '2d3h'],
    [(8 * 24 + 2) * HOUR, '8d'],
    [367 * DAY, '367d'],
    [400 * DAY, '400d'],
    [(365 * 2 * 24 + 25) * HOUR, '2y1d'],
    [(365 * 8 * 24 + 2) * HOUR, '8y'],
  ])('%d ms is %s', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });

  // Each precision boundary, on both sides.
  it.each([
    [-2 * SECOND, '<invalid>'],
    [-2 * SECOND + MS, '0s'],
    [0, '0s'],
    [SECOND - MS, '0s'],
    [2 * MINUTE - MS, '119s'],
    [2 * MINUTE, '2m'],
    [2 * MINUTE + SECOND, '2m1s'],
    [10 * MINUTE - MS, '9m59s'],
    [10 * MINUTE, '10m'],
    [10 * MINUTE + SECOND, '10m'],
    [3 * HOUR - MS, '179m'],
    [3 * HOUR, '3h'],
    [3 * HOUR + MINUTE, '3h1m'],
    [8 * HOUR - MS, '7h59m'],
    [8 * HOUR, '8h'],
    [8 * HOUR + 59 * MINUTE, '8h'],
    [2 * DAY - MS, '47h'],
    [2 * DAY, '2d'],
    [2 * DAY + HOUR, '2d1h'],
    [8 * DAY - MS, '7d23h'],
    [8 * DAY, '8d'],
    [8 * DAY + 23 * HOUR, '8d'],
    [2 * YEAR - MS, '729d'],
    [2 * YEAR, '2y'],
    [2 * YEAR + 24 * HOUR - MS, '2y'],
    [2 * YEAR + 24 * HOUR, '2y1d'],
    [3 * YEAR, '3y'],
    [8 * YEAR - MS, '7y364d'],
    [8 * YEAR, '8y'],
    [8 * YEAR + 364 * DAY, '8y'],
    [9 * YEAR, '9y'],
  ])('boundary %d ms is %s', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });

  it('calls a non-finite duration invalid', () => {
    expect(formatAge(Number.NaN)).toBe('<invalid>');
  });
});

describe('formatTimestampSince', () => {
  const now = Date.parse('2026-01-01T00:06:48Z');

  it.each([
    ['2026-01-01T00:00:00Z', '6m48s'],
    ['2026-01-01T00:06:39Z', '9s'],
    ['2026-01-01T00:06:49Z', '0s'],
    ['2026-01-01T00:06:50Z', '<invalid>'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['yesterday', '<unknown>'],
  ])('%s seen at 00:06:48 is %s', (timestamp, expected) => {
    expect(formatTimestampSince(timestamp, now)).toBe(expected);
  });
});

/**
 * Session secrets are compared in constant time, over digests so lengths never short-cut.
 */
import { describe, expect, it } from 'vitest';
import { secretsMatch } from '../../../sandbox/sessions/session-manager.ts';

describe('secretsMatch', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'x', false],
    ['ÿ', 'ÿ', true],
  ])('%j vs %j → %s', (given, expected, match) => {
    expect(secretsMatch(given, expected)).toBe(match);
  });
});

import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../../src/i18n/format.ts';
import { buildLessonPath, buildOverviewPath, translatePath } from '../../../src/lessons/paths.ts';

describe('translatePath', () => {
  it.each([
    [
      '/ko/ch09/rollouts-and-rollbacks/',
      '#undo-to-revision',
      'en',
      '/en/ch09/rollouts-and-rollbacks/#undo-to-revision',
    ],
    [
      '/en/ch09/rollouts-and-rollbacks/',
      'undo-to-revision',
      'ko',
      '/ko/ch09/rollouts-and-rollbacks/#undo-to-revision',
    ],
    ['/en/ch09/how-rollouts-happen/', '', 'ko', '/ko/ch09/how-rollouts-happen/'],
    ['/en/ch09/how-rollouts-happen/', '#', 'ko', '/ko/ch09/how-rollouts-happen/'],
    ['/ko/', '', 'en', '/en/'],
    ['/ko', '', 'en', '/en/'],
    ['/', '', 'en', '/en/'],
    ['/kor/whatever/', '', 'en', '/en/'],
    ['/ko/ch09/how-rollouts-happen/', '', 'ko', '/ko/ch09/how-rollouts-happen/'],
  ] as const)('%s %s → %s', (pathname, hash, to, expected) => {
    expect(translatePath(pathname, hash, to)).toBe(expected);
  });

  it('builds lesson and overview paths', () => {
    expect(buildLessonPath('ko', 'how-rollouts-happen')).toBe('/ko/ch09/how-rollouts-happen/');
    expect(buildOverviewPath('en')).toBe('/en/');
  });
});

describe('formatMessage', () => {
  it.each([
    ['{n}단계', { n: 3 }, '3단계'],
    ['{a} and {b}', { a: 'x', b: 'y' }, 'x and y'],
    ['{missing} stays', {}, '{missing} stays'],
    ['no placeholders', { n: 1 }, 'no placeholders'],
    ['{toString}', {}, '{toString}'],
  ])('%s', (template, values, expected) => {
    expect(formatMessage(template, values)).toBe(expected);
  });
});

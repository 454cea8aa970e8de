import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ch09Checks } from '../../../content/checks/ch09.ts';
import { createEmptySnapshot, evaluateStep } from '../../../sandbox/checks/evaluate.ts';
import { stepChecksSchema } from '../../../sandbox/checks/schema.ts';
import { afterScale, afterSetImageV2 } from './scenarios.ts';

const LESSONS = path.resolve(import.meta.dirname, '../../../content/lessons');

/** Every `<Step id="...">` of the lessons in one language. */
function lessonStepIds(locale: 'ko' | 'en'): string[] {
  const dir = path.join(LESSONS, locale);
  const ids: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.mdx')))
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(/<Step id="([^"]+)"/g))
      ids.push(match[1]!);
  return ids;
}

describe('chapter 9 checks', () => {
  it.each(Object.entries(ch09Checks))('%s parses with the schema', (_id, checks) => {
    expect(() => stepChecksSchema.parse(checks)).not.toThrow();
  });

  it.each(['ko', 'en'] as const)('covers every %s lesson step and nothing else', (locale) => {
    const ids = lessonStepIds(locale);
    expect(ids).toHaveLength(16);
    expect([...ids].sort()).toEqual(Object.keys(ch09Checks).sort());
  });

  it('leaves every step but clean-up unpassed in an empty namespace', () => {
    for (const [id, checks] of Object.entries(ch09Checks)) {
      const { status } = evaluateStep(checks, createEmptySnapshot(), 'en');
      expect(status, id).toBe(id === 'clean-up' ? 'passed' : 'pending');
    }
  });

  it('passes scaling only once the scale file is applied, and not after the next step', () => {
    const scale = ch09Checks['scale-is-not-a-rollout']!;
    expect(evaluateStep(scale, afterScale(), 'en').status).toBe('passed');
    expect(evaluateStep(ch09Checks['set-image-rollout']!, afterScale(), 'en').status).not.toBe('passed');
    expect(evaluateStep(ch09Checks['set-image-rollout']!, afterSetImageV2(), 'en').status).toBe('passed');
  });
});

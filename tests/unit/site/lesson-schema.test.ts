import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../../src/schemas/lesson.ts';

const valid = {
  title: '쿠버네티스의 롤링 업데이트',
  description: '설명',
  order: 1,
  section: '9.1',
  slug: 'how-rollouts-happen',
  exercises: [1, 2, 3],
  minutes: 20,
};

describe('lessonSchema', () => {
  it('accepts a complete frontmatter', () => {
    expect(lessonSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['an empty title', { title: ' ' }, 'title'],
    ['a slug that is not kebab-case', { slug: 'How_Rollouts' }, 'slug'],
    ['a section of another chapter', { section: '8.1' }, 'section'],
    ['exercises out of order', { exercises: [2, 1] }, 'exercises'],
    ['an exercise the chapter does not have', { exercises: [17] }, 'exercises'],
    ['no exercises', { exercises: [] }, 'exercises'],
    ['order zero', { order: 0 }, 'order'],
    ['fractional minutes', { minutes: 2.5 }, 'minutes'],
  ])('refuses %s', (_name, change, field) => {
    const result = lessonSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it('refuses a missing field', () => {
    const { minutes: _minutes, ...rest } = valid;
    expect(lessonSchema.safeParse(rest).success).toBe(false);
  });
});

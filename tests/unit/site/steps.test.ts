import { describe, expect, it } from 'vitest';
import {
  compareStepOutlines,
  extractStepOutlines,
  findStepProblems,
  type StepOutline,
} from '../../../src/lessons/steps.ts';

const step = (id: string, exercise: number | undefined, title = 'T'): StepOutline => ({
  id,
  title,
  exercise,
});

describe('extractStepOutlines', () => {
  it.each([
    ['double quotes and a number', '<Step id="a-b" exercise={3} title="제목">', [step('a-b', 3, '제목')]],
    ['single quotes, attributes in any order', "<Step title='x' id='z' exercise={12}>", [step('z', 12, 'x')]],
    ['a line break inside the tag', '<Step\n  id="n"\n  exercise={1}\n  title="t">', [step('n', 1, 't')]],
    ['no exercise', '<Step id="n" title="t">', [step('n', undefined, 't')]],
    ['an exercise that is not a number', '<Step id="n" exercise={x} title="t">', [step('n', undefined, 't')]],
    ['a StepList or Steps component is not a step', '<StepList steps={s} /><Steps>', []],
    ['a step shown inside a code fence', '```mdx\n<Step id="shown" exercise={1} title="t">\n```\n', []],
    [
      'two steps in order around text',
      '<Step id="one" exercise={1} title="A">\ntext\n</Step>\n\n<Step id="two" exercise={2} title="B">',
      [step('one', 1, 'A'), step('two', 2, 'B')],
    ],
  ])('%s', (_name, body, expected) => {
    expect(extractStepOutlines(body)).toEqual(expected);
  });
});

describe('findStepProblems', () => {
  it.each([
    ['fine', [step('a', 1), step('b', 2)], [1, 2], []],
    [
      'not kebab-case',
      [step('Bad_Id', 1)],
      [1],
      ['step 1 ("Bad_Id"): give it an id in kebab-case, such as id="set-image-rollout"'],
    ],
    [
      'a duplicate id',
      [step('a', 1), step('a', 2)],
      [1, 2],
      ['step 2 ("a"): the id is used twice in this lesson; ids must be unique'],
    ],
    ['no title', [step('a', 1, '')], [1], ['step 1 ("a"): give it a title="…" in the lesson\'s language']],
    [
      'a missing exercise number',
      [step('a', undefined)],
      [1],
      [
        'step 1 ("a"): say which exercise it is, such as exercise={4}',
        'the steps cover exercises [] but the frontmatter says exercises: [1]; write one <Step> per exercise, in order',
      ],
    ],
    [
      'steps that do not match the frontmatter',
      [step('a', 2), step('b', 1)],
      [1, 2],
      [
        'the steps cover exercises [2, 1] but the frontmatter says exercises: [1, 2]; write one <Step> per exercise, in order',
      ],
    ],
  ])('%s', (_name, steps, exercises, expected) => {
    expect(findStepProblems(steps, exercises)).toEqual(expected);
  });
});

describe('compareStepOutlines', () => {
  it.each([
    ['same ids, other titles', [step('a', 1, 'ko')], [step('a', 1, 'en')], []],
    [
      'an id that differs',
      [step('a', 1)],
      [step('b', 1)],
      ['step 1 is "a" (exercise 1) in the original but "b" (exercise 1) in en; use the same id and exercise'],
    ],
    [
      'a missing step',
      [step('a', 1), step('b', 2)],
      [step('a', 1)],
      ['step 2 ("b") is missing from the en lesson'],
    ],
    [
      'an extra step',
      [step('a', 1)],
      [step('a', 1), step('c', 2)],
      ['step 2 ("c") exists only in the en lesson'],
    ],
  ])('%s', (_name, original, translation, expected) => {
    expect(compareStepOutlines(original, translation, 'en')).toEqual(expected);
  });
});

/**
 * The lesson files themselves, without building the site: frontmatter against the schema, step
 * outlines equal across languages, every chapter exercise covered once, and every file a `<Run>`
 * command names (`-f PATH`) present in the exercise folder, so a typo in a lesson fails here
 * rather than in a learner's terminal.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compareStepOutlines, extractStepOutlines, findStepProblems } from '../../../src/lessons/steps.ts';
import { lessonSchema } from '../../../src/schemas/lesson.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LESSONS = join(ROOT, 'content', 'lessons');
const EXERCISES = join(ROOT, 'content', 'exercises', 'ch09');

function readLesson(locale: string, file: string) {
  const source = readFileSync(join(LESSONS, locale, file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!match) throw new Error(`${locale}/${file} has no frontmatter`);
  return { data: lessonSchema.parse(parse(match[1]!)), body: match[2]! };
}

/** The `command` attributes of every `<Run>` in a body. */
function readRunCommands(body: string): string[] {
  return [...body.matchAll(/<Run\s+command=(?:"([^"]*)"|'([^']*)')/g)].map((m) => m[1] ?? m[2]!);
}

const files = readdirSync(join(LESSONS, 'ko')).filter((f) => f.endsWith('.mdx'));

describe('lesson files', () => {
  it('exist in both languages with the same names', () => {
    expect(
      readdirSync(join(LESSONS, 'en'))
        .filter((f) => f.endsWith('.mdx'))
        .sort(),
    ).toEqual(files.sort());
    expect(files).toHaveLength(5);
  });

  it('cover exercises 1 to 16 once each, in order', () => {
    const lessons = files.map((f) => readLesson('ko', f).data).sort((a, b) => a.order - b.order);
    expect(lessons.flatMap((l) => l.exercises)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(lessons.map((l) => l.section)).toEqual(['9.1', '9.2', '9.3', '9.4', '9.5']);
  });

  for (const file of files) {
    it(`${file}: valid frontmatter, one step per exercise, translation in step`, () => {
      const ko = readLesson('ko', file);
      const en = readLesson('en', file);
      expect(ko.data.slug).toBe(file.replace(/\.mdx$/, ''));
      expect({ ...en.data, title: '', description: '' }).toEqual({ ...ko.data, title: '', description: '' });
      const koSteps = extractStepOutlines(ko.body);
      const enSteps = extractStepOutlines(en.body);
      expect(findStepProblems(koSteps, ko.data.exercises)).toEqual([]);
      expect(findStepProblems(enSteps, en.data.exercises)).toEqual([]);
      expect(compareStepOutlines(koSteps, enSteps, 'en')).toEqual([]);
      expect(enSteps.every((s) => !/[\uac00-\ud7a3]/.test(s.title))).toBe(true);
    });

    it(`${file}: the same commands in both languages, naming files that exist`, () => {
      const koCommands = readRunCommands(readLesson('ko', file).body);
      const enCommands = readRunCommands(readLesson('en', file).body);
      expect(enCommands).toEqual(koCommands);
      for (const command of koCommands) {
        expect(command).toMatch(/^(kubectl|curl|for) /);
        for (const m of command.matchAll(/-f\s+(\S+)/g)) {
          expect(
            existsSync(join(EXERCISES, m[1]!)),
            `${command}: ${m[1]} is not in content/exercises/ch09`,
          ).toBe(true);
        }
      }
    });
  }
});

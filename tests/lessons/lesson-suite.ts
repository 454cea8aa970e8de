/**
 * The lesson suite: every lesson followed as a learner would in a fresh sandbox. For each lesson:
 * no step of the chapter passes in the empty namespace; the lesson's setup commands run (its
 * "starting here?" hint); then step by step, the step and every later step of the lesson must not
 * pass before the step's commands run, the commands (the `<Run command>` values of the MDX, in
 * order, typed into the learner's shell) must succeed, or fail where the Run says `expect="fail"`,
 * and once the cluster has settled the step's checks must pass. A check that passes before its
 * step is a broken lesson: the page would mark the step done for nothing.
 *
 * The chapter run follows all five lessons in one sandbox, as a learner who goes from lesson to
 * lesson does (without the setup commands): there each step's "before" is the previous lesson's end.
 *
 * One test file per language (`lessons.ko.test.ts`, `lessons.en.test.ts`) and one for the chapter
 * run, so that vitest spreads them over its workers, each with its own cluster. Each prints its
 * figures at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Locale, StepResult } from '../../sandbox/checks/evaluate.ts';
import { type CommandOutcome, type LessonLab, type LessonSession, startLessonLab } from './lesson-lab.ts';
import {
  type LessonRun,
  type LessonScript,
  type LessonStepScript,
  readLessonScript,
} from './lesson-script.ts';

const LESSONS_DIR = resolve(import.meta.dirname, '../../content/lessons');

/** One lesson file, read in both languages. */
export interface Lesson {
  file: string;
  order: number;
  scripts: Record<Locale, LessonScript>;
}

function readLesson(file: string): Lesson {
  const read = (locale: Locale) => {
    const path = join(LESSONS_DIR, locale, file);
    return { source: readFileSync(path, 'utf8'), where: `content/lessons/${locale}/${file}` };
  };
  const ko = read('ko');
  const front = /^---\n([\s\S]*?)\n---\n/.exec(ko.source);
  const order = Number((parse(front?.[1] ?? '') as { order?: number }).order);
  const en = read('en');
  return {
    file,
    order,
    scripts: { ko: readLessonScript(ko.source, ko.where), en: readLessonScript(en.source, en.where) },
  };
}

/** The chapter's lessons in course order. */
export const lessons: readonly Lesson[] = readdirSync(join(LESSONS_DIR, 'ko'))
  .filter((f) => f.endsWith('.mdx'))
  .map(readLesson)
  .sort((a, b) => a.order - b.order);

/** Every step id of the chapter, in lesson order. */
export const ALL_STEP_IDS = lessons.flatMap((l) => l.scripts.ko.steps.map((s) => s.id));

/** The failed checks of a step result, one per line, for assertion messages. */
function explain(result: StepResult): string {
  return result.results
    .filter((r) => !r.passed)
    .map((r) => `  - ${r.message}\n    expected: ${r.expected}\n    actual:   ${r.actual}`)
    .join('\n');
}

function describeOutcome(outcome: CommandOutcome): string {
  const tail = outcome.output.trim().split('\n').slice(-15).join('\n');
  return `$ ${outcome.command}\nexit ${outcome.status}${outcome.interrupted ? ' (interrupted)' : ''}${outcome.timedOut ? ' (timed out)' : ''}\n${tail}`;
}

/** Whether the command ended as the lesson says it should. */
function endedAsExpected(outcome: CommandOutcome, expectation: 'success' | 'failure'): boolean {
  if (outcome.timedOut) return false;
  // A watch stopped with Ctrl-C once the cluster went quiet ran as intended.
  const succeeded = outcome.interrupted ? true : outcome.status === 0;
  return expectation === 'success' ? succeeded : !succeeded;
}

/**
 * Real time one lesson may take. Idle, a lesson takes 4 to 20 s; on a 2-core machine shared with
 * builds and other suites it has taken 40 s, so the limit leaves room for worse.
 */
const LESSON_TIMEOUT_MS = 300_000;

/** Figures of one test, for the summary printed at the end of a file. */
interface Figures {
  name: string;
  steps: number;
  commands: number;
  realMs: number;
  simulatedMs: number;
}

/** What following some steps in one sandbox counted. */
interface Followed {
  steps: number;
  commands: number;
}

/**
 * Runs setup commands, then each step as the suite's header says. `upcoming` lists the step ids
 * that must not pass yet, from each step on (the rest of its lesson, or of the chapter).
 */
async function follow(
  sandbox: LessonSession,
  locale: Locale,
  setup: readonly LessonRun[],
  steps: readonly LessonStepScript[],
  upcoming: (index: number) => string[],
): Promise<Followed> {
  const followed: Followed = { steps: 0, commands: 0 };
  const runAll = async (runs: readonly LessonRun[], where: string) => {
    for (const run of runs) {
      const outcome = await sandbox.run(run.command);
      followed.commands++;
      expect(
        endedAsExpected(outcome, run.expect),
        `${where}, line ${run.line}: expected ${run.expect === 'success' ? 'success' : 'a failure (expect="fail")'}\n${describeOutcome(outcome)}`,
      ).toBe(true);
      const settleStart = Date.now();
      const settled = await sandbox.settle();
      if (process.env.LESSON_TRACE)
        console.log(
          `${locale} ${where} ${run.command}: ${outcome.realMs} ms (${outcome.simulatedMs / 1000} s sim), settle ${Date.now() - settleStart} ms (${settled.simulatedMs / 1000} s sim${settled.quiet ? '' : ', not quiet'})`,
        );
    }
  };
  await runAll(setup, 'setup');
  for (const [index, step] of steps.entries()) {
    const ahead = upcoming(index);
    const before = await sandbox.judge(ahead, locale);
    if (process.env.LESSON_TRACE)
      console.log(
        `${locale} before ${step.id}: ${before[step.id]?.status}: ${before[step.id]?.results.find((r) => !r.passed)?.message}`,
      );
    for (const id of ahead)
      expect(
        before[id]?.status,
        `step ${id} passes before the commands of step ${step.id} ran: its checks do not tell it from the state before it`,
      ).not.toBe('passed');
    await runAll(step.runs, `step ${step.id}`);
    const after = (await sandbox.judge([step.id], locale))[step.id]!;
    expect(after.status, `step ${step.id} does not pass after its commands:\n${explain(after)}`).toBe(
      'passed',
    );
    followed.steps++;
  }
  return followed;
}

/** One cluster for a file's tests, and the figures it prints when they are done. */
function useLab(title: string): { lab: () => LessonLab; record: (figures: Figures) => void } {
  let lab: LessonLab | undefined;
  const figures: Figures[] = [];
  const started = Date.now();
  beforeAll(async () => {
    lab = await startLessonLab();
  });
  afterAll(async () => {
    const version = lab?.kubectlVersion;
    await lab?.stop();
    if (figures.length === 0) return;
    const total = (key: 'steps' | 'commands') => figures.reduce((sum, f) => sum + f[key], 0);
    console.log(
      [
        `${title}: ${total('steps')} steps checked (before and after), ${total('commands')} commands run, ${((Date.now() - started) / 1000).toFixed(1)} s in all (kubectl ${version})`,
        ...figures.map(
          (f) =>
            `  ${f.name.padEnd(33)} ${String(f.steps).padStart(2)} steps ${String(f.commands).padStart(3)} commands ${(f.realMs / 1000).toFixed(1).padStart(6)} s (${Math.round(f.simulatedMs / 60_000)} simulated min)`,
        ),
      ].join('\n'),
    );
  });
  return {
    lab: () => {
      if (!lab) throw new Error('the lab did not start');
      return lab;
    },
    record: (f) => figures.push(f),
  };
}

/** Defines the lesson runs of one language: one test per lesson, each in a fresh sandbox. */
export function defineLessonRuns(locale: Locale): void {
  describe(`lessons in a fresh sandbox (${locale})`, () => {
    const { lab, record } = useLab(`lesson tests (${locale}), ${lessons.length} lessons`);
    for (const lesson of lessons) {
      const script = lesson.scripts[locale];
      it(
        `${locale}/${lesson.file}: each step fails before its commands and passes after`,
        async () => {
          const realStart = Date.now();
          const simStart = lab().clock.now();
          const sandbox = await lab().newSession();
          let followed: Followed;
          try {
            // A fresh namespace passes no step of any lesson.
            const empty = await sandbox.judge(ALL_STEP_IDS, locale);
            for (const id of ALL_STEP_IDS)
              expect(empty[id]?.status, `step ${id} passes in an empty namespace`).not.toBe('passed');
            // Before a step's commands, neither it nor any later step of the lesson may pass.
            followed = await follow(sandbox, locale, script.setup, script.steps, (index) =>
              script.steps.slice(index).map((s) => s.id),
            );
          } finally {
            await sandbox.close();
          }
          record({
            name: `${locale}/${lesson.file.replace(/\.mdx$/, '')}`,
            ...followed,
            realMs: Date.now() - realStart,
            simulatedMs: lab().clock.now() - simStart,
          });
        },
        LESSON_TIMEOUT_MS,
      );
    }
  });
}

/** Defines the chapter run: every lesson of one language in order, in one sandbox, no setup commands. */
export function defineChapterRun(locale: Locale): void {
  describe(`the whole chapter in one sandbox (${locale})`, () => {
    const { lab, record } = useLab(`chapter test (${locale})`);
    it(
      `${locale}: lesson after lesson, no step passes before its commands and each passes after`,
      async () => {
        const realStart = Date.now();
        const simStart = lab().clock.now();
        const steps = lessons.flatMap((l) => l.scripts[locale].steps);
        const sandbox = await lab().newSession();
        let followed: Followed;
        try {
          // Before a step's commands, neither it nor any later step of the chapter may pass.
          followed = await follow(sandbox, locale, [], steps, (index) => steps.slice(index).map((s) => s.id));
        } finally {
          await sandbox.close();
        }
        record({
          name: `${locale}/chapter`,
          ...followed,
          realMs: Date.now() - realStart,
          simulatedMs: lab().clock.now() - simStart,
        });
      },
      3 * LESSON_TIMEOUT_MS,
    );
  });
}

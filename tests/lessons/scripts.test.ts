/**
 * The lesson scripts the lesson suite follows, read from the MDX with the parser Astro uses: five
 * lessons, sixteen steps, the same steps and commands in Korean and English, a check table entry
 * for every step; and the reader itself on small sources (where a Run sits decides what it is).
 */
import { describe, expect, it } from 'vitest';
import { STEP_CHECKS } from '../../sandbox/server/step-checks.ts';
import { compareLessonScripts, LessonScriptError, readLessonScript } from './lesson-script.ts';
import { lessons } from './lesson-suite.ts';

describe('lesson scripts', () => {
  it('reads five lessons with sixteen steps, each with at least one command', () => {
    expect(lessons).toHaveLength(5);
    for (const locale of ['ko', 'en'] as const) {
      const steps = lessons.flatMap((l) => l.scripts[locale].steps);
      expect(steps.map((s) => s.exercise)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      for (const step of steps) expect(step.runs.length, step.id).toBeGreaterThan(0);
    }
  });

  it.each(lessons.map((l) => [l.file, l] as const))(
    '%s: Korean and English have the same steps and commands, in the same order',
    (_file, lesson) => {
      expect(compareLessonScripts(lesson.scripts.ko, lesson.scripts.en)).toEqual([]);
    },
  );

  it('has checks for every step and no checks without a step', () => {
    const ids = lessons.flatMap((l) => l.scripts.ko.steps.map((s) => s.id));
    expect([...ids].sort()).toEqual(Object.keys(STEP_CHECKS).sort());
  });
});

describe('readLessonScript', () => {
  const source = [
    '---',
    'title: t',
    '---',
    '',
    '<Hint title="Starting here?">',
    '',
    '<Run command="kubectl apply -f vweb/" />',
    '',
    '</Hint>',
    '',
    '<Step id="one" exercise={1} title="One">',
    '',
    'Text with `<Run command="not a run" />` in code.',
    '',
    '```text',
    '<Run command="kubectl in a fence" />',
    '```',
    '',
    '<Run command="kubectl get rs -l app=vweb" />',
    '',
    '<Hint>',
    '',
    '<Run command="kubectl rollout undo deploy/vweb" />',
    '',
    '</Hint>',
    '',
    '<Run command="curl http://localhost:8090/v.txt" expect="fail" />',
    '',
    '<Solution>',
    '',
    '<Run command="kubectl rollout history deploy/vweb" />',
    '',
    '</Solution>',
    '',
    '</Step>',
    '',
  ].join('\n');

  it('sorts Runs into setup, step commands (Solution included) and optional hint commands', () => {
    const script = readLessonScript(source, 'x.mdx');
    expect(script.setup.map((r) => r.command)).toEqual(['kubectl apply -f vweb/']);
    expect(script.steps).toHaveLength(1);
    const [step] = script.steps;
    expect(step).toMatchObject({ id: 'one', exercise: 1 });
    expect(step!.runs.map((r) => [r.command, r.expect, r.inSolution])).toEqual([
      ['kubectl get rs -l app=vweb', 'success', false],
      ['curl http://localhost:8090/v.txt', 'failure', false],
      ['kubectl rollout history deploy/vweb', 'success', true],
    ]);
    expect(step!.optionalRuns.map((r) => r.command)).toEqual(['kubectl rollout undo deploy/vweb']);
    expect(step!.runs[0]!.line).toBe(19);
  });

  it.each([
    [
      '<Step id="a" exercise={1}>\n\n<Run command="x" expect="maybe" />\n\n</Step>\n',
      /the only value is expect="fail"/,
    ],
    ['<Step id="a" exercise={1}>\n\n<Run />\n\n</Step>\n', /<Run> needs a command/],
    ['<Step id="a" exercise={1}>\n\n<Run command={cmd} />\n\n</Step>\n', /as a plain string/],
    ['<Step exercise={1}>\n\n<Run command="x" />\n\n</Step>\n', /<Step> needs an id/],
    ['<Step id="a">\n\n<Run command="x" />\n\n</Step>\n', /needs exercise=\{N\}/],
    [
      '<Step id="a" exercise={1}>\n\n<Step id="b" exercise={2}>\n\n</Step>\n\n</Step>\n',
      /a <Step> inside another <Step>/,
    ],
  ])('refuses %j', (text, message) => {
    expect(() => readLessonScript(text, 'bad.mdx')).toThrow(LessonScriptError);
    expect(() => readLessonScript(text, 'bad.mdx')).toThrow(message);
  });

  it('names what differs between a lesson and its translation', () => {
    const a = readLessonScript(source, 'ko.mdx');
    const b = readLessonScript(source.replace('expect="fail" ', ''), 'en.mdx');
    expect(compareLessonScripts(a, b)).toEqual([
      'step one: runs differ: ["kubectl get rs -l app=vweb","curl http://localhost:8090/v.txt (expect=\\"fail\\")","kubectl rollout history deploy/vweb"] vs ["kubectl get rs -l app=vweb","curl http://localhost:8090/v.txt","kubectl rollout history deploy/vweb"]',
    ]);
  });
});

/**
 * Reads a lesson's MDX into the script a learner follows: for each `<Step>`, the `<Run command>`
 * values in document order. Parsed with satteri, the MDX parser Astro builds the site with, so
 * the test runs exactly the commands the page shows (a Run inside a fenced example or a code span
 * is text, as on the page); a command written as an expression (`command={…}`) is refused rather
 * than guessed at.
 *
 * Where a Run sits decides what it is:
 * - inside a `<Step>` (its body or its `<Solution>`): one of the step's commands;
 * - inside a `<Hint>` within a step: an optional aside, not run;
 * - outside every step (the lesson's opening "starting here?" hint): setup for a fresh sandbox.
 */
import { type MdastNode, mdxToMdast } from 'satteri';

/** Whether a command is meant to succeed, or fails on purpose to teach something. */
export type RunExpectation = 'success' | 'failure';

/** One `<Run>` of a lesson. */
export interface LessonRun {
  command: string;
  /** `expect="fail"` on the Run: the lesson shows a failure on purpose. */
  expect: RunExpectation;
  /** Inside a `<Solution>`. */
  inSolution: boolean;
  /** Line in the MDX file, for messages. */
  line: number;
}

/** One `<Step>` and what the learner runs in it. */
export interface LessonStepScript {
  id: string;
  exercise: number;
  /** The step's commands in document order (body and Solution). */
  runs: LessonRun[];
  /** Runs inside the step's Hints: alternatives the learner may try, not part of the step. */
  optionalRuns: LessonRun[];
}

/** A lesson as a script. */
export interface LessonScript {
  /** Runs outside every step: what a fresh sandbox needs before the first step. */
  setup: LessonRun[];
  steps: LessonStepScript[];
}

/** The lesson source is not a script the test can follow; the message says where and what to change. */
export class LessonScriptError extends Error {
  override name = 'LessonScriptError';
}

interface JsxElement {
  type: 'mdxJsxFlowElement' | 'mdxJsxTextElement';
  name: string | null;
  attributes: { type: string; name?: string; value?: unknown }[];
  children?: MdastNode[];
  position?: { start: { line: number } };
}

function isJsxElement(node: MdastNode): node is MdastNode & JsxElement {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

/**
 * An attribute's value; undefined when absent. A string is read as is. An expression gives its
 * source text where `expression` allows it (`exercise={7}`); elsewhere it is refused, because the
 * test would run the source text rather than what the page shows. A spread attribute is refused:
 * the test could not know what it sets.
 */
function readAttribute(
  element: JsxElement,
  name: string,
  where: string,
  expression: 'allowed' | 'refused' = 'refused',
): string | undefined {
  for (const attribute of element.attributes) {
    if (attribute.type !== 'mdxJsxAttribute')
      throw new LessonScriptError(
        `${where}: <${element.name}> has a spread attribute; write each attribute out`,
      );
    if (attribute.name !== name) continue;
    const value = attribute.value;
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'value' in value) {
      if (expression === 'refused')
        throw new LessonScriptError(
          `${where}: write ${name}="…" as a plain string on <${element.name}>, not ${name}={…}`,
        );
      return String(value.value).trim();
    }
    return '';
  }
  return undefined;
}

/** Reads one lesson's MDX source; `file` names it in error messages. */
export function readLessonScript(source: string, file: string): LessonScript {
  const script: LessonScript = { setup: [], steps: [] };
  const visit = (
    node: MdastNode,
    context: { step?: LessonStepScript; hint: boolean; solution: boolean },
  ): void => {
    if (!isJsxElement(node)) {
      for (const child of (node as { children?: MdastNode[] }).children ?? []) visit(child, context);
      return;
    }
    const line = node.position?.start.line ?? 0;
    const where = `${file}:${line}`;
    let inner = context;
    if (node.name === 'Step') {
      if (context.step)
        throw new LessonScriptError(`${where}: a <Step> inside another <Step>; close the first one`);
      const id = readAttribute(node, 'id', where);
      const exercise = Number(readAttribute(node, 'exercise', where, 'allowed'));
      if (!id) throw new LessonScriptError(`${where}: <Step> needs an id="…"`);
      if (!Number.isInteger(exercise))
        throw new LessonScriptError(`${where}: <Step id="${id}"> needs exercise={N}`);
      const step: LessonStepScript = { id, exercise, runs: [], optionalRuns: [] };
      script.steps.push(step);
      inner = { step, hint: false, solution: false };
    } else if (node.name === 'Hint') {
      inner = { ...context, hint: true };
    } else if (node.name === 'Solution') {
      inner = { ...context, solution: true };
    } else if (node.name === 'Run') {
      const command = readAttribute(node, 'command', where);
      if (!command) throw new LessonScriptError(`${where}: <Run> needs a command="…"`);
      const expect = readAttribute(node, 'expect', where);
      if (expect !== undefined && expect !== 'fail')
        throw new LessonScriptError(
          `${where}: <Run expect="${expect}">: the only value is expect="fail" (a command that fails on purpose); leave it out otherwise`,
        );
      const run: LessonRun = {
        command,
        expect: expect === 'fail' ? 'failure' : 'success',
        inSolution: context.solution,
        line,
      };
      if (!context.step) script.setup.push(run);
      else if (context.hint) context.step.optionalRuns.push(run);
      else context.step.runs.push(run);
      return;
    }
    for (const child of node.children ?? []) visit(child, inner);
  };
  visit(mdxToMdast(source), { hint: false, solution: false });
  return script;
}

/**
 * Differences between a lesson and its translation that the test relies on: the same setup
 * commands, the same step ids, and in every step the same commands with the same expectations, in
 * the same order. Empty when they agree.
 */
export function compareLessonScripts(original: LessonScript, translation: LessonScript): string[] {
  const problems: string[] = [];
  const describeRuns = (runs: readonly LessonRun[]) =>
    runs.map((r) => `${r.command}${r.expect === 'failure' ? ' (expect="fail")' : ''}`);
  const sameRuns = (a: readonly LessonRun[], b: readonly LessonRun[]) =>
    JSON.stringify(describeRuns(a)) === JSON.stringify(describeRuns(b));
  if (!sameRuns(original.setup, translation.setup))
    problems.push(
      `setup commands differ: ${JSON.stringify(describeRuns(original.setup))} vs ${JSON.stringify(describeRuns(translation.setup))}`,
    );
  const ids = (s: LessonScript) => s.steps.map((step) => step.id);
  if (ids(original).join() !== ids(translation).join())
    problems.push(`step ids differ: ${ids(original).join(', ')} vs ${ids(translation).join(', ')}`);
  for (const [index, step] of original.steps.entries()) {
    const other = translation.steps[index];
    if (!other || other.id !== step.id) continue;
    for (const key of ['runs', 'optionalRuns'] as const)
      if (!sameRuns(step[key], other[key]))
        problems.push(
          `step ${step.id}: ${key} differ: ${JSON.stringify(describeRuns(step[key]))} vs ${JSON.stringify(describeRuns(other[key]))}`,
        );
  }
  return problems;
}

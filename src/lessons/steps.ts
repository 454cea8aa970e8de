/**
 * Reads the outline of a lesson's steps from its MDX source, so that pages can list the steps
 * (navigation, progress markers, counts on the overview) before the MDX renders, and so that the
 * build refuses lessons whose translations disagree on their steps (the language switch keeps the
 * learner on the same step anchor, and checks are keyed by step id).
 *
 * Only the opening tags are read: `<Step id="scale-is-not-a-rollout" exercise={1} title="…">`.
 */

/** What a page needs to know of one `<Step>` without rendering it. */
export interface StepOutline {
  /** The `id` attribute: the step's anchor and `data-step-id`. */
  id: string;
  /** The `title` attribute, in the lesson's language. */
  title: string;
  /** The `exercise` attribute: the exercise number in CHAPTER9.md. */
  exercise: number | undefined;
}

const STEP_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Removes fenced code blocks so that a `<Step` shown as an example is not taken for a step. */
function stripFencedCode(source: string): string {
  return source.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** Reads `name="…"`, `name='…'` and `name={…}` attributes of one opening tag. */
function readAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of tag.matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\})/g)) {
    attributes.set(m[1]!, (m[2] ?? m[3] ?? m[4] ?? '').trim());
  }
  return attributes;
}

/** Lists the steps of an MDX body in document order. */
export function extractStepOutlines(body: string): StepOutline[] {
  const steps: StepOutline[] = [];
  for (const m of stripFencedCode(body).matchAll(/<Step\b([^>]*)>/g)) {
    const attributes = readAttributes(m[1]!);
    const exercise = attributes.get('exercise');
    steps.push({
      id: attributes.get('id') ?? '',
      title: attributes.get('title') ?? '',
      exercise: exercise === undefined || !/^\d+$/.test(exercise) ? undefined : Number(exercise),
    });
  }
  return steps;
}

/**
 * Problems with one lesson's steps, each a sentence that says what to change; empty when fine.
 * `exercises` is the lesson's frontmatter list: every exercise gets exactly one step, in order.
 */
export function findStepProblems(steps: readonly StepOutline[], exercises: readonly number[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  steps.forEach((step, index) => {
    const where = `step ${index + 1}${step.id ? ` ("${step.id}")` : ''}`;
    if (!STEP_ID.test(step.id))
      problems.push(`${where}: give it an id in kebab-case, such as id="set-image-rollout"`);
    else if (seen.has(step.id))
      problems.push(`${where}: the id is used twice in this lesson; ids must be unique`);
    seen.add(step.id);
    if (step.title === '') problems.push(`${where}: give it a title="…" in the lesson's language`);
    if (step.exercise === undefined)
      problems.push(`${where}: say which exercise it is, such as exercise={4}`);
  });
  const stepExercises = steps.map((s) => s.exercise);
  if (stepExercises.join(',') !== exercises.join(',')) {
    problems.push(
      `the steps cover exercises [${stepExercises.join(', ')}] but the frontmatter says exercises: [${exercises.join(', ')}]; ` +
        'write one <Step> per exercise, in order',
    );
  }
  return problems;
}

/**
 * Differences between a lesson and its translation that would break the language switch or the
 * checks: the same step ids, in the same order, for the same exercises. Empty when they agree.
 */
export function compareStepOutlines(
  original: readonly StepOutline[],
  translation: readonly StepOutline[],
  translationLocale: string,
): string[] {
  const problems: string[] = [];
  const length = Math.max(original.length, translation.length);
  for (let i = 0; i < length; i++) {
    const a = original[i];
    const b = translation[i];
    if (!a) problems.push(`step ${i + 1} ("${b!.id}") exists only in the ${translationLocale} lesson`);
    else if (!b) problems.push(`step ${i + 1} ("${a.id}") is missing from the ${translationLocale} lesson`);
    else if (a.id !== b.id || a.exercise !== b.exercise) {
      problems.push(
        `step ${i + 1} is "${a.id}" (exercise ${a.exercise}) in the original but "${b.id}" (exercise ${b.exercise}) in ${translationLocale}; use the same id and exercise`,
      );
    }
  }
  return problems;
}

/**
 * A line diff for the revision timeline: two pod templates as YAML in, the lines of one script
 * that turns the first into the second out. It is the classic longest-common-subsequence table
 * (templates are a few dozen lines, so the O(n·m) table is tiny), walked from the start so that
 * removals come before additions at the same place, as `diff -u` prints them.
 */

/** One line of a diff: kept as is, removed from the first text, or added by the second. */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Splits a text into lines; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The lines of `before` and `after` in order, each marked same, removed or added. Worked example:
 * `a b c` → `a c d` gives `same a, removed b, same c, added d`.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    const row = common[i]!;
    const below = common[i + 1]!;
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? below[j + 1]! + 1 : Math.max(below[j]!, row[j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (common[i + 1]![j]! >= common[i]![j + 1]!) {
      lines.push({ kind: 'removed', text: a[i]! });
      i++;
    } else {
      lines.push({ kind: 'added', text: b[j]! });
      j++;
    }
  }
  for (; i < a.length; i++) lines.push({ kind: 'removed', text: a[i]! });
  for (; j < b.length; j++) lines.push({ kind: 'added', text: b[j]! });
  return lines;
}

/** The marker a diff line starts with: `+`, `-` or a space (so colour is never the only cue). */
export function diffMarker(kind: DiffLine['kind']): string {
  return kind === 'added' ? '+' : kind === 'removed' ? '-' : ' ';
}

/** A run of unchanged lines left out of a shown diff. */
export interface SkippedLines {
  kind: 'skipped';
  count: number;
}

/**
 * The diff as `diff -u` shows it: changed lines with `context` unchanged lines around each change,
 * longer unchanged runs folded into one `skipped` entry. A pod template is mostly defaults that
 * never change; the learner should see the image line without scrolling past them.
 */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): (DiffLine | SkippedLines)[] {
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const out: (DiffLine | SkippedLines)[] = [];
  for (const [i, line] of lines.entries()) {
    if (near[i]) out.push(line);
    else {
      const last = out.at(-1);
      if (last?.kind === 'skipped') last.count++;
      else out.push({ kind: 'skipped', count: 1 });
    }
  }
  return out;
}

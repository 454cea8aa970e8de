/** The revision timeline's line diff. */
import { describe, expect, it } from 'vitest';
import { diffLines, diffMarker, foldUnchanged, splitLines } from '../../../src/scripts/live-view/diff.ts';

const show = (before: string, after: string): string[] =>
  diffLines(before, after).map((line) => `${diffMarker(line.kind)}${line.text}`);

describe('diffLines', () => {
  it.each([
    ['equal texts', 'a\nb\n', 'a\nb\n', [' a', ' b']],
    ['a changed line: removal before addition', 'a\nb\nc\n', 'a\nB\nc\n', [' a', '-b', '+B', ' c']],
    ['the worked example', 'a\nb\nc', 'a\nc\nd', [' a', '-b', ' c', '+d']],
    ['everything new', '', 'x\ny\n', ['+x', '+y']],
    ['everything gone', 'x\ny\n', '', ['-x', '-y']],
    ['both empty', '', '', []],
    ['an inserted block keeps the lines around it', 'a\nz\n', 'a\nb\nc\nz\n', [' a', '+b', '+c', ' z']],
  ])('%s', (_name, before, after, expected) => {
    expect(show(before, after)).toEqual(expected);
  });

  it('shows a rollout’s image and label change between two pod templates', () => {
    const v1 =
      'metadata:\n  labels:\n    app: vweb\n    version: v1\nspec:\n  containers:\n    - name: web\n      image: kiamol/ch09-vweb:v1\n';
    const v2 = v1.replace('version: v1', 'version: v2').replace('vweb:v1', 'vweb:v2');
    const changed = diffLines(v1, v2).filter((line) => line.kind !== 'same');
    expect(changed).toEqual([
      { kind: 'removed', text: '    version: v1' },
      { kind: 'added', text: '    version: v2' },
      { kind: 'removed', text: '      image: kiamol/ch09-vweb:v1' },
      { kind: 'added', text: '      image: kiamol/ch09-vweb:v2' },
    ]);
  });

  it('keeps as many lines as possible (a longest common subsequence)', () => {
    const before = 'a\nb\nc\nd\ne\nf\n';
    const after = 'b\nx\nd\ne\ny\nf\n';
    const same = diffLines(before, after)
      .filter((line) => line.kind === 'same')
      .map((line) => line.text);
    expect(same).toEqual(['b', 'd', 'e', 'f']);
    // Replaying the script on `before` gives `after`.
    const rebuilt = diffLines(before, after)
      .filter((line) => line.kind !== 'removed')
      .map((line) => line.text);
    expect(rebuilt).toEqual(splitLines(after));
  });
});

describe('foldUnchanged', () => {
  const lines = diffLines('a\nb\nc\nd\ne\nf\ng\nh\ni\n', 'a\nb\nc\nd\nE\nf\ng\nh\ni\n');

  it('keeps the given context around a change and folds the rest', () => {
    expect(foldUnchanged(lines, 1)).toEqual([
      { kind: 'skipped', count: 3 },
      { kind: 'same', text: 'd' },
      { kind: 'removed', text: 'e' },
      { kind: 'added', text: 'E' },
      { kind: 'same', text: 'f' },
      { kind: 'skipped', count: 3 },
    ]);
  });

  it('folds nothing when the context reaches both ends, and everything when nothing changed', () => {
    expect(foldUnchanged(lines, 4)).toEqual(lines);
    expect(foldUnchanged(diffLines('a\nb\n', 'a\nb\n'))).toEqual([{ kind: 'skipped', count: 2 }]);
  });
});

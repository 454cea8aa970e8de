/**
 * Workdirs: the exercise tree read once, written per session, restored after edits.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leafDirs, readFileTree, restoreFileTree, writeFileTree } from '../../../sandbox/sessions/workdir.ts';

const EXERCISES = resolve(import.meta.dirname, '../../../content/exercises/ch09');
const scratch = mkdtempSync(join(tmpdir(), 'rollout-lab-workdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('leafDirs', () => {
  it.each([
    [[], []],
    [['a'], ['a']],
    [
      ['a', 'a/b', 'c'],
      ['a/b', 'c'],
    ],
    [
      ['vweb', 'vweb/update', 'vweb-strategies'],
      ['vweb/update', 'vweb-strategies'],
    ],
    [
      ['x', 'x/y', 'x/y/z', 'x/w'],
      ['x/y/z', 'x/w'],
    ],
  ])('%j → %j', (dirs, leaves) => {
    expect(leafDirs(dirs)).toEqual(leaves);
  });
});

describe('the exercise tree', () => {
  it('holds every chapter folder and file, parents first', async () => {
    const tree = await readFileTree(EXERCISES);
    expect(tree.dirs).toContain('vweb');
    expect(tree.dirs.indexOf('vweb')).toBeLessThan(tree.dirs.indexOf('vweb/update'));
    expect(tree.files.map((f) => f.path)).toContain('vweb/vweb-v1.yaml');
    expect(tree.files.map((f) => f.path)).toContain(
      'todo-list/db/update/todo-db-rollingUpdate-partition.yaml',
    );
    expect(tree.files.length).toBeGreaterThan(30);
  });

  it('is written as an exact, private copy', async () => {
    const tree = await readFileTree(EXERCISES);
    const target = join(scratch, 'copy', 'ch09');
    await writeFileTree(tree, target);
    for (const file of tree.files)
      expect(readFileSync(join(target, file.path))).toEqual(readFileSync(join(EXERCISES, file.path)));
    expect(statSync(join(target, 'vweb/vweb-v1.yaml')).mode & 0o777).toBe(0o600);
  });

  it('is restored over edits, new files and removed folders, keeping the root folder', async () => {
    const tree = await readFileTree(EXERCISES);
    const target = join(scratch, 'restore', 'ch09');
    await writeFileTree(tree, target);
    const inode = statSync(target).ino;
    writeFileSync(join(target, 'vweb/vweb-v1.yaml'), 'edited');
    writeFileSync(join(target, 'notes.txt'), 'mine');
    mkdirSync(join(target, 'extra'));
    rmSync(join(target, 'todo-list'), { recursive: true });
    await restoreFileTree(tree, target);
    expect(readFileSync(join(target, 'vweb/vweb-v1.yaml'), 'utf8')).toBe(
      readFileSync(join(EXERCISES, 'vweb/vweb-v1.yaml'), 'utf8'),
    );
    expect(existsSync(join(target, 'notes.txt'))).toBe(false);
    expect(existsSync(join(target, 'extra'))).toBe(false);
    expect(existsSync(join(target, 'todo-list/web/todo-web.yaml'))).toBe(true);
    expect(statSync(target).ino).toBe(inode);
  });

  it('refuses a source with a symbolic link', async () => {
    const source = join(scratch, 'linked');
    mkdirSync(source);
    symlinkSync('/etc/passwd', join(source, 'passwd'));
    await expect(readFileTree(source)).rejects.toThrow(/symbolic link .*passwd/);
  });
});

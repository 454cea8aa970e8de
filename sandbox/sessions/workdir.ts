/**
 * Session workdirs: each learner gets a fresh copy of the chapter's exercise files. The tree is
 * read once into memory and written out per session, which is faster than copying from disk each
 * time and cannot pick up a change made to the originals while the server runs.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A folder tree held in memory. */
export interface FileTree {
  /** Folders relative to the root, parents before children. */
  dirs: string[];
  files: { path: string; content: Buffer }[];
}

/** Reads a folder tree. Symbolic links are refused: a copy must not point outside itself. */
export async function readFileTree(root: string): Promise<FileTree> {
  const tree: FileTree = { dirs: [], files: [] };
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink())
        throw new Error(`the exercise folder holds a symbolic link (${path}): copy real files only`);
      if (entry.isDirectory()) {
        tree.dirs.push(relative(root, path));
        await visit(path);
      } else if (entry.isFile()) {
        tree.files.push({ path: relative(root, path), content: await readFile(path) });
      }
    }
  };
  if (!(await lstat(root)).isDirectory()) throw new Error(`${root} is not a folder`);
  await visit(root);
  return tree;
}

/** Writes a tree under `target`, creating it. Files are readable and writable by the owner only. */
export async function writeFileTree(tree: FileTree, target: string): Promise<void> {
  await mkdir(target, { recursive: true, mode: 0o700 });
  // mkdir of the deepest folders creates their parents; the list is small, so just do them in order.
  for (const dir of tree.dirs) await mkdir(join(target, dir), { recursive: true, mode: 0o700 });
  await Promise.all(
    tree.files.map((file) => writeFile(join(target, file.path), file.content, { mode: 0o600 })),
  );
}

/**
 * Puts `target` back to exactly the tree: removes everything in it (edits, new files) and writes
 * the tree again. The folder itself stays, so a shell whose working folder is inside keeps a path.
 */
export async function restoreFileTree(tree: FileTree, target: string): Promise<void> {
  await mkdir(target, { recursive: true, mode: 0o700 });
  const entries = await readdir(target);
  await Promise.all(entries.map((name) => rm(join(target, name), { recursive: true, force: true })));
  await writeFileTree(tree, target);
}

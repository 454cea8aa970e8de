/**
 * The Workspace on the local disk: the session workdir (in production) or a temp folder (in
 * tests). The only file of the shell that touches the file system. Every call resolves its path
 * with realpath and refuses anything that lands outside the root, even if the caller already
 * checked: this is the last line before the disk.
 */

import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { WorkspaceError, type WorkspaceErrorCode } from './errors.ts';
import { isInsideRoot } from './paths.ts';
import type { DirEntry, EntryStat, Workspace } from './services.ts';

const KNOWN_CODES = new Set<string>(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'ELOOP']);

/** A Workspace rooted at `root` (which must exist; symbolic links in it are resolved once here). */
export async function createNodeWorkspace(root: string): Promise<Workspace> {
  const realRoot = await realpath(root);

  const inside = async (path: string): Promise<string> => {
    if (!path.startsWith('/'))
      throw new WorkspaceError('ENOENT', path, `${path}: the workspace takes absolute paths`);
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      throw translate(error, path);
    }
    if (!isInsideRoot(realRoot, real))
      throw new WorkspaceError('EOUTSIDE', path, `${path}: outside the workspace`);
    return real;
  };

  return {
    root: realRoot,
    realpath: inside,
    async stat(path: string): Promise<EntryStat> {
      const real = await inside(path);
      try {
        const s = await stat(real);
        return {
          kind: s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other',
          size: s.size,
          mtimeMs: s.mtimeMs,
        };
      } catch (error) {
        throw translate(error, path);
      }
    },
    async readdir(path: string): Promise<DirEntry[]> {
      const real = await inside(path);
      try {
        const entries = await readdir(real, { withFileTypes: true });
        return entries.map((e) => ({
          name: e.name,
          kind: e.isSymbolicLink()
            ? 'symlink'
            : e.isDirectory()
              ? 'directory'
              : e.isFile()
                ? 'file'
                : 'other',
        }));
      } catch (error) {
        throw translate(error, path);
      }
    },
    async readFile(path: string, maxBytes: number): Promise<string> {
      const real = await inside(path);
      try {
        const s = await lstat(real);
        if (s.isDirectory()) throw new WorkspaceError('EISDIR', path, `${path}: is a directory`);
        if (s.size > maxBytes)
          throw new WorkspaceError('EFBIG', path, `${path}: larger than ${maxBytes} bytes`);
        return await readFile(real, 'utf8');
      } catch (error) {
        throw translate(error, path);
      }
    },
  };
}

function translate(error: unknown, path: string): WorkspaceError {
  if (error instanceof WorkspaceError) return error;
  const code = (error as { code?: unknown }).code;
  const known: WorkspaceErrorCode =
    typeof code === 'string' && KNOWN_CODES.has(code) ? (code as WorkspaceErrorCode) : 'EIO';
  return new WorkspaceError(known, path, `${path}: ${known}`, { cause: error });
}

/**
 * Paths the learner types, resolved inside the session workdir. Two checks, in this order:
 *
 * 1. Lexical, without I/O: the path joined to the working folder and normalised must stay under
 *    the workdir (`/etc/passwd` and `vweb/../../..` stop here, and the file system is never asked
 *    whether they exist).
 * 2. Physical, through `Workspace.realpath` on the path as typed (not the normalised one): the
 *    kernel resolves `link/../x` by following `link` first, so only the real path says where a
 *    symbolic link really leads.
 */

import { posix } from 'node:path';
import { WorkspaceError } from './errors.ts';
import type { Workspace } from './services.ts';

/** Why a path cannot be used. */
export type PathProblem = 'outside' | 'missing' | 'not-directory' | 'unreadable';

/** A path that is inside the workdir and exists, or the reason it cannot be used. */
export type PathResolution =
  | { ok: true; real: string }
  | { ok: false; problem: PathProblem; message: string };

/** True when `path` is the workdir or under it (both absolute and normalised). */
export function isInsideRoot(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** The path as typed, made absolute against the working folder but not normalised. */
export function joinToCwd(cwd: string, typed: string): string {
  return typed.startsWith('/') ? typed : `${cwd}/${typed}`;
}

/**
 * The working folder as the prompt shows it: the workdir's display name followed by the path
 * below it, e.g. `ch09` or `ch09/vweb/update`.
 */
export function displayCwd(root: string, cwd: string, homeName: string): string {
  if (cwd === root) return homeName;
  return `${homeName}/${cwd.slice(root.length).replace(/^\/+/, '')}`;
}

/**
 * Resolves a typed path to its real location, refusing anything outside the workdir. The
 * message is ready to print after the command's name (`vweb/x.yaml: No such file or directory`).
 */
export async function resolveInsideWorkdir(
  workspace: Pick<Workspace, 'root' | 'realpath'>,
  cwd: string,
  typed: string,
): Promise<PathResolution> {
  if (typed === '') return { ok: false, problem: 'missing', message: "'': No such file or directory" };
  const joined = joinToCwd(cwd, typed);
  if (!isInsideRoot(workspace.root, posix.normalize(joined))) return outside(typed);
  let real: string;
  try {
    real = await workspace.realpath(joined);
  } catch (error) {
    if (error instanceof WorkspaceError) {
      if (error.code === 'EOUTSIDE') return outside(typed);
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        return { ok: false, problem: 'missing', message: `${typed}: No such file or directory` };
      }
      if (error.code === 'ELOOP')
        return { ok: false, problem: 'unreadable', message: `${typed}: Too many levels of symbolic links` };
    }
    return { ok: false, problem: 'unreadable', message: `${typed}: cannot be read` };
  }
  if (!isInsideRoot(workspace.root, real)) return outside(typed);
  return { ok: true, real };
}

function outside(typed: string): PathResolution {
  return {
    ok: false,
    problem: 'outside',
    message: `${typed}: outside the exercise folder; only files under it can be used here`,
  };
}

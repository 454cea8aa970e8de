/**
 * The session workdir as the editor sees it: list its tree, read a text file with a version, write
 * one back unless it changed on disk since. Paths are confined the way the shell confines them
 * (`sandbox/shell/paths.ts`): first a lexical check with no I/O (relative, no `.`/`..`, no
 * backslash or NUL), then the real path with symbolic links resolved must still be under the
 * workdir. Only regular files of UTF-8 text up to MAX_EDITOR_FILE_BYTES are read or written.
 *
 * `parseWorkdirPath` is pure; the rest touch the disk and throw `WorkdirFileError`, whose `code`
 * the HTTP layer maps to a status and whose message says what to do.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  MAX_EDITOR_FILE_BYTES,
  MAX_FILE_PATH_LENGTH,
  MAX_TREE_ENTRIES,
  type SavedFile,
  type WorkdirEntry,
  type WorkdirFile,
  type WorkdirTree,
} from '../../src/protocol/files.ts';
import { isInsideRoot } from '../shell/paths.ts';

/** Deepest folder level listed: the exercises go three deep. */
const MAX_TREE_DEPTH = 12;

/** Why a file operation was refused. */
export type WorkdirFileErrorCode =
  | 'bad-path'
  | 'outside'
  | 'not-found'
  | 'not-a-file'
  | 'too-large'
  | 'not-text'
  | 'changed-on-disk'
  | 'exists'
  | 'precondition-required';

/** A refused or failed file operation; the message names the path and the next step. */
export class WorkdirFileError extends Error {
  readonly code: WorkdirFileErrorCode;
  readonly hint: string;
  constructor(code: WorkdirFileErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkdirFileError';
    this.code = code;
    this.hint = hint;
  }
}

/** A relative path that passed the lexical checks, as its `/`-joined form. */
export type CheckedPath = { ok: true; path: string } | { ok: false; message: string };

/**
 * Checks a path the client named, already percent-decoded, without touching the disk. Refuses
 * absolute paths, `.` and `..` segments, empty segments (`a//b`), backslashes, NUL and other
 * control characters, and overlong paths. `vweb/update/x.yaml` passes as it is.
 */
export function parseWorkdirPath(path: string): CheckedPath {
  if (path === '') return { ok: false, message: 'The path is empty.' };
  if (path.length > MAX_FILE_PATH_LENGTH)
    return { ok: false, message: `The path is longer than ${MAX_FILE_PATH_LENGTH} characters.` };
  if (path.startsWith('/'))
    return {
      ok: false,
      message: `"${path}" is an absolute path; name files relative to the exercise folder.`,
    };
  // Control characters (NUL above all) never name an exercise file and could fool later checks.
  if ([...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return { ok: false, message: 'The path contains a control character.' };
  if (path.includes('\\'))
    return { ok: false, message: `"${path}" contains a backslash; separate folders with "/".` };
  const segments = path.split('/');
  if (segments.some((s) => s === '..'))
    return {
      ok: false,
      message: `"${path}" climbs out with "..": only files under the exercise folder can be used.`,
    };
  if (segments.some((s) => s === '' || s === '.'))
    return {
      ok: false,
      message: `"${path}" has an empty or "." segment; write the path plainly, e.g. vweb/update/file.yaml.`,
    };
  return { ok: true, path };
}

/**
 * Decodes the part of a raw request path after `/files/` (still percent-encoded) and checks it.
 * Each segment is decoded on its own, so `%2F` inside a segment is refused instead of becoming a
 * separator, and `%2e%2e` is seen as `..`.
 */
export function decodeWorkdirPath(encoded: string): CheckedPath {
  const decoded: string[] = [];
  for (const segment of encoded.split('/')) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return { ok: false, message: 'The path is not valid percent-encoded UTF-8.' };
    }
    if (text.includes('/'))
      return {
        ok: false,
        message: `The segment "${text}" contains an encoded "/"; send folders as plain "/".`,
      };
    decoded.push(text);
  }
  return parseWorkdirPath(decoded.join('/'));
}

/** The version of a file's bytes: a strong ETag value (without quotes), short but collision-safe enough here. */
export function versionOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

/** Formats a version as an HTTP entity tag (`"abc"`). */
export function formatEtag(version: string): string {
  return `"${version}"`;
}

/**
 * The versions an `If-Match` header names (`"a", W/"b"` → `['a', 'b']`), or `'*'`. Weak tags
 * compare by their value: the editor only ever sends back what it was given.
 */
export function parseEtagList(header: string | undefined): string[] | '*' | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  for (const match of header.matchAll(/(?:W\/)?"([^"]*)"/g)) tags.push(match[1]!);
  return tags;
}

/** Why bytes cannot be shown as text: NUL, or not UTF-8. */
function textProblem(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return 'it holds NUL bytes (a binary file)';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not UTF-8 text';
  }
  return undefined;
}

/** A file's real location after both checks; throws when it leaves the workdir or does not exist. */
async function locate(root: string, path: string): Promise<{ realRoot: string; real: string }> {
  const checked = parseWorkdirPath(path);
  if (!checked.ok)
    throw new WorkdirFileError(
      'bad-path',
      checked.message,
      'Name a file under the exercise folder, e.g. vweb/update/vweb-v1-scale.yaml.',
    );
  const realRoot = await realpath(root);
  const joined = join(realRoot, checked.path);
  if (!isInsideRoot(realRoot, joined)) throw outside(path);
  let real: string;
  try {
    real = await realpath(joined);
  } catch (error) {
    throw notFound(path, error);
  }
  if (!isInsideRoot(realRoot, real)) throw outside(path);
  return { realRoot, real };
}

const outside = (path: string): WorkdirFileError =>
  new WorkdirFileError(
    'outside',
    `${path}: leads outside the exercise folder (a symbolic link); only files under it can be opened.`,
    'Open a file of the exercise folder itself.',
  );

const notFound = (path: string, cause?: unknown): WorkdirFileError =>
  new WorkdirFileError(
    'not-found',
    `${path}: no such file in the exercise folder.`,
    'Refresh the file list; the file may have been moved or deleted in the terminal.',
    { cause },
  );

/** Lists the workdir: folders and regular files, sorted by path, symbolic links left out. */
export async function listWorkdir(root: string): Promise<WorkdirTree> {
  const realRoot = await realpath(root);
  const entries: WorkdirEntry[] = [];
  let truncated = false;
  const visit = async (dir: string, prefix: string, depth: number): Promise<void> => {
    if (depth > MAX_TREE_DEPTH) {
      truncated = true;
      return;
    }
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (entries.length >= MAX_TREE_ENTRIES) {
        truncated = true;
        return;
      }
      const full = join(dir, name);
      const info = await lstat(full).catch(() => undefined);
      if (!info) continue;
      const path = prefix === '' ? name : `${prefix}/${name}`;
      if (info.isDirectory()) {
        entries.push({ path, kind: 'directory', size: 0 });
        await visit(full, path, depth + 1);
      } else if (info.isFile()) {
        entries.push({ path, kind: 'file', size: info.size });
      }
    }
  };
  await visit(realRoot, '', 1);
  return { entries, truncated };
}

/** Reads a text file of the workdir with its version. */
export async function readWorkdirFile(root: string, path: string): Promise<WorkdirFile> {
  const { real } = await locate(root, path);
  const info = await lstat(real);
  if (!info.isFile())
    throw new WorkdirFileError(
      'not-a-file',
      `${path}: is ${info.isDirectory() ? 'a folder' : 'not a regular file'}, not a file to edit.`,
      'Pick a file in the list.',
    );
  if (info.size > MAX_EDITOR_FILE_BYTES) throw tooLarge(path, info.size);
  const bytes = await readFile(real);
  if (bytes.length > MAX_EDITOR_FILE_BYTES) throw tooLarge(path, bytes.length);
  const problem = textProblem(bytes);
  if (problem)
    throw new WorkdirFileError(
      'not-text',
      `${path}: cannot be edited here: ${problem}.`,
      'Open a text file such as a YAML manifest.',
    );
  return { path, content: bytes.toString('utf8'), version: versionOf(bytes), size: bytes.length };
}

const tooLarge = (path: string, size: number): WorkdirFileError =>
  new WorkdirFileError(
    'too-large',
    `${path}: ${size} bytes is more than the editor takes (${MAX_EDITOR_FILE_BYTES} bytes).`,
    'Edit large files in smaller pieces, or keep manifests short.',
  );

/** What a save must find on disk first. */
export type SaveCondition =
  /** The file exists and has one of these versions (`If-Match`). */
  | { kind: 'match'; versions: string[] }
  /** The file exists, whatever its version (`If-Match: *`): an explicit overwrite. */
  | { kind: 'exists' }
  /** The file does not exist yet (`If-None-Match: *`). */
  | { kind: 'absent' };

/**
 * Writes `content` to a file of the workdir if `condition` holds. An existing file must be a
 * regular file (a symbolic link is not written through); a new one goes into an existing folder
 * of the workdir. The check and the write are not atomic against the shell, but the shell and
 * the editor belong to one learner, and the window is a few microseconds.
 */
export async function writeWorkdirFile(
  root: string,
  path: string,
  content: string,
  condition: SaveCondition,
): Promise<SavedFile> {
  const checked = parseWorkdirPath(path);
  if (!checked.ok)
    throw new WorkdirFileError(
      'bad-path',
      checked.message,
      'Name a file under the exercise folder, e.g. vweb/update/vweb-v1-scale.yaml.',
    );
  if (content.includes('\0'))
    throw new WorkdirFileError(
      'not-text',
      `${path}: the text holds a NUL character.`,
      'Remove it and save again.',
    );
  const bytes = Buffer.from(content, 'utf8');
  if (bytes.length > MAX_EDITOR_FILE_BYTES) throw tooLarge(path, bytes.length);

  const realRoot = await realpath(root);
  const joined = join(realRoot, checked.path);
  // The folder that will hold the file must be inside the workdir with links resolved, before
  // anything under it is looked at.
  let realParent: string;
  try {
    realParent = await realpath(dirname(joined));
  } catch (error) {
    throw new WorkdirFileError(
      'not-found',
      `${path}: the folder does not exist.`,
      'Create the folder in the terminal first, or save into an existing folder.',
      { cause: error },
    );
  }
  if (!isInsideRoot(realRoot, realParent)) throw outside(path);
  const target = join(realParent, basename(joined));
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink())
    throw new WorkdirFileError(
      'not-a-file',
      `${path}: is a symbolic link; the editor writes only regular files.`,
      'Save under another name.',
    );
  if (existing && !existing.isFile())
    throw new WorkdirFileError('not-a-file', `${path}: is a folder, not a file.`, 'Save under a file name.');

  if (condition.kind === 'absent') {
    if (existing)
      throw new WorkdirFileError(
        'exists',
        `${path}: already exists.`,
        'Open it from the file list, or save under another name.',
      );
  } else {
    if (!existing)
      throw new WorkdirFileError(
        'changed-on-disk',
        `${path}: was deleted or moved on disk since you opened it.`,
        'Copy your text somewhere safe, refresh the file list, then save again.',
      );
    if (condition.kind === 'match') {
      const current = versionOf(await readFile(target));
      if (!condition.versions.includes(current))
        throw new WorkdirFileError(
          'changed-on-disk',
          `${path}: changed on disk since you opened it (a command in the terminal may have written it).`,
          'Reload it from disk to see the new text (your edits are dropped), or overwrite it with yours.',
        );
    }
  }

  await writeFile(target, bytes, { mode: 0o600 });
  return { path, version: versionOf(bytes), size: bytes.length };
}

/**
 * The session files API (`/api/sessions/:id/files`), shared by the sandbox server and the
 * editor: the workdir's tree, one file with its version, and the body of a save. Re-exported
 * from `index.ts`; kept in its own module so the editor's lazy chunk carries only this part.
 *
 * A file's `version` is a hash of its bytes, sent as a strong ETag. The editor sends it back in
 * `If-Match` when it saves, so a file changed on disk since it was opened (the learner ran `sed`
 * or `cp` in the terminal) is not overwritten without the learner choosing to.
 */
import { z } from 'zod';

/** Largest file the editor reads or writes, in bytes: the chapter's manifests are under 2 KiB. */
export const MAX_EDITOR_FILE_BYTES = 256 * 1024;

/** Most entries `GET /files` lists; a workdir with more is cut and says so (`truncated`). */
export const MAX_TREE_ENTRIES = 2000;

/** Longest relative path accepted, in characters. */
export const MAX_FILE_PATH_LENGTH = 1024;

/** One entry of the workdir: a folder or a regular file. Symbolic links and others are left out. */
export const WorkdirEntry = z.object({
  /** Relative to the workdir, `/`-separated, never starting with `/`: `vweb/update/vweb-v1-scale.yaml`. */
  path: z.string(),
  kind: z.enum(['file', 'directory']),
  /** Bytes; 0 for a folder. */
  size: z.int().min(0),
});
export type WorkdirEntry = z.infer<typeof WorkdirEntry>;

/** Answer of `GET /api/sessions/:id/files`: folders and files, each folder before what it holds, sorted by path. */
export const WorkdirTree = z.object({
  entries: z.array(WorkdirEntry),
  /** True when the workdir had more than MAX_TREE_ENTRIES entries (or was deeper than the walk goes). */
  truncated: z.boolean(),
});
export type WorkdirTree = z.infer<typeof WorkdirTree>;

/** Answer of `GET /api/sessions/:id/files/<path>` (the version is also the `ETag` header). */
export const WorkdirFile = z.object({
  path: z.string(),
  /** The file as UTF-8 text. */
  content: z.string(),
  /** Hash of the bytes on disk; send it back as `If-Match` when saving. */
  version: z.string(),
  size: z.int().min(0),
});
export type WorkdirFile = z.infer<typeof WorkdirFile>;

/**
 * Body of `PUT /api/sessions/:id/files/<path>`. Send `If-Match: "<version>"` (the version you
 * opened) or `If-None-Match: *` to create a file that must not exist yet.
 */
export const SaveFileRequest = z.strictObject({
  /** The whole new text of the file (UTF-8, at most MAX_EDITOR_FILE_BYTES bytes, no NUL). */
  content: z.string(),
});
export type SaveFileRequest = z.infer<typeof SaveFileRequest>;

/** Answer of a successful save: the new version to send with the next one. */
export const SavedFile = z.object({
  path: z.string(),
  version: z.string(),
  size: z.int().min(0),
});
export type SavedFile = z.infer<typeof SavedFile>;

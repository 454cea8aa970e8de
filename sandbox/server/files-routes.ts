/**
 * HTTP side of the session files API, for the editor:
 *
 * | method | path | answer |
 * | --- | --- | --- |
 * | GET | /api/sessions/:id/files | the workdir tree (`WorkdirTree`) |
 * | GET | /api/sessions/:id/files/<path> | the file (`WorkdirFile`), `ETag: "<version>"` |
 * | PUT | /api/sessions/:id/files/<path> | writes it (`SaveFileRequest` body) with `If-Match: "<version>"`, `If-Match: *` or `If-None-Match: *`; `SavedFile` |
 *
 * The caller has already checked the session's credentials. The file path is taken from the raw
 * request URL, not from the parsed one: URL parsing folds `..` and `%2e%2e` away, and a hostile
 * path should get a 400 that says why rather than land on some other route.
 */
import type http from 'node:http';
import { MAX_EDITOR_FILE_BYTES, SaveFileRequest } from '../../src/protocol/files.ts';
import { ApiError, readJsonBody, sendJson } from './http-utils.ts';
import {
  decodeWorkdirPath,
  formatEtag,
  listWorkdir,
  parseEtagList,
  readWorkdirFile,
  type SaveCondition,
  WorkdirFileError,
  writeWorkdirFile,
} from './workdir-files.ts';

/**
 * The still-encoded file path of a raw request URL (`/api/sessions/ID/files/vweb/x.yaml?a` →
 * `vweb/x.yaml`), or undefined when the URL names the tree itself.
 */
export function rawFilePathOf(rawUrl: string): string | undefined {
  const pathPart = rawUrl.split('?')[0]!.split('#')[0]!;
  const marker = pathPart.indexOf('/files/');
  if (marker < 0) return undefined;
  const rest = pathPart.slice(marker + '/files/'.length);
  return rest === '' ? undefined : rest;
}

/**
 * The raw path of a files API request (`/api/sessions/ID/files/...`, not normalised), so that
 * routing sees `files/%2e%2e/x` as a file request to refuse rather than folding it into another
 * route; undefined for any other URL.
 */
export function rawFilesApiPath(rawUrl: string | undefined): string | undefined {
  const pathPart = (rawUrl ?? '').split('?')[0]!.split('#')[0]!;
  return /^\/api\/sessions\/[A-Za-z0-9_-]{1,128}\/files(?:\/|$)/.test(pathPart) ? pathPart : undefined;
}

/** Answers `GET /files`. */
export async function serveWorkdirTree(res: http.ServerResponse, workdir: string): Promise<void> {
  sendJson(res, 200, await listWorkdir(workdir));
}

/** Answers `GET` or `PUT /files/<path>`. */
export async function serveWorkdirFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  workdir: string,
): Promise<void> {
  const encoded = rawFilePathOf(req.url ?? '');
  const checked = decodeWorkdirPath(encoded ?? '');
  if (!checked.ok)
    throw new ApiError(
      400,
      'bad-request',
      `Refused file path: ${checked.message}`,
      'Name a file relative to the exercise folder, e.g. /api/sessions/:id/files/vweb/update/vweb-v1-scale.yaml.',
    );
  try {
    if (req.method === 'PUT') {
      const condition = readSaveCondition(req);
      // JSON escaping can make text longer (a quote becomes two characters); allow for it.
      const body = await readJsonBody(req, SaveFileRequest, MAX_EDITOR_FILE_BYTES * 2 + 1024);
      const saved = await writeWorkdirFile(workdir, checked.path, body.content, condition);
      sendJson(res, 200, saved, { ETag: formatEtag(saved.version) });
      return;
    }
    const file = await readWorkdirFile(workdir, checked.path);
    sendJson(res, 200, file, { ETag: formatEtag(file.version) });
  } catch (error) {
    if (error instanceof WorkdirFileError) throw toApiError(error);
    throw error;
  }
}

function readSaveCondition(req: http.IncomingMessage): SaveCondition {
  const ifMatch = parseEtagList(header(req, 'if-match'));
  const ifNoneMatch = parseEtagList(header(req, 'if-none-match'));
  if (ifMatch === '*') return { kind: 'exists' };
  if (ifMatch !== undefined) {
    if (ifMatch.length === 0)
      throw new ApiError(
        400,
        'bad-request',
        'The If-Match header holds no entity tag.',
        'Send If-Match: "<version>" with the version GET returned.',
      );
    return { kind: 'match', versions: ifMatch };
  }
  if (ifNoneMatch === '*') return { kind: 'absent' };
  throw new ApiError(
    428,
    'precondition-required',
    'A save must say which version of the file it replaces.',
    'Send If-Match: "<version>" (the version you opened), If-Match: * to overwrite whatever is there, or If-None-Match: * to create a new file.',
  );
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function toApiError(error: WorkdirFileError): ApiError {
  switch (error.code) {
    case 'bad-path':
    case 'outside':
      return new ApiError(400, 'bad-request', error.message, error.hint, { cause: error });
    case 'not-found':
      return new ApiError(404, 'not-found', error.message, error.hint, { cause: error });
    case 'not-a-file':
      return new ApiError(400, 'bad-request', error.message, error.hint, { cause: error });
    case 'too-large':
      return new ApiError(413, 'payload-too-large', error.message, error.hint, { cause: error });
    case 'not-text':
      return new ApiError(415, 'unsupported-media-type', error.message, error.hint, { cause: error });
    case 'changed-on-disk':
    case 'exists':
      return new ApiError(412, 'precondition-failed', error.message, error.hint, { cause: error });
    case 'precondition-required':
      return new ApiError(428, 'precondition-required', error.message, error.hint, { cause: error });
  }
}

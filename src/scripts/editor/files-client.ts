/**
 * The editor's calls to the sandbox: the files API, the manifest schema and the answer to a
 * waiting `kubectl edit`. Same-origin requests with the session cookie; answers are checked
 * against the protocol's schemas. A failed call becomes a `FilesApiError` carrying the server's
 * message and hint, ready to show to the learner.
 */

import {
  SavedFile,
  type SavedFile as SavedFileType,
  WorkdirFile,
  type WorkdirFile as WorkdirFileType,
  WorkdirTree,
  type WorkdirTree as WorkdirTreeType,
} from '../../protocol/files.ts';
import { ApiErrorBody } from '../../protocol/index.ts';

/** A call the server refused or that did not reach it. `status` 0 means no answer. */
export class FilesApiError extends Error {
  readonly status: number;
  readonly hint: string;
  constructor(status: number, message: string, hint: string) {
    super(message);
    this.name = 'FilesApiError';
    this.status = status;
    this.hint = hint;
  }
}

/** The API path of a workdir file, each segment encoded. */
export function filePath(sessionId: string, path: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new FilesApiError(0, String(error), 'Check the connection to the sandbox server.');
  }
  if (response.ok) return response;
  let message = `HTTP ${response.status}`;
  let hint = '';
  try {
    const body = ApiErrorBody.safeParse(await response.json());
    if (body.success) ({ message, hint } = body.data.error);
  } catch {
    // Not JSON: keep the status line.
  }
  throw new FilesApiError(response.status, message, hint);
}

/** The session's workdir tree. */
export async function fetchTree(sessionId: string): Promise<WorkdirTreeType> {
  const response = await call(`/api/sessions/${encodeURIComponent(sessionId)}/files`);
  return WorkdirTree.parse(await response.json());
}

/** One file with its version. */
export async function fetchFile(sessionId: string, path: string): Promise<WorkdirFileType> {
  return WorkdirFile.parse(await (await call(filePath(sessionId, path))).json());
}

/**
 * Saves a file. `version` is the one opened (412 if the disk has another), or `'*'` to overwrite
 * whatever is there.
 */
export async function saveFile(
  sessionId: string,
  path: string,
  content: string,
  version: string,
): Promise<SavedFileType> {
  const response = await call(filePath(sessionId, path), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'If-Match': version === '*' ? '*' : `"${version}"` },
    body: JSON.stringify({ content }),
  });
  return SavedFile.parse(await response.json());
}

/** The JSON Schema for manifests, built by the server from the cluster's OpenAPI. */
export async function fetchManifestSchema(sessionId: string): Promise<Record<string, unknown>> {
  const response = await call(`/api/sessions/${encodeURIComponent(sessionId)}/schema`);
  return (await response.json()) as Record<string, unknown>;
}

/** Answers a waiting `kubectl edit`: save (kubectl applies the text) or cancel. */
export async function answerKubectlEdit(
  sessionId: string,
  editId: string,
  answer: { action: 'save'; content: string } | { action: 'cancel' },
): Promise<void> {
  await call(`/api/sessions/${encodeURIComponent(sessionId)}/edits/${encodeURIComponent(editId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(answer),
  });
}

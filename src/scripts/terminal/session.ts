/**
 * Finds the learner's sandbox session or opens one. The session id is kept in localStorage and
 * reused while `GET /api/sessions/:id` answers 200 (the HttpOnly cookie that `POST /api/sessions`
 * set proves it is ours), so a reload or the next lesson keeps the same namespace and terminal.
 */

import { ApiErrorBody, CreatedSession, SessionInfo } from '../../protocol/index.ts';

/** The part of `Storage` the session needs (tests pass a Map-backed stand-in). */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What `openSession` needs from the page. */
export interface SessionDeps {
  fetch: typeof fetch;
  /** Undefined when storage is unavailable: every page load then opens a new session. */
  store: SessionStore | undefined;
  /** Language of the shell's greeting. */
  locale: 'ko' | 'en';
}

/** The session the terminal attaches to. */
export interface OpenedSession {
  id: string;
  namespace: string;
  /** True when a stored session no longer existed and this one replaced it. */
  replaced: boolean;
  /** True when this call created the session. */
  created: boolean;
}

/** localStorage key of the session id. */
export const SESSION_STORAGE_KEY = 'rollout-lab:session';

/**
 * No session could be had. `unreachable`: no sandbox API answers (network down, server stopped, a
 * static file server without the API); worth retrying. `refused`: the server answered with a
 * reason (`session-limit`, `backend-unavailable`…) that `message` and `hint` give to the learner.
 */
export class SessionUnavailableError extends Error {
  readonly kind: 'unreachable' | 'refused';
  readonly status: number | undefined;
  readonly hint: string;

  constructor(
    kind: 'unreachable' | 'refused',
    message: string,
    options: { status?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SessionUnavailableError';
    this.kind = kind;
    this.status = options.status;
    this.hint = options.hint ?? '';
  }
}

function readStoredId(store: SessionStore | undefined): string | null {
  try {
    return store?.getItem(SESSION_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function writeStoredId(store: SessionStore | undefined, id: string | undefined): void {
  try {
    if (id === undefined) store?.removeItem(SESSION_STORAGE_KEY);
    else store?.setItem(SESSION_STORAGE_KEY, id);
  } catch {
    // Storage refused: the session still works for this page.
  }
}

async function request(deps: SessionDeps, path: string, init: RequestInit): Promise<Response> {
  try {
    return await deps.fetch(path, { credentials: 'same-origin', ...init });
  } catch (cause) {
    throw new SessionUnavailableError('unreachable', 'the sandbox server does not answer', { cause });
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Reuses the stored session if the server still knows it, else creates one and stores its id. */
export async function openSession(deps: SessionDeps): Promise<OpenedSession> {
  const storedId = readStoredId(deps.store);
  if (storedId) {
    const response = await request(deps, `/api/sessions/${encodeURIComponent(storedId)}`, { method: 'GET' });
    if (response.status === 200) {
      const info = SessionInfo.safeParse(await readJson(response));
      if (info.success)
        return { id: info.data.id, namespace: info.data.namespace, replaced: false, created: false };
    }
    if (response.status >= 500) {
      throw new SessionUnavailableError('unreachable', `the sandbox server answered ${response.status}`, {
        status: response.status,
      });
    }
    writeStoredId(deps.store, undefined);
  }
  const response = await request(deps, '/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ locale: deps.locale }),
  });
  const body = await readJson(response);
  if (response.status === 201) {
    const created = CreatedSession.safeParse(body);
    if (created.success) {
      writeStoredId(deps.store, created.data.id);
      return {
        id: created.data.id,
        namespace: created.data.namespace,
        replaced: storedId !== null,
        created: true,
      };
    }
  }
  const apiError = ApiErrorBody.safeParse(body);
  if (apiError.success) {
    const { message, hint } = apiError.data.error;
    throw new SessionUnavailableError('refused', message, { status: response.status, hint });
  }
  // Not our API at all (a plain file server answers 404 or 501): nothing to show but the status.
  throw new SessionUnavailableError('unreachable', `no sandbox API here (HTTP ${response.status})`, {
    status: response.status,
  });
}

/** The terminal socket's URL for a session, on the page's own host (`ws:` or `wss:`). */
export function buildTerminalUrl(location: Pick<Location, 'protocol' | 'host'>, sessionId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/terminal`;
}

import { describe, expect, it } from 'vitest';
import {
  buildTerminalUrl,
  openSession,
  SESSION_STORAGE_KEY,
  type SessionStore,
  SessionUnavailableError,
} from '../../../src/scripts/terminal/session.ts';

const info = (id: string, namespace = `learner-${id}`) => ({
  id,
  namespace,
  backend: 'embedded',
  createdAt: '2026-01-01T00:00:00Z',
  lastSeenAt: '2026-01-01T00:00:00Z',
  expiresAt: '2026-01-01T02:00:00Z',
  links: {
    self: `/api/sessions/${id}`,
    terminal: `/api/sessions/${id}/terminal`,
    kubeconfig: `/api/sessions/${id}/kubeconfig`,
  },
});

function createStore(initial?: string): SessionStore & { value: () => string | null } {
  const map = new Map<string, string>(initial ? [[SESSION_STORAGE_KEY, initial]] : []);
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    value: () => map.get(SESSION_STORAGE_KEY) ?? null,
  };
}

type Answer = { status: number; body?: unknown } | 'network-error';

/** A fetch that answers from a script and records what was asked. */
function createFetch(answers: Answer[]) {
  const calls: { method: string; url: string; body: string | undefined }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', url, body: init?.body as string | undefined });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(answer.body === undefined ? 'not json' : JSON.stringify(answer.body), {
      status: answer.status,
    });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('openSession', () => {
  it('reuses the stored session while the server knows it', async () => {
    const store = createStore('s1');
    const { fetch, calls } = createFetch([{ status: 200, body: info('s1') }]);
    expect(await openSession({ fetch, store, locale: 'ko' })).toEqual({
      id: 's1',
      namespace: 'learner-s1',
      replaced: false,
      created: false,
    });
    expect(calls).toEqual([{ method: 'GET', url: '/api/sessions/s1', body: undefined }]);
  });

  it('creates a session, in the page language, when none is stored, and stores its id', async () => {
    const store = createStore();
    const { fetch, calls } = createFetch([{ status: 201, body: { ...info('s2'), token: 's2.secret' } }]);
    expect(await openSession({ fetch, store, locale: 'en' })).toEqual({
      id: 's2',
      namespace: 'learner-s2',
      replaced: false,
      created: true,
    });
    expect(calls).toEqual([{ method: 'POST', url: '/api/sessions', body: '{"locale":"en"}' }]);
    expect(store.value()).toBe('s2');
  });

  it.each([401, 404])('replaces a stored session the server answers %i for', async (status) => {
    const store = createStore('gone');
    const { fetch, calls } = createFetch([
      { status, body: { error: { code: 'not-found', message: 'no such session', hint: '' } } },
      { status: 201, body: { ...info('s3'), token: 't' } },
    ]);
    expect(await openSession({ fetch, store, locale: 'ko' })).toMatchObject({
      id: 's3',
      replaced: true,
      created: true,
    });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/sessions/gone',
      'POST /api/sessions',
    ]);
    expect(store.value()).toBe('s3');
  });

  it('keeps the stored session when the server fails, and says it is unreachable', async () => {
    const store = createStore('s1');
    const { fetch } = createFetch([{ status: 503 }]);
    const error = await openSession({ fetch, store, locale: 'ko' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionUnavailableError);
    expect((error as SessionUnavailableError).kind).toBe('unreachable');
    expect(store.value()).toBe('s1');
  });

  it('passes on the server’s reason when it refuses a new session', async () => {
    const { fetch } = createFetch([
      {
        status: 429,
        body: { error: { code: 'session-limit', message: 'The classroom is full', hint: 'Try again later' } },
      },
    ]);
    const error = (await openSession({ fetch, store: undefined, locale: 'ko' }).catch(
      (e: unknown) => e,
    )) as SessionUnavailableError;
    expect([error.kind, error.message, error.hint, error.status]).toEqual([
      'refused',
      'The classroom is full',
      'Try again later',
      429,
    ]);
  });

  it.each([
    ['a network failure', 'network-error' as const],
    ['a static server without the API', { status: 404 }],
    ['a created answer that is not a session', { status: 201, body: { id: 1 } }],
  ])('calls %s unreachable', async (_name, answer) => {
    const { fetch } = createFetch([answer]);
    const error = (await openSession({ fetch, store: undefined, locale: 'ko' }).catch(
      (e: unknown) => e,
    )) as SessionUnavailableError;
    expect(error).toBeInstanceOf(SessionUnavailableError);
    expect(error.kind).toBe('unreachable');
  });
});

describe('buildTerminalUrl', () => {
  it.each([
    ['http:', '127.0.0.1:4321', 'abc', 'ws://127.0.0.1:4321/api/sessions/abc/terminal'],
    ['https:', 'lab.example', 'a/b', 'wss://lab.example/api/sessions/a%2Fb/terminal'],
  ])('%s//%s', (protocol, host, id, expected) => {
    expect(buildTerminalUrl({ protocol, host }, id)).toBe(expected);
  });
});

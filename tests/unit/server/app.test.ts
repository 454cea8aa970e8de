/**
 * The HTTP API and the terminal socket of the sandbox server over real loopback HTTP and a real
 * `ws` client, with a session registry and shells that stand in for the cluster (the end-to-end
 * test with the embedded backend and the real kubectl is in tests/integration/server).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SandboxServer, type SandboxSession, startSandboxServer } from '../../../sandbox/server/app.ts';
import { type SessionShellFactory, TerminalHub } from '../../../sandbox/server/terminals.ts';
import { SessionLimitError } from '../../../sandbox/sessions/index.ts';
import {
  ApiErrorBody,
  CreatedSession,
  type ServerMessage,
  SessionInfo,
} from '../../../src/protocol/index.ts';

/** An in-memory registry with the session manager's contract. */
class FakeRegistry {
  readonly sessions = new Map<string, SandboxSession>();
  readonly calls: string[] = [];
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get size(): number {
    return this.sessions.size;
  }
  async create(): Promise<SandboxSession> {
    if (this.sessions.size >= this.max) throw new SessionLimitError(this.max);
    const id = randomBytes(6).toString('hex');
    const session: SandboxSession = {
      id,
      secret: randomBytes(16).toString('base64url'),
      namespace: `rl-${id}`,
      workdir: `/w/${id}`,
      kubeconfig: `apiVersion: v1\nkind: Config\ncurrent-context: ${id}\n`,
      kubeconfigPath: `/w/${id}.kubeconfig`,
      createdAt: Date.parse('2026-01-01T00:00:00Z'),
      lastSeenAt: Date.parse('2026-01-01T00:00:00Z'),
    };
    this.sessions.set(id, session);
    return session;
  }
  get(id: string) {
    return this.sessions.get(id);
  }
  authenticate(id: string, secret: string) {
    const s = this.sessions.get(id);
    return s && s.secret === secret ? s : undefined;
  }
  touch(id: string) {
    this.calls.push(`touch ${id}`);
  }
  async reset(id: string) {
    this.calls.push(`reset ${id}`);
    return this.sessions.get(id)!;
  }
  async delete(id: string) {
    this.calls.push(`delete ${id}`);
    this.sessions.delete(id);
  }
  /** Ids that the next expireIdle() reports as idle. */
  idle: string[] = [];
  async expireIdle() {
    const expired = this.idle.filter((id) => this.sessions.delete(id));
    this.idle = [];
    return expired;
  }
}

/** Shells that echo input and answer `fail` lines with a crash-free error. */
let shellsStarted = 0;
const echoShells: SessionShellFactory = async (session, io) => {
  shellsStarted++;
  io.write(`${session.namespace} $ `);
  return {
    shell: {
      input: (data) => io.write(data.replaceAll('\r', '\r\n')),
      resize: () => {},
      whenIdle: async () => {},
      dispose: () => {},
      cwd: session.workdir,
      lastStatus: 0,
      busy: false,
    },
    dispose: () => {},
  };
};

let registry: FakeRegistry;
let server: SandboxServer;
let ended: string[];

beforeEach(async () => {
  registry = new FakeRegistry(2);
  ended = [];
  shellsStarted = 0;
  server = await startSandboxServer({
    sessions: registry,
    terminals: new TerminalHub({ createShell: echoShells }),
    backend: 'embedded',
    idleTimeoutMs: 3_600_000,
    port: 0,
    heartbeatMs: 100,
    onSessionEnded: (id) => {
      ended.push(id);
    },
  });
});
afterEach(async () => {
  await server.close();
});

async function createSession(
  body?: unknown,
): Promise<{ session: CreatedSession; cookie: string; response: Response }> {
  const response = await fetch(`${server.url}/api/sessions`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(201);
  const session = CreatedSession.parse(await response.json());
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { session, cookie, response };
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  const body = ApiErrorBody.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.hint.length).toBeGreaterThan(10);
  return body.error.message;
}

describe('session API', () => {
  it('creates a session: 201, the token in the body, an HttpOnly SameSite=Strict cookie', async () => {
    const { session, cookie, response } = await createSession();
    expect(session.namespace).toBe(`rl-${session.id}`);
    expect(session.backend).toBe('embedded');
    expect(session.expiresAt).toBe('2026-01-01T01:00:00.000Z');
    expect(session.token).toBe(`${session.id}.${registry.get(session.id)!.secret}`);
    expect(response.headers.get('location')).toBe(`/api/sessions/${session.id}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=3600');
    expect(cookie).toBe(`rl_session=${session.token}`);
  });

  const badBodies: [string, RequestInit, number, string][] = [
    [
      'an unknown field',
      { headers: { 'Content-Type': 'application/json' }, body: '{"namespace":"kube-system"}' },
      400,
      'bad-request',
    ],
    [
      'an unknown locale',
      { headers: { 'Content-Type': 'application/json' }, body: '{"locale":"fr"}' },
      400,
      'bad-request',
    ],
    [
      'broken JSON',
      { headers: { 'Content-Type': 'application/json' }, body: '{"locale":' },
      400,
      'bad-request',
    ],
    [
      'a form body',
      { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'locale=ko' },
      415,
      'unsupported-media-type',
    ],
    [
      'a huge body',
      { headers: { 'Content-Type': 'application/json' }, body: `{"locale":"${'k'.repeat(20_000)}"}` },
      413,
      'payload-too-large',
    ],
  ];
  it.each(badBodies)('refuses %s', async (_name, init, status, code) => {
    const response = await fetch(`${server.url}/api/sessions`, { method: 'POST', ...init });
    const message = await expectError(response, status, code);
    if (status === 400 && _name !== 'broken JSON') expect(message).toMatch(/locale|namespace|Unrecognized/);
    expect(registry.size).toBe(0);
  });

  it('accepts a Korean locale', async () => {
    const { session } = await createSession({ locale: 'ko' });
    expect(session.id).toBeTruthy();
  });

  it('answers 503 with a clear message at the cap', async () => {
    await createSession();
    await createSession();
    const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    expect(response.headers.get('retry-after')).toBe('60');
    const message = await expectError(response, 503, 'session-limit');
    expect(message).toMatch(/full.*2 .*sessions/);
  });

  it('shows a session to its cookie and its bearer token, and to nobody else', async () => {
    const a = await createSession();
    const b = await createSession();
    const url = `${server.url}/api/sessions/${a.session.id}`;

    const byCookie = await fetch(url, { headers: { Cookie: a.cookie } });
    expect(byCookie.status).toBe(200);
    expect(SessionInfo.parse(await byCookie.json()).namespace).toBe(a.session.namespace);
    const byBearer = await fetch(url, { headers: { Authorization: `Bearer ${a.session.token}` } });
    expect(byBearer.status).toBe(200);
    expect(await byBearer.json()).not.toHaveProperty('token');

    await expectError(await fetch(url), 401, 'unauthorized');
    const otherCookie = await expectError(
      await fetch(url, { headers: { Cookie: b.cookie } }),
      404,
      'not-found',
    );
    const wrongSecret = await expectError(
      await fetch(url, { headers: { Authorization: `Bearer ${a.session.id}.wrongsecret` } }),
      404,
      'not-found',
    );
    const missing = await expectError(
      await fetch(`${server.url}/api/sessions/doesnotexist`, { headers: { Cookie: a.cookie } }),
      404,
      'not-found',
    );
    // The same answer whether the session exists or not: ids cannot be probed.
    expect(new Set([otherCookie, wrongSecret, missing]).size).toBe(1);
    await expectError(await fetch(url, { headers: { Cookie: 'rl_session=garbage' } }), 404, 'not-found');
  });

  it('finds the session of the cookie at /api/sessions/current', async () => {
    const a = await createSession();
    const response = await fetch(`${server.url}/api/sessions/current`, { headers: { Cookie: a.cookie } });
    expect(response.status).toBe(200);
    expect(SessionInfo.parse(await response.json()).id).toBe(a.session.id);
    await expectError(await fetch(`${server.url}/api/sessions/current`), 401, 'unauthorized');
  });

  it('serves the kubeconfig as a YAML attachment, only to the session', async () => {
    const a = await createSession();
    const b = await createSession();
    const url = `${server.url}/api/sessions/${a.session.id}/kubeconfig`;
    const response = await fetch(url, { headers: { Cookie: a.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="rollout-lab-${a.session.namespace}.kubeconfig.yaml"`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(registry.get(a.session.id)!.kubeconfig);
    await expectError(await fetch(url, { headers: { Cookie: b.cookie } }), 404, 'not-found');
  });

  it('resets a session and restarts its terminal', async () => {
    const a = await createSession();
    const response = await fetch(`${server.url}/api/sessions/${a.session.id}/reset`, {
      method: 'POST',
      headers: { Cookie: a.cookie },
    });
    expect(response.status).toBe(200);
    expect(registry.calls).toContain(`reset ${a.session.id}`);
  });

  it('deletes a session, clears the cookie, frees its resources; afterwards it is gone', async () => {
    const a = await createSession();
    const url = `${server.url}/api/sessions/${a.session.id}`;
    const response = await fetch(url, { method: 'DELETE', headers: { Cookie: a.cookie } });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/^rl_session=; .*Max-Age=0/);
    expect(registry.calls).toContain(`delete ${a.session.id}`);
    expect(ended).toEqual([a.session.id]);
    await expectError(await fetch(url, { headers: { Cookie: a.cookie } }), 404, 'not-found');
  });

  const methodCases: [string, string, string][] = [
    ['GET', '/api/sessions', 'POST'],
    ['PUT', '/api/sessions/abc', 'GET, DELETE'],
    ['GET', '/api/sessions/abc/reset', 'POST'],
  ];
  it.each(methodCases)('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const response = await fetch(`${server.url}${path}`, { method });
    expect(response.headers.get('allow')).toBe(allow);
    await expectError(response, 405, 'method-not-allowed');
  });

  it('lists the routes at /api, says the terminal is a WebSocket, 404s unknown routes', async () => {
    const index = await fetch(`${server.url}/api`);
    expect(index.status).toBe(200);
    expect(JSON.stringify(await index.json())).toContain('/api/sessions/:id/terminal');
    const a = await createSession();
    await expectError(
      await fetch(`${server.url}/api/sessions/${a.session.id}/terminal`, { headers: { Cookie: a.cookie } }),
      426,
      'bad-request',
    );
    await expectError(await fetch(`${server.url}/api/nothing`), 404, 'not-found');
  });

  it('serves the placeholder page until the site is built', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('lessons are coming');
    expect(html).toContain('href="/api"');
    expect((await fetch(`${server.url}/en/ch09/nothing/`)).status).toBe(404);
  });
});

/** A terminal client that collects messages. */
interface Client {
  ws: WebSocket;
  messages: ServerMessage[];
  output(): string;
  waitFor(predicate: (messages: ServerMessage[]) => boolean, what: string): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(path: string, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
    const messages: ServerMessage[] = [];
    const listeners = new Set<() => void>();
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as ServerMessage);
      for (const l of listeners) l();
    });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: String(reason) })),
    );
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        messages,
        closed,
        output: () => messages.map((m) => (m.type === 'output' ? m.data : '')).join(''),
        waitFor: (predicate, what) =>
          new Promise<void>((done, fail) => {
            if (predicate(messages)) return done();
            const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), 5000);
            const check = (): void => {
              if (!predicate(messages)) return;
              clearTimeout(timer);
              listeners.delete(check);
              done();
            };
            listeners.add(check);
          }),
      }),
    );
  });
}

describe('terminal socket', () => {
  it('attaches with the cookie, echoes input, answers a malformed message with an error and keeps working', async () => {
    const a = await createSession();
    const client = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await client.waitFor((m) => m.some((x) => x.type === 'output'), 'the prompt');
    expect(client.messages[0]).toMatchObject({ type: 'status', state: 'attached' });
    expect(client.output()).toBe(`${a.session.namespace} $ `);

    client.ws.send('not json');
    client.ws.send(JSON.stringify({ type: 'resize', cols: 0, rows: 0 }));
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.ws.send(JSON.stringify({ type: 'input', data: 'ls\r' }));
    await client.waitFor(
      (m) => m.filter((x) => x.type === 'error').length === 3 && m.at(-1)?.type === 'output',
      'errors and echo',
    );
    const errors = client.messages.filter((m) => m.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.code)).toEqual([
      'invalid-message',
      'invalid-message',
      'invalid-message',
    ]);
    expect(client.output().endsWith('ls\r\n')).toBe(true);
    client.ws.close();
  });

  it('accepts ?token= and the bearer header', async () => {
    const a = await createSession();
    const byQuery = await connect(`/api/sessions/${a.session.id}/terminal?token=${a.session.token}`);
    await byQuery.waitFor((m) => m.length >= 2, 'replay');
    const byBearer = await connect(`/api/sessions/${a.session.id}/terminal`, {
      Authorization: `Bearer ${a.session.token}`,
    });
    await byBearer.waitFor((m) => m.length >= 2, 'replay');
    // The second connection took the terminal over.
    expect((await byQuery.closed).code).toBe(4001);
    expect(byQuery.messages.at(-1)).toEqual({ type: 'status', state: 'taken-over' });
    byBearer.ws.close();
  });

  const refusals: [
    string,
    (a: CreatedSession, bCookie: string) => [string, Record<string, string>],
    string,
  ][] = [
    ['no credentials', (a) => [`/api/sessions/${a.id}/terminal`, {}], 'HTTP 401'],
    [
      "another session's cookie",
      (a, bCookie) => [`/api/sessions/${a.id}/terminal`, { Cookie: bCookie }],
      'HTTP 404',
    ],
    ['a wrong secret', (a) => [`/api/sessions/${a.id}/terminal?token=${a.id}.nope`, {}], 'HTTP 404'],
    [
      'another origin',
      (a) => [`/api/sessions/${a.id}/terminal?token=${a.token}`, { Origin: 'https://evil.example' }],
      'HTTP 403',
    ],
    ['a path that is not a terminal', (a) => [`/api/sessions/${a.id}?token=${a.token}`, {}], 'HTTP 404'],
  ];
  it.each(refusals)('refuses %s before upgrading', async (_name, build, error) => {
    const a = await createSession();
    const b = await createSession();
    const [path, headers] = build(a.session, b.cookie);
    await expect(connect(path, headers)).rejects.toThrow(error);
    expect(shellsStarted).toBe(0);
  });

  it('replays the output on reconnect', async () => {
    const a = await createSession();
    const first = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await first.waitFor((m) => m.length >= 2, 'prompt');
    first.ws.send(JSON.stringify({ type: 'input', data: 'kubectl get rs\r' }));
    await first.waitFor(() => first.output().includes('get rs\r\n'), 'echo');
    first.ws.close();
    await first.closed;
    const second = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await second.waitFor((m) => m.length >= 2, 'replay');
    expect(second.output()).toBe(`${a.session.namespace} $ kubectl get rs\r\n`);
    expect(shellsStarted).toBe(1);
    second.ws.close();
  });

  it('tells the terminal and closes it when the session is deleted', async () => {
    const a = await createSession();
    const client = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await client.waitFor((m) => m.length >= 2, 'prompt');
    await fetch(`${server.url}/api/sessions/${a.session.id}`, {
      method: 'DELETE',
      headers: { Cookie: a.cookie },
    });
    expect((await client.closed).code).toBe(4004);
    expect(client.messages.at(-1)).toEqual({ type: 'status', state: 'ended', reason: 'deleted' });
  });

  it('ends the terminal of a session that expired while idle', async () => {
    const a = await createSession();
    const b = await createSession();
    const client = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await client.waitFor((m) => m.length >= 2, 'prompt');
    registry.idle = [a.session.id];
    expect(await server.expireIdleSessions()).toEqual([a.session.id]);
    expect((await client.closed).code).toBe(4004);
    expect(client.messages.at(-1)).toEqual({ type: 'status', state: 'ended', reason: 'expired' });
    expect(ended).toEqual([a.session.id]);
    expect(registry.get(b.session.id)).toBeDefined();
  });

  it('terminates a connection that stops answering pings', async () => {
    const a = await createSession();
    const client = await connect(`/api/sessions/${a.session.id}/terminal`, { Cookie: a.cookie });
    await client.waitFor((m) => m.length >= 2, 'prompt');
    expect(server.sockets.connections).toBe(1);
    // Stop reading: the client no longer sees pings, so it never answers them.
    (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deadline = Date.now() + 3000;
    while (server.sockets.connections > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(server.sockets.connections).toBe(0);
    client.ws.terminate();
  });
});

/**
 * The session event stream over real loopback HTTP, with a scripted watcher registry and a manual
 * clock: what is sent on connect, on a change, and never twice; heartbeats; `ended`; no leaked
 * subscription. Then the server's routes with a stand-in session registry: the learner cookie,
 * `/api/progress`, and the refusals of the events route (401, 404, hostile `steps`).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NamespaceSnapshot } from '../../../sandbox/checks/evaluate.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { createManualClock, type ManualClock } from '../../../sandbox/cluster/clock.ts';
import { type SandboxServer, type SandboxSession, startSandboxServer } from '../../../sandbox/server/app.ts';
import { ApiError, sendApiError } from '../../../sandbox/server/http-utils.ts';
import {
  createChecksTopic,
  createSessionEventStreams,
  type EventTopic,
  readStepQuery,
  type SessionEventStreams,
} from '../../../sandbox/server/session-events.ts';
import { COLLECTIONS } from '../../../sandbox/server/step-checks.ts';
import { TerminalHub } from '../../../sandbox/server/terminals.ts';
import type {
  NamespaceSubscriber,
  NamespaceSubscription,
  WatcherRegistry,
} from '../../../sandbox/watch/index.ts';
import {
  ApiErrorBody,
  decodeSessionEvent,
  ProgressResponse,
  StepChecksResponse,
} from '../../../src/protocol/index.ts';
import { SseClient } from '../../support/sse.ts';

const emptySnapshot = (): NamespaceSnapshot =>
  Object.fromEntries(Object.keys(COLLECTIONS).map((key) => [key, []])) as unknown as NamespaceSnapshot;

/** A registry whose single namespace the test edits by hand. */
class ScriptedWatchers implements WatcherRegistry {
  snapshot = emptySnapshot();
  synced = false;
  readonly subscribers = new Map<string, Set<NamespaceSubscriber>>();
  get size(): number {
    return this.subscribers.size;
  }
  subscribe(sessionId: string, subscriber: NamespaceSubscriber): NamespaceSubscription {
    const set = this.subscribers.get(sessionId) ?? new Set();
    set.add(subscriber);
    this.subscribers.set(sessionId, set);
    const self = this;
    return {
      get synced() {
        return self.synced;
      },
      snapshot: () => self.snapshot,
      unsubscribe: () => {
        set.delete(subscriber);
        if (set.size === 0) this.subscribers.delete(sessionId);
      },
    };
  }
  /** The namespace changed: tell everyone. */
  change(edit: (snapshot: NamespaceSnapshot) => NamespaceSnapshot = (s) => s): void {
    this.snapshot = edit(this.snapshot);
    this.synced = true;
    for (const set of this.subscribers.values()) for (const s of [...set]) s.onChange();
  }
  restart(): void {}
  end(sessionId: string, reason: 'deleted' | 'expired' | 'shutdown'): void {
    const set = this.subscribers.get(sessionId);
    this.subscribers.delete(sessionId);
    for (const s of set ?? []) s.onEnd(reason);
  }
  closeAll(): void {
    for (const id of [...this.subscribers.keys()]) this.end(id, 'shutdown');
  }
}

const configMap = (name: string, data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'rl-s1' }, data }) as KubeObject;

describe('event streams', () => {
  let watchers: ScriptedWatchers;
  let clock: ManualClock;
  let streams: SessionEventStreams;
  let server: http.Server;
  let url: string;
  let built: number;
  const judged: string[] = [];

  beforeEach(async () => {
    watchers = new ScriptedWatchers();
    clock = createManualClock();
    built = 0;
    judged.length = 0;
    // A topic of our own beside checks: the list is open to other features.
    const configMaps: EventTopic = {
      name: 'configmaps',
      build: (snapshot) => {
        built++;
        return snapshot.configMaps.map((c) => c.metadata.name);
      },
    };
    streams = createSessionEventStreams({
      watchers,
      clock,
      heartbeatMs: 15_000,
      topics: [
        createChecksTopic({
          onJudged: (context, verdicts) => judged.push(`${context.learnerId} ${Object.keys(verdicts.steps)}`),
        }),
        configMaps,
      ],
    });
    server = http.createServer((req, res) => {
      try {
        streams.serve(req, res, { sessionId: 's1', namespace: 'rl-s1', learnerId: 'L' });
      } catch (error) {
        if (error instanceof ApiError) sendApiError(res, error);
        else throw error;
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    streams.closeAll();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends every topic once synced, then only topics whose payload changed', async () => {
    const client = await SseClient.open(`${url}/events?steps=set-image-rollout,no-such-step&locale=ko`);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.headers.get('cache-control')).toBe('no-store');
    await client.until(() => client.comments.includes('connected'), 'the opening comment');
    expect(client.retry).toBe(2000);
    // Not synced yet: nothing but the opening lines.
    expect(client.events).toEqual([]);

    watchers.change();
    await client.until(() => client.events.length === 2, 'the first payloads');
    expect(client.events.map((e) => e.name)).toEqual(['checks', 'configmaps']);
    const checks = decodeSessionEvent('checks', client.events[0]!.data);
    expect(checks?.name).toBe('checks');
    const verdicts = StepChecksResponse.parse(JSON.parse(client.events[0]!.data));
    expect(Object.keys(verdicts.steps)).toEqual(['set-image-rollout']);
    expect(verdicts.steps['set-image-rollout']!.status).toBe('pending');
    expect(judged).toEqual(['L set-image-rollout']);

    // The same namespace again: nothing is sent.
    watchers.change();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.events).toHaveLength(2);

    // A ConfigMap appears: its topic is sent, checks (unchanged for this step) is not.
    watchers.change((s) => ({ ...s, configMaps: [configMap('vweb-config', { a: '1' })] }));
    await client.until(() => client.events.length === 3, 'the configmaps change');
    expect(client.events[2]).toEqual({ name: 'configmaps', data: '["vweb-config"]' });
    expect(built).toBe(3);
    client.close();
  });

  it('sends a heartbeat comment every 15 s and stops its timer when the client leaves', async () => {
    const client = await SseClient.open(`${url}/events`);
    await client.until(() => client.comments.includes('connected'), 'the opening comment');
    clock.advance(15_000);
    clock.advance(15_000);
    await client.until(() => client.comments.filter((c) => c === 'heartbeat').length === 2, 'two heartbeats');
    expect(watchers.size).toBe(1);
    client.close();
    await waitFor(() => streams.size === 0 && watchers.size === 0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sends ended and closes when the session ends', async () => {
    const client = await SseClient.open(`${url}/events?steps=set-image-rollout`);
    await client.until(() => client.comments.includes('connected'), 'the opening comment');
    watchers.end('s1', 'deleted');
    await client.ended;
    expect(client.events.at(-1)).toEqual({ name: 'ended', data: '{"reason":"deleted"}' });
    expect(decodeSessionEvent('ended', client.events.at(-1)!.data)).toEqual({
      name: 'ended',
      payload: { reason: 'deleted' },
    });
    expect(streams.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('answers HEAD with the headers only, keeping nothing open', async () => {
    const response = await fetch(`${url}/events`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(streams.size).toBe(0);
    expect(watchers.size).toBe(0);
  });

  it('sends only the asked topics and refuses an unknown one', async () => {
    watchers.change();
    const client = await SseClient.open(`${url}/events?topics=configmaps`);
    await client.until(() => client.events.length === 1, 'one topic');
    expect(client.events[0]!.name).toBe('configmaps');
    client.close();
    const refused = await fetch(`${url}/events?topics=checks,secrets`);
    expect(refused.status).toBe(400);
    expect(ApiErrorBody.parse(await refused.json()).error.message).toContain('"secrets"');
  });
});

describe('the steps parameter', () => {
  const read = (query: string, requireSteps = true) =>
    readStepQuery(new URLSearchParams(query), { requireSteps });
  it('trims, drops empties and duplicates', () => {
    expect(read('steps= a-b ,,a-b,c1&locale=ko')).toEqual({ stepIds: ['a-b', 'c1'], locale: 'ko' });
    expect(read('', false)).toEqual({ stepIds: [], locale: 'en' });
  });
  const hostile: [string, string, RegExp][] = [
    ['no steps where they are needed', 'steps=', /Ask for 1 to 64 steps/],
    ['65 steps', `steps=${Array.from({ length: 65 }, (_, i) => `s${i}`).join(',')}`, /Ask for 1 to 64/],
    ['a huge parameter', `steps=${'a'.repeat(100_000)}`, /longer than 5184 characters/],
    ['an id with a path', 'steps=a,../../etc/passwd', /"..\/..\/etc\/passwd" is not a step id/],
    ['an id with markup', 'steps=<script>', /"<script>" is not a step id/],
    ['an over-long id', `steps=${'a'.repeat(81)}`, /is not a step id/],
    ['upper case', 'steps=Set-Image', /is not a step id/],
    ['an unknown locale', 'steps=a&locale=fr', /Unknown locale/],
  ];
  it.each(hostile)('refuses %s with 400 and a reason', (_what, query, message) => {
    let error: unknown;
    try {
      read(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toMatch(message);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('server routes: events and progress', () => {
  /** Sessions without a cluster: enough for everything the routes decide before watching. */
  const store = new Map<string, SandboxSession>();
  let server: SandboxServer;
  beforeEach(async () => {
    store.clear();
    server = await startSandboxServer({
      sessions: {
        async create() {
          const id = randomBytes(6).toString('hex');
          const session: SandboxSession = {
            id,
            secret: randomBytes(16).toString('base64url'),
            namespace: `rl-${id}`,
            workdir: `/w/${id}`,
            kubeconfig: 'apiVersion: v1\nkind: Config\n',
            kubeconfigPath: `/w/${id}.kubeconfig`,
            createdAt: 0,
            lastSeenAt: 0,
          };
          store.set(id, session);
          return session;
        },
        get: (id) => store.get(id),
        authenticate: (id, secret) => (store.get(id)?.secret === secret ? store.get(id) : undefined),
        touch: () => {},
        reset: async (id) => store.get(id)!,
        delete: async (id) => {
          store.delete(id);
        },
        expireIdle: async () => [],
        get size() {
          return store.size;
        },
      },
      terminals: new TerminalHub({
        createShell: async () => {
          throw new Error('no shells here');
        },
      }),
      backend: 'embedded',
      idleTimeoutMs: 3_600_000,
      port: 0,
      expiryIntervalMs: 0,
    });
  });
  afterEach(() => server.close());

  const setCookies = (response: Response): string[] => response.headers.getSetCookie();

  it('gives a browser its learner cookie with the session, and sets no second one after', async () => {
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    expect(created.status).toBe(201);
    const cookies = setCookies(created);
    expect(cookies[0]).toMatch(/^rl_session=/);
    expect(cookies[1]).toMatch(/^rl_learner=[\w-]{22}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=31536000$/);
    const learner = cookies[1]!.split(';')[0]!;
    const again = await fetch(`${server.url}/api/progress`, { headers: { Cookie: learner } });
    expect(setCookies(again)).toEqual([]);
    expect(ProgressResponse.parse(await again.json())).toEqual({ steps: {} });
  });

  it('answers /api/progress for a new browser with an empty record and a cookie; DELETE starts over', async () => {
    const first = await fetch(`${server.url}/api/progress`);
    expect(first.status).toBe(200);
    expect(setCookies(first)[0]).toMatch(/^rl_learner=/);
    expect(await first.json()).toEqual({ steps: {} });
    const cleared = await fetch(`${server.url}/api/progress`, {
      method: 'DELETE',
      headers: { Cookie: setCookies(first)[0]!.split(';')[0]! },
    });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toEqual({ steps: {} });
    expect((await fetch(`${server.url}/api/progress`, { method: 'PUT' })).status).toBe(405);
  });

  it('refuses the events route without credentials (401), with the wrong ones (404), and hostile steps (400)', async () => {
    const a = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    const b = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    const idA = ((await a.json()) as { id: string }).id;
    const tokenB = ((await b.json()) as { token: string }).token;
    const events = `${server.url}/api/sessions/${idA}/events?steps=set-image-rollout`;
    const unauthorized = await fetch(events);
    expect(unauthorized.status).toBe(401);
    expect(ApiErrorBody.parse(await unauthorized.json()).error.code).toBe('unauthorized');
    const wrong = await fetch(events, { headers: { Authorization: `Bearer ${tokenB}` } });
    expect(wrong.status).toBe(404);
    const missing = await fetch(`${server.url}/api/sessions/nosuchsession/events`, {
      headers: { Authorization: `Bearer ${tokenB}` },
    });
    expect(missing.status).toBe(404);
    const cookieA = setCookies(a)[0]!.split(';')[0]!;
    const hostile = await fetch(`${server.url}/api/sessions/${idA}/events?steps=${'x,'.repeat(3000)}`, {
      headers: { Cookie: cookieA },
    });
    expect(hostile.status).toBe(400);
    expect(ApiErrorBody.parse(await hostile.json()).error.message).toMatch(/longer than|steps/);
    const checks = await fetch(`${server.url}/api/sessions/${idA}/checks?steps=a,<b>`, {
      headers: { Cookie: cookieA },
    });
    expect(checks.status).toBe(400);
    expect(ApiErrorBody.parse(await checks.json()).error.message).toContain('"<b>" is not a step id');
    // Nothing was watched for the refused requests.
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      watchers: number;
      eventStreams: number;
    };
    expect(health).toMatchObject({ watchers: 0, eventStreams: 0 });
  });

  it('lists the new routes in the index', async () => {
    const index = (await (await fetch(`${server.url}/api`)).json()) as { routes: { path: string }[] };
    const paths = index.routes.map((r) => r.path);
    expect(paths).toContain('/api/sessions/:id/events?steps=a,b&locale=en|ko');
    expect(paths).toContain('/api/progress');
  });
});

/**
 * The events stream and progress end to end: the embedded backend (time scale 20), the real
 * session manager, the real kubectl applying the chapter's manifests with the session's
 * downloaded kubeconfig, and an SSE client on `GET /api/sessions/:id/events`. The `checks` event
 * turns `passed` without anyone asking; the pass is stored (SQLite in a temp folder) and is still
 * there for the same browser after the server is replaced by a new one on the same file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISES_DIR } from '../../../sandbox/backends/backend.ts';
import {
  createProgressService,
  openProgressStore,
  PROGRESS_DB_FILE,
  type ProgressService,
} from '../../../sandbox/progress/index.ts';
import { type SandboxServer, startSandboxServer } from '../../../sandbox/server/app.ts';
import { chooseKubectlBinary, discoverKubectls } from '../../../sandbox/server/kubectl-binary.ts';
import { CreatedSession, ProgressResponse, type StepChecksResponse } from '../../../src/protocol/index.ts';
import { runKubectl } from '../../support/kubectl.ts';
import {
  type EmbeddedSessions,
  sessionKubectlEnv,
  startEmbeddedSessions,
  terminalsWithoutShell,
} from '../../support/sandbox-api.ts';
import { SseClient } from '../../support/sse.ts';

const kubectl = (() => {
  const found = discoverKubectls(process.env);
  return chooseKubectlBinary(found.versioned, 32, found.onPath);
})();

const STEP = 'scale-is-not-a-rollout';

let lab: EmbeddedSessions;
let stateDir: string;
let dbPath: string;

/** A server on the shared backend with its own progress service on `dbPath`. */
async function startServer(): Promise<{ server: SandboxServer; progress: ProgressService }> {
  const progress = createProgressService({ store: openProgressStore(dbPath) });
  const server = await startSandboxServer({
    sessions: lab.sessions,
    terminals: terminalsWithoutShell(),
    backend: lab.backend.name,
    idleTimeoutMs: 3_600_000,
    port: 0,
    expiryIntervalMs: 0,
    progress,
  });
  return { server, progress };
}

beforeAll(async () => {
  if (!kubectl) return;
  stateDir = mkdtempSync(join(tmpdir(), 'rl-events-it-'));
  dbPath = join(stateDir, 'data', PROGRESS_DB_FILE);
  lab = await startEmbeddedSessions({ stateDir, timeScale: 20, maxSessions: 4 });
});

afterAll(async () => {
  if (!kubectl) return;
  await lab?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const kubectlIn = (args: string[], env: Record<string, string>) =>
  runKubectl(kubectl!.path, args, { env, cwd: stateDir });

const cookiePair = (setCookie: string): string => setCookie.split(';')[0]!;
const lastChecks = (client: SseClient): StepChecksResponse | undefined =>
  client.payloads<StepChecksResponse>('checks').at(-1);

describe.skipIf(!kubectl)('events stream and progress, embedded backend, real kubectl', () => {
  let server: SandboxServer;
  let progress: ProgressService;
  let session: CreatedSession;
  let cookies: string;
  let learnerCookie: string;
  let client: SseClient;

  beforeAll(async () => {
    ({ server, progress } = await startServer());
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    progress?.close();
  });

  it('refuses the stream without credentials (401) and with another session (404)', async () => {
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    session = CreatedSession.parse(await created.json());
    const [sessionCookie, learner] = created.headers.getSetCookie();
    expect(learner).toMatch(/^rl_learner=/);
    learnerCookie = cookiePair(learner!);
    cookies = `${cookiePair(sessionCookie!)}; ${learnerCookie}`;

    const url = `${server.url}/api/sessions/${session.id}/events?steps=${STEP}`;
    expect((await SseClient.open(url)).status).toBe(401);
    const other = CreatedSession.parse(
      await (await fetch(`${server.url}/api/sessions`, { method: 'POST' })).json(),
    );
    expect((await SseClient.open(url, { Authorization: `Bearer ${other.token}` })).status).toBe(404);
    expect(
      (
        await fetch(`${server.url}/api/sessions/${other.id}`, {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${other.token}` },
        })
      ).status,
    ).toBe(204);
  });

  it('pushes checks as kubectl changes the namespace, until the step passes, and records the pass', async () => {
    client = await SseClient.open(
      `${server.url}/api/sessions/${session.id}/events?steps=${STEP},set-image-rollout&locale=en`,
      {
        Cookie: cookies,
      },
    );
    expect(client.status).toBe(200);
    await client.until(() => lastChecks(client) !== undefined, 'the first checks event');
    expect(lastChecks(client)!.steps[STEP]!.status).toBe('pending');
    expect(
      ProgressResponse.parse(
        await (await fetch(`${server.url}/api/progress`, { headers: { Cookie: learnerCookie } })).json(),
      ),
    ).toEqual({ steps: {} });

    const env = await sessionKubectlEnv(server.url, session, stateDir);
    expect(await kubectlIn(['apply', '-f', join(DEFAULT_EXERCISES_DIR, 'vweb')], env)).toMatchObject({
      code: 0,
    });
    // The stream says something changed without being asked, and the step is not passed by this alone.
    await client.until(() => lastChecks(client)!.steps[STEP]!.status !== 'pending', 'a verdict after vweb/');
    expect(lastChecks(client)!.steps[STEP]!.status).not.toBe('passed');

    const scale = join(DEFAULT_EXERCISES_DIR, 'vweb', 'update', 'vweb-v1-scale.yaml');
    expect(await kubectlIn(['apply', '-f', scale], env)).toMatchObject({ code: 0 });
    const applied = performance.now();
    await client.until(
      () => lastChecks(client)!.steps[STEP]!.status === 'passed',
      'the step to pass',
      60_000,
    );
    const ms = performance.now() - applied;
    // Pods need a few simulated seconds to be ready (time ×20); the push itself adds ~0.1 s.
    expect(ms).toBeLessThan(15_000);
    // Never the same payload twice in a row.
    const sent = client.events.filter((e) => e.name === 'checks').map((e) => e.data);
    expect(sent.every((data, i) => i === 0 || data !== sent[i - 1])).toBe(true);

    const stored = ProgressResponse.parse(
      await (await fetch(`${server.url}/api/progress`, { headers: { Cookie: learnerCookie } })).json(),
    );
    expect(Object.keys(stored.steps)).toEqual([STEP]);
    expect(Date.parse(stored.steps[STEP]!.passedAt)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('follows a reset on the same stream: the step is no longer passed in the cluster, but stays in progress', async () => {
    const before = client.events.length;
    const reset = await fetch(`${server.url}/api/sessions/${session.id}/reset`, {
      method: 'POST',
      headers: { Cookie: cookies },
    });
    expect(reset.status).toBe(200);
    await client.until(
      () => client.events.length > before && lastChecks(client)!.steps[STEP]!.status === 'pending',
      'checks after the reset',
    );
    const stored = ProgressResponse.parse(
      await (await fetch(`${server.url}/api/progress`, { headers: { Cookie: learnerCookie } })).json(),
    );
    expect(Object.keys(stored.steps)).toEqual([STEP]);
  });

  it('ends the stream with `ended` when the session is deleted, leaving no watcher or stream', async () => {
    const deleted = await fetch(`${server.url}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: { Cookie: cookies },
    });
    expect(deleted.status).toBe(204);
    await client.ended;
    expect(client.events.at(-1)).toEqual({ name: 'ended', data: '{"reason":"deleted"}' });
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      watchers: number;
      eventStreams: number;
    };
    expect(health).toMatchObject({ watchers: 0, eventStreams: 0 });
  });

  it('keeps progress across a server restart on the same database file', async () => {
    client.close();
    await server.close();
    progress.close();
    ({ server, progress } = await startServer());
    // The browser comes back: its old session is gone, so it makes a new one with its learner cookie.
    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { Cookie: learnerCookie },
    });
    expect(created.status).toBe(201);
    expect(created.headers.getSetCookie().filter((c) => c.startsWith('rl_learner='))).toEqual([]);
    const stored = ProgressResponse.parse(
      await (await fetch(`${server.url}/api/progress`, { headers: { Cookie: learnerCookie } })).json(),
    );
    expect(Object.keys(stored.steps)).toEqual([STEP]);
    // Another browser has none; starting over clears only this one.
    expect(await (await fetch(`${server.url}/api/progress`)).json()).toEqual({ steps: {} });
    const cleared = await fetch(`${server.url}/api/progress`, {
      method: 'DELETE',
      headers: { Cookie: learnerCookie },
    });
    expect(await cleared.json()).toEqual({ steps: {} });
  });
});

/**
 * The sandbox server end to end: the embedded backend (time scale 20), the real session manager,
 * the real kubectl, and a `ws` client typing the seed exercise's commands into the terminal one
 * character at a time, as xterm sends them.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBackend,
  DEFAULT_EXERCISES_DIR,
  type SandboxBackend,
} from '../../../sandbox/backends/backend.ts';
import { createScaledClock } from '../../../sandbox/cluster/clock.ts';
import { type SandboxServer, startSandboxServer } from '../../../sandbox/server/app.ts';
import { chooseKubectlBinary, discoverKubectls } from '../../../sandbox/server/kubectl-binary.ts';
import { createSessionShellFactory } from '../../../sandbox/server/session-shell.ts';
import { TerminalHub } from '../../../sandbox/server/terminals.ts';
import { SessionManager } from '../../../sandbox/sessions/index.ts';
import { ApiErrorBody, CreatedSession, StepChecksResponse } from '../../../src/protocol/index.ts';
import { runKubectl } from '../../support/kubectl.ts';
import { TerminalSocket } from '../../support/terminal-socket.ts';

const kubectl = (() => {
  const found = discoverKubectls(process.env);
  return chooseKubectlBinary(found.versioned, 32, found.onPath);
})();

let backend: SandboxBackend;
let sessions: SessionManager;
let server: SandboxServer;
let stateDir: string;

beforeAll(async () => {
  if (!kubectl) return;
  stateDir = mkdtempSync(join(tmpdir(), 'rl-server-it-'));
  backend = createBackend({ backend: 'embedded', timeScale: 20, nodes: 2 });
  const access = await backend.start();
  sessions = new SessionManager({
    access,
    workRoot: join(stateDir, 'sessions'),
    exercisesDir: DEFAULT_EXERCISES_DIR,
    maxSessions: 2,
    sweepIntervalMs: 0,
  });
  server = await startSandboxServer({
    sessions,
    terminals: new TerminalHub({
      createShell: createSessionShellFactory({
        kubectlBinary: kubectl.path,
        cacheRoot: join(stateDir, 'kubectl-cache'),
        clock: createScaledClock(1),
      }),
      onActivity: (id) => sessions.touch(id),
    }),
    backend: backend.name,
    idleTimeoutMs: 3_600_000,
    port: 0,
    expiryIntervalMs: 0,
    onSessionEnded: (id) => rmSync(join(stateDir, 'kubectl-cache', id), { recursive: true, force: true }),
  });
});

afterAll(async () => {
  if (!kubectl) return;
  await server?.close();
  await sessions?.shutdown({ deleteNamespaces: false });
  await backend?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

/** The terminal socket, typing a key at a time as xterm sends it. */
class TerminalClient extends TerminalSocket {
  /** Types a command a key at a time, then Enter; resolves to what it printed before the next prompt. */
  async type(command: string): Promise<string> {
    await this.until(() => this.atPrompt(0), 'a prompt');
    const start = this.output.length;
    for (const key of command) this.send({ type: 'input', data: key });
    this.send({ type: 'input', data: '\r' });
    await this.until(
      () => this.output.slice(start).includes('\r\n') && this.atPrompt(start),
      `the prompt after ${command}`,
    );
    const printed = this.output.slice(start);
    // Drop the echoed command line and the closing prompt.
    return printed.slice(printed.indexOf('\r\n') + 2, printed.lastIndexOf('\r\n') + 2);
  }
}

async function createSession(): Promise<{ session: CreatedSession; cookie: string }> {
  const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
  expect(response.status).toBe(201);
  const session = CreatedSession.parse(await response.json());
  return { session, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]! };
}

/** The real kubectl as a learner's own machine runs it (argv[0] `kubectl`, the given kubeconfig). */
const kubectlIn = (args: string[], env: Record<string, string>) =>
  runKubectl(kubectl!.path, args, { env, cwd: stateDir });

describe.skipIf(!kubectl)('the terminal over a real WebSocket, embedded backend', () => {
  let a: { session: CreatedSession; cookie: string };
  let b: { session: CreatedSession; cookie: string };
  let terminal: TerminalClient;

  it('runs the seed exercise typed key by key', async () => {
    a = await createSession();
    terminal = await TerminalClient.open(server.url, a.session.id, { Cookie: a.cookie });
    terminal.send({ type: 'resize', cols: 120, rows: 30 });
    await terminal.until(() => terminal.atPrompt(0), 'the first prompt');
    expect(terminal.messages[0]).toMatchObject({
      type: 'status',
      state: 'attached',
      session: { id: a.session.id, namespace: a.session.namespace },
    });
    expect(terminal.output).toContain(`(${a.session.namespace})`);

    const applied = await terminal.type('kubectl apply -f vweb/');
    expect(applied).toContain('service/vweb created');
    expect(applied).toContain('deployment.apps/vweb created');

    const rs = await terminal.type('kubectl get rs -l app=vweb');
    expect(rs).toMatch(/NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
    expect(rs).toMatch(/vweb-[a-z0-9]+\s+2\s+2\s+\d\s+/);

    expect(await terminal.type('kubectl apply -f vweb/update/vweb-v1-scale.yaml')).toContain(
      'deployment.apps/vweb configured',
    );
    const history = await terminal.type('kubectl rollout history deploy/vweb');
    expect(history).toContain('deployment.apps/vweb');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/1\s+<none>/);

    expect(await terminal.type('kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2')).toContain(
      'deployment.apps/vweb image updated',
    );
    await terminal.type('kubectl rollout status deployment/vweb --timeout=60s');
    const after = await terminal.type('kubectl rollout history deploy/vweb');
    expect(after).toMatch(/2\s+<none>/);
  });

  it('reaches the app with the built-in curl through the LoadBalancer URL the book prints', async () => {
    const answer = await terminal.type('curl http://localhost:8090/v.txt');
    expect(answer.trim()).toBe('v2');
    const refused = await terminal.type('curl http://localhost:9999/');
    expect(refused).toContain('curl: (7)');
  });

  it('answers a malformed message with an error and keeps the shell working', async () => {
    const before = terminal.messages.length;
    terminal.send('{"type":"input"');
    terminal.send({ type: 'resize', cols: -4, rows: 10 });
    terminal.send({ type: 'exec', data: 'id' });
    await terminal.until(
      () => terminal.messages.slice(before).filter((m) => m.type === 'error').length === 3,
      'errors',
    );
    expect(
      terminal.messages
        .slice(before)
        .filter((m) => m.type === 'error')
        .every((m) => m.type === 'error' && m.code === 'invalid-message'),
    ).toBe(true);
    expect(await terminal.type('pwd')).toMatch(/ch09/);
  });

  it('replays the buffered output on reconnect, including what ran while no browser was attached', async () => {
    terminal.send({ type: 'input', data: 'kubectl get deploy vweb\r' });
    terminal.ws.close();
    await terminal.closed;
    // The command runs and prints while nobody is attached.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await TerminalClient.open(server.url, a.session.id, { Cookie: a.cookie });
    await again.until(() => again.output.includes('deployment.apps/vweb created'), 'the replay');
    expect(again.messages[0]).toMatchObject({ type: 'status', state: 'attached', truncated: false });
    await again.until(() => /vweb\s+3\/3/.test(again.output), 'the detached command output');
    terminal = again;
  });

  it("refuses to attach with another session's cookie, or without credentials", async () => {
    b = await createSession();
    await expect(TerminalClient.open(server.url, a.session.id, { Cookie: b.cookie })).rejects.toThrow(
      'HTTP 404',
    );
    await expect(TerminalClient.open(server.url, a.session.id, {})).rejects.toThrow('HTTP 401');
    // A's terminal is still A's.
    expect(await terminal.type('kubectl get deploy -o name')).toContain('deployment.apps/vweb');
  });

  it('answers 503 at the cap', async () => {
    const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    expect(response.status).toBe(503);
    expect(ApiErrorBody.parse(await response.json()).error.code).toBe('session-limit');
  });

  it('serves a kubeconfig that works with the real kubectl, for its namespace only', async () => {
    const response = await fetch(`${server.url}/api/sessions/${a.session.id}/kubeconfig`, {
      headers: { Authorization: `Bearer ${a.session.token}` },
    });
    expect(response.status).toBe(200);
    const home = join(stateDir, 'learner-home');
    rmSync(home, { recursive: true, force: true });
    const file = join(stateDir, 'downloaded.kubeconfig');
    writeFileSync(file, await response.text());
    const env = { KUBECONFIG: file, HOME: home, PATH: '/usr/bin:/bin' };
    const own = await kubectlIn(['get', 'deploy', 'vweb', '-o', 'jsonpath={.spec.replicas}'], env);
    expect(own).toMatchObject({ code: 0, stdout: '3' });
    const other = await kubectlIn(['get', 'pods', '-n', b.session.namespace], env);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Forbidden');
  });

  it('resets: the namespace is emptied and the terminal restarts', async () => {
    const before = terminal.messages.length;
    const response = await fetch(`${server.url}/api/sessions/${a.session.id}/reset`, {
      method: 'POST',
      headers: { Cookie: a.cookie },
    });
    expect(response.status).toBe(200);
    await terminal.until(
      () => terminal.messages.slice(before).some((m) => m.type === 'status' && m.state === 'reset'),
      'reset',
    );
    const listed = await terminal.type('kubectl get deploy');
    expect(listed).toMatch(/No resources found/);
  });

  it('judges a step through the API only once its commands have run with the real kubectl', async () => {
    const checksUrl = `${server.url}/api/sessions/${a.session.id}/checks?steps=scale-is-not-a-rollout,unknown&locale=en`;
    const judge = async () => {
      const response = await fetch(checksUrl, { headers: { Authorization: `Bearer ${a.session.token}` } });
      expect(response.status).toBe(200);
      const body = StepChecksResponse.parse(await response.json());
      expect(Object.keys(body.steps)).toEqual(['scale-is-not-a-rollout']);
      return body.steps['scale-is-not-a-rollout']!;
    };
    expect((await fetch(checksUrl)).status).toBe(401);
    expect(await judge()).toMatchObject({ status: 'pending' });

    const kubeconfig = await fetch(`${server.url}/api/sessions/${a.session.id}/kubeconfig`, {
      headers: { Authorization: `Bearer ${a.session.token}` },
    });
    const file = join(stateDir, 'checks.kubeconfig');
    writeFileSync(file, await kubeconfig.text());
    const env = { KUBECONFIG: file, HOME: join(stateDir, 'checks-home'), PATH: '/usr/bin:/bin' };
    const exercises = DEFAULT_EXERCISES_DIR;
    expect(await kubectlIn(['apply', '-f', join(exercises, 'vweb')], env)).toMatchObject({ code: 0 });
    const beforeScale = await judge();
    expect(beforeScale.status).not.toBe('passed');

    const scale = join(exercises, 'vweb', 'update', 'vweb-v1-scale.yaml');
    expect(await kubectlIn(['apply', '-f', scale], env)).toMatchObject({ code: 0 });
    let verdict = await judge();
    for (let i = 0; i < 60 && verdict.status !== 'passed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      verdict = await judge();
    }
    expect(verdict.status, JSON.stringify(verdict.results)).toBe('passed');
  });

  it('deletes: the terminal is closed, the workdir removed, the session gone', async () => {
    const workdir = sessions.get(a.session.id)!.workdir;
    expect(existsSync(workdir)).toBe(true);
    const response = await fetch(`${server.url}/api/sessions/${a.session.id}`, {
      method: 'DELETE',
      headers: { Cookie: a.cookie },
    });
    expect(response.status).toBe(204);
    expect(await terminal.closed).toBe(4004);
    expect(terminal.messages.at(-1)).toEqual({ type: 'status', state: 'ended', reason: 'deleted' });
    expect(existsSync(workdir)).toBe(false);
    expect(existsSync(join(stateDir, 'kubectl-cache', a.session.id))).toBe(false);
    const gone = await fetch(`${server.url}/api/sessions/${a.session.id}`, { headers: { Cookie: a.cookie } });
    expect(gone.status).toBe(404);
    // With a place free again, a new session can start.
    expect((await fetch(`${server.url}/api/sessions`, { method: 'POST' })).status).toBe(201);
  });
});

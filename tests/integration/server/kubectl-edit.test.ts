/**
 * `kubectl edit` end to end, with the real kubectl (the newest installed and 1.27) as the learner
 * runs it: typed into the terminal over a real WebSocket, kubectl's file arriving as an `edit`
 * message, the answer posted to `POST /api/sessions/:id/edits/:editId`, kubectl's own output
 * and the Deployment read back. The edit brokers run on a manual clock so the idle timeout is
 * tested without waiting half an hour.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBackend,
  DEFAULT_EXERCISES_DIR,
  type SandboxBackend,
} from '../../../sandbox/backends/backend.ts';
import { createManualClock, createScaledClock, type ManualClock } from '../../../sandbox/cluster/clock.ts';
import { type EditChannel, startEditChannel } from '../../../sandbox/editor-bridge/channel.ts';
import { type SandboxServer, startSandboxServer } from '../../../sandbox/server/app.ts';
import { DEFAULT_EDIT_TIMEOUT_MS, EditBrokers } from '../../../sandbox/server/edit-broker.ts';
import { EDITOR_PROGRAM } from '../../../sandbox/server/kubectl-edit.ts';
import { createSessionShellFactory } from '../../../sandbox/server/session-shell.ts';
import { TerminalHub } from '../../../sandbox/server/terminals.ts';
import { SessionManager } from '../../../sandbox/sessions/index.ts';
import {
  ApiErrorBody,
  CreatedSession,
  type EditMessage,
  MAX_EDIT_CONTENT_BYTES,
} from '../../../src/protocol/index.ts';
import { installedKubectls } from '../../support/kubectl.ts';
import { TerminalSocket } from '../../support/terminal-socket.ts';

const installed = installedKubectls();
/** The newest installed and the oldest supported, as the conformance suite runs them. */
const versions = [...new Set([installed.at(-1), installed.find((k) => k.version === '1.27')])].filter(
  (k): k is { version: string; path: string } => k !== undefined,
);

/** The terminal socket, with kubectl edit's messages picked out. */
class TerminalClient extends TerminalSocket {
  edits(from = 0): EditMessage[] {
    return this.messages.slice(from).filter((m): m is EditMessage => m.type === 'edit');
  }

  ended(editId: string): boolean {
    return this.messages.some((m) => m.type === 'edit-ended' && m.editId === editId);
  }

  /** Types a line and Enter; resolves to the output position before it. */
  async start(command: string): Promise<number> {
    await this.until(() => this.atPrompt(0), 'a prompt');
    const start = this.output.length;
    this.input(`${command}\r`);
    return start;
  }

  /** Waits for the prompt after `start` and returns what was printed since. */
  async finish(start: number, what: string): Promise<string> {
    await this.until(() => this.output.slice(start).includes('\r\n') && this.atPrompt(start), what);
    return this.output.slice(start);
  }

  async type(command: string): Promise<string> {
    return this.finish(await this.start(command), `the prompt after ${command}`);
  }

  /** Waits for the next `edit` message after message number `from`. */
  async nextEdit(from: number, what: string): Promise<EditMessage> {
    await this.until(() => this.edits(from).length > 0, what);
    return this.edits(from)[0]!;
  }
}

/** Processes still running for a session: its kubectl (by kubeconfig) and its editor program (by file). */
function processesOf(kubeconfigPath: string, cacheDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(EDITOR_PROGRAM) && cmdline.includes(cacheDir)) found.push(`${pid} ${cmdline}`);
      else if (
        readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`KUBECONFIG=${kubeconfigPath}`)
      )
        found.push(`${pid} ${cmdline}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Waits (polling /proc) until the session has no kubectl or editor process left; fails naming them. */
async function noProcessLeft(kubeconfigPath: string, cacheDir: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = processesOf(kubeconfigPath, cacheDir);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`left behind:\n${left.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(versions.length === 0).each(versions)(
  'kubectl $version edit through the page editor',
  (kubectl) => {
    let backend: SandboxBackend;
    let sessions: SessionManager;
    let server: SandboxServer;
    let channel: EditChannel;
    let clock: ManualClock;
    let stateDir: string;
    let a: { session: CreatedSession; cookie: string };
    let terminal: TerminalClient;

    const post = (id: string, editId: string, body: unknown, cookie: string): Promise<Response> =>
      fetch(`${server.url}/api/sessions/${id}/edits/${editId}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    async function createSession(): Promise<{ session: CreatedSession; cookie: string }> {
      const response = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
      expect(response.status).toBe(201);
      const session = CreatedSession.parse(await response.json());
      return { session, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]! };
    }

    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'rl-edit-it-'));
      backend = createBackend({ backend: 'embedded', timeScale: 20, nodes: 2 });
      const access = await backend.start();
      sessions = new SessionManager({
        access,
        workRoot: join(stateDir, 'sessions'),
        exercisesDir: DEFAULT_EXERCISES_DIR,
        maxSessions: 3,
        sweepIntervalMs: 0,
      });
      channel = await startEditChannel();
      clock = createManualClock();
      const edits = new EditBrokers({ clock, send: (id, message) => terminals.send(id, message) });
      const terminals: TerminalHub = new TerminalHub({
        createShell: createSessionShellFactory({
          kubectlBinary: kubectl.path,
          cacheRoot: join(stateDir, 'kubectl-cache'),
          clock: createScaledClock(1),
          edits: { channel, brokers: edits, timeoutMs: DEFAULT_EDIT_TIMEOUT_MS },
        }),
        onActivity: (id) => sessions.touch(id),
        replayOnAttach: (id) => edits.pending(id),
      });
      server = await startSandboxServer({
        sessions,
        terminals,
        edits,
        backend: backend.name,
        idleTimeoutMs: 3_600_000,
        port: 0,
        expiryIntervalMs: 0,
      });
      a = await createSession();
      terminal = await TerminalClient.open(server.url, a.session.id, { Cookie: a.cookie });
      terminal.ws.send(JSON.stringify({ type: 'resize', cols: 120, rows: 30 }));
      expect(await terminal.type('kubectl apply -f vweb/')).toContain('deployment.apps/vweb created');
    });

    afterAll(async () => {
      await server?.close();
      await channel?.close();
      await sessions?.shutdown({ deleteNamespaces: false });
      await backend?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    const replicas = async (): Promise<string> =>
      (await terminal.type('kubectl get deploy vweb -o jsonpath={.spec.replicas}')).split('\r\n')[1]!.replace(
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the prompt follows on the same line
        /\x1b.*$/,
        '',
      );

    it('opens the Deployment in the page and applies what is saved there', async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit message');
      expect(edit).toMatchObject({ type: 'edit', title: 'deployment/vweb', reopened: false });
      expect(edit.fileName).toMatch(/^kubectl-edit-\d+\.yaml$/);
      expect(edit.content).toContain('# Please edit the object below.');
      expect(edit.content).toMatch(/^ {2}replicas: 2$/m);

      const saved = await post(
        a.session.id,
        edit.editId,
        { action: 'save', content: edit.content.replace(/^ {2}replicas: 2$/m, '  replicas: 3') },
        a.cookie,
      );
      expect(saved.status).toBe(204);
      const printed = await terminal.finish(start, 'kubectl to apply the edit');
      expect(printed).toContain('deployment.apps/vweb edited');
      expect(terminal.ended(edit.editId)).toBe(true);
      expect(await replicas()).toBe('3');
      // The edit is over: a second answer finds nothing.
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, a.cookie)).status).toBe(404);
    });

    it('reopens an edit the API server refuses, with kubectl error header, and cancels it unchanged', async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deployment vweb');
      const first = await terminal.nextEdit(from, 'the first edit');
      // A string where the Deployment has an integer: refused when the patch is converted.
      const typo = first.content.replace(/^ {2}replicas: 3$/m, '  replicas: three');
      expect(typo).not.toBe(first.content);
      expect(
        (await post(a.session.id, first.editId, { action: 'save', content: typo }, a.cookie)).status,
      ).toBe(204);
      const second = await terminal.nextEdit(terminal.messages.indexOf(first) + 1, 'the reopened edit');
      expect(second).toMatchObject({ title: 'deployment/vweb', reopened: true });
      expect(second.editId).not.toBe(first.editId);
      expect(second.content).toContain('# deployments.apps "vweb" was not valid:');
      expect(second.content).toContain(
        '# * patch: Invalid value: "map[spec:map[replicas:three]]": unrecognized type: int32',
      );
      expect(second.content).toMatch(/^ {2}replicas: three$/m);
      expect(terminal.ended(first.editId)).toBe(true);

      // An integer the validation refuses: reopened again, with the validation's words.
      const negative = second.content.replace(/^ {2}replicas: three$/m, '  replicas: -1');
      expect(
        (await post(a.session.id, second.editId, { action: 'save', content: negative }, a.cookie)).status,
      ).toBe(204);
      const third = await terminal.nextEdit(terminal.messages.indexOf(second) + 1, 'the edit reopened again');
      expect(third).toMatchObject({ title: 'deployment/vweb', reopened: true });
      expect(third.content).toContain(
        '# * spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      );

      expect((await post(a.session.id, third.editId, { action: 'cancel' }, a.cookie)).status).toBe(204);
      const printed = await terminal.finish(start, 'kubectl to give up');
      expect(printed).toContain('error: deployments.apps "vweb" is invalid');
      expect(printed).toContain('Edit cancelled, no valid changes were saved.');
      expect(await replicas()).toBe('3');
      // kubectl patch meets the same answer, worded as a real API server words it.
      expect(await terminal.type(`kubectl patch deploy vweb -p '{"spec":{"replicas":"three"}}'`)).toContain(
        'The request is invalid: patch: Invalid value: "map[spec:map[replicas:three]]": unrecognized type: int32',
      );
    });

    it('cancels a fresh edit as kubectl does when the file comes back unchanged', async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, a.cookie)).status).toBe(204);
      expect(await terminal.finish(start, 'the cancel')).toContain('Edit cancelled, no changes made.');
    });

    it('sends an open edit again to a terminal that reattaches', async () => {
      const from = terminal.messages.length;
      await terminal.start('kubectl edit svc/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      expect(edit.title).toBe('service/vweb');
      terminal.ws.close();
      await terminal.closed;
      const again = await TerminalClient.open(server.url, a.session.id, { Cookie: a.cookie });
      const replayed = await again.nextEdit(0, 'the replayed edit');
      expect(replayed).toEqual(edit);
      terminal = again;
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, a.cookie)).status).toBe(204);
      await terminal.until(
        () => terminal.output.includes('Edit cancelled, no changes made.') && terminal.atPrompt(0),
        'the cancel and the prompt',
      );
    });

    it('stops kubectl and its editor on Ctrl-C, tells the page, and leaves no process behind', async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      const session = sessions.get(a.session.id)!;
      const cacheDir = join(stateDir, 'kubectl-cache', a.session.id);
      expect(processesOf(session.kubeconfigPath, cacheDir).length).toBeGreaterThanOrEqual(2);
      terminal.input('\x03');
      await terminal.until(() => terminal.ended(edit.editId), 'edit-ended');
      await terminal.finish(start, 'the prompt after Ctrl-C');
      await noProcessLeft(session.kubeconfigPath, cacheDir);
      expect(
        (await post(a.session.id, edit.editId, { action: 'save', content: edit.content }, a.cookie)).status,
      ).toBe(404);
      expect(await replicas()).toBe('3');
    });

    it('gives up an edit nobody answers after the idle timeout, with a message in the terminal', async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      clock.advance(DEFAULT_EDIT_TIMEOUT_MS);
      const printed = await terminal.finish(start, 'the timeout');
      expect(printed).toContain('without Save or Cancel, so it was given up');
      expect(printed).toContain('Edit cancelled, no changes made.');
      expect(terminal.ended(edit.editId)).toBe(true);
    });

    it("refuses another session's edit ids, bad bodies and oversized ones", async () => {
      const from = terminal.messages.length;
      const start = await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      const b = await createSession();
      // B's credentials on A's edit, and A's edit id under B's session: both unknown to B.
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, b.cookie)).status).toBe(404);
      expect((await post(b.session.id, edit.editId, { action: 'cancel' }, b.cookie)).status).toBe(404);
      const anonymous = await fetch(`${server.url}/api/sessions/${a.session.id}/edits/${edit.editId}`, {
        method: 'POST',
        body: '{"action":"cancel"}',
      });
      expect(anonymous.status).toBe(401);
      // A guessed id in A's own session.
      expect((await post(a.session.id, 'A'.repeat(22), { action: 'cancel' }, a.cookie)).status).toBe(404);
      expect((await post(a.session.id, '..%2F..', { action: 'cancel' }, a.cookie)).status).toBe(404);

      const bad = await post(a.session.id, edit.editId, { action: 'save' }, a.cookie);
      expect(bad.status).toBe(400);
      expect(ApiErrorBody.parse(await bad.json()).error.code).toBe('bad-request');
      expect((await post(a.session.id, edit.editId, '{"action":', a.cookie)).status).toBe(400);
      const huge = await post(
        a.session.id,
        edit.editId,
        { action: 'save', content: 'x'.repeat(MAX_EDIT_CONTENT_BYTES + 1) },
        a.cookie,
      );
      expect(huge.status).toBe(413);
      const enormous = await post(
        a.session.id,
        edit.editId,
        { action: 'save', content: '"'.repeat(MAX_EDIT_CONTENT_BYTES * 3) },
        a.cookie,
      );
      expect(enormous.status).toBe(413);

      // None of that touched the edit: A can still cancel it.
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, a.cookie)).status).toBe(204);
      expect(await terminal.finish(start, 'the cancel')).toContain('Edit cancelled, no changes made.');
    });

    it('ends an open edit when the session is reset, and kubectl with it', async () => {
      const from = terminal.messages.length;
      await terminal.start('kubectl edit deploy/vweb');
      const edit = await terminal.nextEdit(from, 'the edit');
      const session = sessions.get(a.session.id)!;
      const cacheDir = join(stateDir, 'kubectl-cache', a.session.id);
      const reset = await fetch(`${server.url}/api/sessions/${a.session.id}/reset`, {
        method: 'POST',
        headers: { Cookie: a.cookie },
      });
      expect(reset.status).toBe(200);
      await terminal.until(() => terminal.ended(edit.editId), 'edit-ended after the reset');
      expect((await post(a.session.id, edit.editId, { action: 'cancel' }, a.cookie)).status).toBe(404);
      await noProcessLeft(session.kubeconfigPath, cacheDir);
    });
  },
);

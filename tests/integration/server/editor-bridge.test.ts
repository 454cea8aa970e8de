/**
 * The editor bridge on its own: the real editor program (`kube-editor.ts`, as kubectl launches
 * it: one argument, the file) against the server's socket, with the answers a broker gives.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EditChannel,
  type EditorLaunch,
  startEditChannel,
} from '../../../sandbox/editor-bridge/channel.ts';
import {
  EDIT_SOCKET_ENV,
  EDIT_TOKEN_ENV,
  type EditorReply,
} from '../../../sandbox/editor-bridge/protocol.ts';
import { EDITOR_PROGRAM } from '../../../sandbox/server/kubectl-edit.ts';
import { MAX_EDIT_CONTENT_BYTES } from '../../../src/protocol/index.ts';

let channel: EditChannel;
let dir: string;

beforeAll(async () => {
  channel = await startEditChannel();
  dir = mkdtempSync(join(tmpdir(), 'rl-bridge-'));
});

afterAll(async () => {
  await channel.close();
  rmSync(dir, { recursive: true, force: true });
});

const TOKEN = 'a'.repeat(43);

/** Runs the editor program on `file` as kubectl would; resolves to its exit code and stderr. */
function runEditor(file: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EDITOR_PROGRAM, file], {
      env: { PATH: '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

function fileWith(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const bridgeEnv = (token = TOKEN) => ({ [EDIT_SOCKET_ENV]: channel.socketPath, [EDIT_TOKEN_ENV]: token });

/** Registers the token with a handler that answers `reply` and records what it was given. */
function answerWith(reply: EditorReply): { launches: EditorLaunch[]; unregister: () => void } {
  const launches: EditorLaunch[] = [];
  const unregister = channel.register(TOKEN, async (launch) => {
    launches.push(launch);
    return reply;
  });
  return { launches, unregister };
}

describe('the editor program and the bridge', () => {
  it('brings the file to the server and writes what was saved', async () => {
    const file = fileWith('kubectl-edit-1.yaml', 'kind: Deployment\nspec:\n  replicas: 2\n');
    const { launches, unregister } = answerWith({
      action: 'save',
      content: 'kind: Deployment\nspec:\n  replicas: 3\n',
    });
    expect(await runEditor(file, bridgeEnv())).toEqual({ code: 0, stderr: '' });
    unregister();
    expect(launches).toEqual([
      { fileName: 'kubectl-edit-1.yaml', content: 'kind: Deployment\nspec:\n  replicas: 2\n', launch: 1 },
    ]);
    expect(readFileSync(file, 'utf8')).toBe('kind: Deployment\nspec:\n  replicas: 3\n');
  });

  it('counts the launches of one run, so a reopened file is known as such', async () => {
    const { launches, unregister } = answerWith({ action: 'cancel' });
    await runEditor(fileWith('kubectl-edit-2.yaml', 'a: 1\n'), bridgeEnv());
    await runEditor(fileWith('kubectl-edit-3.yaml', '# error\na: 1\n'), bridgeEnv());
    unregister();
    expect(launches.map((l) => l.launch)).toEqual([1, 2]);
  });

  it('leaves the file alone on cancel, and on stop prints the message', async () => {
    const file = fileWith('kubectl-edit-4.yaml', 'a: 1\n');
    const cancel = answerWith({ action: 'cancel' });
    expect(await runEditor(file, bridgeEnv())).toEqual({ code: 0, stderr: '' });
    cancel.unregister();
    const stop = answerWith({ action: 'stop', message: 'given up after 30 minutes' });
    expect(await runEditor(file, bridgeEnv())).toEqual({ code: 0, stderr: 'given up after 30 minutes\n' });
    stop.unregister();
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n');
  });

  it('tells the handler when the run ends while the editor waits, and the editor stops', async () => {
    const file = fileWith('kubectl-edit-5.yaml', 'a: 1\n');
    let aborted = false;
    const unregister = channel.register(TOKEN, (_launch, signal) => {
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ action: 'stop', message: '' });
        });
        // kubectl went away (Ctrl-C): the run unregisters.
        setTimeout(unregister, 50);
      });
    });
    const result = await runEditor(file, bridgeEnv());
    expect(aborted).toBe(true);
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n');
  });

  it('refuses a token nobody registered: the editor fails and kubectl would apply nothing', async () => {
    const file = fileWith('kubectl-edit-6.yaml', 'a: 1\n');
    const result = await runEditor(file, bridgeEnv('b'.repeat(43)));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('closed the edit without an answer');
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n');
  });

  it('fails clearly without the server or its settings', async () => {
    const file = fileWith('kubectl-edit-7.yaml', 'a: 1\n');
    const noServer = await runEditor(file, {
      [EDIT_SOCKET_ENV]: join(dir, 'none.sock'),
      [EDIT_TOKEN_ENV]: TOKEN,
    });
    expect(noServer.code).toBe(1);
    expect(noServer.stderr).toContain('cannot reach the sandbox server');
    const noSettings = await runEditor(file, {});
    expect(noSettings.code).toBe(1);
    expect(noSettings.stderr).toContain(`${EDIT_SOCKET_ENV} and ${EDIT_TOKEN_ENV} must be set`);
  });

  it('does not send an object too large for the editor panel, and leaves it unchanged', async () => {
    const { launches, unregister } = answerWith({ action: 'save', content: 'x' });
    const file = fileWith('kubectl-edit-8.yaml', `data: ${'x'.repeat(MAX_EDIT_CONTENT_BYTES)}\n`);
    const result = await runEditor(file, bridgeEnv());
    unregister();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('more than the editor panel takes');
    expect(launches).toEqual([]);
    expect(statSync(file).size).toBe(MAX_EDIT_CONTENT_BYTES + 7);
  });

  it('closes a connection that sends garbage or an endless line', async () => {
    const { connect } = await import('node:net');
    for (const payload of ['not json\n', `${'x'.repeat(5 * MAX_EDIT_CONTENT_BYTES)}`]) {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect(channel.socketPath, () => socket.write(payload));
        socket.on('error', () => {});
        socket.on('close', () => resolve(true));
      });
      expect(closed).toBe(true);
    }
  });
});

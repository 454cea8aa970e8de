import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildKubectlEnvironment,
  createKubectlRunner,
  EXIT_CANNOT_RUN,
  exitStatusOf,
  KILL_AFTER_MS,
} from '../../../sandbox/server/kubectl-runner.ts';

/** A stand-in child process that records how it was started and signalled. */
class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  kill(signal: string): boolean {
    this.signals.push(signal);
    return true;
  }
  exit(code: number | null, signal: string | null = null): void {
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code, signal));
  }
}

interface SpawnCall {
  command: string;
  args: readonly string[];
  options: SpawnOptions;
  child: FakeChild;
}

let root: string;
let calls: SpawnCall[];
let timers: { fn: () => void; ms: number; cancelled: boolean }[];
const spawn = (command: string, args: readonly string[], options: SpawnOptions): ChildProcess => {
  const child = new FakeChild();
  calls.push({ command, args, options, child });
  return child as unknown as ChildProcess;
};
const setTimer = (fn: () => void, ms: number): (() => void) => {
  const timer = { fn, ms, cancelled: false };
  timers.push(timer);
  return () => {
    timer.cancelled = true;
  };
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rl-runner-'));
  calls = [];
  timers = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const makeRunner = () =>
  createKubectlRunner({
    binary: '/usr/lib/google-cloud-sdk/bin/kubectl.1.32',
    kubeconfigPath: '/srv/s/abc/kubeconfig',
    cacheDir: join(root, 'cache-abc'),
    spawn,
    setTimer,
  });

const until = async (predicate: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!predicate()) throw new Error('condition never held');
};

describe('the kubectl environment', () => {
  it('is built from scratch: exactly these variables, whatever the server has', () => {
    const before = { ...process.env };
    process.env.KUBECONFIG = '/root/.kube/config';
    process.env.EDITOR = 'vim';
    process.env.KUBECTL_EXTERNAL_DIFF = 'sh -c id';
    process.env.KUBE_EDITOR = 'sh';
    try {
      const env = buildKubectlEnvironment({ kubeconfigPath: '/s/kc', cacheDir: '/c/abc', columns: 132 });
      expect(env).toEqual({
        KUBECONFIG: '/s/kc',
        HOME: '/c/abc',
        KUBECACHEDIR: '/c/abc/cache',
        PATH: '/usr/bin:/bin',
        COLUMNS: '132',
      });
    } finally {
      process.env = before;
    }
  });

  const columnCases: [number, string][] = [
    [80, '80'],
    [120.7, '120'],
    [0, '1'],
  ];
  it.each(columnCases)('COLUMNS for a width of %d is %s', (columns, expected) => {
    expect(buildKubectlEnvironment({ kubeconfigPath: 'k', cacheDir: 'c', columns }).COLUMNS).toBe(expected);
  });
});

describe('running kubectl', () => {
  it('spawns the binary directly, named kubectl, in the working folder, with the clean environment', async () => {
    process.env.EDITOR = 'vim';
    try {
      const runner = makeRunner();
      const out: [string, string][] = [];
      const done = runner.run(['get', 'rs', '-l', 'app=vweb'], {
        cwd: '/srv/s/abc/ch09/vweb',
        signal: new AbortController().signal,
        onOutput: (chunk, stream) => out.push([chunk, stream]),
        columns: 100,
      });
      await until(() => calls.length === 1);
      const call = calls[0]!;
      expect(call.command).toBe('/usr/lib/google-cloud-sdk/bin/kubectl.1.32');
      expect(call.args).toEqual(['get', 'rs', '-l', 'app=vweb']);
      expect(call.options.argv0).toBe('kubectl');
      expect(call.options.shell).toBe(false);
      expect(call.options.cwd).toBe('/srv/s/abc/ch09/vweb');
      expect(call.options.stdio).toEqual(['ignore', 'pipe', 'pipe']);
      expect(call.options.env).toEqual({
        KUBECONFIG: '/srv/s/abc/kubeconfig',
        HOME: join(root, 'cache-abc'),
        KUBECACHEDIR: join(root, 'cache-abc', 'cache'),
        PATH: '/usr/bin:/bin',
        COLUMNS: '100',
      });
      expect(Object.keys(call.options.env ?? {})).not.toContain('EDITOR');
      call.child.stdout.write('NAME   DESIRED\n');
      call.child.stderr.write('Warning: x\n');
      call.child.exit(0);
      expect(await done).toBe(0);
      expect(out).toEqual([
        ['NAME   DESIRED\n', 'stdout'],
        ['Warning: x\n', 'stderr'],
      ]);
      // The cache folder exists and is private to the session.
      expect(statSync(join(root, 'cache-abc', 'cache')).isDirectory()).toBe(true);
      expect(statSync(join(root, 'cache-abc')).mode & 0o077).toBe(0);
    } finally {
      delete process.env.EDITOR;
    }
  });

  it('passes metacharacters as plain arguments (no shell to interpret them)', async () => {
    const runner = makeRunner();
    const args = ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}; rm -rf / $(id) `id` | cat'];
    const done = runner.run(args, {
      cwd: root,
      signal: new AbortController().signal,
      onOutput: () => {},
      columns: 80,
    });
    await until(() => calls.length === 1);
    expect(calls[0]!.args).toEqual(args);
    calls[0]!.child.exit(0);
    await done;
  });

  it('decodes a character split across chunks', async () => {
    const runner = makeRunner();
    let text = '';
    const done = runner.run(['get', 'cm'], {
      cwd: root,
      signal: new AbortController().signal,
      onOutput: (chunk) => {
        text += chunk;
      },
      columns: 80,
    });
    await until(() => calls.length === 1);
    const bytes = Buffer.from('레플리카셋\n');
    calls[0]!.child.stdout.write(bytes.subarray(0, 2));
    calls[0]!.child.stdout.write(bytes.subarray(2));
    calls[0]!.child.exit(0);
    await done;
    expect(text).toBe('레플리카셋\n');
    expect(text).not.toContain('\ufffd');
  });

  it('stops kubectl on abort: SIGINT first, SIGKILL two seconds later if it is still running', async () => {
    const runner = makeRunner();
    const controller = new AbortController();
    const done = runner.run(['get', 'pods', '-w'], {
      cwd: root,
      signal: controller.signal,
      onOutput: () => {},
      columns: 80,
    });
    await until(() => calls.length === 1);
    const child = calls[0]!.child;
    controller.abort();
    expect(child.signals).toEqual(['SIGINT']);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(KILL_AFTER_MS);
    timers[0]!.fn();
    expect(child.signals).toEqual(['SIGINT', 'SIGKILL']);
    child.exit(null, 'SIGKILL');
    expect(await done).toBe(137);
  });

  it('cancels the SIGKILL when kubectl stops on SIGINT', async () => {
    const runner = makeRunner();
    const controller = new AbortController();
    const done = runner.run(['rollout', 'status', 'deploy/vweb'], {
      cwd: root,
      signal: controller.signal,
      onOutput: () => {},
      columns: 80,
    });
    await until(() => calls.length === 1);
    controller.abort();
    calls[0]!.child.exit(null, 'SIGINT');
    expect(await done).toBe(130);
    expect(timers[0]!.cancelled).toBe(true);
  });

  it('does not start kubectl when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const status = await makeRunner().run(['get', 'rs'], {
      cwd: root,
      signal: controller.signal,
      onOutput: () => {},
      columns: 80,
    });
    expect(status).toBe(130);
    expect(calls).toHaveLength(0);
  });

  it('reports a binary that cannot start with status 127', async () => {
    const runner = createKubectlRunner({
      binary: join(root, 'no-such-kubectl'),
      kubeconfigPath: join(root, 'kc'),
      cacheDir: join(root, 'cache'),
    });
    let err = '';
    const status = await runner.run(['version', '--client'], {
      cwd: root,
      signal: new AbortController().signal,
      onOutput: (chunk, stream) => {
        if (stream === 'stderr') err += chunk;
      },
      columns: 80,
    });
    expect(status).toBe(EXIT_CANNOT_RUN);
    expect(err).toMatch(/cannot start kubectl: .*ENOENT/);
  });

  const statusCases: [number | null, NodeJS.Signals | null, number][] = [
    [0, null, 0],
    [1, null, 1],
    [null, 'SIGINT', 130],
    [null, 'SIGKILL', 137],
    [null, 'SIGTERM', 143],
    [null, null, 1],
  ];
  it.each(statusCases)('exit code %s with signal %s is status %d', (code, signal, expected) => {
    expect(exitStatusOf(code, signal)).toBe(expected);
  });
});

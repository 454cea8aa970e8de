/**
 * The shell's KubectlRunner: spawns the real kubectl binary for one session. The shell has
 * already confined the arguments; this file makes sure nothing of the host leaks in through the
 * process: no system shell (arguments go to execve as they are), an environment built from
 * scratch (the session kubeconfig, a private HOME and cache, a PATH without plugin folders, no
 * EDITOR or KUBECTL_* settings of the host), and a child that is stopped when the learner presses
 * Ctrl-C.
 */
import { type ChildProcess, spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { KubectlRunner, KubectlRunOptions, OutputStream } from '../shell/index.ts';

/** Only system folders: `diff` for `kubectl diff`, and no folder where a `kubectl-*` plugin could live. */
export const KUBECTL_PATH = '/usr/bin:/bin';

/** How long kubectl gets to stop after SIGINT before it is killed. */
export const KILL_AFTER_MS = 2000;

/** The exit status a shell reports for a command that could not be started. */
export const EXIT_CANNOT_RUN = 127;

/** What the runner needs to know about one session. */
export interface KubectlRunnerOptions {
  /** Absolute path of the kubectl binary. */
  binary: string;
  /** The session kubeconfig file (namespaced ServiceAccount token). */
  kubeconfigPath: string;
  /** A folder of the session outside its workdir, for kubectl's HOME and discovery cache. */
  cacheDir: string;
  /** PATH for kubectl; KUBECTL_PATH by default. */
  path?: string;
  /** Stand-in for child_process.spawn, for tests. */
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
  /** Arms the SIGKILL after an abort; setTimeout by default. Returns a cancel function. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

/**
 * kubectl's whole environment for one run. Nothing is inherited from the server process:
 *
 * | variable | value | why |
 * | --- | --- | --- |
 * | KUBECONFIG | the session kubeconfig | the only identity kubectl may use |
 * | HOME | the session's cache folder | no `~/.kube` of the host, no kuberc |
 * | KUBECACHEDIR | HOME/cache | discovery and OpenAPI cache of this session only |
 * | PATH | /usr/bin:/bin | no plugin folders |
 * | COLUMNS | the terminal width | `kubectl explain` and help wrap to the terminal |
 */
export function buildKubectlEnvironment(options: {
  kubeconfigPath: string;
  cacheDir: string;
  columns: number;
  path?: string;
}): Record<string, string> {
  return {
    KUBECONFIG: options.kubeconfigPath,
    HOME: options.cacheDir,
    KUBECACHEDIR: join(options.cacheDir, 'cache'),
    PATH: options.path ?? KUBECTL_PATH,
    COLUMNS: String(Math.max(1, Math.floor(options.columns))),
  };
}

/** The exit status a shell shows: the code, or 128 + the signal's number (130 for SIGINT). */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return 1;
}

const realTimer = (fn: () => void, ms: number): (() => void) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/** What a run may add to the ordinary one (used by `kubectl edit`, see `kubectl-edit.ts`). */
export interface KubectlProcessExtras {
  /** Added to kubectl's environment: KUBE_EDITOR and the editor bridge's settings. */
  env?: Record<string, string>;
  /**
   * Starts kubectl in a session and process group of its own, and signals the whole group: the
   * editor kubectl starts stops with it on Ctrl-C, and without a controlling terminal kubectl
   * leaves the server's `/dev/tty` alone around its editor.
   */
  ownProcessGroup?: boolean;
}

/** A KubectlRunner for one session. */
export function createKubectlRunner(options: KubectlRunnerOptions): KubectlRunner {
  let cacheReady: Promise<unknown> | undefined;
  return {
    async run(args: readonly string[], run: KubectlRunOptions): Promise<number> {
      if (run.signal.aborted) return exitStatusOf(null, 'SIGINT');
      cacheReady ??= mkdir(join(options.cacheDir, 'cache'), { recursive: true, mode: 0o700 });
      await cacheReady;
      return runKubectlProcess(options, args, run);
    },
  };
}

/**
 * Runs kubectl once and resolves to its exit status. The session's cache folder must exist.
 * Ctrl-C (`run.signal`) sends SIGINT, then SIGKILL after KILL_AFTER_MS.
 */
export function runKubectlProcess(
  options: KubectlRunnerOptions,
  args: readonly string[],
  run: KubectlRunOptions,
  extras: KubectlProcessExtras = {},
): Promise<number> {
  const spawn = options.spawn ?? nodeSpawn;
  const setTimer = options.setTimer ?? realTimer;
  if (run.signal.aborted) return Promise.resolve(exitStatusOf(null, 'SIGINT'));
  return new Promise<number>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(options.binary, args, {
        argv0: 'kubectl',
        cwd: run.cwd,
        env: {
          ...buildKubectlEnvironment({
            kubeconfigPath: options.kubeconfigPath,
            cacheDir: options.cacheDir,
            columns: run.columns,
            ...(options.path ? { path: options.path } : {}),
          }),
          ...extras.env,
        },
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        ...(extras.ownProcessGroup ? { detached: true } : {}),
      });
    } catch (error) {
      run.onOutput(`rollout-lab: cannot start kubectl: ${(error as Error).message}\n`, 'stderr');
      resolve(EXIT_CANNOT_RUN);
      return;
    }
    const pipe = (stream: NodeJS.ReadableStream | null, name: OutputStream): (() => void) => {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text !== '') run.onOutput(text, name);
      });
      return () => {
        const rest = decoder.end();
        if (rest !== '') run.onOutput(rest, name);
      };
    };
    const flushStdout = pipe(child.stdout, 'stdout');
    const flushStderr = pipe(child.stderr, 'stderr');

    const kill = (signal: NodeJS.Signals): void => {
      if (extras.ownProcessGroup && child.pid !== undefined) {
        try {
          process.kill(-child.pid, signal);
          return;
        } catch {
          // The group is gone already; signal the child itself below (a no-op if it is gone too).
        }
      }
      child.kill(signal);
    };
    let cancelKill: (() => void) | undefined;
    const onAbort = (): void => {
      kill('SIGINT');
      cancelKill = setTimer(() => kill('SIGKILL'), KILL_AFTER_MS);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });

    let settled = false;
    const finish = (status: number): void => {
      if (settled) return;
      settled = true;
      cancelKill?.();
      run.signal.removeEventListener('abort', onAbort);
      resolve(status);
    };
    child.on('error', (error) => {
      run.onOutput(`rollout-lab: cannot start kubectl: ${error.message}\n`, 'stderr');
      finish(EXIT_CANNOT_RUN);
    });
    child.on('close', (code, signal) => {
      flushStdout();
      flushStderr();
      finish(exitStatusOf(code, signal));
    });
  });
}

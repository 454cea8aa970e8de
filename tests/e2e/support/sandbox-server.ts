/**
 * The real sandbox server (`npm start`'s `sandbox/server/main.ts`) as a child process, for browser
 * tests that need sessions, the terminal and the checks: the embedded backend, the built site from
 * `siteDir`, and folders of the test's choosing for session state and for the learners' progress,
 * so that a test can stop the server and start it again on the same port and data, as an operator
 * restarting it would.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from './site.ts';

const MAIN = `${REPO_ROOT}/sandbox/server/main.ts`;

/** How the server is started. */
export interface SandboxServerOptions {
  /** The built site to serve. */
  siteDir: string;
  /** `SANDBOX_STATE_DIR`: session workdirs and kubectl caches. */
  stateDir: string;
  /** `SANDBOX_DATA_DIR`: what outlives the server (the learners' progress). */
  dataDir: string;
  /** `SANDBOX_TIME_SCALE`: simulated time runs this many times faster, so rollouts finish soon. */
  timeScale: number;
  /** 0 (the default) for a free port; a restart passes the port it had. */
  port?: number;
  /** How long to wait for the "running at" line. */
  startTimeoutMs?: number;
}

/** A running server. */
export interface SandboxServerProcess {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Everything the server printed, for error messages. */
  log(): string;
  /** SIGTERM, as Ctrl-C or a service manager would; SIGKILL if it has not exited after 20 s. */
  stop(): Promise<void>;
}

const RUNNING_AT = /Rollout Lab is running at (http:\/\/[^\s/]+)\//;

/** Starts the server and resolves once it listens; rejects with its output when it cannot start. */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      SANDBOX_BACKEND: 'embedded',
      SANDBOX_SITE_DIR: options.siteDir,
      SANDBOX_STATE_DIR: options.stateDir,
      SANDBOX_DATA_DIR: options.dataDir,
      SANDBOX_TIME_SCALE: String(options.timeScale),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = once(child, 'exit');

  const origin = await waitForOrigin(child, () => output, options.startTimeoutMs ?? 90_000);
  const port = Number(new URL(origin).port);
  return {
    origin,
    port,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function waitForOrigin(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`The sandbox server ${why}. Its output:\n${output()}`));
    };
    const check = () => {
      const match = RUNNING_AT.exec(output());
      if (match) {
        cleanup();
        resolve(match[1]!);
      }
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before listening`);
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs / 1000} s`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

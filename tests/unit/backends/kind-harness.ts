/**
 * Runs the kind backend's CLI wrapper against the stand-in `kind` and `docker` in
 * tests/fixtures/kind: a PATH that finds them first, a state folder for their clusters and a log
 * of every invocation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folder of the stand-in executables. */
export const FAKE_BIN = resolve(import.meta.dirname, '../../fixtures/kind');

/** One recorded invocation of the stand-in kind or docker. */
export interface Invocation {
  cmd: 'kind' | 'docker';
  args: string[];
}

/** A sandbox for the stand-ins. */
export interface FakeKind {
  /** Environment for the CLI wrapper (PATH, state, log, images the "host" has). */
  env: NodeJS.ProcessEnv;
  /** Invocations so far, in order. */
  invocations(): Invocation[];
  /** Forgets the invocations so far. */
  clearLog(): void;
  /** The folder where the stand-in keeps a cluster (config copy, kubeconfig, loaded images). */
  clusterDir(name: string): string;
  /** Deletes every cluster the stand-in still serves and the temporary folders. */
  cleanup(): void;
}

/** Creates the stand-in's temporary state; `hostImages` are the images the fake docker has. */
export function createFakeKind(hostImages: string[] = []): FakeKind {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-fake-kind-'));
  const state = join(dir, 'state');
  const log = join(dir, 'invocations.jsonl');
  mkdirSync(state);
  const env: NodeJS.ProcessEnv = {
    PATH: `${FAKE_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    FAKE_KIND_STATE: state,
    FAKE_KIND_LOG: log,
    FAKE_KIND_OWNER_PID: String(process.pid),
    FAKE_DOCKER_IMAGES: hostImages.join(','),
  };
  return {
    env,
    invocations: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Invocation)
        : [],
    clearLog: () => rmSync(log, { force: true }),
    clusterDir: (name) => join(state, name),
    cleanup() {
      for (const name of readdirSync(state)) {
        try {
          execFileSync(join(FAKE_BIN, 'kind'), ['delete', 'cluster', '--name', name], {
            env: { ...process.env, ...env },
            stdio: 'ignore',
          });
        } catch {
          // Already gone.
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A PATH folder holding only `node` and the chosen stand-ins, to test what happens when kind or
 * docker is missing (the stand-ins themselves need node on PATH).
 */
export function createBinDir(tools: ('kind' | 'docker')[]): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-bin-'));
  symlinkSync(process.execPath, join(dir, 'node'));
  for (const tool of tools) symlinkSync(join(FAKE_BIN, tool), join(dir, tool));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

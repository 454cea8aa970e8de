/**
 * Sessions end to end: an embedded cluster reached through the kubeconfig backend (its admin
 * kubeconfig written to a file), so the code under test is the code that runs against any external
 * cluster, and the real kubectl with each session's own kubeconfig.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBackend } from '../../../sandbox/backends/backend.ts';
import type { ClusterAccess } from '../../../sandbox/backends/types.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../../sandbox/cluster/embedded-cluster.ts';
import type { Session } from '../../../sandbox/sessions/index.ts';
import { chooseKubectl, type KubectlResult, runKubectl } from '../../support/kubectl.ts';

/** The chapter's exercise folder. */
export const EXERCISES_DIR = resolve(import.meta.dirname, '../../../content/exercises/ch09');

/** A running embedded cluster seen through the kubeconfig backend. */
export interface SessionLab {
  cluster: EmbeddedCluster;
  access: ClusterAccess;
  /** A scratch folder for work roots and kubectl homes. */
  dir: string;
  kubectlPath: string;
  /** Runs kubectl as the session: its kubeconfig, its workdir as the working folder. */
  kubectl(session: Session, args: string[], cwd?: string): Promise<KubectlResult>;
  stop(): Promise<void>;
}

/** Starts the cluster (time ×20 so Pods become ready quickly) and the kubeconfig backend on it. */
export async function startSessionLab(): Promise<SessionLab> {
  const kubectl = chooseKubectl();
  if (!kubectl) throw new Error('kubectl is not installed: the session tests run the real binary');
  const cluster = await startEmbeddedCluster({ timeScale: 20, nodes: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-sessions-'));
  const adminPath = join(dir, 'admin.kubeconfig');
  writeFileSync(adminPath, cluster.adminKubeconfig(), { mode: 0o600 });
  const backend = createBackend({ backend: 'kubeconfig', path: adminPath });
  const access = await backend.start();
  return {
    cluster,
    access,
    dir,
    kubectlPath: kubectl.path,
    kubectl(session, args, cwd) {
      const home = join(dir, 'homes', session.id);
      mkdirSync(home, { recursive: true });
      return runKubectl(kubectl.path, args, {
        env: {
          KUBECONFIG: session.kubeconfigPath,
          HOME: home,
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          KUBECACHEDIR: join(home, 'cache'),
        },
        cwd: cwd ?? session.workdir,
      });
    },
    async stop() {
      await backend.stop();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls `probe` until it returns a value `accept` likes; throws with the last value after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

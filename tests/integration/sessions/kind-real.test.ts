/**
 * Opt-in: sessions on a real kind cluster, created through the kind backend. Needs kind, a running
 * Docker and KIND_E2E=1 (creating a cluster takes a minute or more and several GB of disk). The
 * cluster is `rollout-lab-e2e`, deleted afterwards unless KIND_E2E_KEEP=1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backendConfigFromEnv,
  type ClusterAccess,
  createBackend,
  type SandboxBackend,
} from '../../../sandbox/backends/backend.ts';
import { createKubeClient, waitForNamespaceGone } from '../../../sandbox/kube-client/index.ts';
import { type Session, SessionManager } from '../../../sandbox/sessions/index.ts';
import { chooseKubectl, runKubectl } from '../../support/kubectl.ts';
import { EXERCISES_DIR, eventually } from './harness.ts';

/** Why the test cannot run here, or undefined when it can. */
function whyNotRunnable(): string | undefined {
  const works = (file: string, args: string[]) => {
    const result = spawnSync(file, args, { stdio: 'ignore', timeout: 15_000 });
    return !result.error && result.status === 0;
  };
  if (!works('kind', ['version'])) return 'kind is not installed (https://kind.sigs.k8s.io)';
  if (!works('docker', ['info'])) return 'docker is not installed or its daemon is not running';
  if (!chooseKubectl()) return 'kubectl is not installed';
  if (process.env.KIND_E2E !== '1') return 'set KIND_E2E=1 to create a kind cluster for this test';
  return undefined;
}

const skipReason = whyNotRunnable();
const hasDockerAndKind = skipReason === undefined;

describe.skipIf(!hasDockerAndKind)(
  `sessions on a real kind cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let backend: SandboxBackend;
    let access: ClusterAccess;
    let manager: SessionManager;
    let a: Session;
    let b: Session;
    const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-kind-e2e-'));
    const kubectl = (session: Session, args: string[]) =>
      runKubectl(chooseKubectl()!.path, args, {
        env: { KUBECONFIG: session.kubeconfigPath, HOME: dir, PATH: process.env.PATH ?? '' },
        cwd: session.workdir,
        timeoutMs: 60_000,
      });

    beforeAll(async () => {
      backend = createBackend(
        backendConfigFromEnv({
          SANDBOX_BACKEND: 'kind',
          KIND_CLUSTER_NAME: 'rollout-lab-e2e',
          KIND_DELETE_ON_STOP: process.env.KIND_E2E_KEEP === '1' ? '0' : '1',
        }),
        { log: (line) => process.stderr.write(`${line}\n`) },
      );
      access = await backend.start();
      manager = new SessionManager({
        access,
        workRoot: join(dir, 'work'),
        exercisesDir: EXERCISES_DIR,
        sweepIntervalMs: 0,
      });
      [a, b] = await Promise.all([manager.create(), manager.create()]);
    }, 15 * 60_000);

    afterAll(async () => {
      await manager?.shutdown({ deleteNamespaces: true });
      await backend?.stop();
      rmSync(dir, { recursive: true, force: true });
    }, 5 * 60_000);

    it('session A applies the seed exercise and sees its ReplicaSet', async () => {
      const applied = await kubectl(a, ['apply', '-f', 'vweb/']);
      expect(applied.stdout).toContain('deployment.apps/vweb created');
      const rs = await eventually(
        'the vweb ReplicaSet',
        () => kubectl(a, ['get', 'rs', '-l', 'app=vweb', '--no-headers']),
        (r) => /^vweb-\w+\s+2\s+2\s/.test(r.stdout),
        120_000,
      );
      expect(rs.code).toBe(0);
    }, 180_000);

    it('session B is Forbidden in A’s namespace and at the cluster scope', async () => {
      const pods = await kubectl(b, ['get', 'po', '-n', a.namespace]);
      expect(pods.stderr).toContain('Error from server (Forbidden)');
      expect(pods.stderr).toContain('cannot list resource "pods"');
      const namespace = await kubectl(b, ['create', 'namespace', 'sneaky']);
      expect(namespace.stderr).toContain('cannot create resource "namespaces"');
    }, 60_000);

    it('deleting A removes its namespace', async () => {
      await manager.delete(a.id);
      const admin = createKubeClient(access.adminKubeconfig);
      try {
        expect(await waitForNamespaceGone(admin, a.namespace, { timeoutMs: 120_000 })).toBe(true);
      } finally {
        admin.close();
      }
    }, 180_000);
  },
);

// Say why in the run's output, not only in a skipped suite's name.
if (skipReason) console.info(`real kind test skipped: ${skipReason}`);

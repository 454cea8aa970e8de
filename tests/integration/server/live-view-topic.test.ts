/**
 * The live view's `workloads` topic on the real server: the embedded backend (time scale 20), the
 * real session manager, the real kubectl with the session's kubeconfig, and an SSE client asking
 * for `?topics=workloads`. Every payload must fit the protocol's schema, and during the seed
 * rollout (exercise 2) the payloads must show the old ReplicaSet only shrinking and the new one
 * only growing, ending at 0 and 3, with the pod template of each revision ready to diff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISES_DIR } from '../../../sandbox/backends/backend.ts';
import { type SandboxServer, startSandboxServer } from '../../../sandbox/server/app.ts';
import { chooseKubectlBinary, discoverKubectls } from '../../../sandbox/server/kubectl-binary.ts';
import { CreatedSession, WorkloadsView } from '../../../src/protocol/index.ts';
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

let lab: EmbeddedSessions;
let server: SandboxServer;
let stateDir: string;

beforeAll(async () => {
  if (!kubectl) return;
  stateDir = mkdtempSync(join(tmpdir(), 'rl-live-view-it-'));
  lab = await startEmbeddedSessions({ stateDir, timeScale: 20, maxSessions: 2 });
  server = await startSandboxServer({
    sessions: lab.sessions,
    terminals: terminalsWithoutShell(),
    backend: lab.backend.name,
    idleTimeoutMs: 3_600_000,
    port: 0,
    expiryIntervalMs: 0,
  });
});

afterAll(async () => {
  if (!kubectl) return;
  await server?.close();
  await lab?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const kubectlIn = (args: string[], env: Record<string, string>) =>
  runKubectl(kubectl!.path, args, { env, cwd: stateDir });

/** The vweb ReplicaSets' desired counts by revision, e.g. `3/1` for revision 1 at 3 and 2 at 1. */
function counts(view: WorkloadsView): string {
  const vweb = view.deployments.find((d) => d.name === 'vweb');
  const desired = (revision: number): number =>
    vweb?.replicaSets.find((rs) => rs.revision === revision)?.desired ?? 0;
  return `${desired(1)}/${desired(2)}`;
}

describe.skipIf(!kubectl)('workloads topic of the events stream', () => {
  it('streams the seed rollout: old ReplicaSet only down, new one only up, templates for the diff', async () => {
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
    const session = CreatedSession.parse(await created.json());
    const auth = { Authorization: `Bearer ${session.token}` };
    const env = await sessionKubectlEnv(server.url, session, stateDir);

    const client = await SseClient.open(
      `${server.url}/api/sessions/${session.id}/events?topics=workloads`,
      auth,
    );
    try {
      expect(client.status).toBe(200);
      const views = (): WorkloadsView[] =>
        client.payloads<unknown>('workloads').map((v) => WorkloadsView.parse(v));
      await client.until(() => views().length > 0, 'the first workloads event');
      expect(views()[0]).toEqual({ deployments: [], statefulSets: [], daemonSets: [], otherPods: [] });
      expect(client.events.every((e) => e.name === 'workloads')).toBe(true);

      const exercises = DEFAULT_EXERCISES_DIR;
      expect((await kubectlIn(['apply', '-f', join(exercises, 'vweb/')], env)).code).toBe(0);
      expect(
        (await kubectlIn(['apply', '-f', join(exercises, 'vweb/update/vweb-v1-scale.yaml')], env)).code,
      ).toBe(0);
      await client.until(
        () => views().some((v) => v.deployments[0]?.replicaSets[0]?.ready === 3),
        'three ready pods of revision 1',
      );
      const before = views().length;
      expect(
        (await kubectlIn(['set', 'image', 'deployment/vweb', 'web=kiamol/ch09-vweb:v2'], env)).code,
      ).toBe(0);
      await client.until(() => {
        const last = views().at(-1)!;
        return counts(last) === '0/3' && last.deployments[0]!.replicaSets[0]!.ready === 3;
      }, 'the rollout to finish');

      const rollout = views().slice(before - 1);
      const shown = rollout.map(counts).filter((c, i, all) => i === 0 || all[i - 1] !== c);
      expect(shown[0]).toBe('3/0');
      expect(shown.at(-1)).toBe('0/3');
      for (let i = 1; i < shown.length; i++) {
        const [oldBefore, newBefore] = shown[i - 1]!.split('/').map(Number);
        const [oldAfter, newAfter] = shown[i]!.split('/').map(Number);
        expect(oldAfter!, shown.join(' → ')).toBeLessThanOrEqual(oldBefore!);
        expect(newAfter!, shown.join(' → ')).toBeGreaterThanOrEqual(newBefore!);
        // maxSurge 1 of 3 replicas: never more than 4 pods wanted at once.
        expect(oldAfter! + newAfter!, shown.join(' → ')).toBeLessThanOrEqual(4);
      }

      const vweb = views().at(-1)!.deployments[0]!;
      expect(vweb.strategy).toMatchObject({ type: 'RollingUpdate', maxSurgePods: 1, maxUnavailablePods: 0 });
      expect(vweb.revision).toBe(2);
      const [newest, oldest] = vweb.replicaSets;
      expect([newest!.revision, oldest!.revision]).toEqual([2, 1]);
      expect(newest!.template).toContain('image: kiamol/ch09-vweb:v2');
      expect(oldest!.template).toContain('image: kiamol/ch09-vweb:v1');
      expect(newest!.template).not.toContain('pod-template-hash');
      expect(newest!.pods.map((p) => [p.status, p.ready, p.image])).toEqual(
        Array.from({ length: 3 }, () => ['Running', true, 'kiamol/ch09-vweb:v2']),
      );
    } finally {
      client.close();
    }
  });
});

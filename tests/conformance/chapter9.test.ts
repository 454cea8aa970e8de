/**
 * Every command of chapter 9 (shared/CHAPTER9.md), in order, with the real kubectl against the
 * embedded control plane: the learner's transcript must come out line for line (generated names
 * and ages aside), and each later exercise must leave the cluster as a real one would.
 *
 * Runs with the newest installed kubectl and with the oldest (1.27, which validates through the
 * protobuf OpenAPI v2 document). KUBECTL_VERSIONS=1.30,1.33 picks others.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../sandbox/cluster/api/resources.ts';
import { installedKubectls } from '../support/kubectl.ts';
import { EXERCISES_DIR, type Lab, normalizeOutput, startLab } from '../support/lab.ts';
import { readSeedTranscript } from './seed-transcript.ts';

const installed = installedKubectls();
const versions = process.env.KUBECTL_VERSIONS
  ? process.env.KUBECTL_VERSIONS.split(',')
  : [...new Set([installed.at(-1)?.version, installed[0]?.version].filter((v): v is string => !!v))];

/** The revision annotation of a ReplicaSet, as a number. */
function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

/** Lines of a table: the header first, then the body in sorted order (row order follows generated names). */
function tableShape(text: string | string[]): string[] {
  const lines = normalizeOutput(Array.isArray(text) ? text.join('\n') : text);
  return [lines[0] ?? '', ...lines.slice(1).sort()];
}

for (const version of versions) {
  describe(`chapter 9 with kubectl ${version}`, () => {
    let lab: Lab;
    const api = () => lab.cluster.controlPlane.api;
    const rsList = (selector = 'app=vweb') =>
      api().list(RESOURCES.replicasets, 'default', { labelSelector: selector }).items;
    const deployment = (name = 'vweb') => api().find(RESOURCES.deployments, 'default', name);
    const pods = (selector: string) =>
      api().list(RESOURCES.pods, 'default', { labelSelector: selector }).items;
    const rolledOut = (name = 'vweb'): boolean => {
      const d = deployment(name);
      const want = d?.spec.replicas ?? 1;
      const s = d?.status ?? {};
      const complete =
        !!d &&
        s.observedGeneration === d.metadata.generation &&
        s.updatedReplicas === want &&
        s.replicas === want &&
        s.availableReplicas === want;
      // Settled too: the replaced pods have finished terminating, as a learner would wait to see.
      const selector = Object.entries((d?.spec.selector.matchLabels ?? {}) as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return complete && pods(selector).every((p) => !p.metadata.deletionTimestamp);
    };
    const curl = async (path = '/v.txt') =>
      lab.kubectl(['get', '--raw', `/api/v1/namespaces/default/services/vweb:8090/proxy${path}`]);
    const ok = async (command: string) => {
      const result = await lab.kubectl(command);
      expect(result.stderr, command).toBe('');
      expect(result.code, command).toBe(0);
      return result.stdout;
    };

    beforeAll(async () => {
      lab = await startLab({ kubectlVersion: version });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    it('9.1 ex. 1–2: the learner’s transcript comes out line for line', async () => {
      const transcript = readSeedTranscript();
      expect(transcript.map((t) => t.command)).toEqual([
        'kubectl apply -f vweb/',
        'kubectl get rs -l app=vweb',
        'kubectl apply -f vweb/update/vweb-v1-scale.yaml',
        'kubectl get rs -l app=vweb',
        'kubectl rollout history deploy/vweb',
        'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
        'kubectl get rs -l app=vweb',
        'kubectl rollout history deploy/vweb',
      ]);
      // Before each command, move time on until the cluster is where the learner's was.
      const before: Record<number, () => Promise<void>> = {
        1: () =>
          lab.until('one of two vweb pods ready', () => rsList()[0]?.status?.readyReplicas === 1, 60_000, 50),
        3: () => lab.until('three vweb pods ready', () => rsList()[0]?.status?.readyReplicas === 3),
        5: () => lab.advance(6 * 60_000, 5_000),
      };
      for (const [index, entry] of transcript.entries()) {
        await before[index]?.();
        const result = await lab.kubectl(entry.command.replace(/^kubectl /, ''));
        expect(result.stderr, entry.command).toBe('');
        expect(result.code, entry.command).toBe(0);
        const isTable = /^NAME\s/.test(entry.output[0] ?? '');
        if (isTable) expect(tableShape(result.stdout), entry.command).toEqual(tableShape(entry.output));
        else
          expect(normalizeOutput(result.stdout), entry.command).toEqual(
            normalizeOutput(entry.output.join('\n')),
          );
      }
    });

    it('9.1: the LoadBalancer URL the book prints works', async () => {
      // As a shell passes it: -o jsonpath=http://{.status.loadBalancer.ingress[0].*}:8090/v.txt
      const result = await lab.kubectl([
        'get',
        'svc',
        'vweb',
        '-o',
        'jsonpath=http://{.status.loadBalancer.ingress[0].*}:8090/v.txt',
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('http://localhost:8090/v.txt');
    });

    it('9.1 ex. 2–3: the rollout completes; a label change is a rollout too, tied by pod-template-hash', async () => {
      await lab.until('v2 rolled out', () => rolledOut());
      expect(
        rsList()
          .map((rs) => rs.spec.replicas)
          .sort(),
      ).toEqual([0, 3]);
      // The events kubectl describe shows: a 25%/25% rollout of 3 (surge 1, unavailable 0) moves one pod at a time.
      const described = await ok('kubectl describe deploy vweb');
      const [oldRs, newRs] = [...rsList()]
        .sort((a, b) => revisionOf(a) - revisionOf(b))
        .map((rs) => rs.metadata.name);
      const scaling = described
        .split('\n')
        .filter((line) => line.includes('ScalingReplicaSet'))
        .map((line) => line.replace(/^.*deployment-controller\s+/, '').trim());
      const expected = [
        `Scaled up replica set ${oldRs} from 0 to 2`,
        `Scaled up replica set ${oldRs} from 2 to 3`,
        `Scaled up replica set ${newRs} from 0 to 1`,
        `Scaled down replica set ${oldRs} from 3 to 2`,
        `Scaled up replica set ${newRs} from 1 to 2`,
        `Scaled down replica set ${oldRs} from 2 to 1`,
        `Scaled up replica set ${newRs} from 2 to 3`,
        `Scaled down replica set ${oldRs} from 1 to 0`,
      ];
      // describe sorts by lastTimestamp (whole seconds) with an unstable sort, as on a real cluster,
      // so it shows the same events; their true order is that of the Event objects' creation.
      expect([...scaling].sort()).toEqual([...expected].sort());
      const inOrder = api()
        .listAll(RESOURCES.events, 'default')
        .filter(
          (e) => e.reason === 'ScalingReplicaSet' && (e.involvedObject as { name?: string }).name === 'vweb',
        )
        .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
        .map((e) => e.message);
      expect(inOrder).toEqual(expected);
      expect(await ok('kubectl apply -f vweb/update/vweb-v11.yaml')).toBe(
        'deployment.apps/vweb configured\n',
      );
      await lab.until('v1.1 rolled out', () => rolledOut());
      expect(rsList()).toHaveLength(3);
      const history = await ok('kubectl rollout history deploy/vweb');
      expect(normalizeOutput(history)).toEqual([
        'deployment.apps/vweb',
        'REVISION | CHANGE-CAUSE',
        '1 | <none>',
        '2 | <none>',
        '3 | <none>',
      ]);
      const rsLabels = tableShape(await ok('kubectl get rs -l app=vweb --show-labels'));
      expect(rsLabels[0]).toBe('NAME | DESIRED | CURRENT | READY | AGE | LABELS');
      for (const row of rsLabels.slice(1))
        expect(row).toMatch(/app=vweb,pod-template-hash=[a-z0-9]+,version=v1(\.1)?$/);
      const current = rsList().find((rs) => rs.spec.replicas === 3)!;
      const hash = current.metadata.labels!['pod-template-hash'];
      await lab.until('old pods terminated', () => pods('app=vweb').length === 3);
      const podLines = tableShape(await ok('kubectl get po -l app=vweb --show-labels')).slice(1);
      expect(podLines).toHaveLength(3);
      for (const line of podLines) expect(line).toContain(`pod-template-hash=${hash},version=v1.1`);
    });

    it('9.2 ex. 4: --record keeps the change-cause; custom columns read revisions', async () => {
      const result = await lab.kubectl('apply -f vweb/update/vweb-v2.yaml --record');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('deployment.apps/vweb configured\n');
      expect(result.stderr).toMatch(/--record has been deprecated/);
      await lab.until('v2 rolled out', () => rolledOut());
      const history = normalizeOutput(await ok('kubectl rollout history deploy/vweb'));
      expect(history.at(-1)).toBe('4 | kubectl apply --filename=vweb/update/vweb-v2.yaml --record=true');
      const columns = await ok(
        'kubectl get rs -l app=vweb -o=custom-columns=NAME:.metadata.name,REPLICAS:.status.replicas,REVISION:.metadata.annotations.deployment\\.kubernetes\\.io/revision',
      );
      const rows = normalizeOutput(columns);
      expect(rows[0]).toBe('NAME | REPLICAS | REVISION');
      expect(
        rows
          .slice(1)
          .map((r) => r.split(' | ').slice(1).join(' '))
          .sort(),
      ).toEqual(['0 1', '0 2', '0 3', '3 4']);
    });

    it('9.2 ex. 5: an undo is a new revision and the old number disappears', async () => {
      const dry = await lab.kubectl('rollout undo deploy/vweb --dry-run=client');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^deployment\.apps\/vweb/);
      expect(deployment()!.spec.template.metadata.labels.version).toBe('v2');
      expect(await ok('kubectl rollout undo deploy/vweb --to-revision=2')).toBe(
        'deployment.apps/vweb rolled back\n',
      );
      await lab.until('revision 2 restored', () => rolledOut());
      const revisions = normalizeOutput(await ok('kubectl rollout history deploy/vweb'))
        .slice(2)
        .map((r) => r.split(' | ')[0]);
      expect(revisions).toEqual(['1', '3', '4', '5']);
      expect((await curl()).stdout).toBe('v2');
    });

    it('9.2 ex. 6: ConfigMap-driven versions: an edited ConfigMap is no rollout, a new name is', async () => {
      expect(await ok('kubectl apply -f vweb/update/vweb-v3-with-configMap.yaml')).toBe(
        'configmap/vweb-config created\ndeployment.apps/vweb configured\n',
      );
      await lab.until('v3 rolled out', () => rolledOut());
      expect((await curl()).stdout).toBe('v3-from-config');
      const revisionsBefore = rsList().length;
      expect(await ok('kubectl apply -f vweb/update/vweb-configMap-v31.yaml')).toBe(
        'configmap/vweb-config configured\n',
      );
      const podsBefore = pods('app=vweb')
        .map((p) => p.metadata.uid)
        .sort();
      await lab.advance(120_000, 1_000);
      expect((await curl()).stdout).toBe('v3.1');
      expect(
        pods('app=vweb')
          .map((p) => p.metadata.uid)
          .sort(),
      ).toEqual(podsBefore);
      expect(rsList()).toHaveLength(revisionsBefore);
      await ok('kubectl apply -f vweb/update/vweb-v4-with-configMap.yaml');
      await lab.until('v4 rolled out', () => rolledOut());
      expect((await curl()).stdout).toBe('v4-from-config');
      await ok('kubectl apply -f vweb/update/vweb-v41-with-configMap.yaml');
      await lab.until('v4.1 rolled out', () => rolledOut());
      expect((await curl()).stdout).toBe('v4.1-from-config');
      expect(await ok('kubectl rollout undo deploy/vweb')).toBe('deployment.apps/vweb rolled back\n');
      await lab.until('v4 restored', () => rolledOut());
      expect((await curl()).stdout).toBe('v4-from-config');
    });

    it('9.3 ex. 7: Recreate removes every old pod first, and a broken version takes the app down', async () => {
      expect(await ok('kubectl delete deploy vweb')).toBe('deployment.apps "vweb" deleted\n');
      expect(await ok('kubectl apply -f vweb-strategies/vweb-recreate-v2.yaml')).toBe(
        'deployment.apps/vweb created\n',
      );
      expect(await ok('kubectl describe deploy vweb')).toMatch(/^StrategyType:\s+Recreate$/m);
      await lab.until('recreate v2 ready', () => rolledOut());
      await ok('kubectl apply -f vweb-strategies/vweb-recreate-v3.yaml');
      await lab.advance(60_000, 1_000);
      const statuses = normalizeOutput(await ok('kubectl get po -l app=vweb'))
        .slice(1)
        .map((r) => r.split(' | ')[2]);
      expect(statuses).toHaveLength(3);
      for (const status of statuses) expect(status).toMatch(/^(Error|CrashLoopBackOff)$/);
      expect(pods('app=vweb').every((p) => p.spec.containers[0].image === 'kiamol/ch09-vweb:v3')).toBe(true);
      const status = await lab.kubectl('rollout status deploy/vweb --timeout=2s');
      expect(status.code).not.toBe(0);
      expect(status.stderr).toMatch(/timed out waiting for the condition/);
      const down = await curl();
      expect(down.code).not.toBe(0);
      expect(down.stderr).toMatch(/ServiceUnavailable|no endpoints available/);
    });

    it('9.3 ex. 8: RollingUpdate with maxUnavailable 0 brings the app back one pod at a time', async () => {
      await ok('kubectl apply -f vweb-strategies/vweb-rollingUpdate-v2.yaml');
      let maxNewAtOnce = 0;
      await lab.until('rolling v2 rolled out', () => {
        const v2 = pods('app=vweb').filter(
          (p) => p.spec.containers[0].image.endsWith(':v2') && !p.metadata.deletionTimestamp,
        );
        const starting = v2.filter(
          (p) =>
            !p.status?.conditions?.some(
              (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
            ),
        );
        maxNewAtOnce = Math.max(maxNewAtOnce, starting.length);
        return rolledOut();
      });
      expect(maxNewAtOnce).toBe(1);
      expect(await ok('kubectl rollout status deploy/vweb')).toBe(
        'deployment "vweb" successfully rolled out\n',
      );
      expect((await curl()).stdout).toBe('v2');
    });

    it('9.3 ex. 9: minReadySeconds 60 holds each new pod back a minute; get --watch shows it', async () => {
      await ok('kubectl delete deploy vweb');
      await lab.until('old pods gone', () => pods('app=vweb').length === 0);
      const applied = await ok('kubectl apply -f vweb-rolling-update/');
      expect(applied).toBe('service/vweb unchanged\ndeployment.apps/vweb created\n');
      await lab.until('4 replicas available', () => rolledOut(), 600_000, 1_000);
      const watcher = spawn(lab.kubectlPath, ['get', 'rs', '-l', 'app=vweb', '--watch'], {
        cwd: EXERCISES_DIR,
        env: lab.env,
        argv0: 'kubectl',
      });
      let watched = '';
      watcher.stdout.on('data', (chunk: Buffer) => {
        watched += chunk.toString();
      });
      await ok('kubectl apply -f vweb-rolling-update/v2/');
      const start = lab.clock.now();
      let firstAvailable = Number.POSITIVE_INFINITY;
      await lab.until(
        'v2 rolled out with minReadySeconds',
        () => {
          const fresh = rsList().find((rs) => rs.spec.template.spec.containers[0].image.endsWith(':v2'));
          if (fresh && (fresh.status?.availableReplicas ?? 0) > 0)
            firstAvailable = Math.min(firstAvailable, lab.clock.now());
          return rolledOut();
        },
        900_000,
        1_000,
      );
      expect(firstAvailable - start).toBeGreaterThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      watcher.kill();
      const lines = watched.trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/);
      expect(lines.length).toBeGreaterThan(6);
    });

    it('9.3 ex. 10: a rollout that never becomes ready exceeds its progress deadline; undo recovers', async () => {
      await ok('kubectl apply -f vweb-strategies/vweb-rollingUpdate-v3.yaml');
      await lab.advance(150_000, 1_000);
      const progressing = await ok(
        `kubectl get deploy vweb -o jsonpath={.status.conditions[?(@.type=="Progressing")].reason}`,
      );
      expect(progressing).toBe('ProgressDeadlineExceeded');
      const status = await lab.kubectl('rollout status deploy/vweb');
      expect(status.code).not.toBe(0);
      expect(status.stderr).toBe('error: deployment "vweb" exceeded its progress deadline\n');
      expect((await curl()).stdout).toBe('v2');
      expect(await ok('kubectl rollout undo deploy/vweb')).toBe('deployment.apps/vweb rolled back\n');
      await lab.until('back on v2', () => rolledOut(), 900_000, 1_000);
    });

    it('9.4 ex. 11: the StatefulSet starts todo-db-0 before todo-db-1, each with its own claim', async () => {
      const applied = await lab.kubectl('apply -f todo-list/db/ -f todo-list/web/ -f todo-list/proxy/');
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toMatch(/statefulset\.apps\/todo-db created/);
      expect(applied.stdout).toMatch(/daemonset\.apps\/todo-proxy created/);
      let zeroReadyBeforeOneExists = false;
      await lab.until('todo-db ready', () => {
        const zero = api().find(RESOURCES.pods, 'default', 'todo-db-0');
        const one = api().find(RESOURCES.pods, 'default', 'todo-db-1');
        if (
          one &&
          zero?.status?.conditions?.some(
            (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
          )
        )
          zeroReadyBeforeOneExists = true;
        if (one && !zeroReadyBeforeOneExists)
          throw new Error('todo-db-1 was created before todo-db-0 was ready');
        return api().find(RESOURCES.statefulsets, 'default', 'todo-db')?.status?.readyReplicas === 2;
      });
      const claims = normalizeOutput(await ok('kubectl get pvc'))
        .slice(1)
        .map((r) => r.split(' | ').slice(0, 2).join(' '));
      expect(claims).toEqual(['data-todo-db-0 Bound', 'data-todo-db-1 Bound']);
      await lab.until(
        'todo-web and todo-proxy ready',
        () =>
          rolledOut('todo-web') &&
          api().find(RESOURCES.daemonsets, 'default', 'todo-proxy')?.status?.numberAvailable === 1,
      );
    });

    it('9.4 ex. 12: a DaemonSet replaces a node’s pod by deleting it first', async () => {
      const before = pods('app=todo-proxy').map((p) => p.metadata.name);
      await ok('kubectl apply -f todo-list/proxy/update/nginx-rollingUpdate.yaml');
      let sawNoPod = false;
      await lab.until('proxy updated', () => {
        const now = pods('app=todo-proxy').filter((p) => !p.metadata.deletionTimestamp);
        if (now.length === 0) sawNoPod = true;
        return (
          now.length === 1 &&
          now[0]!.spec.containers[0].image === 'nginx:1.18-alpine' &&
          !before.includes(now[0]!.metadata.name!)
        );
      });
      expect(sawNoPod).toBe(true);
      const history = normalizeOutput(await ok('kubectl rollout history ds/todo-proxy'));
      expect(history).toEqual([
        'daemonset.apps/todo-proxy',
        'REVISION | CHANGE-CAUSE',
        '1 | <none>',
        '2 | <none>',
      ]);
    });

    it('9.4 ex. 13: a partitioned StatefulSet update touches only ordinals at or above the partition', async () => {
      await ok('kubectl apply -f todo-list/db/update/todo-db-rollingUpdate-partition.yaml');
      await lab.until('todo-db-1 updated', () => {
        const one = api().find(RESOURCES.pods, 'default', 'todo-db-1');
        return (
          one?.spec.containers[0].image === 'postgres:11.8-alpine' &&
          api().find(RESOURCES.statefulsets, 'default', 'todo-db')?.status?.readyReplicas === 2
        );
      });
      const images = normalizeOutput(
        await ok(
          'kubectl get po -l app=todo-db -o=custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image',
        ),
      );
      expect(images).toEqual([
        'NAME | IMAGE',
        'todo-db-0 | postgres:11.6-alpine',
        'todo-db-1 | postgres:11.8-alpine',
      ]);
      const status = await ok('kubectl rollout status statefulset/todo-db');
      expect(status).toMatch(/^partitioned roll out complete: 1 new pods have been updated\.\.\.\n$/);
    });

    it('9.4 ex. 14: updates from the highest ordinal down, then an undo of the web app', async () => {
      await ok('kubectl apply -f todo-list/web/update/todo-web-readonly.yaml');
      await lab.until('todo-web read-only', () => rolledOut('todo-web'));
      await ok('kubectl apply -f todo-list/db/update/todo-db-rollingUpdate.yaml');
      await lab.until('all db pods on 11.8', () => {
        const sts = api().find(RESOURCES.statefulsets, 'default', 'todo-db');
        return (
          sts?.status?.updatedReplicas === 2 &&
          sts.status.readyReplicas === 2 &&
          sts.status.currentRevision === sts.status.updateRevision
        );
      });
      expect(pods('app=todo-db').map((p: KubeObject) => p.spec.containers[0].image)).toEqual([
        'postgres:11.8-alpine',
        'postgres:11.8-alpine',
      ]);
      expect(await ok('kubectl rollout undo deploy/todo-web')).toBe('deployment.apps/todo-web rolled back\n');
      await lab.until('todo-web writable again', () => rolledOut('todo-web'));
      const env = deployment('todo-web')!.spec.template.spec.containers[0].env ?? [];
      expect(env.some((e: { name: string }) => e.name === 'Database__ReadOnly')).toBe(false);
    });

    it('9.5 ex. 15: blue/green by switching the Service selector', async () => {
      await ok('kubectl apply -f lab/v1/');
      await lab.until('blue ready', () => rolledOut('vweb-v1'));
      const answers = async () => {
        const seen: string[] = [];
        for (let i = 0; i < 10; i++) seen.push((await curl()).stdout);
        return [...new Set(seen)].sort();
      };
      expect(await answers()).toEqual(['v1']);
      await ok('kubectl apply -f lab/solution/');
      await lab.until('green ready', () => rolledOut('vweb-v2'));
      await lab.advance(2_000);
      expect(await answers()).toEqual(['v2']);
      await ok('kubectl apply -f lab/v1/vweb-service-v1.yaml');
      await lab.advance(2_000);
      expect(await answers()).toEqual(['v1']);
    });

    it('9.5 ex. 16: clean up by label', async () => {
      const deleted = await lab.kubectl('delete all -l kiamol=ch09');
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toMatch(/deployment\.apps "todo-web" deleted/);
      const lab2 = await lab.kubectl('delete all -l kiamol=ch09-lab');
      expect(lab2.code).toBe(0);
      await lab.advance(120_000, 1_000);
      const left = await lab.kubectl('get all -l kiamol=ch09');
      expect(left.stdout).toBe('');
      expect(left.stderr).toBe('No resources found in default namespace.\n');
    });
  });
}

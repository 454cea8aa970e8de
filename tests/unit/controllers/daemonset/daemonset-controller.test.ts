import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createDaemonSetController } from '../../../../sandbox/cluster/controllers/daemonset/daemonset-controller.ts';
import { templateFromRevision } from '../../../../sandbox/cluster/controllers/history/template-patch.ts';
import {
  createNode,
  makeAllPodsReady,
  podsWith,
  removeTerminatingPods,
  startCluster,
  type TestCluster,
} from '../history/fixtures.ts';

function todoProxy(image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'todo-proxy', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { matchLabels: { app: 'todo-proxy' } },
      template: {
        metadata: { labels: { app: 'todo-proxy' } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, name: 'http' }] }] },
      },
      ...extra,
    },
  };
}

function setImage(cluster: TestCluster, image: string, extra: Record<string, unknown> = {}): void {
  const ds = structuredClone(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy')) as KubeObject;
  ds.spec.template.spec.containers[0].image = image;
  Object.assign(ds.spec, extra);
  cluster.api.update(RESOURCES.daemonsets, 'default', ds);
}

function proxyPods(cluster: TestCluster): KubeObject[] {
  return podsWith(cluster.api, 'default', 'app', 'todo-proxy');
}

function revisions(cluster: TestCluster): KubeObject[] {
  return cluster.api
    .listAll(RESOURCES.controllerrevisions, 'default')
    .sort((a, b) => (a.revision as number) - (b.revision as number));
}

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('DaemonSet controller', () => {
  it('runs one pod per schedulable node, bound with spec.nodeName and labelled with the revision', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    createNode(cluster.api, 'rollout-lab-worker2');
    createNode(cluster.api, 'rollout-lab-control-plane', {
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    });
    cluster.api.create(RESOURCES.daemonsets, 'default', todoProxy('nginx:1.17-alpine'));
    await cluster.settle();

    const pods = proxyPods(cluster);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['rollout-lab-worker', 'rollout-lab-worker2']);
    const [revision] = revisions(cluster);
    expect(revision?.revision).toBe(1);
    const hash = revision!.metadata.labels!['controller-revision-hash']!;
    expect(revision!.metadata.name).toBe(`todo-proxy-${hash}`);
    for (const pod of pods) {
      expect(pod.metadata.generateName).toBe('todo-proxy-');
      expect(pod.metadata.name).toMatch(/^todo-proxy-[a-z0-9]{5}$/);
      expect(pod.metadata.labels).toMatchObject({
        app: 'todo-proxy',
        'controller-revision-hash': hash,
        'pod-template-generation': '1',
      });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'DaemonSet',
        name: 'todo-proxy',
        controller: true,
        blockOwnerDeletion: true,
      });
      expect(pod.spec.tolerations).toContainEqual({
        key: 'node.kubernetes.io/unschedulable',
        operator: 'Exists',
        effect: 'NoSchedule',
      });
    }
    const ds = cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy');
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 0,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });

    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle();
    expect(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy').status).toMatchObject({
      numberReady: 2,
      numberAvailable: 2,
    });
    expect(cluster.errors).toEqual([]);
  });

  it('rolls a node by deleting its old pod first, then creating the new one, waiting minReadySeconds between nodes', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    createNode(cluster.api, 'rollout-lab-worker2');
    cluster.api.create(RESOURCES.daemonsets, 'default', todoProxy('nginx:1.17-alpine'));
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    // Old pods serving for a while: with minReadySeconds 90 they count as available.
    await cluster.settle(120_000);

    setImage(cluster, 'nginx:1.18-alpine', {
      minReadySeconds: 90,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    });
    await cluster.settle();

    // Step 1: one old pod is terminating and no new pod exists yet on that node.
    let pods = proxyPods(cluster);
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp);
    expect(terminating).toHaveLength(1);
    expect(pods.filter((p) => p.spec.containers[0].image === 'nginx:1.18-alpine')).toHaveLength(0);
    const firstNode = terminating[0]!.spec.nodeName;
    const otherNode = firstNode === 'rollout-lab-worker' ? 'rollout-lab-worker2' : 'rollout-lab-worker';

    // Step 2: once it is gone, the new pod appears on that node.
    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();
    pods = proxyPods(cluster);
    expect(
      pods.filter((p) => p.spec.containers[0].image === 'nginx:1.18-alpine').map((p) => p.spec.nodeName),
    ).toEqual([firstNode]);

    // Step 3: ready but not yet available for 90 s: the second node keeps its old pod.
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(60_000);
    expect(proxyPods(cluster).filter((p) => p.metadata.deletionTimestamp)).toHaveLength(0);
    expect(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy').status).toMatchObject({
      updatedNumberScheduled: 1,
      numberReady: 2,
      numberAvailable: 1,
    });

    // Step 4: after 90 s the second node's old pod goes, then its replacement comes.
    await cluster.settle(31_000);
    expect(
      proxyPods(cluster)
        .filter((p) => p.metadata.deletionTimestamp)
        .map((p) => p.spec.nodeName),
    ).toEqual([otherNode]);
    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(91_000);

    pods = proxyPods(cluster);
    expect(pods.map((p) => p.spec.containers[0].image)).toEqual(['nginx:1.18-alpine', 'nginx:1.18-alpine']);
    const history = revisions(cluster);
    expect(history.map((r) => r.revision)).toEqual([1, 2]);
    expect(
      pods.every(
        (p) =>
          p.metadata.labels?.['controller-revision-hash'] ===
          history[1]!.metadata.labels!['controller-revision-hash'],
      ),
    ).toBe(true);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-generation'] === '2')).toBe(true);
    expect(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy').status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      updatedNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      observedGeneration: 2,
    });
    expect(cluster.errors).toEqual([]);
  });

  it('rollout undo restores a revision template and reuses that revision as the newest number', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    const v1 = todoProxy('nginx:1.17-alpine');
    v1.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl apply --filename=todo-list/proxy/ --record=true',
    };
    cluster.api.create(RESOURCES.daemonsets, 'default', v1);
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(1000);
    const ds = structuredClone(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy')) as KubeObject;
    ds.spec.template.spec.containers[0].image = 'nginx:1.18-alpine';
    ds.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl apply --filename=nginx-rollingUpdate.yaml --record=true',
    };
    cluster.api.update(RESOURCES.daemonsets, 'default', ds);
    await cluster.settle();
    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(1000);

    const [first, second] = revisions(cluster);
    expect([first?.revision, second?.revision]).toEqual([1, 2]);
    expect(first!.metadata.annotations?.['kubernetes.io/change-cause']).toBe(
      'kubectl apply --filename=todo-list/proxy/ --record=true',
    );
    expect(second!.metadata.annotations?.['kubernetes.io/change-cause']).toBe(
      'kubectl apply --filename=nginx-rollingUpdate.yaml --record=true',
    );
    // Upstream's shape: the defaulted template as Go writes it, keys sorted, "$patch": "replace".
    const container =
      '{"image":"nginx:1.17-alpine","imagePullPolicy":"IfNotPresent","name":"nginx","ports":[{"containerPort":80,"name":"http","protocol":"TCP"}],' +
      '"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}';
    expect(JSON.stringify(first!.data)).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"todo-proxy"}},' +
        `"spec":{"containers":[${container}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",` +
        '"securityContext":{},"terminationGracePeriodSeconds":30}}}}',
    );

    // What `kubectl rollout undo ds/todo-proxy` does: patch the template of revision 1 back in.
    const current = structuredClone(
      cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy'),
    ) as KubeObject;
    current.spec.template = templateFromRevision(first!);
    cluster.api.update(RESOURCES.daemonsets, 'default', current);
    await cluster.settle();
    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();

    const after = revisions(cluster);
    expect(after.map((r) => [r.metadata.name, r.revision])).toEqual([
      [second!.metadata.name, 2],
      [first!.metadata.name, 3],
    ]);
    const [pod] = proxyPods(cluster);
    expect(pod!.spec.containers[0].image).toBe('nginx:1.17-alpine');
    expect(pod!.metadata.labels?.['controller-revision-hash']).toBe(
      first!.metadata.labels!['controller-revision-hash'],
    );
    expect(pod!.metadata.labels?.['pod-template-generation']).toBe('3');
    expect(cluster.errors).toEqual([]);
  });

  it('OnDelete replaces nothing until the user deletes a pod', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    cluster.api.create(
      RESOURCES.daemonsets,
      'default',
      todoProxy('nginx:1.17-alpine', { updateStrategy: { type: 'OnDelete' } }),
    );
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(1000);
    setImage(cluster, 'nginx:1.18-alpine');
    await cluster.settle(60_000);
    let [pod] = proxyPods(cluster);
    expect(pod!.metadata.deletionTimestamp).toBeUndefined();
    expect(pod!.spec.containers[0].image).toBe('nginx:1.17-alpine');
    expect(cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy').status).toMatchObject({
      desiredNumberScheduled: 1,
      numberReady: 1,
    });
    expect(
      cluster.api.get(RESOURCES.daemonsets, 'default', 'todo-proxy').status.updatedNumberScheduled,
    ).toBeUndefined();

    cluster.api.delete(RESOURCES.pods, 'default', pod!.metadata.name!, { gracePeriodSeconds: 0 });
    await cluster.settle();
    [pod] = proxyPods(cluster);
    expect(pod!.spec.containers[0].image).toBe('nginx:1.18-alpine');
  });

  it('with maxSurge the new pod starts beside the old one, which goes once the new one is available', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    cluster.api.create(
      RESOURCES.daemonsets,
      'default',
      todoProxy('nginx:1.17-alpine', {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
    );
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle(1000);
    setImage(cluster, 'nginx:1.18-alpine');
    await cluster.settle();
    let pods = proxyPods(cluster);
    expect(pods.map((p) => [p.spec.containers[0].image, !!p.metadata.deletionTimestamp]).sort()).toEqual([
      ['nginx:1.17-alpine', false],
      ['nginx:1.18-alpine', false],
    ]);
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle();
    pods = proxyPods(cluster);
    expect(pods.filter((p) => p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image)).toEqual([
      'nginx:1.17-alpine',
    ]);
  });

  it('keeps revisionHistoryLimit old revisions, oldest deleted first', async () => {
    cluster = await startCluster((ctx) => [createDaemonSetController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    cluster.api.create(
      RESOURCES.daemonsets,
      'default',
      todoProxy('nginx:1.15-alpine', { revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } }),
    );
    await cluster.settle();
    for (const image of ['nginx:1.16-alpine', 'nginx:1.17-alpine', 'nginx:1.18-alpine']) {
      setImage(cluster, image);
      await cluster.settle();
      for (const pod of proxyPods(cluster))
        cluster.api.delete(RESOURCES.pods, 'default', pod.metadata.name!, { gracePeriodSeconds: 0 });
      await cluster.settle();
    }
    expect(revisions(cluster).map((r) => [r.revision, templateFromRevision(r).spec])).toEqual([
      [3, expect.objectContaining({ containers: [expect.objectContaining({ image: 'nginx:1.17-alpine' })] })],
      [4, expect.objectContaining({ containers: [expect.objectContaining({ image: 'nginx:1.18-alpine' })] })],
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createGarbageCollector } from '../../../../sandbox/cluster/controllers/garbage-collector/garbage-collector.ts';
import { createNamespaceController } from '../../../../sandbox/cluster/controllers/namespace/namespace-controller.ts';
import { estimateGracefulTerminationForPods } from '../../../../sandbox/cluster/controllers/namespace/namespaced-resources-deleter.ts';
import {
  contentConditions,
  updateConditions,
} from '../../../../sandbox/cluster/controllers/namespace/status-conditions.ts';
import { createStatefulSetController } from '../../../../sandbox/cluster/controllers/statefulset/statefulset-controller.ts';
import { createVolumeController } from '../../../../sandbox/cluster/controllers/volumes/volume-controller.ts';
import {
  createNamespace,
  makeAllPodsReady,
  removeTerminatingPods,
  startCluster,
  type TestCluster,
} from '../history/fixtures.ts';

const NS = 'learner-1';

function fill(cluster: TestCluster): void {
  const { api } = cluster;
  api.create(RESOURCES.configmaps, NS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'vweb-config' },
    data: { 'v.txt': 'v3' },
  });
  api.create(RESOURCES.services, NS, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'todo-db' },
    spec: { selector: { app: 'todo-db' }, ports: [{ port: 5432 }] },
  });
  api.create(RESOURCES.serviceaccounts, NS, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'learner' },
  });
  api.create(RESOURCES.statefulsets, NS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db' },
    spec: {
      replicas: 1,
      serviceName: 'todo-db',
      selector: { matchLabels: { app: 'todo-db' } },
      template: {
        metadata: { labels: { app: 'todo-db' } },
        spec: { containers: [{ name: 'db', image: 'postgres:11.6-alpine' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } } },
        },
      ],
    },
  });
}

function contentOf(cluster: TestCluster): string[] {
  const names: string[] = [];
  for (const resource of [
    RESOURCES.pods,
    RESOURCES.configmaps,
    RESOURCES.services,
    RESOURCES.serviceaccounts,
    RESOURCES.statefulsets,
    RESOURCES.controllerrevisions,
    RESOURCES.persistentvolumeclaims,
  ]) {
    for (const item of cluster.api.listAll(resource, NS))
      names.push(`${resource.plural}/${item.metadata.name}`);
  }
  return names.sort();
}

const conditionOf = (
  ns: KubeObject,
  type: string,
): { status: string; reason: string; message: string } | undefined =>
  (ns.status?.conditions ?? []).find((c: { type: string }) => c.type === type);

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('namespace controller', () => {
  it('deletes all content, waits for terminating pods and protected claims, then removes the namespace', async () => {
    cluster = await startCluster((ctx) => [
      createNamespaceController(ctx),
      createGarbageCollector(ctx),
      createStatefulSetController(ctx),
      createVolumeController(ctx),
    ]);
    createNamespace(cluster.api, NS);
    fill(cluster);
    await cluster.settle();
    makeAllPodsReady(cluster.api, NS);
    await cluster.settle();
    expect(contentOf(cluster)).toEqual([
      'configmaps/vweb-config',
      `controllerrevisions/${cluster.api.listAll(RESOURCES.controllerrevisions, NS)[0]!.metadata.name}`,
      'persistentvolumeclaims/data-todo-db-0',
      'pods/todo-db-0',
      'serviceaccounts/learner',
      'services/todo-db',
      'statefulsets/todo-db',
    ]);
    const volumeName = cluster.api.get(RESOURCES.persistentvolumeclaims, NS, 'data-todo-db-0').spec
      .volumeName;

    cluster.api.delete(RESOURCES.namespaces, undefined, NS);
    await cluster.settle();

    // The pod is terminating (its kubelet has not stopped it) and the claim is held by it.
    const ns = cluster.api.get(RESOURCES.namespaces, undefined, NS);
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(contentOf(cluster)).toEqual(['persistentvolumeclaims/data-todo-db-0', 'pods/todo-db-0']);
    expect(conditionOf(ns, 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message:
        'Some resources are remaining: persistentvolumeclaims. has 1 resource instances, pods. has 1 resource instances',
    });
    expect(conditionOf(ns, 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      message:
        'Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances',
    });
    expect(conditionOf(ns, 'NamespaceDeletionDiscoveryFailure')).toMatchObject({
      status: 'False',
      reason: 'ResourcesDiscovered',
    });
    // Nothing new may be created meanwhile.
    expect(() =>
      cluster.api.create(RESOURCES.configmaps, NS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'late' },
      }),
    ).toThrow(/being terminated/);

    removeTerminatingPods(cluster.api, NS);
    await cluster.settle();
    expect(cluster.api.find(RESOURCES.namespaces, undefined, NS)).toBeUndefined();
    expect(contentOf(cluster)).toEqual([]);
    // The claim's provisioned volume is reclaimed (policy Delete).
    expect(cluster.api.find(RESOURCES.persistentvolumes, undefined, volumeName)).toBeUndefined();
    expect(cluster.errors).toEqual([]);
  });

  it('an empty namespace goes at once; a namespace with pods still waits after the grace estimate runs out', async () => {
    cluster = await startCluster((ctx) => [createNamespaceController(ctx)]);
    createNamespace(cluster.api, 'empty');
    cluster.api.delete(RESOURCES.namespaces, undefined, 'empty');
    await cluster.settle();
    expect(cluster.api.find(RESOURCES.namespaces, undefined, 'empty')).toBeUndefined();

    createNamespace(cluster.api, NS);
    cluster.api.create(RESOURCES.pods, NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sleep' },
      spec: {
        nodeName: 'rollout-lab-worker',
        terminationGracePeriodSeconds: 10,
        containers: [{ name: 'sleep', image: 'kiamol/ch03-sleep' }],
      },
    });
    cluster.api.delete(RESOURCES.namespaces, undefined, NS);
    await cluster.settle(11_000);
    // The pod outlived its estimate: the namespace reports it and keeps waiting.
    const ns = cluster.api.get(RESOURCES.namespaces, undefined, NS);
    expect(conditionOf(ns, 'NamespaceContentRemaining')?.message).toBe(
      'Some resources are remaining: pods. has 1 resource instances',
    );
    expect(
      cluster.errors.some((e) =>
        e.includes('unexpected items still remain in namespace: learner-1 for gvr: pods.'),
      ),
    ).toBe(true);
    removeTerminatingPods(cluster.api, NS);
    await cluster.settle();
    expect(cluster.api.find(RESOURCES.namespaces, undefined, NS)).toBeUndefined();
  });
});

describe('namespace deletion helpers', () => {
  const pod = (grace: number | undefined, phase = 'Running'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: grace === undefined ? {} : { terminationGracePeriodSeconds: grace },
    status: { phase },
  });
  it.each([
    { name: 'longest grace period of running pods', pods: [pod(10), pod(45)], elapsed: 0, expected: 45 },
    { name: 'unset grace period is the 30 s default', pods: [pod(undefined)], elapsed: 5_000, expected: 30 },
    { name: 'finished pods do not count', pods: [pod(60, 'Succeeded'), pod(5)], elapsed: 0, expected: 5 },
    { name: 'estimate spent since the namespace deletion', pods: [pod(30)], elapsed: 30_000, expected: 0 },
    { name: 'no pods', pods: [], elapsed: 0, expected: 0 },
  ])('estimateGracefulTerminationForPods: $name', ({ pods, elapsed, expected }) => {
    expect(estimateGracefulTerminationForPods(pods, 1_000_000, 1_000_000 + elapsed)).toBe(expected);
  });

  it('updateConditions adds every type once and moves lastTransitionTime only on a status flip', () => {
    const failing = contentConditions(
      { byResource: new Map([['pods.', 2]]), byFinalizer: new Map() },
      [],
      't1',
    );
    const first = updateConditions([], failing, 't1');
    expect(first.changed).toBe(true);
    expect(first.conditions.map((c) => [c.type, c.status])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False'],
      ['NamespaceDeletionContentFailure', 'False'],
      ['NamespaceContentRemaining', 'True'],
      ['NamespaceFinalizersRemaining', 'False'],
    ]);
    const same = updateConditions(
      first.conditions,
      contentConditions({ byResource: new Map([['pods.', 2]]), byFinalizer: new Map() }, [], 't2'),
      't2',
    );
    expect(same.changed).toBe(false);
    const cleared = updateConditions(first.conditions, [], 't3');
    expect(cleared.changed).toBe(true);
    expect(cleared.conditions.find((c) => c.type === 'NamespaceContentRemaining')).toEqual({
      type: 'NamespaceContentRemaining',
      status: 'False',
      lastTransitionTime: 't3',
      reason: 'ContentRemoved',
      message: 'All content successfully removed',
    });
    expect(
      cleared.conditions.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime,
    ).toBe('t1');
  });
});

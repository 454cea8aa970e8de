import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createDaemonSetController } from '../../../../sandbox/cluster/controllers/daemonset/daemonset-controller.ts';
import { createGarbageCollector } from '../../../../sandbox/cluster/controllers/garbage-collector/garbage-collector.ts';
import { createStatefulSetController } from '../../../../sandbox/cluster/controllers/statefulset/statefulset-controller.ts';
import { createVolumeController } from '../../../../sandbox/cluster/controllers/volumes/volume-controller.ts';
import {
  createNode,
  makeAllPodsReady,
  removeTerminatingPods,
  startCluster,
  type TestCluster,
} from '../history/fixtures.ts';

function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A Deployment, its ReplicaSet and two Pods linked by ownerReferences, as the deployment controller leaves them. */
function buildChain(cluster: TestCluster): {
  deployment: KubeObject;
  replicaSet: KubeObject;
  pods: KubeObject[];
} {
  const { api } = cluster;
  const template = {
    metadata: { labels: { app: 'vweb' } },
    spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
  };
  const deployment = api.create(RESOURCES.deployments, 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vweb' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'vweb' } }, template },
  });
  const replicaSet = api.create(RESOURCES.replicasets, 'default', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'vweb-6b8c9d7f5', labels: { app: 'vweb' }, ownerReferences: [ownerRef(deployment)] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'vweb' } }, template },
  });
  const pods = ['vweb-6b8c9d7f5-abcde', 'vweb-6b8c9d7f5-fghij'].map((name) =>
    api.create(RESOURCES.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'vweb' }, ownerReferences: [ownerRef(replicaSet)] },
      // Bound to a node, so that deleting them is graceful and waits for the (simulated) kubelet.
      spec: { nodeName: 'rollout-lab-worker', containers: template.spec.containers },
    }),
  );
  return { deployment, replicaSet, pods };
}

const exists = (
  cluster: TestCluster,
  resource: keyof typeof RESOURCES,
  name: string,
): KubeObject | undefined => cluster.api.find(RESOURCES[resource], 'default', name);

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('garbage collector', () => {
  it('background: deleting the Deployment deletes its ReplicaSet, then its Pods', async () => {
    cluster = await startCluster((ctx) => [createGarbageCollector(ctx)]);
    const { pods } = buildChain(cluster);
    await cluster.settle();
    cluster.api.delete(RESOURCES.deployments, 'default', 'vweb', { propagationPolicy: 'Background' });
    await cluster.settle();
    expect(exists(cluster, 'deployments', 'vweb')).toBeUndefined();
    expect(exists(cluster, 'replicasets', 'vweb-6b8c9d7f5')).toBeUndefined();
    for (const pod of pods)
      expect(exists(cluster, 'pods', pod.metadata.name!)?.metadata.deletionTimestamp).toBeDefined();
    expect(removeTerminatingPods(cluster.api, 'default').sort()).toEqual(
      pods.map((p) => p.metadata.name).sort(),
    );
    expect(cluster.errors).toEqual([]);
  });

  it('foreground: the Deployment and ReplicaSet stay, marked, until the Pods are gone; then the ReplicaSet goes, then the Deployment', async () => {
    cluster = await startCluster((ctx) => [createGarbageCollector(ctx)]);
    const { pods } = buildChain(cluster);
    await cluster.settle();
    cluster.api.delete(RESOURCES.deployments, 'default', 'vweb', { propagationPolicy: 'Foreground' });
    await cluster.settle();

    const deployment = exists(cluster, 'deployments', 'vweb');
    const replicaSet = exists(cluster, 'replicasets', 'vweb-6b8c9d7f5');
    expect(deployment?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(deployment?.metadata.deletionTimestamp).toBeDefined();
    expect(replicaSet?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(replicaSet?.metadata.deletionTimestamp).toBeDefined();
    for (const pod of pods)
      expect(exists(cluster, 'pods', pod.metadata.name!)?.metadata.deletionTimestamp).toBeDefined();

    // One pod gone is not enough.
    cluster.api.delete(RESOURCES.pods, 'default', pods[0]!.metadata.name!, { gracePeriodSeconds: 0 });
    await cluster.settle();
    expect(exists(cluster, 'replicasets', 'vweb-6b8c9d7f5')).toBeDefined();

    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();
    expect(exists(cluster, 'replicasets', 'vweb-6b8c9d7f5')).toBeUndefined();
    expect(exists(cluster, 'deployments', 'vweb')).toBeUndefined();
    expect(cluster.errors).toEqual([]);
  });

  it('foreground waits only for dependents that block owner deletion', async () => {
    cluster = await startCluster((ctx) => [createGarbageCollector(ctx)]);
    const owner = cluster.api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owner' },
    });
    cluster.api.create(RESOURCES.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'loose', ownerReferences: [{ ...ownerRef(owner), blockOwnerDeletion: false }] },
      spec: { nodeName: 'rollout-lab-worker', containers: [{ name: 'c', image: 'kiamol/ch03-sleep' }] },
    });
    await cluster.settle();
    cluster.api.delete(RESOURCES.configmaps, 'default', 'owner', { propagationPolicy: 'Foreground' });
    await cluster.settle();
    expect(exists(cluster, 'configmaps', 'owner')).toBeUndefined();
    // The non-blocking dependent is collected afterwards, in the background.
    expect(exists(cluster, 'pods', 'loose')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('orphan: the ReplicaSet loses its owner reference and stays, with its Pods', async () => {
    cluster = await startCluster((ctx) => [createGarbageCollector(ctx)]);
    const { replicaSet, pods } = buildChain(cluster);
    await cluster.settle();
    cluster.api.delete(RESOURCES.deployments, 'default', 'vweb', { propagationPolicy: 'Orphan' });
    await cluster.settle();
    expect(exists(cluster, 'deployments', 'vweb')).toBeUndefined();
    const orphan = exists(cluster, 'replicasets', 'vweb-6b8c9d7f5');
    expect(orphan?.metadata.deletionTimestamp).toBeUndefined();
    expect(orphan?.metadata.ownerReferences).toBeUndefined();
    for (const pod of pods) {
      const current = exists(cluster, 'pods', pod.metadata.name!);
      expect(current?.metadata.deletionTimestamp).toBeUndefined();
      expect(current?.metadata.ownerReferences?.[0]?.uid).toBe(replicaSet.metadata.uid);
    }
  });

  it('collects a dependent created for an owner that no longer exists, and keeps one with a live owner', async () => {
    cluster = await startCluster((ctx) => [createGarbageCollector(ctx)]);
    const live = cluster.api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'live' },
    });
    const ghost: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' };
    cluster.api.create(RESOURCES.secrets, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dangling', ownerReferences: [ghost] },
    });
    cluster.api.create(RESOURCES.secrets, 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'both', ownerReferences: [ghost, ownerRef(live)] },
    });
    await cluster.settle();
    expect(exists(cluster, 'secrets', 'dangling')).toBeUndefined();
    // A solid owner keeps it; the dangling reference is dropped.
    expect(exists(cluster, 'secrets', 'both')?.metadata.ownerReferences?.map((r) => r.name)).toEqual([
      'live',
    ]);
  });

  it('deleting a DaemonSet removes its pods and ControllerRevisions; deleting a StatefulSet keeps its claims', async () => {
    cluster = await startCluster((ctx) => [
      createGarbageCollector(ctx),
      createDaemonSetController(ctx),
      createStatefulSetController(ctx),
      createVolumeController(ctx),
    ]);
    createNode(cluster.api, 'rollout-lab-worker');
    cluster.api.create(RESOURCES.daemonsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'todo-proxy' },
      spec: {
        selector: { matchLabels: { app: 'todo-proxy' } },
        template: {
          metadata: { labels: { app: 'todo-proxy' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.17-alpine' }] },
        },
      },
    });
    cluster.api.create(RESOURCES.statefulsets, 'default', {
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
    await cluster.settle();
    makeAllPodsReady(cluster.api, 'default');
    await cluster.settle();
    expect(cluster.api.listAll(RESOURCES.controllerrevisions, 'default')).toHaveLength(2);

    cluster.api.delete(RESOURCES.daemonsets, 'default', 'todo-proxy');
    cluster.api.delete(RESOURCES.statefulsets, 'default', 'todo-db');
    await cluster.settle();
    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle();
    expect(cluster.api.listAll(RESOURCES.pods, 'default')).toEqual([]);
    expect(cluster.api.listAll(RESOURCES.controllerrevisions, 'default')).toEqual([]);
    expect(
      cluster.api
        .listAll(RESOURCES.persistentvolumeclaims, 'default')
        .map((c) => [c.metadata.name, c.status?.phase]),
    ).toEqual([['data-todo-db-0', 'Bound']]);
    expect(cluster.errors).toEqual([]);
  });
});

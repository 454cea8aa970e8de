import { afterEach, describe, expect, it } from 'vitest';
import { ClusterApi } from '../../../../sandbox/cluster/api/cluster-api.ts';
import { forbidden } from '../../../../sandbox/cluster/api/errors.ts';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { createObjectPolicy } from '../../../../sandbox/cluster/api/policy.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createManualClock } from '../../../../sandbox/cluster/clock.ts';
import { createEventRecorder } from '../../../../sandbox/cluster/controllers/events.ts';
import { syncReplicaSet } from '../../../../sandbox/cluster/controllers/replicaset/controller.ts';
import { ControllerExpectations } from '../../../../sandbox/cluster/controllers/shared/expectations.ts';
import type { Pod, ReplicaSet } from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';
import { ObjectStore } from '../../../../sandbox/cluster/store/object-store.ts';
import {
  apply,
  getDeployment,
  makePodsReady,
  NS,
  pods,
  startCluster,
  type TestCluster,
  vwebDeployment,
} from '../deployment/harness.ts';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

function replicaSet(replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.17-alpine' }] },
      },
      ...extra,
    },
  };
}

function getRS(api: ClusterApi, name = 'web'): ReplicaSet {
  return api.get(RESOURCES.replicasets, NS, name) as ReplicaSet;
}

function setReplicas(api: ClusterApi, replicas: number, name = 'web'): void {
  const rs = structuredClone(getRS(api, name));
  rs.spec.replicas = replicas;
  api.update(RESOURCES.replicasets, NS, rs);
}

describe('ReplicaSet controller', () => {
  it('creates pods from the template with generateName, labels and a controller reference', async () => {
    cluster = startCluster();
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(3));
    await cluster.settle();
    const rs = getRS(cluster.api);
    const created = pods(cluster.api);
    expect(created).toHaveLength(3);
    for (const pod of created) {
      expect(pod.metadata.generateName).toBe('web-');
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.spec).toMatchObject({ containers: [{ name: 'web', image: 'nginx:1.17-alpine' }] });
    }
    expect(
      cluster.events
        .filter((e) => e.reason === 'SuccessfulCreate')
        .map((e) => e.message)
        .sort(),
    ).toEqual(created.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  });

  it('reports ready and available pods, availability waiting out minReadySeconds', async () => {
    cluster = startCluster();
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(2, { minReadySeconds: 10 }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.settle();
    expect(getRS(cluster.api).status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(getRS(cluster.api).status?.availableReplicas).toBeUndefined();
    await cluster.advance(10_000);
    expect(getRS(cluster.api).status?.availableReplicas).toBeUndefined();
    await cluster.advance(1000);
    expect(getRS(cluster.api).status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('deletes the cheapest pods when scaled down: not ready before ready', async () => {
    cluster = startCluster();
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(3));
    await cluster.settle();
    const [keep] = pods(cluster.api);
    makePodsReady(cluster, { only: (p) => p.metadata.name === keep!.metadata.name });
    await cluster.settle();
    setReplicas(cluster.api, 1);
    await cluster.settle();
    expect(pods(cluster.api).map((p) => p.metadata.name)).toEqual([keep!.metadata.name]);
    expect(cluster.events.filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
    expect(getRS(cluster.api).status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 2,
    });
  });

  it('replaces a pod deleted by hand', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 3 }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.settle();
    const before = pods(cluster.api).map((p) => p.metadata.name!);
    cluster.api.delete(RESOURCES.pods, NS, before[0]!);
    await cluster.settle();
    const after = pods(cluster.api).map((p) => p.metadata.name!);
    expect(after).toHaveLength(3);
    expect(after).not.toContain(before[0]);
    const replacement = after.find((name) => !before.includes(name))!;
    expect(cluster.events.at(-1)).toMatchObject({
      reason: 'SuccessfulCreate',
      message: `Created pod: ${replacement}`,
    });
    expect(getDeployment(cluster.api).status).toMatchObject({
      replicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
    });
  });

  it('adopts a matching orphan instead of creating a pod for it', async () => {
    cluster = startCluster();
    const orphan: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: NS, labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    };
    cluster.api.create(RESOURCES.pods, NS, orphan);
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(2));
    await cluster.settle();
    const all = pods(cluster.api);
    expect(all).toHaveLength(2);
    const stray = all.find((p) => p.metadata.name === 'stray')!;
    expect(stray.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: 'web',
      controller: true,
    });
    // The adopted pod lacks the template's tier label: counted, but not fully labeled.
    expect(getRS(cluster.api).status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 1 });
  });

  it('releases a pod whose labels stop matching and replaces it', async () => {
    cluster = startCluster();
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(1));
    await cluster.settle();
    const [pod] = pods(cluster.api);
    const relabeled = structuredClone(pod!);
    relabeled.metadata.labels = { app: 'debug' };
    cluster.api.update(RESOURCES.pods, NS, relabeled);
    await cluster.settle();
    const released = cluster.api.get(RESOURCES.pods, NS, pod!.metadata.name!);
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(pods(cluster.api)).toHaveLength(2);
    expect(getRS(cluster.api).status).toMatchObject({ replicas: 1 });
  });
});

describe('pod creation refused by a quota', () => {
  it('creates in slow-start batches and stops at the first refusal', () => {
    const clock = createManualClock(Date.parse('2026-01-01T10:00:00Z'));
    let attempts = 0;
    const policy = {
      ...createObjectPolicy(),
      admit: (resource: { kind: string }, _object: KubeObject, api: ClusterApi) => {
        if (resource.kind !== 'Pod') return;
        attempts++;
        if (api.listAll(RESOURCES.pods, NS).length >= 2) throw forbidden('exceeded quota: pods');
      },
    };
    const api = new ClusterApi({ store: new ObjectStore(), clock, policy });
    api.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    });
    api.create(RESOURCES.replicasets, NS, replicaSet(10));
    const expectations = new ControllerExpectations(clock);
    const ctx = {
      api,
      clock,
      recorder: createEventRecorder(api, { component: 'replicaset-controller' }),
      expectations,
      enqueueAfter: () => {},
    };
    expect(() => syncReplicaSet(ctx, `${NS}/web`)).toThrow('exceeded quota: pods');
    // Batches of 1 then 2: three attempts, the third refused; the other seven were never tried
    // and are no longer expected.
    expect(attempts).toBe(3);
    expect(api.listAll(RESOURCES.pods, NS)).toHaveLength(2);
    expect(expectations.pending(`${NS}/web`)).toEqual({ add: 2, del: 0 });
  });

  it('reports FailedCreate and ReplicaFailure, and recovers when the quota allows', async () => {
    let limit = 2;
    cluster = startCluster({
      admit: (resource, _object, api) => {
        if (resource.kind === 'Pod' && api.listAll(RESOURCES.pods, NS).length >= limit) {
          throw forbidden(
            `pods "web-x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=${limit}, limited: pods=${limit}`,
          );
        }
      },
    });
    cluster.api.create(RESOURCES.replicasets, NS, replicaSet(10));
    await cluster.settle();
    expect(pods(cluster.api)).toHaveLength(2);
    const failures = cluster.events.filter((e) => e.reason === 'FailedCreate');
    expect(failures.at(-1)).toMatchObject({
      type: 'Warning',
      object: 'ReplicaSet/web',
      message:
        'Error creating: pods "web-x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
    });
    expect(getRS(cluster.api).status?.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: expect.any(String),
        reason: 'FailedCreate',
        message:
          'pods "web-x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
      },
    ]);

    limit = 100;
    await cluster.advance(60_000);
    expect(pods(cluster.api)).toHaveLength(10);
    expect(getRS(cluster.api).status?.conditions).toBeUndefined();
  });

  it('lifts the ReplicaSet failure onto its Deployment', async () => {
    cluster = startCluster({
      admit: (resource, _object, api) => {
        if (resource.kind === 'Pod' && api.listAll(RESOURCES.pods, NS).length >= 1)
          throw forbidden('exceeded quota: pods');
      },
    });
    apply(cluster.api, vwebDeployment({ replicas: 2 }));
    await cluster.settle();
    await cluster.advance(1000);
    const failure = getDeployment(cluster.api).status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(failure).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
      message: 'exceeded quota: pods',
    });
  });
});

describe('expectations', () => {
  it('hold back a second sync until the created pods have been seen', () => {
    const clock = createManualClock(Date.parse('2026-01-01T10:00:00Z'));
    const api = new ClusterApi({ store: new ObjectStore(), clock, policy: createObjectPolicy() });
    api.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    });
    api.create(RESOURCES.replicasets, NS, replicaSet(3));
    // No watch runs here, so the controller never observes its own creations.
    const expectations = new ControllerExpectations(clock);
    const ctx = {
      api,
      clock,
      recorder: createEventRecorder(api, { component: 'replicaset-controller' }),
      expectations,
      enqueueAfter: () => {},
    };
    syncReplicaSet(ctx, `${NS}/web`);
    expect(api.listAll(RESOURCES.pods, NS)).toHaveLength(3);
    expect(expectations.pending(`${NS}/web`)).toEqual({ add: 3, del: 0 });

    const victim = api.listAll(RESOURCES.pods, NS)[0] as Pod;
    api.delete(RESOURCES.pods, NS, victim.metadata.name!);
    syncReplicaSet(ctx, `${NS}/web`);
    expect(api.listAll(RESOURCES.pods, NS)).toHaveLength(2);
    expect(getRS(api).status).toMatchObject({ replicas: 2 });

    clock.advance(5 * 60 * 1000 + 1);
    syncReplicaSet(ctx, `${NS}/web`);
    expect(api.listAll(RESOURCES.pods, NS)).toHaveLength(3);
  });
});

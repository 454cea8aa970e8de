import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { withStatefulSetDefaults } from '../../../../sandbox/cluster/controllers/statefulset/stateful-set-utils.ts';
import { createStatefulSetController } from '../../../../sandbox/cluster/controllers/statefulset/statefulset-controller.ts';
import { createVolumeController } from '../../../../sandbox/cluster/controllers/volumes/volume-controller.ts';
import {
  createNode,
  makePodReady,
  removeTerminatingPods,
  startCluster,
  type TestCluster,
} from '../history/fixtures.ts';

/** The chapter's todo-db StatefulSet: two init containers, a 50Mi claim template. */
function todoDb(image = 'postgres:11.6-alpine', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db', namespace: 'default', labels: { kiamol: 'ch09' } },
    spec: {
      selector: { matchLabels: { app: 'todo-db' } },
      serviceName: 'todo-db',
      replicas: 2,
      template: {
        metadata: { labels: { app: 'todo-db' } },
        spec: {
          initContainers: [
            { name: 'wait-service', image: 'kiamol/ch03-sleep', command: ['/scripts/wait-service.sh'] },
            {
              name: 'initialize-replication',
              image: 'postgres:11.6-alpine',
              command: ['/scripts/initialize-replication.sh'],
            },
          ],
          containers: [
            { name: 'db', image, volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } } },
        },
      ],
      ...extra,
    },
  };
}

/**
 * What `kubectl rollout status statefulset/todo-db` prints from the object (kubectl's
 * StatefulSetStatusViewer, restated here so the test checks the words a learner sees). The object
 * is read with apps/v1 defaults applied, as the API server serves it.
 */
function rolloutStatus(stored: KubeObject): string {
  const sts = withStatefulSetDefaults(stored);
  const spec = sts.spec;
  const st = sts.status ?? {};
  const updated = st.updatedReplicas ?? 0;
  if (spec.updateStrategy?.type !== 'RollingUpdate')
    return 'error: rollout status is only available for RollingUpdate strategy type';
  if (!st.observedGeneration || sts.metadata.generation! > st.observedGeneration)
    return 'Waiting for statefulset spec update to be observed...';
  if (spec.replicas !== undefined && (st.readyReplicas ?? 0) < spec.replicas)
    return `Waiting for ${spec.replicas - (st.readyReplicas ?? 0)} pods to be ready...`;
  if (spec.updateStrategy.rollingUpdate) {
    const partition = spec.updateStrategy.rollingUpdate.partition;
    if (spec.replicas !== undefined && partition !== undefined && updated < spec.replicas - partition) {
      return `Waiting for partitioned roll out to finish: ${updated} out of ${spec.replicas - partition} new pods have been updated...`;
    }
    return `partitioned roll out complete: ${updated} new pods have been updated...`;
  }
  if (st.updateRevision !== st.currentRevision)
    return `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...`;
  return `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...`;
}

const pod = (cluster: TestCluster, name: string): KubeObject | undefined =>
  cluster.api.find(RESOURCES.pods, 'default', name);
const podNames = (cluster: TestCluster): string[] =>
  cluster.api
    .listAll(RESOURCES.pods, 'default')
    .map((p) => p.metadata.name!)
    .sort();
const status = (cluster: TestCluster): Record<string, unknown> =>
  cluster.api.get(RESOURCES.statefulsets, 'default', 'todo-db').status;
const imageOf = (p: KubeObject | undefined): string | undefined => p?.spec.containers[0].image;

function updateSet(cluster: TestCluster, change: (set: KubeObject) => void): void {
  const set = structuredClone(cluster.api.get(RESOURCES.statefulsets, 'default', 'todo-db')) as KubeObject;
  change(set);
  cluster.api.update(RESOURCES.statefulsets, 'default', set);
}

/** Kubelet stand-in: removes terminating pods and makes every new pod Running and Ready, until stable. */
async function runKubelet(cluster: TestCluster, rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    removeTerminatingPods(cluster.api, 'default');
    const pending = cluster.api
      .listAll(RESOURCES.pods, 'default')
      .filter((p) => p.status?.phase !== 'Running' && !p.metadata.deletionTimestamp);
    for (const p of pending) makePodReady(cluster.api, p);
    await cluster.settle(1000);
  }
}

/** Starts the StatefulSet and brings both pods up. */
async function startTodoDb(cluster: TestCluster, extra: Record<string, unknown> = {}): Promise<void> {
  cluster.api.create(RESOURCES.statefulsets, 'default', todoDb('postgres:11.6-alpine', extra));
  await cluster.settle();
  await runKubelet(cluster, 3);
}

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('StatefulSet controller', () => {
  it('starts todo-db-0 before todo-db-1, with stable identity and bound claims per pod', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    createNode(cluster.api, 'rollout-lab-worker');
    cluster.api.create(RESOURCES.statefulsets, 'default', todoDb());
    await cluster.settle(5000);

    expect(podNames(cluster)).toEqual(['todo-db-0']);
    expect(status(cluster)).toMatchObject({ replicas: 1, availableReplicas: 0, observedGeneration: 1 });
    const first = pod(cluster, 'todo-db-0')!;
    const [revision] = cluster.api.listAll(RESOURCES.controllerrevisions, 'default');
    expect(revision!.metadata.name).toBe(
      `todo-db-${revision!.metadata.labels!['controller.kubernetes.io/hash']}`,
    );
    expect(first.metadata.labels).toEqual({
      app: 'todo-db',
      'controller-revision-hash': revision!.metadata.name,
      'statefulset.kubernetes.io/pod-name': 'todo-db-0',
      'apps.kubernetes.io/pod-index': '0',
    });
    expect(first.spec).toMatchObject({ hostname: 'todo-db-0', subdomain: 'todo-db' });
    expect(first.spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-todo-db-0' } },
    ]);
    expect(first.spec.initContainers.map((c: { name: string }) => c.name)).toEqual([
      'wait-service',
      'initialize-replication',
    ]);
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'todo-db',
      controller: true,
      blockOwnerDeletion: true,
    });

    makePodReady(cluster.api, first);
    await cluster.settle();
    expect(podNames(cluster)).toEqual(['todo-db-0', 'todo-db-1']);
    makePodReady(cluster.api, pod(cluster, 'todo-db-1')!);
    await cluster.settle();

    const claims = cluster.api.listAll(RESOURCES.persistentvolumeclaims, 'default');
    expect(
      claims.map((c) => [c.metadata.name, c.status?.phase, c.metadata.labels?.app, c.metadata.finalizers]),
    ).toEqual([
      ['data-todo-db-0', 'Bound', 'todo-db', ['kubernetes.io/pvc-protection']],
      ['data-todo-db-1', 'Bound', 'todo-db', ['kubernetes.io/pvc-protection']],
    ]);
    for (const claim of claims) {
      const volume = cluster.api.get(RESOURCES.persistentvolumes, undefined, claim.spec.volumeName);
      expect(volume.metadata.name).toBe(`pvc-${claim.metadata.uid}`);
      expect(volume.spec).toMatchObject({
        storageClassName: 'standard',
        capacity: { storage: '50Mi' },
        claimRef: { name: claim.metadata.name, uid: claim.metadata.uid },
      });
      expect(volume.status.phase).toBe('Bound');
      expect(claim.status.capacity).toEqual({ storage: '50Mi' });
    }
    expect(status(cluster)).toEqual({
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      currentRevision: revision!.metadata.name,
      updateRevision: revision!.metadata.name,
      collisionCount: 0,
      availableReplicas: 2,
    });
    const messages = cluster.api
      .listAll(RESOURCES.events, 'default')
      .filter((e) => e.involvedObject && (e.involvedObject as { kind?: string }).kind === 'StatefulSet')
      .map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'create Claim data-todo-db-0 Pod todo-db-0 in StatefulSet todo-db success',
        'create Pod todo-db-0 in StatefulSet todo-db successful',
        'create Pod todo-db-1 in StatefulSet todo-db successful',
      ]),
    );
    expect(cluster.errors).toEqual([]);
  });

  it('with partition 1 updates only todo-db-1 and reports a partitioned rollout', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    await startTodoDb(cluster);
    const oldRevision = status(cluster).currentRevision;

    updateSet(cluster, (set) => {
      set.metadata.annotations = {
        'kubernetes.io/change-cause':
          'kubectl apply --filename=todo-db-rollingUpdate-partition.yaml --record=true',
      };
      set.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
      set.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    });
    await cluster.settle();
    // The terminating pod still counts as ready; none is updated yet.
    expect(rolloutStatus(cluster.api.get(RESOURCES.statefulsets, 'default', 'todo-db'))).toBe(
      'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...',
    );
    expect(pod(cluster, 'todo-db-1')?.metadata.deletionTimestamp).toBeDefined();
    expect(pod(cluster, 'todo-db-0')?.metadata.deletionTimestamp).toBeUndefined();
    await runKubelet(cluster);

    expect(imageOf(pod(cluster, 'todo-db-0'))).toBe('postgres:11.6-alpine');
    expect(imageOf(pod(cluster, 'todo-db-1'))).toBe('postgres:11.8-alpine');
    const st = status(cluster);
    expect(st).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 1,
      updatedReplicas: 1,
      currentRevision: oldRevision,
      observedGeneration: 2,
    });
    expect(st.updateRevision).not.toBe(oldRevision);
    expect(pod(cluster, 'todo-db-1')!.metadata.labels!['controller-revision-hash']).toBe(st.updateRevision);
    expect(rolloutStatus(cluster.api.get(RESOURCES.statefulsets, 'default', 'todo-db'))).toBe(
      'partitioned roll out complete: 1 new pods have been updated...',
    );
    const revisions = cluster.api
      .listAll(RESOURCES.controllerrevisions, 'default')
      .sort((a, b) => (a.revision as number) - (b.revision as number));
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[1]!.metadata.name).toBe(st.updateRevision);
    expect(revisions[1]!.metadata.annotations?.['kubernetes.io/change-cause']).toBe(
      'kubectl apply --filename=todo-db-rollingUpdate-partition.yaml --record=true',
    );
    expect(revisions[1]!.metadata.labels).toEqual({
      app: 'todo-db',
      'controller.kubernetes.io/hash': st.updateRevision!.toString().slice('todo-db-'.length),
    });
    expect((revisions[1]!.data as { spec: { template: Record<string, unknown> } }).spec.template.$patch).toBe(
      'replace',
    );
    // The PVCs stay with their ordinals.
    expect(pod(cluster, 'todo-db-1')!.spec.volumes[0].persistentVolumeClaim.claimName).toBe('data-todo-db-1');
    expect(cluster.errors).toEqual([]);
  });

  it('a full rolling update replaces the highest ordinal first, one Ready pod at a time, then completes the revision', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    await startTodoDb(cluster);

    updateSet(cluster, (set) => {
      set.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
    });
    await cluster.settle();
    expect(pod(cluster, 'todo-db-1')?.metadata.deletionTimestamp).toBeDefined();
    expect(pod(cluster, 'todo-db-0')?.metadata.deletionTimestamp).toBeUndefined();

    removeTerminatingPods(cluster.api, 'default');
    await cluster.settle(10_000);
    // todo-db-1 is back at the new revision but not Ready: todo-db-0 is left alone.
    expect(imageOf(pod(cluster, 'todo-db-1'))).toBe('postgres:11.8-alpine');
    expect(pod(cluster, 'todo-db-0')?.metadata.deletionTimestamp).toBeUndefined();
    const midway = status(cluster);
    expect(midway.currentRevision).not.toBe(midway.updateRevision);

    makePodReady(cluster.api, pod(cluster, 'todo-db-1')!);
    await cluster.settle();
    expect(pod(cluster, 'todo-db-0')?.metadata.deletionTimestamp).toBeDefined();
    await runKubelet(cluster);

    expect([imageOf(pod(cluster, 'todo-db-0')), imageOf(pod(cluster, 'todo-db-1'))]).toEqual([
      'postgres:11.8-alpine',
      'postgres:11.8-alpine',
    ]);
    const done = status(cluster);
    expect(done).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2 });
    expect(done.currentRevision).toBe(done.updateRevision);
    expect(rolloutStatus(cluster.api.get(RESOURCES.statefulsets, 'default', 'todo-db'))).toBe(
      'partitioned roll out complete: 2 new pods have been updated...',
    );
    expect(cluster.errors).toEqual([]);
  });

  it('after a partitioned update, dropping the partition finishes on todo-db-0 with the same update revision', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    await startTodoDb(cluster);
    updateSet(cluster, (set) => {
      set.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
      set.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    });
    await runKubelet(cluster);
    const partitioned = status(cluster);

    updateSet(cluster, (set) => {
      set.spec.updateStrategy = { type: 'RollingUpdate' };
    });
    await runKubelet(cluster);
    const done = status(cluster);
    expect(done.updateRevision).toBe(partitioned.updateRevision);
    expect(done.currentRevision).toBe(partitioned.updateRevision);
    expect(imageOf(pod(cluster, 'todo-db-0'))).toBe('postgres:11.8-alpine');
    expect(cluster.api.listAll(RESOURCES.controllerrevisions, 'default')).toHaveLength(2);
  });

  it('going back to an earlier template reuses its revision, renumbered as the newest', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    await startTodoDb(cluster);
    const first = status(cluster).currentRevision;
    updateSet(cluster, (set) => {
      set.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
    });
    await runKubelet(cluster);
    updateSet(cluster, (set) => {
      set.spec.template.spec.containers[0].image = 'postgres:11.6-alpine';
    });
    await runKubelet(cluster);
    const revisions = cluster.api
      .listAll(RESOURCES.controllerrevisions, 'default')
      .map((r) => [r.metadata.name, r.revision]);
    expect(revisions.find(([name]) => name === first)?.[1]).toBe(3);
    expect(revisions).toHaveLength(2);
    expect(status(cluster)).toMatchObject({ currentRevision: first, updateRevision: first });
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    await startTodoDb(cluster, { replicas: 3 });
    await runKubelet(cluster, 3);
    expect(podNames(cluster)).toEqual(['todo-db-0', 'todo-db-1', 'todo-db-2']);
    updateSet(cluster, (set) => {
      set.spec.replicas = 1;
    });
    await cluster.settle();
    expect(pod(cluster, 'todo-db-2')?.metadata.deletionTimestamp).toBeDefined();
    expect(pod(cluster, 'todo-db-1')?.metadata.deletionTimestamp).toBeUndefined();
    await runKubelet(cluster, 4);
    expect(podNames(cluster)).toEqual(['todo-db-0']);
    expect(
      cluster.api.listAll(RESOURCES.persistentvolumeclaims, 'default').map((c) => c.metadata.name),
    ).toEqual(['data-todo-db-0', 'data-todo-db-1', 'data-todo-db-2']);
    expect(status(cluster)).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });

  it('Parallel creates every pod at once; OnDelete leaves pods until they are deleted', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    cluster.api.create(
      RESOURCES.statefulsets,
      'default',
      todoDb('postgres:11.6-alpine', {
        replicas: 3,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
      }),
    );
    await cluster.settle();
    expect(podNames(cluster)).toEqual(['todo-db-0', 'todo-db-1', 'todo-db-2']);
    await runKubelet(cluster, 2);
    updateSet(cluster, (set) => {
      set.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
    });
    await runKubelet(cluster, 2);
    expect(podNames(cluster).map((n) => imageOf(pod(cluster, n)))).toEqual([
      'postgres:11.6-alpine',
      'postgres:11.6-alpine',
      'postgres:11.6-alpine',
    ]);
    cluster.api.delete(RESOURCES.pods, 'default', 'todo-db-1', { gracePeriodSeconds: 0 });
    await runKubelet(cluster, 2);
    expect(imageOf(pod(cluster, 'todo-db-1'))).toBe('postgres:11.8-alpine');
    expect(status(cluster)).toMatchObject({ updatedReplicas: 1, currentReplicas: 2 });
  });

  it('waits minReadySeconds before moving on to the next ordinal', async () => {
    cluster = await startCluster((ctx) => [createStatefulSetController(ctx), createVolumeController(ctx)]);
    cluster.api.create(
      RESOURCES.statefulsets,
      'default',
      todoDb('postgres:11.6-alpine', { minReadySeconds: 30 }),
    );
    await cluster.settle();
    makePodReady(cluster.api, pod(cluster, 'todo-db-0')!);
    await cluster.settle(29_000);
    expect(podNames(cluster)).toEqual(['todo-db-0']);
    expect(status(cluster)).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    await cluster.settle(2_000);
    expect(podNames(cluster)).toEqual(['todo-db-0', 'todo-db-1']);
    expect(status(cluster)).toMatchObject({ availableReplicas: 1 });
  });
});

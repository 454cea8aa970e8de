import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import {
  completeRollingUpdate,
  formatStatefulSetStatus,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  identityMatches,
  inconsistentStatus,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  type StatefulSetStatus,
  storageMatches,
  withStatefulSetDefaults,
} from '../../../../sandbox/cluster/controllers/statefulset/stateful-set-utils.ts';

function set(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db', namespace: 'default', uid: 's1' },
    spec: {
      replicas: 2,
      serviceName: 'todo-db',
      selector: { matchLabels: { app: 'todo-db' } },
      template: {
        metadata: { labels: { app: 'todo-db' } },
        spec: {
          containers: [{ name: 'db', image: 'postgres:11.6-alpine' }],
          volumes: [{ name: 'config', configMap: { name: 'todo-db-config' } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: { tier: 'db' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } } },
        },
      ],
      ...spec,
    },
    status,
  };
}

describe('identity', () => {
  it.each([
    ['todo-db-0', { parent: 'todo-db', ordinal: 0 }],
    ['todo-db-12', { parent: 'todo-db', ordinal: 12 }],
    ['my-app-db-3', { parent: 'my-app-db', ordinal: 3 }],
    ['todo-db', { parent: 'todo', ordinal: -1 }],
    ['vweb', { parent: '', ordinal: -1 }],
  ])('%s', (name, expected) => {
    const parsed = getParentNameAndOrdinal({ apiVersion: 'v1', kind: 'Pod', metadata: { name } });
    expect(parsed.ordinal).toBe(expected.ordinal);
    if (expected.ordinal >= 0) expect(parsed.parent).toBe(expected.parent);
  });

  it('a new pod has name, labels, DNS, claims before its own volumes, and a controller reference', () => {
    const pod = newStatefulSetPod(withStatefulSetDefaults(set()), 1);
    expect(pod.metadata).toMatchObject({
      name: 'todo-db-1',
      generateName: 'todo-db-',
      labels: {
        app: 'todo-db',
        'statefulset.kubernetes.io/pod-name': 'todo-db-1',
        'apps.kubernetes.io/pod-index': '1',
      },
      ownerReferences: [
        { kind: 'StatefulSet', name: 'todo-db', uid: 's1', controller: true, blockOwnerDeletion: true },
      ],
    });
    expect(pod.spec).toMatchObject({ hostname: 'todo-db-1', subdomain: 'todo-db' });
    expect(pod.spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-todo-db-1' } },
      { name: 'config', configMap: { name: 'todo-db-config' } },
    ]);
    expect(identityMatches(set(), pod)).toBe(true);
    expect(storageMatches(set(), pod)).toBe(true);
    const tampered = structuredClone(pod) as KubeObject;
    delete tampered.metadata.labels!['apps.kubernetes.io/pod-index'];
    expect(identityMatches(set(), tampered)).toBe(false);
  });

  it('claims are named <template>-<set>-<ordinal> and carry the selector labels', () => {
    const pod = newStatefulSetPod(set(), 0);
    const claim = getPersistentVolumeClaims(set(), pod).get('data')!;
    expect(claim.metadata).toEqual({
      name: 'data-todo-db-0',
      namespace: 'default',
      labels: { tier: 'db', app: 'todo-db' },
    });
    expect(claim.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '50Mi' } },
    });
  });
});

describe('defaults', () => {
  it.each([
    {
      name: 'omitted strategy gets RollingUpdate with partition 0',
      strategy: undefined,
      expected: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    },
    {
      name: 'type RollingUpdate alone keeps no rollingUpdate block',
      strategy: { type: 'RollingUpdate' },
      expected: { type: 'RollingUpdate' },
    },
    {
      name: 'a given partition is kept',
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      expected: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
    },
    { name: 'OnDelete', strategy: { type: 'OnDelete' }, expected: { type: 'OnDelete' } },
  ])('$name', ({ strategy, expected }) => {
    const input = set();
    if (strategy) input.spec.updateStrategy = strategy;
    expect(withStatefulSetDefaults(input).spec.updateStrategy).toEqual(expected);
  });
});

describe('newVersionedStatefulSetPod', () => {
  const image = (pod: KubeObject): string => pod.spec.containers[0].image;
  const updated = set();
  updated.spec.template.spec.containers[0].image = 'postgres:11.8-alpine';
  it.each([
    {
      name: 'partition 1: ordinal 0 is recreated at the current revision',
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      ordinal: 0,
      revision: 'cur',
      img: 'postgres:11.6-alpine',
    },
    {
      name: 'partition 1: ordinal 1 at the update revision',
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      ordinal: 1,
      revision: 'upd',
      img: 'postgres:11.8-alpine',
    },
    {
      name: 'no rollingUpdate block: ordinals below currentReplicas stay current',
      strategy: { type: 'RollingUpdate' },
      currentReplicas: 1,
      ordinal: 0,
      revision: 'cur',
      img: 'postgres:11.6-alpine',
    },
    {
      name: 'OnDelete recreates at the update revision',
      strategy: { type: 'OnDelete' },
      ordinal: 0,
      revision: 'upd',
      img: 'postgres:11.8-alpine',
    },
  ])('$name', ({ strategy, ordinal, revision, img, currentReplicas }) => {
    const current = withStatefulSetDefaults(
      set({ updateStrategy: strategy }, { currentReplicas: currentReplicas ?? 0 }),
    );
    const update = withStatefulSetDefaults({
      ...updated,
      spec: { ...updated.spec, updateStrategy: strategy },
    });
    const pod = newVersionedStatefulSetPod(current, update, 'cur', 'upd', ordinal);
    expect(pod.metadata.labels!['controller-revision-hash']).toBe(revision);
    expect(image(pod)).toBe(img);
  });
});

describe('status rules', () => {
  const base: StatefulSetStatus = {
    observedGeneration: 2,
    replicas: 2,
    readyReplicas: 2,
    currentReplicas: 1,
    updatedReplicas: 1,
    availableReplicas: 2,
    currentRevision: 'todo-db-aaa',
    updateRevision: 'todo-db-bbb',
    collisionCount: 0,
  };
  it.each([
    {
      name: 'partitioned (1 of 2 updated): currentRevision stays',
      status: base,
      expectedRevision: 'todo-db-aaa',
      expectedCurrent: 1,
    },
    {
      name: 'all updated but one not ready: stays',
      status: { ...base, updatedReplicas: 2, readyReplicas: 1 },
      expectedRevision: 'todo-db-aaa',
      expectedCurrent: 1,
    },
    {
      name: 'all updated and ready: completes',
      status: { ...base, updatedReplicas: 2 },
      expectedRevision: 'todo-db-bbb',
      expectedCurrent: 2,
    },
  ])('completeRollingUpdate: $name', ({ status, expectedRevision, expectedCurrent }) => {
    const copy = { ...status };
    completeRollingUpdate(withStatefulSetDefaults(set()), copy);
    expect([copy.currentRevision, copy.currentReplicas]).toEqual([expectedRevision, expectedCurrent]);
  });

  it('OnDelete never completes a rollout', () => {
    const copy = { ...base, updatedReplicas: 2 };
    completeRollingUpdate(withStatefulSetDefaults(set({ updateStrategy: { type: 'OnDelete' } })), copy);
    expect(copy.currentRevision).toBe('todo-db-aaa');
  });

  it('inconsistentStatus ignores a collisionCount change alone; the served status omits zero counters', () => {
    const stored = set({}, formatStatefulSetStatus(base));
    expect(inconsistentStatus(stored, base)).toBe(false);
    expect(inconsistentStatus(stored, { ...base, collisionCount: 1 })).toBe(false);
    expect(inconsistentStatus(stored, { ...base, readyReplicas: 1 })).toBe(true);
    expect(
      formatStatefulSetStatus({
        ...base,
        observedGeneration: 1,
        readyReplicas: 0,
        currentReplicas: 0,
        updatedReplicas: 0,
        availableReplicas: 0,
        replicas: 0,
      }),
    ).toEqual({
      observedGeneration: 1,
      replicas: 0,
      currentRevision: 'todo-db-aaa',
      updateRevision: 'todo-db-bbb',
      collisionCount: 0,
      availableReplicas: 0,
    });
  });
});

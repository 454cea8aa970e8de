import { describe, expect, it } from 'vitest';
import {
  getPodsToDelete,
  rankPodsByRelatedPodsOnSameNode,
} from '../../../../sandbox/cluster/controllers/replicaset/pod-deletion.ts';
import { calculateReplicaSetStatus } from '../../../../sandbox/cluster/controllers/replicaset/status.ts';
import { logarithmicRankDiff } from '../../../../sandbox/cluster/controllers/shared/pods.ts';
import type { Pod, ReplicaSet } from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number): string => `${new Date(NOW - seconds * 1000).toISOString().slice(0, 19)}Z`;

interface PodShape {
  node?: string;
  phase?: string;
  readyFor?: number;
  cost?: number;
  restarts?: number;
  age?: number;
  uid?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
}

function pod(name: string, shape: PodShape = {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: shape.uid ?? name,
      creationTimestamp: ago(shape.age ?? 600),
      labels: shape.labels ?? { app: 'web' },
    },
    spec: shape.node ? { nodeName: shape.node } : {},
    status: { phase: shape.phase ?? 'Running' },
  };
  if (shape.cost !== undefined)
    p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': String(shape.cost) };
  if (shape.deleting) p.metadata.deletionTimestamp = ago(0);
  if (shape.readyFor !== undefined)
    p.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: ago(shape.readyFor) }];
  if (shape.restarts !== undefined)
    p.status!.containerStatuses = [{ name: 'web', restartCount: shape.restarts }];
  return p;
}

describe('which pod a ReplicaSet deletes first', () => {
  it.each([
    {
      why: 'unscheduled before scheduled',
      first: pod('a', { readyFor: 100 }),
      second: pod('b', { node: 'n1', readyFor: 100 }),
    },
    {
      why: 'pending before running',
      first: pod('a', { node: 'n1', phase: 'Pending' }),
      second: pod('b', { node: 'n1', phase: 'Running' }),
    },
    {
      why: 'unknown before running',
      first: pod('a', { node: 'n1', phase: 'Unknown' }),
      second: pod('b', { node: 'n1' }),
    },
    {
      why: 'not ready before ready',
      first: pod('a', { node: 'n1' }),
      second: pod('b', { node: 'n1', readyFor: 100 }),
    },
    {
      why: 'lower deletion cost first',
      first: pod('a', { node: 'n1', readyFor: 10, cost: -5 }),
      second: pod('b', { node: 'n1', readyFor: 10 }),
    },
    {
      why: 'ready for less time before more (different log2 buckets)',
      first: pod('a', { node: 'n1', readyFor: 10 }),
      second: pod('b', { node: 'n1', readyFor: 1000 }),
    },
    {
      why: 'more restarts before fewer',
      first: pod('a', { node: 'n1', readyFor: 100, restarts: 3 }),
      second: pod('b', { node: 'n1', readyFor: 100, restarts: 0 }),
    },
    {
      why: 'newer before older',
      first: pod('a', { node: 'n1', readyFor: 100, age: 200 }),
      second: pod('b', { node: 'n1', readyFor: 100, age: 5000 }),
    },
    {
      why: 'same age bucket: lower uid first',
      first: pod('z', { node: 'n1', readyFor: 100, age: 600, uid: 'a-uid' }),
      second: pod('y', { node: 'n1', readyFor: 100, age: 610, uid: 'b-uid' }),
    },
  ])('$why', ({ first, second }) => {
    expect(getPodsToDelete([second, first], [], 1, NOW).map((p) => p.metadata.name)).toEqual([
      first.metadata.name,
    ]);
    expect(getPodsToDelete([first, second], [], 1, NOW).map((p) => p.metadata.name)).toEqual([
      first.metadata.name,
    ]);
  });

  it('prefers a pod doubled up on a node with pods of sibling ReplicaSets', () => {
    const lonely = pod('lonely', { node: 'n1', readyFor: 100 });
    const crowded = pod('crowded', { node: 'n2', readyFor: 100 });
    const siblings = [
      pod('s1', { node: 'n2' }),
      pod('s2', { node: 'n2' }),
      pod('gone', { node: 'n1', deleting: true }),
    ];
    expect(
      rankPodsByRelatedPodsOnSameNode([lonely, crowded], [lonely, crowded, ...siblings]).map((r) => r.rank),
    ).toEqual([1, 3]);
    expect(getPodsToDelete([lonely, crowded], [lonely, crowded, ...siblings], 1, NOW)[0]?.metadata.name).toBe(
      'crowded',
    );
  });

  it('deletes every pod without ranking when all must go', () => {
    const all = [pod('a'), pod('b')];
    expect(getPodsToDelete(all, [], 5, NOW)).toEqual(all);
  });

  it('puts ages within the same power of two of nanoseconds in one bucket', () => {
    expect(logarithmicRankDiff(NOW - 3000, NOW - 3500, NOW)).toBe(0);
    expect(logarithmicRankDiff(NOW - 3000, NOW - 9000, NOW)).toBeLessThan(0);
    expect(logarithmicRankDiff(NOW + 1000, NOW - 1000, NOW)).toBeLessThan(0);
  });
});

describe('ReplicaSet status', () => {
  const rs = (minReadySeconds: number, conditions?: ReplicaSet['status']): ReplicaSet => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default', generation: 2 },
    spec: {
      replicas: 3,
      minReadySeconds,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } } },
    },
    status: conditions,
  });
  const full = { app: 'web', tier: 'front' };

  it.each([
    {
      why: 'no minReadySeconds: ready is available',
      minReady: 0,
      pods: [pod('a', { readyFor: 1, labels: full }), pod('b', { labels: full })],
      expected: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
    },
    {
      why: 'ready for 30 s of 60 is not available',
      minReady: 60,
      pods: [pod('a', { readyFor: 30, labels: full }), pod('b', { readyFor: 61, labels: full })],
      expected: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 },
    },
    {
      why: 'exactly 60 s is not yet available (strictly after)',
      minReady: 60,
      pods: [pod('a', { readyFor: 60, labels: full })],
      expected: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 0 },
    },
    {
      why: 'an adopted pod missing a template label is not fully labeled',
      minReady: 0,
      pods: [pod('a', { labels: { app: 'web' } })],
      expected: { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
    },
  ])('$why', ({ minReady, pods, expected }) => {
    expect(calculateReplicaSetStatus(rs(minReady), pods, undefined, NOW)).toMatchObject(expected);
  });

  it('sets ReplicaFailure on a failed create and clears it after a clean sync', () => {
    const failed = calculateReplicaSetStatus(rs(0), [pod('a')], new Error('exceeded quota: pods'), NOW);
    expect(failed.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: ago(0),
        reason: 'FailedCreate',
        message: 'exceeded quota: pods',
      },
    ]);
    const again = calculateReplicaSetStatus(
      rs(0, failed),
      [pod('a')],
      new Error('other message'),
      NOW + 5000,
    );
    expect(again.conditions).toEqual(failed.conditions);
    expect(calculateReplicaSetStatus(rs(0, failed), [pod('a')], undefined, NOW).conditions).toBeUndefined();
  });
});

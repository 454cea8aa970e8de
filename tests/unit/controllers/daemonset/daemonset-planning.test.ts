import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import {
  nodeShouldRunDaemonPod,
  viewDaemonSet,
} from '../../../../sandbox/cluster/controllers/daemonset/daemonset-util.ts';
import {
  groupPodsByNode,
  podsShouldBeOnNode,
} from '../../../../sandbox/cluster/controllers/daemonset/manage.ts';
import { planRollingUpdate } from '../../../../sandbox/cluster/controllers/daemonset/rolling-update.ts';
import { calculateDaemonSetCounts } from '../../../../sandbox/cluster/controllers/daemonset/status.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const LONG_AGO = '2026-01-01T10:00:00Z';
const JUST_NOW = '2026-01-01T11:59:59Z';

function daemonSet(
  strategy: Record<string, unknown> = {},
  podSpec: Record<string, unknown> = {},
  minReadySeconds = 0,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'todo-proxy', namespace: 'default', uid: 'ds1', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'todo-proxy' } },
      minReadySeconds,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: strategy },
      template: {
        metadata: { labels: { app: 'todo-proxy' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.18-alpine' }], ...podSpec },
      },
    },
  };
}

function node(name: string, extra: { labels?: Record<string, string>; taints?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: extra.labels ?? {} },
    spec: extra.taints ? { taints: extra.taints } : {},
  };
}

let serial = 0;
function pod(
  nodeName: string,
  hash: 'new' | 'old',
  state: { ready?: string; deleting?: boolean; phase?: string; created?: string } = {},
): KubeObject {
  serial++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `todo-proxy-${hash}-${serial}`,
      uid: `uid-${serial}`,
      creationTimestamp: state.created ?? '2026-01-01T09:00:00Z',
      labels: { app: 'todo-proxy', 'controller-revision-hash': hash === 'new' ? 'h2' : 'h1' },
      ...(state.deleting ? { deletionTimestamp: '2026-01-01T12:00:30Z' } : {}),
    },
    spec: { nodeName },
    status: {
      phase: state.phase ?? 'Running',
      conditions: state.ready
        ? [{ type: 'Ready', status: 'True', lastTransitionTime: state.ready }]
        : [{ type: 'Ready', status: 'False' }],
    },
  };
}

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    {
      name: 'plain node',
      n: node('w'),
      spec: {},
      expected: { shouldRun: true, shouldContinueRunning: true },
    },
    {
      name: 'control-plane NoSchedule taint: no new pod, an existing one may stay',
      n: node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      spec: {},
      expected: { shouldRun: false, shouldContinueRunning: true },
    },
    {
      name: 'tolerated taint',
      n: node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      spec: {
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
      expected: { shouldRun: true, shouldContinueRunning: true },
    },
    {
      name: 'untolerated NoExecute evicts',
      n: node('w', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }),
      spec: {},
      expected: { shouldRun: false, shouldContinueRunning: false },
    },
    {
      name: 'unschedulable is tolerated by every daemon pod',
      n: node('w', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      spec: {},
      expected: { shouldRun: true, shouldContinueRunning: true },
    },
    {
      name: 'nodeSelector mismatch',
      n: node('w', { labels: { disk: 'hdd' } }),
      spec: { nodeSelector: { disk: 'ssd' } },
      expected: { shouldRun: false, shouldContinueRunning: false },
    },
    {
      name: 'required node affinity by field',
      n: node('w2'),
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] },
              ],
            },
          },
        },
      },
      expected: { shouldRun: false, shouldContinueRunning: false },
    },
  ])('$name', ({ n, spec, expected }) => {
    expect(nodeShouldRunDaemonPod(n, daemonSet({}, spec))).toEqual(expected);
  });
});

describe('podsShouldBeOnNode', () => {
  const surge = viewDaemonSet(daemonSet({ maxSurge: 1, maxUnavailable: 0 }));
  const plain = viewDaemonSet(daemonSet());
  it.each([
    { name: 'empty node gets a pod', ds: plain, pods: [], needsPod: true, deleted: [] },
    {
      name: 'a terminating pod blocks the replacement',
      ds: plain,
      pods: [pod('w', 'old', { deleting: true })],
      needsPod: false,
      deleted: [],
    },
    {
      name: 'a failed pod is deleted',
      ds: plain,
      pods: [pod('w', 'old', { phase: 'Failed' })],
      needsPod: false,
      deleted: ['old'],
    },
    {
      name: 'without surge, only the oldest running pod stays',
      ds: plain,
      pods: [
        pod('w', 'old', { created: '2026-01-01T09:00:00Z' }),
        pod('w', 'new', { created: '2026-01-01T11:00:00Z' }),
      ],
      needsPod: false,
      deleted: ['new'],
    },
    {
      name: 'with surge, the old pod stays while the new one is not available',
      ds: surge,
      pods: [pod('w', 'old', { ready: LONG_AGO }), pod('w', 'new')],
      needsPod: false,
      deleted: [],
    },
    {
      name: 'with surge, the old pod goes once the new one is available',
      ds: surge,
      pods: [pod('w', 'old', { ready: LONG_AGO }), pod('w', 'new', { ready: JUST_NOW })],
      needsPod: false,
      deleted: ['old'],
    },
  ])('$name', ({ ds, pods, needsPod, deleted }) => {
    const plan = podsShouldBeOnNode(node('w'), pods, ds, 'h2', NOW);
    expect(plan.needsPod).toBe(needsPod);
    expect(
      plan.podsToDelete.map((p) => (p.metadata.labels!['controller-revision-hash'] === 'h2' ? 'new' : 'old')),
    ).toEqual(deleted);
  });
});

describe('planRollingUpdate', () => {
  const nodes = ['w1', 'w2', 'w3'].map((n) => node(n));
  const kindOf = (p: KubeObject): string =>
    `${p.spec.nodeName}:${p.metadata.labels!['controller-revision-hash'] === 'h2' ? 'new' : 'old'}`;
  it.each([
    {
      name: 'maxUnavailable 1, all old and available: one old pod goes',
      ds: daemonSet({ maxUnavailable: 1 }),
      pods: [
        pod('w1', 'old', { ready: LONG_AGO }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: ['w1:old'],
      created: [],
    },
    {
      name: 'maxUnavailable 1 used by a new pod not yet available: nothing more goes',
      ds: daemonSet({ maxUnavailable: 1 }, {}, 90),
      pods: [
        pod('w1', 'new', { ready: JUST_NOW }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: [],
      created: [],
    },
    {
      name: 'unavailable old pods are replaced regardless of the budget',
      ds: daemonSet({ maxUnavailable: 1 }),
      pods: [pod('w1', 'old'), pod('w2', 'old'), pod('w3', 'old', { ready: LONG_AGO })],
      deleted: ['w1:old', 'w2:old'],
      created: [],
    },
    {
      name: 'maxUnavailable 66% of 3 rounds up to 2',
      ds: daemonSet({ maxUnavailable: '66%' }),
      pods: [
        pod('w1', 'old', { ready: LONG_AGO }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: ['w1:old', 'w2:old'],
      created: [],
    },
    {
      name: 'both budgets 0: one unavailable is allowed anyway',
      ds: daemonSet({ maxUnavailable: 0, maxSurge: 0 }),
      pods: [
        pod('w1', 'old', { ready: LONG_AGO }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: ['w1:old'],
      created: [],
    },
    {
      name: 'maxSurge 1: a new pod beside one old pod',
      ds: daemonSet({ maxUnavailable: 0, maxSurge: 1 }),
      pods: [
        pod('w1', 'old', { ready: LONG_AGO }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: [],
      created: ['w1'],
    },
    {
      name: 'maxSurge 1: an available new pod retires its old pod and frees the surge',
      ds: daemonSet({ maxUnavailable: 0, maxSurge: 1 }),
      pods: [
        pod('w1', 'old', { ready: LONG_AGO }),
        pod('w1', 'new', { ready: JUST_NOW }),
        pod('w2', 'old', { ready: LONG_AGO }),
        pod('w3', 'old', { ready: LONG_AGO }),
      ],
      deleted: ['w1:old'],
      created: ['w2'],
    },
  ])('$name', ({ ds, pods, deleted, created }) => {
    const plan = planRollingUpdate(viewDaemonSet(ds), nodes, groupPodsByNode(pods, false), 'h2', NOW);
    expect(plan.podsToDelete.map(kindOf)).toEqual(deleted);
    expect(plan.nodesToCreate).toEqual(created);
  });
});

describe('calculateDaemonSetCounts', () => {
  it('counts per eligible node from its oldest pod, and pods on ineligible nodes as misscheduled', () => {
    const nodes = [
      node('w1'),
      node('w2'),
      node('w3'),
      node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    ];
    const pods = [
      pod('w1', 'new', { ready: LONG_AGO }),
      pod('w2', 'old', { ready: JUST_NOW }),
      pod('cp', 'old', { ready: LONG_AGO }),
    ];
    expect(
      calculateDaemonSetCounts(
        viewDaemonSet(daemonSet({}, {}, 30)),
        nodes,
        groupPodsByNode(pods, false),
        'h2',
        NOW,
      ),
    ).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
    });
  });
});

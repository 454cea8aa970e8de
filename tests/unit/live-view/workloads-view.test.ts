/**
 * buildWorkloadsView on hand-made namespace snapshots: a Deployment in the middle of a rollout
 * (two ReplicaSets, pods in several states), a Recreate Deployment, a StatefulSet with
 * ControllerRevisions, and pods nobody owns.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import {
  buildWorkloadsView,
  templateYaml,
  type WorkloadsSnapshot,
} from '../../../sandbox/live-view/workloads-view.ts';
import { WorkloadsView } from '../../../src/protocol/live-view.ts';

function deployment(
  name: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown> = {},
  revision = '2',
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, uid: `uid-${name}`, annotations: { 'deployment.kubernetes.io/revision': revision } },
    spec,
    status,
  };
}

function template(image: string, version: string, hash?: string): Record<string, unknown> {
  return {
    metadata: {
      creationTimestamp: null,
      labels: { app: 'vweb', version, ...(hash ? { 'pod-template-hash': hash } : {}) },
    },
    spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }] }] },
  };
}

function replicaSet(
  owner: KubeObject,
  hash: string,
  revision: string,
  replicas: number,
  status: Record<string, unknown>,
  image: string,
  extra: { changeCause?: string; created?: string } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      uid: `uid-rs-${hash}`,
      creationTimestamp: extra.created ?? '2026-11-27T10:00:00Z',
      annotations: {
        'deployment.kubernetes.io/revision': revision,
        ...(extra.changeCause ? { 'kubernetes.io/change-cause': extra.changeCause } : {}),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: owner.metadata.name!,
          uid: owner.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { replicas, template: template(image, image.endsWith('v2') ? 'v2' : 'v1', hash) },
    status,
  };
}

interface PodOptions {
  phase?: string;
  ready?: boolean;
  waiting?: string;
  deleting?: boolean;
  restarts?: number;
}

function pod(owner: KubeObject, suffix: string, image: string, options: PodOptions = {}): KubeObject {
  const ready = options.ready ?? false;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.metadata.name}-${suffix}`,
      uid: `uid-pod-${suffix}`,
      ...(options.deleting ? { deletionTimestamp: '2026-11-27T10:05:00Z' } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: owner.kind,
          name: owner.metadata.name!,
          uid: owner.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image }] },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'web',
          ready,
          restartCount: options.restarts ?? 0,
          state: options.waiting ? { waiting: { reason: options.waiting } } : { running: {} },
        },
      ],
    },
  };
}

function snapshot(parts: Partial<WorkloadsSnapshot>): WorkloadsSnapshot {
  return {
    deployments: [],
    replicaSets: [],
    pods: [],
    statefulSets: [],
    daemonSets: [],
    controllerRevisions: [],
    ...parts,
  };
}

/** vweb halfway through the v1 → v2 rollout of exercise 2. */
function midRollout(): WorkloadsSnapshot {
  const d = deployment(
    'vweb',
    {
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: template('kiamol/ch09-vweb:v2', 'v2'),
    },
    {
      replicas: 4,
      updatedReplicas: 2,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          lastUpdateTime: '2026-11-27T10:05:00Z',
        },
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: 'x' },
      ],
    },
  );
  const oldRs = replicaSet(
    d,
    '6bd7464487',
    '1',
    2,
    { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    'kiamol/ch09-vweb:v1',
    {
      created: '2026-11-27T10:00:00Z',
    },
  );
  const newRs = replicaSet(
    d,
    '7c675fdd96',
    '2',
    2,
    { replicas: 2, readyReplicas: 1, availableReplicas: 1 },
    'kiamol/ch09-vweb:v2',
    {
      created: '2026-11-27T10:04:00Z',
      changeCause: 'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
    },
  );
  return snapshot({
    deployments: [d],
    // Listed oldest first on purpose: the view orders them itself.
    replicaSets: [oldRs, newRs],
    pods: [
      pod(newRs, 'zzz11', 'kiamol/ch09-vweb:v2', { phase: 'Pending', waiting: 'ContainerCreating' }),
      pod(oldRs, 'bbb22', 'kiamol/ch09-vweb:v1', { ready: true }),
      pod(newRs, 'aaa33', 'kiamol/ch09-vweb:v2', { ready: true }),
      pod(oldRs, 'aaa44', 'kiamol/ch09-vweb:v1', { ready: true }),
      pod(oldRs, 'ccc55', 'kiamol/ch09-vweb:v1', { ready: false, deleting: true }),
    ],
  });
}

describe('buildWorkloadsView', () => {
  it('shows a Deployment mid-rollout: resolved bounds, ReplicaSets newest first, pods under their owner', () => {
    const view = buildWorkloadsView(midRollout());
    expect(WorkloadsView.parse(view)).toEqual(view);
    expect(view.deployments).toHaveLength(1);
    const [d] = view.deployments;
    expect(d!.name).toBe('vweb');
    // 3 replicas at 25%/25%: surge rounds up to 1, unavailable rounds down to 0.
    expect(d!.strategy).toEqual({
      type: 'RollingUpdate',
      maxSurge: '25%',
      maxUnavailable: '25%',
      maxSurgePods: 1,
      maxUnavailablePods: 0,
    });
    expect(d!.replicas).toEqual({ desired: 3, updated: 2, ready: 3, available: 3, current: 4 });
    expect(d!.revision).toBe(2);
    expect(d!.conditions).toEqual([
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ]);
    expect(d!.replicaSets.map((rs) => [rs.name, rs.revision, rs.desired, rs.current, rs.ready])).toEqual([
      ['vweb-7c675fdd96', 2, 2, 2, 1],
      ['vweb-6bd7464487', 1, 2, 2, 2],
    ]);
    const [newRs, oldRs] = d!.replicaSets;
    expect(newRs!.changeCause).toBe('kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2');
    expect(oldRs!.changeCause).toBeNull();
    expect(newRs!.images).toEqual(['kiamol/ch09-vweb:v2']);
    expect(newRs!.pods.map((p) => [p.name, p.status, p.ready])).toEqual([
      ['vweb-7c675fdd96-aaa33', 'Running', true],
      ['vweb-7c675fdd96-zzz11', 'ContainerCreating', false],
    ]);
    expect(oldRs!.pods.map((p) => [p.name, p.status, p.ready, p.deleting])).toEqual([
      ['vweb-6bd7464487-aaa44', 'Running', true, false],
      ['vweb-6bd7464487-bbb22', 'Running', true, false],
      ['vweb-6bd7464487-ccc55', 'Terminating', false, true],
    ]);
    expect(newRs!.pods[0]).toMatchObject({
      phase: 'Running',
      readyContainers: '1/1',
      image: 'kiamol/ch09-vweb:v2',
      node: 'node-1',
    });
    expect(view.otherPods).toEqual([]);
  });

  it('gives the same JSON whatever order the API listed the objects in', () => {
    const a = midRollout();
    const b = { ...a, replicaSets: [...a.replicaSets].reverse(), pods: [...a.pods].reverse() };
    expect(JSON.stringify(buildWorkloadsView(b))).toBe(JSON.stringify(buildWorkloadsView(a)));
  });

  it('leaves out the pod-template-hash label and the empty creationTimestamp from templates', () => {
    const [d] = buildWorkloadsView(midRollout()).deployments;
    const text = d!.replicaSets[0]!.template;
    expect(text).not.toContain('pod-template-hash');
    expect(text).not.toContain('creationTimestamp');
    expect(text).toContain('image: kiamol/ch09-vweb:v2');
    expect(text).toContain('version: v2');
  });

  it('resolves integer bounds and Recreate', () => {
    const rolling = deployment('a', {
      replicas: 4,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    const recreate = deployment('b', { replicas: 3, strategy: { type: 'Recreate' } });
    const view = buildWorkloadsView(snapshot({ deployments: [recreate, rolling] }));
    expect(view.deployments.map((d) => d.name)).toEqual(['a', 'b']);
    expect(view.deployments[0]!.strategy).toMatchObject({
      maxSurge: 1,
      maxUnavailable: 0,
      maxSurgePods: 1,
      maxUnavailablePods: 0,
    });
    expect(view.deployments[1]!.strategy).toEqual({
      type: 'Recreate',
      maxSurge: null,
      maxUnavailable: null,
      maxSurgePods: 0,
      maxUnavailablePods: 0,
    });
  });

  it('uses the controller rule that surge and unavailable are never both 0', () => {
    const d = deployment('one', {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '10%' } },
    });
    expect(buildWorkloadsView(snapshot({ deployments: [d] })).deployments[0]!.strategy).toMatchObject({
      maxSurgePods: 0,
      maxUnavailablePods: 1,
    });
  });

  it('reports CrashLoopBackOff and ErrImagePull as the status, with restarts summed', () => {
    const d = deployment('vweb', { replicas: 1 });
    const rs = replicaSet(d, 'abc', '1', 1, { replicas: 1 }, 'kiamol/ch09-vweb:v3');
    const view = buildWorkloadsView(
      snapshot({
        deployments: [d],
        replicaSets: [rs],
        pods: [
          pod(rs, 'p1', 'kiamol/ch09-vweb:v3', { waiting: 'CrashLoopBackOff', restarts: 4 }),
          pod(rs, 'p2', 'kiamol/ch09-vweb:v9', { phase: 'Pending', waiting: 'ErrImagePull' }),
        ],
      }),
    );
    expect(view.deployments[0]!.replicaSets[0]!.pods.map((p) => [p.status, p.restarts, p.phase])).toEqual([
      ['CrashLoopBackOff', 4, 'Running'],
      ['ErrImagePull', 0, 'Pending'],
    ]);
  });

  it('lists pods without a known owner as other pods, and ReplicaSets of other Deployments apart', () => {
    const a = deployment('a', { replicas: 1 });
    const b = deployment('b', { replicas: 1 });
    const rsB = replicaSet(b, 'bbb', '1', 1, {}, 'nginx');
    const lone: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sleep' },
      spec: { containers: [{ name: 's', image: 'kiamol/ch03-sleep' }] },
    };
    const view = buildWorkloadsView(
      snapshot({ deployments: [a, b], replicaSets: [rsB], pods: [lone, pod(rsB, 'x', 'nginx')] }),
    );
    expect(view.deployments[0]!.replicaSets).toEqual([]);
    expect(view.deployments[1]!.replicaSets[0]!.pods.map((p) => p.name)).toEqual(['b-bbb-x']);
    expect(view.otherPods.map((p) => [p.name, p.phase, p.image])).toEqual([
      ['sleep', 'Pending', 'kiamol/ch03-sleep'],
    ]);
  });

  it('shows a StatefulSet with its ControllerRevisions oldest first and each pod’s revision', () => {
    const set: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'todo-db', uid: 'uid-sts' },
      spec: { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
      status: { replicas: 2, readyReplicas: 2, updatedReplicas: 1, updateRevision: 'todo-db-222' },
    };
    const revision = (name: string, n: number, image: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'todo-db', uid: 'uid-sts', controller: true },
        ],
      },
      revision: n,
      data: {
        spec: {
          template: {
            $patch: 'replace',
            metadata: { labels: { app: 'todo-db' } },
            spec: { containers: [{ name: 'db', image }] },
          },
        },
      },
    });
    const p0 = pod(set, '0', 'postgres:11.6-alpine', { ready: true });
    p0.metadata.labels = { 'controller-revision-hash': 'todo-db-111' };
    const view = buildWorkloadsView(
      snapshot({
        statefulSets: [set],
        controllerRevisions: [
          revision('todo-db-222', 2, 'postgres:11.8-alpine'),
          revision('todo-db-111', 1, 'postgres:11.6-alpine'),
        ],
        pods: [p0],
      }),
    );
    const [s] = view.statefulSets;
    expect(s).toMatchObject({
      kind: 'StatefulSet',
      partition: 1,
      desired: 2,
      ready: 2,
      updated: 1,
      updateRevision: 'todo-db-222',
    });
    expect(s!.revisions.map((r) => [r.revision, r.images])).toEqual([
      [1, ['postgres:11.6-alpine']],
      [2, ['postgres:11.8-alpine']],
    ]);
    expect(s!.revisions[0]!.template).not.toContain('$patch');
    expect(s!.pods.map((p) => [p.name, p.revision])).toEqual([['todo-db-0', 'todo-db-111']]);
    expect(view.otherPods).toEqual([]);
  });
});

describe('templateYaml', () => {
  it('is empty for a missing template and keeps the key order of the object', () => {
    expect(templateYaml(undefined)).toBe('');
    expect(templateYaml({ spec: { b: 1, a: 2 } })).toBe('spec:\n  b: 1\n  a: 2\n');
  });
});

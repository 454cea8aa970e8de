/**
 * Objects shaped like what the API server returns for chapter 9's vweb exercises (trimmed of
 * managedFields), so the checks are exercised on the same fields a real cluster fills in.
 */

import { createEmptySnapshot, type NamespaceSnapshot } from '../../../sandbox/checks/evaluate.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';

const NS = 'lab-1';
const DEPLOYMENT_UID = '5c1f0f1e-6a3b-4e0b-9d8a-0d3c2b1a0001';

/** Deployment `vweb` as `kubectl get deploy vweb -o json` shows it. */
export function makeDeployment(opts: {
  image: string;
  replicas: number;
  updated?: number;
  ready?: number;
  available?: number;
  strategy?: 'RollingUpdate' | 'Recreate';
  progressing?: { status: string; reason: string };
  version?: string;
}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'vweb',
      namespace: NS,
      uid: DEPLOYMENT_UID,
      generation: 2,
      creationTimestamp: '2026-11-27T10:00:00Z',
      labels: { kiamol: 'ch09' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { labels: { app: 'vweb', version: opts.version ?? 'v1' } },
        spec: {
          containers: [{ name: 'web', image: opts.image, ports: [{ name: 'http', containerPort: 80 }] }],
        },
      },
      strategy:
        opts.strategy === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2,
      replicas: opts.replicas,
      updatedReplicas: opts.updated ?? opts.replicas,
      readyReplicas: opts.ready ?? opts.replicas,
      availableReplicas: opts.available ?? opts.replicas,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: opts.progressing?.status ?? 'True',
          reason: opts.progressing?.reason ?? 'NewReplicaSetAvailable',
          message: 'ReplicaSet "vweb-7c675fdd96" has successfully progressed.',
        },
      ],
    },
  };
}

/** A ReplicaSet owned by `vweb`, with the revision annotation the Deployment controller sets. */
export function makeReplicaSet(opts: {
  hash: string;
  revision: number;
  desired: number;
  current?: number;
  ready?: number;
  image?: string;
  changeCause?: string;
}): KubeObject {
  const annotations: Record<string, string> = {
    'deployment.kubernetes.io/desired-replicas': String(opts.desired),
    'deployment.kubernetes.io/max-replicas': String(opts.desired + 1),
    'deployment.kubernetes.io/revision': String(opts.revision),
  };
  if (opts.changeCause !== undefined) annotations['kubernetes.io/change-cause'] = opts.changeCause;
  const ready = opts.ready ?? opts.desired;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `vweb-${opts.hash}`,
      namespace: NS,
      uid: `rs-uid-${opts.hash}`,
      creationTimestamp: `2026-11-27T10:0${opts.revision}:00Z`,
      labels: { app: 'vweb', 'pod-template-hash': opts.hash, version: 'v1' },
      annotations,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'vweb',
          uid: DEPLOYMENT_UID,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: opts.desired,
      selector: { matchLabels: { app: 'vweb', 'pod-template-hash': opts.hash } },
      template: {
        metadata: { labels: { app: 'vweb', 'pod-template-hash': opts.hash } },
        spec: { containers: [{ name: 'web', image: opts.image ?? 'kiamol/ch09-vweb:v1' }] },
      },
    },
    status: {
      replicas: opts.current ?? opts.desired,
      fullyLabeledReplicas: opts.current ?? opts.desired,
      ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
      observedGeneration: 1,
    },
  };
}

type PodState =
  | { kind: 'running' }
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'terminated'; reason: string; exitCode: number }
  | { kind: 'crashLoop'; lastReason: string };

/** A pod of `vweb` (or any owner), with containerStatuses as the kubelet reports them. */
export function makePod(opts: {
  name: string;
  image: string;
  state: PodState;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string; uid: string };
  terminating?: boolean;
}): KubeObject {
  const ready = opts.state.kind === 'running';
  let state: Record<string, unknown>;
  let lastState: Record<string, unknown> = {};
  let restartCount = 0;
  switch (opts.state.kind) {
    case 'running':
      state = { running: { startedAt: '2026-11-27T10:05:00Z' } };
      break;
    case 'waiting':
      state = { waiting: { reason: opts.state.reason, message: opts.state.message ?? '' } };
      break;
    case 'terminated':
      state = {
        terminated: {
          exitCode: opts.state.exitCode,
          reason: opts.state.reason,
          startedAt: '2026-11-27T10:05:00Z',
        },
      };
      restartCount = 1;
      break;
    case 'crashLoop':
      state = {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
      };
      lastState = { terminated: { exitCode: 128, reason: opts.state.lastReason } };
      restartCount = 3;
      break;
  }
  const [, hash = 'x'] = /^vweb-([a-z0-9]+)-/.exec(opts.name) ?? [];
  const owner = opts.owner ?? { kind: 'ReplicaSet', name: `vweb-${hash}`, uid: `rs-uid-${hash}` };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: opts.name,
      namespace: NS,
      uid: `pod-uid-${opts.name}`,
      creationTimestamp: '2026-11-27T10:05:00Z',
      labels: opts.labels ?? { app: 'vweb', 'pod-template-hash': hash, version: 'v1' },
      ownerReferences: [{ apiVersion: 'apps/v1', ...owner, controller: true, blockOwnerDeletion: true }],
      ...(opts.terminating
        ? { deletionTimestamp: '2026-11-27T10:06:00Z', deletionGracePeriodSeconds: 30 }
        : {}),
    },
    spec: {
      containers: [{ name: 'web', image: opts.image }],
      nodeName: 'sandbox-node',
      restartPolicy: 'Always',
    },
    status: {
      phase:
        ready || opts.state.kind !== 'waiting' || opts.state.reason === 'CrashLoopBackOff'
          ? 'Running'
          : 'Pending',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      hostIP: '10.0.0.2',
      podIP: '10.244.0.12',
      startTime: '2026-11-27T10:05:00Z',
      containerStatuses: [
        {
          name: 'web',
          ready,
          restartCount,
          image: opts.image,
          imageID: '',
          started: ready,
          state,
          lastState,
        },
      ],
    },
  };
}

/** A core v1 Event about an object, as a controller records it. */
export function makeEvent(opts: {
  kind: string;
  name: string;
  reason: string;
  message?: string;
  component?: string;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${opts.name}.1879a6c2f4b0e001`, namespace: 'lab-1' },
    involvedObject: { apiVersion: 'apps/v1', kind: opts.kind, name: opts.name, namespace: 'lab-1' },
    reason: opts.reason,
    message: opts.message ?? '',
    source: { component: opts.component ?? 'deployment-controller' },
    type: 'Normal',
    count: 1,
  };
}

/** Builds a snapshot from partial lists. */
export function makeSnapshot(parts: Partial<NamespaceSnapshot>): NamespaceSnapshot {
  return { ...createEmptySnapshot(), ...parts };
}

/**
 * Realistic objects for the printer tests, shaped like what kube-apiserver stores after defaulting
 * for the chapter 9 exercises (`vweb`, kiamol/ch09-vweb images). Times are relative to NOW.
 */
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';

/** The simulated clock every test reads ages against. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');

/** An RFC 3339 timestamp `ms` before NOW, seconds precision as the API server writes them. */
export function ago(ms: number): string {
  return `${new Date(Math.floor((NOW - ms) / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export const SECONDS = 1000;
export const MINUTES = 60 * SECONDS;

const VWEB_HASH = '6bd7464487';

/** The chapter's Deployment: 3 desired, 2 ready and available. */
export function makeVwebDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'vweb',
      namespace: 'default',
      uid: 'd1',
      resourceVersion: '501',
      generation: 2,
      creationTimestamp: ago(6 * MINUTES + 48 * SECONDS),
      labels: { app: 'vweb' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { labels: { app: 'vweb' } },
        spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
    },
  };
}

/** The ReplicaSet from the learner's notes: `vweb-6bd7464487   2   2   1   9s`. */
export function makeVwebReplicaSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `vweb-${VWEB_HASH}`,
      namespace: 'default',
      uid: 'r1',
      resourceVersion: '480',
      creationTimestamp: ago(9 * SECONDS),
      labels: { app: 'vweb', 'pod-template-hash': VWEB_HASH },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vweb', uid: 'd1', controller: true },
      ],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'vweb', 'pod-template-hash': VWEB_HASH } },
      template: {
        metadata: { labels: { app: 'vweb', 'pod-template-hash': VWEB_HASH } },
        spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
      },
    },
    status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
  };
}

type PodParts = {
  name?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  deletionTimestamp?: string;
};

/** A pod of the vweb ReplicaSet, scheduled on node `lab-node`, with the given spec and status parts. */
export function makePod(parts: PodParts = {}): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name: parts.name ?? `vweb-${VWEB_HASH}-x2x9p`,
    namespace: 'default',
    uid: 'p1',
    resourceVersion: '490',
    creationTimestamp: ago(2 * MINUTES + 5 * SECONDS),
    labels: { app: 'vweb', 'pod-template-hash': VWEB_HASH },
  };
  if (parts.deletionTimestamp) metadata.deletionTimestamp = parts.deletionTimestamp;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: {
      nodeName: 'lab-node',
      restartPolicy: 'Always',
      containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }],
      ...parts.spec,
    },
    status: { phase: 'Running', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }], ...parts.status },
  };
}

/** A container status `web` in the given state. */
export function webStatus(fields: Record<string, unknown>): Record<string, unknown> {
  return { name: 'web', image: 'kiamol/ch09-vweb:v1', ready: false, restartCount: 0, ...fields };
}

/** Pod conditions as the kubelet reports them, Ready as given. */
export function podConditions(ready: boolean, initialized = true): Record<string, string>[] {
  return [
    { type: 'Initialized', status: initialized ? 'True' : 'False' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
    { type: 'ContainersReady', status: ready ? 'True' : 'False' },
    { type: 'PodScheduled', status: 'True' },
  ];
}

/** Two init containers (`wait-db`, `migrate`) in front of `web`. */
export const TWO_INIT_CONTAINERS = {
  initContainers: [
    { name: 'wait-db', image: 'busybox' },
    { name: 'migrate', image: 'kiamol/ch09-migrate' },
  ],
};

/** The LoadBalancer Service of the exercise, reached at localhost:8090 on Docker Desktop. */
export function makeLoadBalancerService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'vweb', namespace: 'default', uid: 's1', creationTimestamp: ago(9 * SECONDS) },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'vweb' },
      clusterIP: '10.96.120.8',
      clusterIPs: ['10.96.120.8'],
      ports: [{ port: 8090, targetPort: 80, nodePort: 31234, protocol: 'TCP' }],
    },
    status: { loadBalancer: { ingress: [{ hostname: 'localhost' }] } },
  };
}

/** A ClusterIP Service whose targetPort names the container port. */
export function makeClusterIPService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'vweb-internal', namespace: 'default', uid: 's2', creationTimestamp: ago(3 * MINUTES) },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'vweb', tier: 'web' },
      clusterIP: '10.96.44.21',
      clusterIPs: ['10.96.44.21'],
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  };
}

/**
 * A small cluster for controller tests: the API core on a manual clock with only the Deployment and
 * ReplicaSet controllers running. There is no kubelet, so tests make pods Running and Ready by
 * writing their status, as a node would. Events are collected in the order they are written.
 */

import { ClusterApi, type ObjectPolicy } from '../../../../sandbox/cluster/api/cluster-api.ts';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { createObjectPolicy } from '../../../../sandbox/cluster/api/policy.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createManualClock, formatTimestamp, type ManualClock } from '../../../../sandbox/cluster/clock.ts';
import { createControlPlane } from '../../../../sandbox/cluster/control-plane.ts';
import type { Controller, ControllerContext } from '../../../../sandbox/cluster/controllers/controller.ts';
import { createDeploymentController } from '../../../../sandbox/cluster/controllers/deployment/controller.ts';
import { createEventRecorder } from '../../../../sandbox/cluster/controllers/events.ts';
import { createReplicaSetController } from '../../../../sandbox/cluster/controllers/replicaset/controller.ts';
import { isPodActive, isPodReady } from '../../../../sandbox/cluster/controllers/shared/pods.ts';
import type {
  Deployment,
  Pod,
  ReplicaSet,
} from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';
import { bindPod } from '../../../../sandbox/cluster/nodes/scheduler.ts';
import { ObjectStore } from '../../../../sandbox/cluster/store/object-store.ts';

export const NS = 'default';

/** One recorded event, as `kubectl describe` would list it. */
export interface SeenEvent {
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
}

/** A running test cluster. */
export interface TestCluster {
  api: ClusterApi;
  clock: ManualClock;
  events: SeenEvent[];
  /** Errors the controllers reported (they never throw out of their loops). */
  errors: string[];
  settle(): Promise<void>;
  /** Moves time forward in steps, settling after each. */
  advance(ms: number, stepMs?: number): Promise<void>;
  stop(): void;
}

/** Seconds-aligned start, so RFC 3339 timestamps (seconds precision) are exact. */
const START = Date.parse('2026-01-01T10:00:00Z');

/**
 * Starts the Deployment and ReplicaSet controllers on a manual clock. With `admit`, the API core
 * is assembled by hand so a test can play admission (a quota); otherwise createControlPlane is used.
 */
export function startCluster(options: { admit?: ObjectPolicy['admit'] } = {}): TestCluster {
  const clock = createManualClock(START);
  const errors: string[] = [];
  const log = (controller: string, message: string, error?: unknown): void => {
    errors.push(`${controller}: ${message}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const build = (context: ControllerContext): Controller[] => [
    createDeploymentController(context),
    createReplicaSetController(context),
  ];
  let api: ClusterApi;
  let controllers: Controller[];
  let settle: () => Promise<void>;
  let stop: () => void;
  if (!options.admit) {
    const cp = createControlPlane({ clock, controllers: build, log });
    api = cp.api;
    controllers = cp.controllers;
    settle = () => cp.settle();
    stop = () => cp.stop();
  } else {
    api = new ClusterApi({
      store: new ObjectStore(),
      clock,
      policy: { ...createObjectPolicy(), admit: options.admit },
    });
    api.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    });
    const context: ControllerContext = {
      api,
      clock,
      recorder: (component) => createEventRecorder(api, { component }),
      log,
    };
    controllers = build(context);
    for (const controller of controllers) controller.start();
    settle = async () => {
      for (let round = 0; round < 1000; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        await Promise.all(controllers.map((c) => c.whenIdle()));
        await new Promise((resolve) => setImmediate(resolve));
        if (controllers.every((c) => (c as { queue?: { length: number } }).queue?.length === 0)) return;
      }
    };
    stop = () => {
      for (const controller of controllers) controller.stop();
    };
  }
  const events: SeenEvent[] = [];
  const watch = api.watch(RESOURCES.events, NS, {}, (event) => {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    const e = event.object as KubeObject & { involvedObject: { kind: string; name: string }; count: number };
    events.push({
      type: String(e.type),
      reason: String(e.reason),
      message: String(e.message),
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      count: e.count,
    });
  });
  return {
    api,
    clock,
    events,
    errors,
    settle,
    async advance(ms, stepMs = 1000) {
      for (let left = ms; left > 0; left -= stepMs) {
        clock.advance(Math.min(stepMs, left));
        await settle();
      }
    },
    stop() {
      watch.stop();
      stop();
    },
  };
}

/** The chapter's `vweb` Deployment, with the parts a test varies. */
export function vwebDeployment(
  options: {
    replicas?: number;
    image?: string;
    version?: string;
    strategy?: Deployment['spec']['strategy'];
    minReadySeconds?: number;
    progressDeadlineSeconds?: number;
    revisionHistoryLimit?: number;
    annotations?: Record<string, string>;
  } = {},
): Deployment {
  const version = options.version ?? 'v1';
  const spec: Deployment['spec'] = {
    replicas: options.replicas ?? 2,
    selector: { matchLabels: { app: 'vweb' } },
    template: {
      metadata: { labels: { app: 'vweb', version } },
      spec: {
        containers: [
          {
            name: 'web',
            image: options.image ?? `kiamol/ch09-vweb:${version}`,
            ports: [{ name: 'http', containerPort: 80 }],
          },
        ],
      },
    },
  };
  if (options.strategy) spec.strategy = options.strategy;
  if (options.minReadySeconds !== undefined) spec.minReadySeconds = options.minReadySeconds;
  if (options.progressDeadlineSeconds !== undefined)
    spec.progressDeadlineSeconds = options.progressDeadlineSeconds;
  if (options.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = options.revisionHistoryLimit;
  const metadata: Deployment['metadata'] = {
    name: 'vweb',
    namespace: NS,
    labels: { app: 'vweb', kiamol: 'ch09' },
  };
  if (options.annotations) metadata.annotations = options.annotations;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

/** Creates the Deployment, or replaces its spec (and given annotations) like `kubectl apply`. */
export function apply(api: ClusterApi, d: Deployment): Deployment {
  const existing = api.find(RESOURCES.deployments, NS, d.metadata.name!);
  if (!existing) return api.create(RESOURCES.deployments, NS, d) as Deployment;
  const next = structuredClone(existing) as Deployment;
  next.spec = structuredClone(d.spec);
  if (d.metadata.annotations)
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...d.metadata.annotations };
  return api.update(RESOURCES.deployments, NS, next) as Deployment;
}

/** Changes a stored Deployment with `change`, like `kubectl set image`, `scale` or `patch`. */
export function edit(api: ClusterApi, name: string, change: (d: Deployment) => void): Deployment {
  const next = structuredClone(api.get(RESOURCES.deployments, NS, name)) as Deployment;
  change(next);
  return api.update(RESOURCES.deployments, NS, next) as Deployment;
}

/** The stored Deployment. */
export function getDeployment(api: ClusterApi, name = 'vweb'): Deployment {
  return api.get(RESOURCES.deployments, NS, name) as Deployment;
}

/** ReplicaSets, oldest first. */
export function replicaSets(api: ClusterApi): ReplicaSet[] {
  return (api.listAll(RESOURCES.replicasets, NS) as ReplicaSet[]).sort(
    (a, b) =>
      Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!) ||
      a.metadata.name!.localeCompare(b.metadata.name!),
  );
}

/** spec.replicas of every ReplicaSet, oldest first. */
export function sizes(api: ClusterApi): number[] {
  return replicaSets(api).map((rs) => rs.spec.replicas ?? 1);
}

/** Pods in the namespace, optionally only those of one ReplicaSet. */
export function pods(api: ClusterApi, rs?: ReplicaSet): Pod[] {
  const all = api.listAll(RESOURCES.pods, NS) as Pod[];
  return rs ? all.filter((p) => p.metadata.ownerReferences?.some((ref) => ref.uid === rs.metadata.uid)) : all;
}

/**
 * Plays the kubelet for pods that are not ready yet: Running, Ready since now, containers started.
 * With `nodeName` the pods are also bound to a node, so deleting them leaves them terminating.
 */
export function makePodsReady(
  cluster: TestCluster,
  options: { only?: (pod: Pod) => boolean; nodeName?: string } = {},
): number {
  const { api, clock } = cluster;
  let count = 0;
  for (const pod of pods(api)) {
    if (!isPodActive(pod) || isPodReady(pod) || (options.only && !options.only(pod))) continue;
    let current = pod;
    if (options.nodeName) {
      // Binding is not a pod update (validation forbids changing nodeName): bind as the scheduler does.
      current = bindPod(api, NS, pod.metadata.name!, { nodeName: options.nodeName }) as Pod;
    }
    const now = formatTimestamp(clock.now());
    const ready = structuredClone(current);
    const containers = (ready.spec?.containers as { name: string; image: string }[] | undefined) ?? [];
    ready.status = {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
      startTime: now,
    };
    api.update(RESOURCES.pods, NS, ready, { subresource: 'status' });
    count++;
  }
  return count;
}

/** Messages of the ScalingReplicaSet events, in order, with hashes replaced by the given names. */
export function scalingMessages(cluster: TestCluster, names: Record<string, string> = {}): string[] {
  return cluster.events
    .filter((e) => e.reason === 'ScalingReplicaSet')
    .map((e) =>
      Object.entries(names).reduce((message, [real, alias]) => message.replaceAll(real, alias), e.message),
    );
}

/** The revision annotation of each ReplicaSet, oldest first. */
export function revisions(api: ClusterApi): string[] {
  return replicaSets(api).map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '');
}

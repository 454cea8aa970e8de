/**
 * Test fixtures shared by the workload-controller tests: a control plane on a manual clock running
 * only the controllers under test, nodes, and the kubelet's part done by hand (pods Running and
 * Ready, terminating pods removed) since no simulated kubelet runs here.
 */
import type { ClusterApi } from '../../../../sandbox/cluster/api/cluster-api.ts';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES, storageKeyOf } from '../../../../sandbox/cluster/api/resources.ts';
import { createManualClock, formatTimestamp, type ManualClock } from '../../../../sandbox/cluster/clock.ts';
import { type ControlPlane, createControlPlane } from '../../../../sandbox/cluster/control-plane.ts';
import type { Controller, ControllerContext } from '../../../../sandbox/cluster/controllers/controller.ts';

/** A control plane for a test, with its clock and a settle-then-advance helper. */
export interface TestCluster {
  cp: ControlPlane;
  api: ClusterApi;
  clock: ManualClock;
  errors: string[];
  /** Lets every controller finish, advancing the clock by `ms` afterwards and settling again. */
  settle(ms?: number): Promise<void>;
}

/** Starts a control plane running only the given controllers; controller errors are collected. */
export async function startCluster(
  controllers: (context: ControllerContext) => Controller[],
): Promise<TestCluster> {
  const clock = createManualClock();
  const errors: string[] = [];
  const cp = createControlPlane({
    clock,
    controllers,
    log: (controller, message, error) =>
      errors.push(`${controller}: ${message}: ${error instanceof Error ? error.message : String(error)}`),
  });
  const cluster: TestCluster = {
    cp,
    api: cp.api,
    clock,
    errors,
    async settle(ms = 0) {
      await cp.settle();
      if (ms > 0) {
        clock.advance(ms);
        await cp.settle();
      }
    },
  };
  await cp.settle();
  return cluster;
}

/** Creates a Node object as the node simulator would. */
export function createNode(
  api: ClusterApi,
  name: string,
  extra: { labels?: Record<string, string>; taints?: unknown[] } = {},
): KubeObject {
  return api.create(RESOURCES.nodes, undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
    spec: extra.taints ? { taints: extra.taints } : {},
  });
}

/** Creates a namespace. */
export function createNamespace(api: ClusterApi, name: string): KubeObject {
  return api.create(RESOURCES.namespaces, undefined, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
}

/**
 * Marks a pod Running and Ready now, as the kubelet would once its containers start; a pod without a
 * node is first bound to `rollout-lab-worker` (the scheduler's part), so that deleting it later is
 * graceful, as for a running pod.
 */
export function makePodReady(api: ClusterApi, pod: KubeObject, nodeName = 'rollout-lab-worker'): KubeObject {
  const now = formatTimestamp(api.clock.now());
  let bound = pod;
  if (!pod.spec?.nodeName) {
    // The scheduler binds through pods/binding, which the API core has no call for: write the store.
    const withNode = structuredClone(pod) as KubeObject;
    withNode.spec = { ...(withNode.spec ?? {}), nodeName };
    bound = api.store.update(storageKeyOf(RESOURCES.pods), withNode);
  }
  const next = structuredClone(bound) as KubeObject;
  next.status = {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      (type) => ({ type, status: 'True', lastTransitionTime: now }),
    ),
    startTime: now,
  };
  return api.update(RESOURCES.pods, pod.metadata.namespace, next, { subresource: 'status' });
}

/** Makes every pod in a namespace that is not Ready yet Running and Ready; returns their names. */
export function makeAllPodsReady(api: ClusterApi, namespace: string): string[] {
  const names: string[] = [];
  for (const pod of api.listAll(RESOURCES.pods, namespace)) {
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Running') continue;
    makePodReady(api, pod);
    names.push(pod.metadata.name!);
  }
  return names;
}

/** Removes pods whose graceful deletion has started, as the kubelet does when containers stop. */
export function removeTerminatingPods(api: ClusterApi, namespace?: string): string[] {
  const removed: string[] = [];
  for (const pod of api.listAll(RESOURCES.pods, namespace)) {
    if (!pod.metadata.deletionTimestamp) continue;
    api.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
    if (!api.find(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name!))
      removed.push(pod.metadata.name!);
  }
  return removed;
}

/** Pods of a namespace matching a label, sorted by name. */
export function podsWith(api: ClusterApi, namespace: string, label: string, value: string): KubeObject[] {
  return api.listAll(RESOURCES.pods, namespace).filter((p) => p.metadata.labels?.[label] === value);
}

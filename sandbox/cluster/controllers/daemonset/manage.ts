/**
 * The DaemonSet's core loop (upstream `manage`, `podsShouldBeOnNode`, `syncNodes`): one pod per
 * node that should run it, excess and failed pods removed. The plan is a pure function; syncNodes
 * carries it out through the API.
 *
 * A node whose only pod is terminating gets no new pod until that pod is gone: this is why a
 * DaemonSet rolling update with maxUnavailable shows the old pod Terminating first and the new pod
 * Pending after it (exercise 12).
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { JsonObject, KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import type { EventRecorder } from '../events.ts';
import { isPodTerminal } from '../history/pod-readiness.ts';
import { isPodAvailable, isPodReady, newControllerRef } from '../shared/pods.ts';
import {
  allowsSurge,
  comparePodsByCreation,
  createPodTemplate,
  DAEMONSET_UNIQUE_LABEL,
  type DaemonSetView,
  getTemplateGeneration,
  nodeShouldRunDaemonPod,
} from './daemonset-util.ts';

/** Daemon pods grouped by node name ('' for unscheduled pods). */
export type NodeToDaemonPods = Map<string, KubeObject[]>;

/**
 * Groups pods by node. Terminal pods already being deleted are left out unless asked for (history
 * cleanup wants them, to keep their revisions).
 */
export function groupPodsByNode(
  pods: readonly KubeObject[],
  includeDeletedTerminal: boolean,
): NodeToDaemonPods {
  const byNode: NodeToDaemonPods = new Map();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
    const node = (pod.spec?.nodeName as string | undefined) ?? '';
    const list = byNode.get(node) ?? [];
    list.push(pod);
    byNode.set(node, list);
  }
  return byNode;
}

/** What one node needs: a new pod, and/or pods deleted. */
export interface NodePlan {
  needsPod: boolean;
  podsToDelete: KubeObject[];
  /** Failed pods among podsToDelete, reported as events. */
  failedPods: KubeObject[];
}

/**
 * Decides for one node (upstream `podsShouldBeOnNode`):
 * - should run and has no pod → create one;
 * - may keep running → delete failed or succeeded pods; without surge, keep only the oldest running
 *   pod; with surge, keep at most one old and one new pod, and drop the old one once the new one is
 *   available (or the old one is not even ready);
 * - may not keep running → delete every pod there.
 */
export function podsShouldBeOnNode(
  node: KubeObject,
  podsOnNode: readonly KubeObject[] | undefined,
  ds: DaemonSetView,
  hash: string,
  nowMs: number,
): NodePlan {
  const plan: NodePlan = { needsPod: false, podsToDelete: [], failedPods: [] };
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds.object);
  const exists = podsOnNode !== undefined && podsOnNode.length > 0;
  if (shouldRun && !exists) {
    plan.needsPod = true;
    return plan;
  }
  if (shouldContinueRunning) {
    const running: KubeObject[] = [];
    for (const pod of podsOnNode ?? []) {
      if (pod.metadata.deletionTimestamp) continue;
      const phase = pod.status?.phase;
      if (phase === 'Failed') {
        plan.podsToDelete.push(pod);
        plan.failedPods.push(pod);
      } else if (phase === 'Succeeded') {
        plan.podsToDelete.push(pod);
      } else {
        running.push(pod);
      }
    }
    running.sort(comparePodsByCreation);
    if (!allowsSurge(ds)) {
      plan.podsToDelete.push(...running.slice(1));
      return plan;
    }
    if (running.length <= 1) {
      if (running.length === 0 && shouldRun) plan.needsPod = true;
      return plan;
    }
    let oldestNew: KubeObject | undefined;
    let oldestOld: KubeObject | undefined;
    for (const pod of running) {
      const isNew = pod.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] === hash;
      if (isNew && !oldestNew) oldestNew = pod;
      else if (!isNew && !oldestOld) oldestOld = pod;
      else plan.podsToDelete.push(pod);
    }
    if (
      oldestNew &&
      oldestOld &&
      (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.minReadySeconds, nowMs))
    ) {
      plan.podsToDelete.push(oldestOld);
    }
    return plan;
  }
  if (exists) {
    for (const pod of podsOnNode ?? []) if (!pod.metadata.deletionTimestamp) plan.podsToDelete.push(pod);
  }
  return plan;
}

/** The whole manage plan: nodes needing a pod and pods to delete, over every node. */
export function planManage(
  nodes: readonly KubeObject[],
  byNode: NodeToDaemonPods,
  ds: DaemonSetView,
  hash: string,
  nowMs: number,
): { nodesNeedingPods: string[]; podsToDelete: KubeObject[]; failedPods: KubeObject[] } {
  const nodesNeedingPods: string[] = [];
  const podsToDelete: KubeObject[] = [];
  const failedPods: KubeObject[] = [];
  const known = new Set<string>();
  for (const node of nodes) {
    known.add(node.metadata.name!);
    const plan = podsShouldBeOnNode(node, byNode.get(node.metadata.name!), ds, hash, nowMs);
    if (plan.needsPod) nodesNeedingPods.push(node.metadata.name!);
    podsToDelete.push(...plan.podsToDelete);
    failedPods.push(...plan.failedPods);
  }
  // Pods that never got a node and whose node is not in the list have nowhere to go.
  for (const [nodeName, pods] of byNode) {
    if (known.has(nodeName)) continue;
    for (const pod of pods)
      if (!pod.spec?.nodeName && !pod.metadata.deletionTimestamp) podsToDelete.push(pod);
  }
  return { nodesNeedingPods, podsToDelete, failedPods };
}

/** The pod a DaemonSet creates on a node: from its template, labelled with the revision, bound to the node. */
export function newDaemonPod(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const template = createPodTemplate(
    (ds.spec?.template ?? {}) as JsonObject,
    getTemplateGeneration(ds),
    hash,
  ) as {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      finalizers?: string[];
    };
    spec?: JsonObject;
  };
  const metadata: KubeObject['metadata'] = {
    generateName: `${ds.metadata.name}-`,
    namespace: ds.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [newControllerRef(ds)],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  if (template.metadata?.finalizers) metadata.finalizers = [...template.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...(template.spec ?? {}), nodeName } };
}

/**
 * Carries out a plan: deletes first, then creates one pod per node. Returns how many writes were
 * made; throws after trying everything when some failed, so the sync is retried.
 */
export function syncNodes(
  api: ClusterApi,
  recorder: EventRecorder,
  ds: KubeObject,
  podsToDelete: readonly KubeObject[],
  nodesNeedingPods: readonly string[],
  hash: string,
): number {
  const errors: unknown[] = [];
  let writes = 0;
  for (const pod of podsToDelete) {
    try {
      api.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name!, {
        preconditions: { uid: pod.metadata.uid },
      });
      recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      writes++;
    } catch (error) {
      if (error instanceof StatusError && error.code === 404) continue;
      recorder.record(ds, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(error)}`);
      errors.push(error);
    }
  }
  for (const nodeName of nodesNeedingPods) {
    try {
      const created = api.create(RESOURCES.pods, ds.metadata.namespace, newDaemonPod(ds, nodeName, hash));
      recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      writes++;
    } catch (error) {
      recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${messageOf(error)}`);
      errors.push(error);
    }
  }
  if (errors.length > 0)
    throw new AggregateError(
      errors,
      `${errors.length} pod operation(s) failed for DaemonSet ${ds.metadata.namespace}/${ds.metadata.name}`,
    );
  return writes;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * DaemonSet status (upstream `updateDaemonSetStatus`, `storeDaemonSetStatus`): per node that should
 * run the pod, whether it has one, whether the oldest is ready, available and up to date. These are
 * the DESIRED / CURRENT / READY / UP-TO-DATE / AVAILABLE columns of `kubectl get ds` and what
 * `kubectl rollout status ds/x` waits on.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { isPodAvailable, isPodReady } from '../shared/pods.ts';
import {
  comparePodsByCreation,
  type DaemonSetView,
  getTemplateGeneration,
  isPodUpdated,
  nodeShouldRunDaemonPod,
} from './daemonset-util.ts';
import type { NodeToDaemonPods } from './manage.ts';

/** The counters of DaemonSetStatus. */
export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/**
 * Counts over nodes. A node that should run the pod and has one counts as current; its oldest pod
 * decides ready / available / updated. A pod on a node that should not run it is misscheduled.
 * numberUnavailable = desired − available.
 */
export function calculateDaemonSetCounts(
  ds: DaemonSetView,
  nodes: readonly KubeObject[],
  byNode: NodeToDaemonPods,
  hash: string,
  nowMs: number,
): DaemonSetCounts {
  const counts: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const generation = getTemplateGeneration(ds.object);
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name!) ?? [];
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds.object);
    if (!shouldRun) {
      if (pods.length > 0) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    counts.currentNumberScheduled++;
    const oldest = [...pods].sort(comparePodsByCreation)[0]!;
    if (isPodReady(oldest)) {
      counts.numberReady++;
      if (isPodAvailable(oldest, ds.minReadySeconds, nowMs)) counts.numberAvailable++;
    }
    if (isPodUpdated(oldest, hash, generation)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}

/**
 * The status object as the API serves it: Go's field order, zero optional counters left out as
 * `omitempty` leaves them, collisionCount and conditions carried over.
 */
export function buildDaemonSetStatus(
  previous: KubeObject['status'],
  counts: DaemonSetCounts,
  observedGeneration: number | undefined,
): Record<string, unknown> {
  const status: Record<string, unknown> = {
    currentNumberScheduled: counts.currentNumberScheduled,
    numberMisscheduled: counts.numberMisscheduled,
    desiredNumberScheduled: counts.desiredNumberScheduled,
    numberReady: counts.numberReady,
  };
  if (observedGeneration) status.observedGeneration = observedGeneration;
  if (counts.updatedNumberScheduled) status.updatedNumberScheduled = counts.updatedNumberScheduled;
  if (counts.numberAvailable) status.numberAvailable = counts.numberAvailable;
  if (counts.numberUnavailable) status.numberUnavailable = counts.numberUnavailable;
  if (previous?.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
  if (previous?.conditions !== undefined) status.conditions = previous.conditions;
  return status;
}

/** Writes the status when a counter changed or the generation is newly observed. Reads the DaemonSet fresh. */
export function storeDaemonSetStatus(
  api: ClusterApi,
  ds: KubeObject,
  counts: DaemonSetCounts,
  updateObservedGeneration: boolean,
): void {
  const fresh = api.find(RESOURCES.daemonsets, ds.metadata.namespace, ds.metadata.name!);
  if (!fresh || fresh.metadata.uid !== ds.metadata.uid) return;
  const previous = fresh.status ?? {};
  const generation = fresh.metadata.generation ?? 0;
  const observed = updateObservedGeneration ? generation : previous.observedGeneration;
  const unchanged =
    (Object.keys(counts) as (keyof DaemonSetCounts)[]).every((key) => (previous[key] ?? 0) === counts[key]) &&
    (previous.observedGeneration ?? 0) >= generation;
  if (unchanged) return;
  const next = structuredClone(fresh) as KubeObject;
  next.status = buildDaemonSetStatus(previous, counts, observed);
  api.update(RESOURCES.daemonsets, next.metadata.namespace, next, { subresource: 'status' });
}

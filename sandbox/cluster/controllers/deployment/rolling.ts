/**
 * The RollingUpdate strategy (upstream's rolling.go). Each sync does at most one kind of scaling
 * and returns: grow the new ReplicaSet if the surge allows, otherwise shrink old ReplicaSets if
 * availability allows; the ReplicaSet and pod changes that follow queue the next sync.
 *
 * Worked example, 3 replicas at 25%/25% (surge 1, unavailable 0), v1 → v2:
 *   sync: create v2 with 1 (4 pods ≤ 3 + 1)            v1 3, v2 1
 *   the v2 pod becomes available; sync: v1 down to 2   v1 2, v2 1
 *   sync: v2 up to 2                                   v1 2, v2 2
 *   the second v2 pod becomes available: v1 down to 1, then v2 up to 3, then v1 down to 0.
 */
import type { Deployment, ReplicaSet } from '../shared/workload-types.ts';
import type { DeploymentSyncContext } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSetAndRecordEvent,
} from './sync.ts';
import {
  compareByCreationTimestamp,
  deploymentComplete,
  deploymentReplicas,
  filterActiveReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  maxUnavailable,
  newRSNewReplicas,
  replicaSetReplicas,
} from './util.ts';

/** One RollingUpdate step: scale up the new ReplicaSet, or scale down old ones, then the status. */
export function rolloutRolling(ctx: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  if (newRS && reconcileNewReplicaSet(ctx, allRSs, newRS, d)) {
    syncRolloutStatus(ctx, allRSs, newRS, d);
    return;
  }
  if (reconcileOldReplicaSets(ctx, allRSs, filterActiveReplicaSets(oldRSs), newRS, d)) {
    syncRolloutStatus(ctx, allRSs, newRS, d);
    return;
  }
  if (deploymentComplete(d, d.status)) cleanupDeployment(ctx, oldRSs, d);
  syncRolloutStatus(ctx, allRSs, newRS, d);
}

/**
 * Grows the new ReplicaSet as far as newRSNewReplicas allows (or shrinks it when it holds more
 * than spec.replicas). Returns whether it scaled.
 */
export function reconcileNewReplicaSet(
  ctx: DeploymentSyncContext,
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet,
  d: Deployment,
): boolean {
  const replicas = deploymentReplicas(d);
  if (replicaSetReplicas(newRS) === replicas) return false;
  if (replicaSetReplicas(newRS) > replicas)
    return scaleReplicaSetAndRecordEvent(ctx, newRS, replicas, d).scaled;
  return scaleReplicaSetAndRecordEvent(ctx, newRS, newRSNewReplicas(d, allRSs, newRS), d).scaled;
}

/**
 * Shrinks old ReplicaSets as far as availability allows. The budget is
 *   maxScaledDown = all pods − (replicas − maxUnavailable) − unavailable pods of the new ReplicaSet,
 * so pods of a new ReplicaSet that never become available (a crash-looping v3) do not let old,
 * serving pods go. Unhealthy old pods go first (they cost no availability), then old ReplicaSets
 * shrink, oldest first, while more than replicas − maxUnavailable pods are available.
 */
export function reconcileOldReplicaSets(
  ctx: DeploymentSyncContext,
  allRSs: (ReplicaSet | undefined)[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): boolean {
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const unavailable = maxUnavailable(d);
  const minAvailable = deploymentReplicas(d) - unavailable;
  const newRSUnavailablePodCount = newRS
    ? replicaSetReplicas(newRS) - (newRS.status?.availableReplicas ?? 0)
    : 0;
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;

  const cleaned = cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(
    ctx,
    [...cleaned.oldRSs, newRS],
    cleaned.oldRSs,
    d,
  );
  return cleaned.scaledDown + scaledDown > 0;
}

/**
 * Scales old ReplicaSets down by their unavailable pods, oldest first, up to `maxCleanupCount`.
 * The ReplicaSet controller deletes not-ready and unscheduled pods first, so this removes exactly
 * the pods that were not serving.
 */
export function cleanupUnhealthyReplicas(
  ctx: DeploymentSyncContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
  maxCleanupCount: number,
): { oldRSs: ReplicaSet[]; scaledDown: number } {
  const sorted = [...oldRSs].sort(compareByCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanupCount) break;
    const rs = sorted[i]!;
    const replicas = replicaSetReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanupCount - total, replicas - available);
    const newReplicas = replicas - count;
    if (newReplicas > replicas) {
      throw new Error(
        `when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${newReplicas}`,
      );
    }
    sorted[i] = scaleReplicaSetAndRecordEvent(ctx, rs, newReplicas, d).rs;
    total += count;
  }
  return { oldRSs: sorted, scaledDown: total };
}

/**
 * Scales old ReplicaSets down, oldest first, by as many pods as are available beyond
 * replicas − maxUnavailable. Returns how many pods it removed.
 */
export function scaleDownOldReplicaSetsForRollingUpdate(
  ctx: DeploymentSyncContext,
  allRSs: (ReplicaSet | undefined)[],
  oldRSs: ReplicaSet[],
  d: Deployment,
): number {
  const minAvailable = deploymentReplicas(d) - maxUnavailable(d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvailable) return 0;
  const totalScaleDownCount = availablePodCount - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(compareByCreationTimestamp)) {
    if (total >= totalScaleDownCount) break;
    const replicas = replicaSetReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, totalScaleDownCount - total);
    scaleReplicaSetAndRecordEvent(ctx, rs, replicas - count, d);
    total += count;
  }
  return total;
}

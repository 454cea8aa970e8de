/**
 * The Recreate strategy (upstream's recreate.go): scale every old ReplicaSet to zero, wait until
 * no old pod is left running, then create (or grow) the new ReplicaSet to all replicas at once. The
 * app is down in between, which is what chapter 9's Recreate exercise shows.
 */
import type { Deployment, Pod, ReplicaSet } from '../shared/workload-types.ts';
import type { DeploymentSyncContext } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSetAndRecordEvent,
} from './sync.ts';
import {
  deploymentComplete,
  deploymentReplicas,
  filterActiveReplicaSets,
  getActualReplicaCountForReplicaSets,
} from './util.ts';

/** Pods of the Deployment grouped by the uid of the ReplicaSet that controls them. */
export type PodMap = Map<string, Pod[]>;

/** One Recreate step: old ReplicaSets down, wait for their pods to go, new ReplicaSet up. */
export function rolloutRecreate(
  ctx: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  podMap: PodMap,
): void {
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  if (scaleDownOldReplicaSetsForRecreate(ctx, filterActiveReplicaSets(oldRSs), d)) {
    syncRolloutStatus(ctx, allRSs, newRS, d);
    return;
  }
  if (oldPodsRunning(newRS, oldRSs, podMap)) {
    syncRolloutStatus(ctx, allRSs, newRS, d);
    return;
  }
  if (!newRS) {
    ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) scaleUpNewReplicaSetForRecreate(ctx, newRS, d);
  if (deploymentComplete(d, d.status)) cleanupDeployment(ctx, oldRSs, d);
  syncRolloutStatus(ctx, allRSs, newRS, d);
}

/** Scales every active old ReplicaSet to zero; true when any was scaled. */
export function scaleDownOldReplicaSetsForRecreate(
  ctx: DeploymentSyncContext,
  oldRSs: ReplicaSet[],
  d: Deployment,
): boolean {
  let scaled = false;
  for (const rs of oldRSs) {
    if ((rs.spec.replicas ?? 1) === 0) continue;
    if (scaleReplicaSetAndRecordEvent(ctx, rs, 0, d).scaled) scaled = true;
  }
  return scaled;
}

/**
 * Whether old pods may still be running: an old ReplicaSet still reports pods, or a pod of an old
 * ReplicaSet exists that has not finished (terminating pods count: their containers still run).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

/** Scales the new ReplicaSet to all replicas; true when it changed. */
export function scaleUpNewReplicaSetForRecreate(
  ctx: DeploymentSyncContext,
  newRS: ReplicaSet,
  d: Deployment,
): boolean {
  return scaleReplicaSetAndRecordEvent(ctx, newRS, deploymentReplicas(d), d).scaled;
}

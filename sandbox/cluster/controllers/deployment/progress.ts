/**
 * Rollout progress (upstream's progress.go): the Progressing condition that says a rollout moved
 * (ReplicaSetUpdated), finished (NewReplicaSetAvailable) or stalled past progressDeadlineSeconds
 * (ProgressDeadlineExceeded, which makes `kubectl rollout status` fail with "exceeded its progress
 * deadline"), ReplicaSet failures lifted onto the Deployment, and the timer that re-checks a
 * stalled rollout when its deadline falls due.
 */
import type {
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  ReplicaSet,
} from '../shared/workload-types.ts';
import { type DeploymentSyncContext, nowTimestamp, sameStatus, writeDeploymentStatus } from './context.ts';
import { calculateStatus } from './sync.ts';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  NEW_RS_AVAILABLE_REASON,
  newDeploymentCondition,
  progressDeadlineSeconds,
  REPLICA_SET_UPDATED_REASON,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
  TIMED_OUT_REASON,
} from './util.ts';

/**
 * The status during a rollout, with progress estimated against the stored status. A new
 * ReplicaSetUpdated condition keeps lastTransitionTime but moves lastUpdateTime: the progress
 * deadline counts from the last time anything moved.
 */
export function syncRolloutStatus(
  ctx: DeploymentSyncContext,
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): void {
  const now = ctx.clock.now();
  const next = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(next, 'Progressing');

  const current = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment =
    next.replicas === next.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, next)) {
      setDeploymentCondition(
        next,
        newDeploymentCondition(
          'Progressing',
          'True',
          NEW_RS_AVAILABLE_REASON,
          `${subject} has successfully progressed.`,
          nowTimestamp(ctx),
        ),
      );
    } else if (deploymentProgressing(d, next)) {
      const condition = newDeploymentCondition(
        'Progressing',
        'True',
        REPLICA_SET_UPDATED_REASON,
        `${subject} is progressing.`,
        nowTimestamp(ctx),
      );
      // Unlike other conditions, Progressing is rewritten with the same reason so lastUpdateTime moves.
      if (current) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeDeploymentCondition(next, 'Progressing');
      }
      setDeploymentCondition(next, condition);
    } else if (deploymentTimedOut(d, next, now)) {
      setDeploymentCondition(
        next,
        newDeploymentCondition(
          'Progressing',
          'False',
          TIMED_OUT_REASON,
          `${subject} has timed out progressing.`,
          nowTimestamp(ctx),
        ),
      );
    }
  }

  const failure = getReplicaFailures(allRSs, newRS)[0];
  if (failure) setDeploymentCondition(next, failure);
  else removeDeploymentCondition(next, 'ReplicaFailure');
  if (next.conditions?.length === 0) delete next.conditions;

  if (sameStatus(d.status, next)) {
    requeueStuckDeployment(ctx, d, next);
    return;
  }
  d.status = next;
  writeDeploymentStatus(ctx, d);
}

/** ReplicaFailure conditions of the ReplicaSets as Deployment conditions, the new ReplicaSet's first. */
export function getReplicaFailures(
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
): DeploymentCondition[] {
  const failuresOf = (rs: ReplicaSet | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map(replicaSetToDeploymentCondition);
  const fromNew = failuresOf(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap(failuresOf);
}

/**
 * Schedules a progress check for a rollout that shows no progress, one second after its deadline
 * (the Progressing condition's lastUpdateTime + progressDeadlineSeconds); upstream adds the second
 * to stay clear of timer skew. Returns the time left in ms, 0 when under a second is left, or -1
 * when no check is needed.
 * Worked example: last progress at 10:00:00, deadline 120 s, now 10:00:30 → check in 91 s.
 */
export function requeueStuckDeployment(
  ctx: DeploymentSyncContext,
  d: Deployment,
  next: DeploymentStatus,
): number {
  const current = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return -1;
  if (deploymentComplete(d, next) || current.reason === TIMED_OUT_REASON) return -1;
  const lastUpdate = current.lastUpdateTime ? Date.parse(current.lastUpdateTime) : Number.NaN;
  if (Number.isNaN(lastUpdate)) return -1;
  const after = lastUpdate + progressDeadlineSeconds(d) * 1000 - ctx.clock.now();
  // Upstream re-queues at once (rate limited) when under a second remains; a timer one second past
  // the deadline does the same job without spinning while simulated time stands still.
  ctx.enqueueAfter(d, Math.max(0, after) + 1000);
  if (after < 1000) return 0;
  return after;
}

/**
 * The Deployment controller's pure arithmetic and bookkeeping, after upstream's
 * pkg/controller/deployment/util: resolving maxSurge/maxUnavailable, how far the new ReplicaSet may
 * grow, proportional shares on scaling, finding the new and old ReplicaSets, revision and replica
 * annotations, and the conditions that `kubectl rollout status` reads. No I/O lives here.
 */

import { getScaledValueFromIntOrPercent } from '../shared/int-or-percent.ts';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from '../shared/pod-template-hash.ts';
import type {
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  IntOrString,
  ReplicaSet,
  ReplicaSetCondition,
} from '../shared/workload-types.ts';

export { POD_TEMPLATE_HASH_LABEL };

/** Records a ReplicaSet's place in the rollout sequence; `kubectl rollout history` lists it. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a reused ReplicaSet served (it came back through a rollout undo). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's replicas when the ReplicaSet was last sized: tells scaling apart from rolling. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** replicas + maxSurge when the ReplicaSet was last sized: the base of proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The reason a rollout happened, set by `kubectl --record` or by hand, copied to the ReplicaSet. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** kubectl's client-side apply record; never copied to ReplicaSets. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The extensions/v1beta1 rollback request; never copied to ReplicaSets. */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** Progressing: a ReplicaSet of the rollout was scaled. */
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
/** Progressing False: the new ReplicaSet could not be created. */
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
/** Progressing: the controller created the new ReplicaSet. */
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
/** Progressing: the controller found an existing ReplicaSet for the template. */
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
/** Progressing: the rollout completed. */
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
/** Progressing False: no progress within progressDeadlineSeconds. */
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/** Progressing Unknown: the Deployment was paused. */
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
/** Progressing Unknown: the Deployment was resumed. */
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
/** Available True. */
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
/** Available False. */
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** math.MaxInt32: as progressDeadlineSeconds or revisionHistoryLimit it means "no limit". */
export const MAX_INT32 = 2 ** 31 - 1;

/** Annotations of a Deployment that are never copied to its ReplicaSets. */
const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

// ---------------------------------------------------------------------------------------------
// Defaulted reads. The API server's defaulting is written elsewhere; until it fills these fields
// the controller falls back to upstream's defaults, so it behaves the same either way.

/** A mutable Deployment's status, created empty when missing. */
export function mutableStatus(d: Deployment): DeploymentStatus {
  d.status ??= {};
  return d.status;
}

/** spec.replicas, defaulting to 1. */
export function deploymentReplicas(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

/** spec.replicas of a ReplicaSet, defaulting to 1. */
export function replicaSetReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

/** spec.strategy.type, defaulting to RollingUpdate. */
export function strategyType(d: Deployment): string {
  return d.spec.strategy?.type || 'RollingUpdate';
}

/** True for the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return strategyType(d) === 'RollingUpdate';
}

/** spec.minReadySeconds, defaulting to 0. */
export function minReadySeconds(d: Deployment): number {
  return d.spec.minReadySeconds ?? 0;
}

/** spec.progressDeadlineSeconds, defaulting to 600. */
export function progressDeadlineSeconds(d: Deployment): number {
  return d.spec.progressDeadlineSeconds ?? 600;
}

/** spec.revisionHistoryLimit, defaulting to 10. */
export function revisionHistoryLimit(d: Deployment): number {
  return d.spec.revisionHistoryLimit ?? 10;
}

/** Whether the Deployment reports ProgressDeadlineExceeded (a deadline of MaxInt32 means never). */
export function hasProgressDeadline(d: Deployment): boolean {
  return progressDeadlineSeconds(d) !== MAX_INT32;
}

/** Whether old ReplicaSets are cleaned up (a limit of MaxInt32 keeps them all). */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return revisionHistoryLimit(d) !== MAX_INT32;
}

// ---------------------------------------------------------------------------------------------
// Fenceposts

/** The two bounds of a rolling update, in pods. */
export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against the desired replicas,
 * in one step because of the corner where both come out 0. Worked examples:
 * - 3 replicas, 25%/25%: surge ceil(0.75) = 1, unavailable floor(0.75) = 0 — roll by surging one.
 * - 4 replicas, 1/1: surge 1, unavailable 1 — one extra pod and one pod down at a time.
 * - 1 replica, 0%/10%: both 0, which would never make progress, so unavailable becomes 1
 *   (surging might be blocked by a quota; losing one pod never is).
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): Fenceposts {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}

/** The rolling update bounds as written, with upstream's 25%/25% defaults. */
function rollingParameters(d: Deployment): { maxSurge: IntOrString; maxUnavailable: IntOrString } {
  const rolling = d.spec.strategy?.rollingUpdate;
  return { maxSurge: rolling?.maxSurge ?? '25%', maxUnavailable: rolling?.maxUnavailable ?? '25%' };
}

/** How many pods above spec.replicas a rolling Deployment may run (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const { maxSurge: surge, maxUnavailable } = rollingParameters(d);
  return resolveFenceposts(surge, maxUnavailable, deploymentReplicas(d)).maxSurge;
}

/** How many of spec.replicas may be unavailable during a rolling update (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const { maxSurge: surge, maxUnavailable: unavailable } = rollingParameters(d);
  return Math.min(resolveFenceposts(surge, unavailable, replicas).maxUnavailable, replicas);
}

// ---------------------------------------------------------------------------------------------
// Counting

/** Sum of spec.replicas. */
export function getReplicaCountForReplicaSets(list: readonly (ReplicaSet | undefined)[]): number {
  return list.reduce((sum, rs) => sum + (rs ? replicaSetReplicas(rs) : 0), 0);
}

/** Sum of status.replicas (pods that exist). */
export function getActualReplicaCountForReplicaSets(list: readonly (ReplicaSet | undefined)[]): number {
  return list.reduce((sum, rs) => sum + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function getReadyReplicaCountForReplicaSets(list: readonly (ReplicaSet | undefined)[]): number {
  return list.reduce((sum, rs) => sum + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function getAvailableReplicaCountForReplicaSets(list: readonly (ReplicaSet | undefined)[]): number {
  return list.reduce((sum, rs) => sum + (rs?.status?.availableReplicas ?? 0), 0);
}

/** ReplicaSets that have (or ought to have) pods. */
export function filterActiveReplicaSets(list: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return list.filter((rs): rs is ReplicaSet => rs !== undefined && replicaSetReplicas(rs) > 0);
}

// ---------------------------------------------------------------------------------------------
// Ordering

function creationMs(rs: ReplicaSet): number {
  const t = rs.metadata.creationTimestamp ? Date.parse(rs.metadata.creationTimestamp) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Oldest first, names breaking ties (creation times have one-second precision). */
export function compareByCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const diff = creationMs(a) - creationMs(b);
  if (diff !== 0) return diff;
  const [na, nb] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; among equals the newer first (who gets extra replicas when scaling up). */
export function compareBySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const diff = replicaSetReplicas(b) - replicaSetReplicas(a);
  return diff !== 0 ? diff : compareByCreationTimestamp(b, a);
}

/** Larger first; among equals the older first (who loses replicas first when scaling down). */
export function compareBySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const diff = replicaSetReplicas(b) - replicaSetReplicas(a);
  return diff !== 0 ? diff : compareByCreationTimestamp(a, b);
}

/** Lower revision first, creation time breaking ties and unparsable revisions. */
export function compareByRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = parseRevision(a);
  const rb = parseRevision(b);
  if (ra === undefined || rb === undefined || ra === rb) return compareByCreationTimestamp(a, b);
  return ra - rb;
}

// ---------------------------------------------------------------------------------------------
// Finding the new and old ReplicaSets

/**
 * The ReplicaSet whose template equals the Deployment's (ignoring the hash label). After a cluster
 * upgrade there may be two; like upstream we pick the oldest so the choice is stable.
 */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList]
    .sort(compareByCreationTimestamp)
    .find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Every ReplicaSet but the new one: `withPods` those with replicas, `all` every old one. */
export function findOldReplicaSets(
  d: Deployment,
  rsList: readonly ReplicaSet[],
): { withPods: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const all = rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { withPods: all.filter((rs) => replicaSetReplicas(rs) !== 0), all };
}

/**
 * The ReplicaSet to scale when at most one is active: the active one, or the newest when none is.
 * Undefined when several are active and scaling must be proportional.
 */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => compareByCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Rollout arithmetic

/**
 * How many replicas the new ReplicaSet should have now. For RollingUpdate it may grow until all
 * ReplicaSets together reach replicas + maxSurge, and never beyond spec.replicas; for Recreate it
 * takes all replicas at once (the old ones are already gone). Worked example: 3 replicas, surge 1,
 * old ReplicaSet at 3 and the new one at 0 → room for 3 + 1 − 3 = 1, so the new one gets 1.
 */
export function newRSNewReplicas(
  d: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet,
): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = getReplicaCountForReplicaSets(allRSs);
  const maxTotal = replicas + maxSurge(d);
  const newReplicas = replicaSetReplicas(newRS);
  if (current >= maxTotal) return newReplicas;
  const scaleUp = Math.min(maxTotal - current, replicas - newReplicas);
  return newReplicas + scaleUp;
}

/** A replica-count annotation as a number, or undefined when missing or not an integer. */
function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const text = rs.metadata.annotations?.[key];
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The desired-replicas annotation. */
export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

/** The max-replicas annotation. */
export function getMaxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

/** Go's math.Round: halves go away from zero (JavaScript's Math.round sends -2.5 to -2). */
function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * This ReplicaSet's share of a scaling event, before clamping: its size scaled from the
 * Deployment's old maximum (max-replicas annotation) to the new one. Worked example: a ReplicaSet
 * of 8 sized when the maximum was 13, the Deployment now allowing 33 → round(8 × 33 / 13) − 8 = 12.
 * Scaling to zero takes everything.
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const size = replicaSetReplicas(rs);
  if (deploymentReplicas(d) === 0) return -size;
  const deploymentMax = deploymentReplicas(d) + maxSurge(d);
  const annotated = getMaxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAwayFromZero((size * deploymentMax) / annotated) - size;
}

/**
 * How many replicas to add to (or remove from) one ReplicaSet in a proportional scale, never
 * exceeding what is left of `toAdd` after `added` was given to the ReplicaSets before it.
 */
export function getProportion(
  rs: ReplicaSet | undefined,
  d: Deployment,
  toAdd: number,
  added: number,
): number {
  if (!rs || replicaSetReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The new sizes of the active ReplicaSets when a Deployment is scaled in the middle of a rollout
 * (upstream's proportional part of `scale`). The extra replicas (replicas + maxSurge
 * minus what the ReplicaSets hold) are shared in proportion to current sizes, larger ReplicaSets
 * first (newer first when scaling up, older first when scaling down), and the rounding leftover
 * goes to the first one. Worked example: 10 replicas with surge 3 and ReplicaSets of 8 (old) and 5
 * (new) scaled to 30 → allowed 33, 20 to add: the old gets round(8·33/13) − 8 = 12, the new
 * round(5·33/13) − 5 = 8, giving 20 and 13. Returned in the order the ReplicaSets are updated.
 */
export function proportionalScaleSizes(
  d: Deployment,
  activeRSs: readonly ReplicaSet[],
): { rs: ReplicaSet; size: number }[] {
  const allRSsReplicas = getReplicaCountForReplicaSets(activeRSs);
  const replicas = deploymentReplicas(d);
  const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowedSize - allRSsReplicas;
  const ordered = [...activeRSs];
  if (toAdd > 0) ordered.sort(compareBySizeNewer);
  else if (toAdd < 0) ordered.sort(compareBySizeOlder);
  let added = 0;
  const sized = ordered.map((rs) => {
    const proportion = toAdd !== 0 ? getProportion(rs, d, toAdd, added) : 0;
    added += proportion;
    return { rs, size: replicaSetReplicas(rs) + proportion };
  });
  const first = sized[0];
  if (first && toAdd !== 0) first.size = Math.max(0, first.size + toAdd - added);
  return sized;
}

/**
 * Whether the new ReplicaSet holds the whole Deployment: sized at spec.replicas, sized for this
 * spec.replicas (annotation), and every pod available.
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = deploymentReplicas(d);
  return (
    replicaSetReplicas(rs) === replicas &&
    desired === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

// ---------------------------------------------------------------------------------------------
// Revisions and annotations

/** The revision annotation as a number: 0 when missing, undefined when not an integer. */
export function parseRevision(rs: {
  metadata: { annotations?: Record<string, string> };
}): number | undefined {
  const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** The highest revision among the ReplicaSets (unparsable ones skipped), 0 for none. */
export function maxRevision(list: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of list) {
    const revision = parseRevision(rs);
    if (revision !== undefined && revision > max) max = revision;
  }
  return max;
}

/** Sets desired-replicas and max-replicas on a mutable ReplicaSet; true when they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  let updated = false;
  if (rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    updated = true;
  }
  if (rs.metadata.annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    rs.metadata.annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    updated = true;
  }
  return updated;
}

/** Whether desired-replicas or max-replicas differ from the given values. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return (
    annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) ||
    annotations[MAX_REPLICAS_ANNOTATION] !== String(max)
  );
}

/**
 * Copies the Deployment's annotations (change-cause and any of the user's own) onto a mutable
 * ReplicaSet, except kubectl's apply record and the controller's bookkeeping; true when changed.
 */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(key) || rs.metadata.annotations[key] === value) continue;
    rs.metadata.annotations[key] = value;
    changed = true;
  }
  return changed;
}

/**
 * Brings a mutable new ReplicaSet's annotations up to date: the Deployment's annotations, the
 * revision (raised to `newRevision` only, never lowered), the history of revisions it served when
 * it comes back in a rollout undo (kept under `historyLimitChars`), and for a ReplicaSet about to
 * be created the replica annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  historyLimitChars = 2000,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = rs.metadata.annotations ?? {};
  rs.metadata.annotations = annotations;
  const oldText = annotations[REVISION_ANNOTATION];
  let oldRevision = 0;
  if (oldText !== undefined && oldText !== '') {
    if (!/^-?\d+$/.test(oldText)) return false;
    oldRevision = Number(oldText);
  }
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      if (!history) {
        annotations[REVISION_HISTORY_ANNOTATION] = oldText;
      } else {
        const previous = history.split(',');
        let total = history.length + oldText.length + 1;
        let start = 0;
        while (total > historyLimitChars && start < previous.length) {
          total -= previous[start]!.length + 1;
          start++;
        }
        if (total <= historyLimitChars)
          annotations[REVISION_HISTORY_ANNOTATION] = [...previous.slice(start), oldText].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, deploymentReplicas(d), deploymentReplicas(d) + maxSurge(d)))
    changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation on a mutable Deployment; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  d.metadata.annotations ??= {};
  if (d.metadata.annotations[REVISION_ANNOTATION] === revision) return false;
  d.metadata.annotations[REVISION_ANNOTATION] = revision;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** A new Deployment condition stamped with `now` (RFC 3339) for both times. */
export function newDeploymentCondition(
  type: string,
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** The condition of a type, if present. */
export function getDeploymentCondition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition on a mutable status. A condition with the same status and reason is left as it
 * is (its times too); one with the same status but a new reason keeps lastTransitionTime.
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

/** Removes the condition of a type from a mutable status. */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** A ReplicaSet's failure condition as a Deployment condition (both times from the transition). */
export function replicaSetToDeploymentCondition(condition: ReplicaSetCondition): DeploymentCondition {
  return {
    type: condition.type,
    status: condition.status,
    lastUpdateTime: condition.lastTransitionTime,
    lastTransitionTime: condition.lastTransitionTime,
    reason: condition.reason,
    message: condition.message,
  };
}

// ---------------------------------------------------------------------------------------------
// Progress

/** A rollout is complete when all replicas are updated and available, no old pods exist, and this generation was observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus | undefined): boolean {
  const replicas = deploymentReplicas(d);
  return (
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * Whether the new status shows progress over the stored one: more updated pods, fewer old pods,
 * or more ready or available pods.
 */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * Whether the rollout has made no progress for longer than progressDeadlineSeconds, judged from the
 * Progressing condition's lastUpdateTime (strictly after the deadline, like upstream).
 */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(next, 'Progressing');
  if (!condition) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const from = condition.lastUpdateTime ? Date.parse(condition.lastUpdateTime) : Number.NaN;
  if (Number.isNaN(from)) return false;
  return from + progressDeadlineSeconds(d) * 1000 < now;
}

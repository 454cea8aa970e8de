/**
 * The parts of a Deployment sync shared by every strategy (upstream's sync.go): finding or
 * creating the new ReplicaSet and syncing revisions, scaling (including proportional scaling in
 * the middle of a rollout), cleaning up old ReplicaSets, the paused conditions, and the status.
 */
import { StatusError } from '../../api/errors.ts';
import type { LabelSelector } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { formatTimestamp } from '../../clock.ts';
import { isControlledBy } from '../shared/controller-ref.ts';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from '../shared/pod-template-hash.ts';
import { newControllerRef } from '../shared/pods.ts';
import type { Deployment, DeploymentStatus, PodTemplateSpec, ReplicaSet } from '../shared/workload-types.ts';
import {
  type DeploymentSyncContext,
  nowTimestamp,
  sameStatus,
  updateReplicaSet,
  writeDeploymentStatus,
} from './context.ts';
import {
  compareByRevision,
  deploymentReplicas,
  FAILED_RS_CREATE_REASON,
  FOUND_NEW_RS_REASON,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getDeploymentCondition,
  getDesiredReplicasAnnotation,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  maxRevision,
  maxSurge,
  maxUnavailable,
  minReadySeconds,
  mutableStatus,
  NEW_REPLICA_SET_REASON,
  newDeploymentCondition,
  newRSNewReplicas,
  PAUSED_DEPLOY_REASON,
  proportionalScaleSizes,
  RESUMED_DEPLOY_REASON,
  REVISION_ANNOTATION,
  replicaSetReplicas,
  replicasAnnotationsNeedUpdate,
  revisionHistoryLimit,
  setDeploymentCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  TIMED_OUT_REASON,
} from './util.ts';

/** The new ReplicaSet (if it exists) and every old one, as a sync sees them. */
export interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/** Only recomputes the status; used for a Deployment being deleted. */
export function syncStatusOnly(ctx: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Reconciles a scaling event or a paused Deployment: scales (proportionally when several
 * ReplicaSets are active) without rolling anything out, cleans up when paused, updates the status.
 */
export function sync(ctx: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  scale(ctx, d, newRS, oldRSs);
  if (d.spec.paused) cleanupDeployment(ctx, oldRSs, d);
  syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Records pausing and resuming in the Progressing condition (status Unknown), so the time a
 * Deployment spent paused never counts against its progress deadline. A timed-out condition is
 * kept.
 */
export function checkPausedConditions(ctx: DeploymentSyncContext, d: Deployment): void {
  if (!hasProgressDeadline(d)) return;
  const condition = getDeploymentCondition(d.status, 'Progressing');
  if (condition?.reason === TIMED_OUT_REASON) return;
  const pausedConditionExists = condition?.reason === PAUSED_DEPLOY_REASON;
  const status: DeploymentStatus = mutableStatus(d);
  if (d.spec.paused && !pausedConditionExists) {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Progressing',
        'Unknown',
        PAUSED_DEPLOY_REASON,
        'Deployment is paused',
        nowTimestamp(ctx),
      ),
    );
  } else if (!d.spec.paused && pausedConditionExists) {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Progressing',
        'Unknown',
        RESUMED_DEPLOY_REASON,
        'Deployment is resumed',
        nowTimestamp(ctx),
      ),
    );
  } else {
    return;
  }
  writeDeploymentStatus(ctx, d);
}

/**
 * The new ReplicaSet and the old ones, with revisions in order: the new ReplicaSet's revision is
 * raised to one more than the highest old revision, and the Deployment's revision follows it. With
 * `createIfNotExisted`, a missing new ReplicaSet is created (a rollout starts).
 */
export function getAllReplicaSetsAndSyncRevision(
  ctx: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfNotExisted: boolean,
): ReplicaSetsOfDeployment {
  const { all: oldRSs } = findOldReplicaSets(d, rsList);
  const newRS = getNewReplicaSet(ctx, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

/** A copy of a selector with one more matchLabels entry. */
function cloneSelectorAndAddLabel(
  selector: LabelSelector | undefined,
  key: string,
  value: string,
): LabelSelector {
  const copy: LabelSelector = structuredClone(selector ?? {});
  copy.matchLabels = { ...(copy.matchLabels ?? {}), [key]: value };
  return copy;
}

/** Sets spec.minReadySeconds, leaving 0 out as Go's `omitempty` does. */
function setMinReadySeconds(rs: ReplicaSet, seconds: number): void {
  if (seconds) rs.spec.minReadySeconds = seconds;
  else delete rs.spec.minReadySeconds;
}

function isNamespaceTerminating(error: unknown): boolean {
  return error instanceof StatusError && error.code === 403 && /is being terminated/.test(error.message);
}

/**
 * Finds the ReplicaSet matching the Deployment's template and brings its annotations, revision and
 * minReadySeconds up to date — this is how a rollout undo gives an old ReplicaSet the next revision
 * number. Without one, and with `createIfNotExisted`, creates `<deployment>-<pod-template-hash>`
 * sized by newRSNewReplicas; a name already taken by a different template is a hash collision,
 * answered by bumping status.collisionCount and trying again on the next sync.
 */
export function getNewReplicaSet(
  ctx: DeploymentSyncContext,
  d: Deployment,
  rsList: ReplicaSet[],
  oldRSs: ReplicaSet[],
  createIfNotExisted: boolean,
): ReplicaSet | undefined {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadyNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== minReadySeconds(d);
    if (annotationsUpdated || minReadyNeedsUpdate) {
      setMinReadySeconds(rsCopy, minReadySeconds(d));
      return updateReplicaSet(ctx, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
      const message = `Found new replica set "${rsCopy.metadata.name}"`;
      setDeploymentCondition(
        mutableStatus(d),
        newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, message, nowTimestamp(ctx)),
      );
      needsUpdate = true;
    }
    if (needsUpdate) writeDeploymentStatus(ctx, d);
    return rsCopy;
  }
  if (!createIfNotExisted) return undefined;

  const template: PodTemplateSpec = structuredClone(d.spec.template ?? {});
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  template.metadata = {
    ...(template.metadata ?? {}),
    labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
  };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [newControllerRef(d)],
    },
    spec: {
      replicas: 0,
      selector: cloneSelectorAndAddLabel(d.spec.selector, POD_TEMPLATE_HASH_LABEL, hash),
      template,
    },
  };
  setMinReadySeconds(newRS, minReadySeconds(d));
  const newReplicasCount = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = newReplicasCount;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = structuredClone(
      ctx.api.create(RESOURCES.replicasets, d.metadata.namespace, newRS),
    ) as ReplicaSet;
  } catch (error) {
    if (error instanceof StatusError && error.reason === 'AlreadyExists') {
      alreadyExists = true;
      const found = ctx.api.find(RESOURCES.replicasets, d.metadata.namespace, newRS.metadata.name!) as
        | ReplicaSet
        | undefined;
      if (!found) throw error;
      if (isControlledBy(found, d.metadata.uid) && equalIgnoreHash(d.spec.template, found.spec.template)) {
        created = structuredClone(found);
      } else {
        // Another template already owns this name: count the collision so the next hash differs.
        const status: DeploymentStatus = mutableStatus(d);
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        writeDeploymentStatus(ctx, d);
        throw error;
      }
    } else if (isNamespaceTerminating(error)) {
      throw error;
    } else {
      const message = `Failed to create new replica set "${newRS.metadata.name}": ${error instanceof Error ? error.message : String(error)}`;
      if (hasProgressDeadline(d)) {
        setDeploymentCondition(
          mutableStatus(d),
          newDeploymentCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, message, nowTimestamp(ctx)),
        );
        try {
          writeDeploymentStatus(ctx, d);
        } catch {
          // The creation failure is the bigger problem to report; the status follows on a later sync.
        }
      }
      ctx.recorder.record(d, 'Warning', FAILED_RS_CREATE_REASON, message);
      throw error;
    }
  }
  if (!alreadyExists && newReplicasCount > 0) {
    ctx.recorder.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicasCount}`,
    );
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    const message = `Created new replica set "${created.metadata.name}"`;
    setDeploymentCondition(
      mutableStatus(d),
      newDeploymentCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, message, nowTimestamp(ctx)),
    );
    needsUpdate = true;
  }
  if (needsUpdate) writeDeploymentStatus(ctx, d);
  return created;
}

/**
 * Scales without rolling out. One active ReplicaSet (or none) takes all replicas; a saturated new
 * ReplicaSet means the old ones go to zero; otherwise, in a rolling update, the change is shared
 * proportionally so a scale in the middle of a rollout neither hastens nor stalls it.
 */
export function scale(
  ctx: DeploymentSyncContext,
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
): void {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (replicaSetReplicas(activeOrLatest) === deploymentReplicas(d)) return;
    scaleReplicaSetAndRecordEvent(ctx, activeOrLatest, deploymentReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (isRollingUpdate(d)) {
    for (const { rs, size } of proportionalScaleSizes(d, filterActiveReplicaSets([...oldRSs, newRS]))) {
      scaleReplicaSet(ctx, rs, size, d);
    }
  }
}

/** What a scale did: whether the size changed, and the ReplicaSet as it now stands. */
export interface ScaleResult {
  scaled: boolean;
  rs: ReplicaSet;
}

/** Scales a ReplicaSet when its size differs (upstream's scaleReplicaSetAndRecordEvent). */
export function scaleReplicaSetAndRecordEvent(
  ctx: DeploymentSyncContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
): ScaleResult {
  if (replicaSetReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d);
}

/**
 * Writes a ReplicaSet's size together with the desired-replicas and max-replicas annotations,
 * and records a ScalingReplicaSet event worded as Kubernetes 1.32 words it:
 * `Scaled up replica set vweb-6bd7464487 from 2 to 3`.
 */
export function scaleReplicaSet(
  ctx: DeploymentSyncContext,
  rs: ReplicaSet,
  newScale: number,
  d: Deployment,
): ScaleResult {
  const oldScale = replicaSetReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const desired = deploymentReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = updateReplicaSet(ctx, copy);
  if (sizeNeedsUpdate) {
    const direction = oldScale < newScale ? 'up' : 'down';
    ctx.recorder.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`,
    );
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/**
 * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit, but only ones that are empty,
 * settled (their controller saw the latest spec) and not already going.
 */
export function cleanupDeployment(ctx: DeploymentSyncContext, oldRSs: ReplicaSet[], d: Deployment): void {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - revisionHistoryLimit(d);
  if (diff <= 0) return;
  cleanable.sort(compareByRevision);
  for (const rs of cleanable.slice(0, diff)) {
    const busy =
      (rs.status?.replicas ?? 0) !== 0 ||
      replicaSetReplicas(rs) !== 0 ||
      (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) ||
      rs.metadata.deletionTimestamp;
    if (busy) continue;
    try {
      ctx.api.delete(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name!);
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 404)) throw error;
    }
  }
}

/** Writes the calculated status when it differs from the stored one. */
export function syncDeploymentStatus(
  ctx: DeploymentSyncContext,
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
): void {
  const next = calculateStatus(allRSs, newRS, d, ctx.clock.now());
  if (sameStatus(d.status, next)) return;
  d.status = next;
  writeDeploymentStatus(ctx, d);
}

/** Drops zero counts and empty lists, as Go's `omitempty` leaves them out of the JSON. */
function omitZeroCounts(status: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (value === undefined) continue;
    // collisionCount is a pointer in Go: a set 0 is still written.
    if (key !== 'collisionCount' && (value === 0 || (Array.isArray(value) && value.length === 0))) continue;
    out[key] = value;
  }
  return out as DeploymentStatus;
}

/**
 * The Deployment's status from its ReplicaSets (upstream's calculateStatus): pods from the
 * ReplicaSets' status, unavailable = desired pods − available, and the Available condition True
 * when at least replicas − maxUnavailable pods are available. Other conditions are carried over.
 */
export function calculateStatus(
  allRSs: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  now: number,
): DeploymentStatus {
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  const total = getReplicaCountForReplicaSets(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: getActualReplicaCountForReplicaSets([newRS]),
    readyReplicas: getReadyReplicaCountForReplicaSets(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: structuredClone(d.status?.conditions ?? []),
    collisionCount: d.status?.collisionCount,
  };
  const stamp = formatTimestamp(now);
  if (available >= deploymentReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Available',
        'True',
        MINIMUM_REPLICAS_AVAILABLE,
        'Deployment has minimum availability.',
        stamp,
      ),
    );
  } else {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Available',
        'False',
        MINIMUM_REPLICAS_UNAVAILABLE,
        'Deployment does not have minimum availability.',
        stamp,
      ),
    );
  }
  return omitZeroCounts(status);
}

/**
 * Whether the Deployment was scaled rather than changed: an active ReplicaSet records other
 * desired replicas than spec.replicas. Scaling is not a rollout: it keeps the ReplicaSets and their
 * revisions and resizes them.
 */
export function isScalingEvent(ctx: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
    const desired = getDesiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== deploymentReplicas(d)) return true;
  }
  return false;
}

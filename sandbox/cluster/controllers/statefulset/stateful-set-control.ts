/**
 * The StatefulSet algorithm (upstream `stateful_set_control.go`). One pass:
 *
 * 1. revisions: the update revision is the current template (an existing equal revision is reused,
 *    renumbered when it is not the latest: that is a rollback); the current revision is the one in
 *    status, or the update revision on first sight;
 * 2. replicas: pods with ordinals in range, missing ones as placeholders at the right revision;
 *    pods beyond the range are condemned;
 * 3. OrderedReady: walk ordinals upwards, create the first missing pod and stop; stop at the first
 *    pod not Running and Ready (so `todo-db-1` is created only after `todo-db-0` is Ready);
 *    Parallel: create all missing pods at once;
 * 4. scale down: delete condemned pods, highest ordinal first, one at a time when ordered;
 * 5. RollingUpdate: from the highest ordinal down to the partition, delete the first pod not at the
 *    update revision and stop; wait while an updated pod is not yet available. OnDelete stops before;
 * 6. status, with currentRevision moving to updateRevision only when every replica is updated and
 *    ready; history trimmed to revisionHistoryLimit, sparing revisions still in use.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import type { Selector } from '../../api/selectors.ts';
import type { EventRecorder } from '../events.ts';
import {
  type CollisionCounter,
  createControllerRevision,
  deleteControllerRevision,
  equalRevision,
  findEqualRevisions,
  listControllerRevisions,
  nextRevision,
  revisionNumber,
  sortControllerRevisions,
  updateControllerRevision,
} from '../history/controller-history.ts';
import { applyRevision } from '../history/template-patch.ts';
import { slowStartBatch } from '../shared/slow-start.ts';
import type { StatefulPodControl } from './stateful-pod-control.ts';
import {
  allowsBurst,
  completeRollingUpdate,
  computeReplicaCounts,
  formatStatefulSetStatus,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  identityMatches,
  inconsistentStatus,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newRevision,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  type StatefulSetStatus,
  storageMatches,
} from './stateful-set-utils.ts';

/** What the algorithm works with. */
export interface StatefulSetControlDeps {
  api: ClusterApi;
  podControl: StatefulPodControl;
  recorder: EventRecorder;
  now: () => number;
}

/** Revisions chosen for a pass. */
export interface StatefulSetRevisions {
  currentRevision: KubeObject;
  updateRevision: KubeObject;
  collisionCount: number;
}

/**
 * Runs one pass for a set (with defaults applied) and its claimed pods; returns the status written.
 * Throws when a write failed, after the status and history were still brought up to date.
 */
export function updateStatefulSet(
  deps: StatefulSetControlDeps,
  set: KubeObject,
  selector: Selector,
  pods: readonly KubeObject[],
): StatefulSetStatus {
  const revisions = sortControllerRevisions(listControllerRevisions(deps.api, set, selector));
  const { currentRevision, updateRevision, collisionCount } = getStatefulSetRevisions(
    deps.api,
    set,
    revisions,
  );
  const { status, error } = updateStatefulSetReplicas(
    deps,
    set,
    currentRevision,
    updateRevision,
    collisionCount,
    pods,
  );
  updateStatefulSetStatus(deps.api, set, status);
  truncateHistory(deps.api, set, pods, revisions, currentRevision, updateRevision);
  if (error !== undefined) throw error;
  return status;
}

/**
 * Finds or records the update revision and finds the current one (see the module comment). Worked
 * example: revisions 1 (postgres:11.6) and 2 (11.8); the template goes back to 11.6 → revision 1 is
 * equal but not the latest → it is renumbered 3 and becomes the update revision.
 */
export function getStatefulSetRevisions(
  api: ClusterApi,
  set: KubeObject,
  sorted: readonly KubeObject[],
): StatefulSetRevisions {
  const counter: CollisionCounter = { count: Number(set.status?.collisionCount ?? 0) };
  let updateRevision = newRevision(set, nextRevision(sorted), counter.count);
  const equal = findEqualRevisions(sorted, updateRevision);
  const latest = sorted[sorted.length - 1];
  const lastEqual = equal[equal.length - 1];
  if (lastEqual && equalRevision(latest, lastEqual)) {
    updateRevision = latest!;
  } else if (lastEqual) {
    updateRevision = updateControllerRevision(api, lastEqual, revisionNumber(updateRevision));
  } else {
    updateRevision = createControllerRevision(api, set, updateRevision, counter);
  }
  const currentRevision =
    sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;
  return { currentRevision, updateRevision, collisionCount: counter.count };
}

/** Calls fn per index: in order, stopping at the first that asks to stop (ordered), or in slow-start batches (parallel). */
function runForAll(
  count: number,
  fn: (i: number) => boolean,
  monotonic: boolean,
): { exit: boolean; error?: unknown } {
  if (monotonic) {
    for (let i = 0; i < count; i++) {
      try {
        if (fn(i)) return { exit: true };
      } catch (error) {
        return { exit: true, error };
      }
    }
    return { exit: false };
  }
  // Batches of 1, 2, 4…: a create refused (by a quota, say) fails once, not once per ordinal.
  let next = 0;
  const { error } = slowStartBatch(count, 1, () => {
    fn(next++);
  });
  return error === undefined ? { exit: false } : { exit: true, error };
}

/** The pod-level pass (upstream's inner `updateStatefulSet`). Returns the status and any write error. */
export function updateStatefulSetReplicas(
  deps: StatefulSetControlDeps,
  set: KubeObject,
  currentRevision: KubeObject,
  updateRevision: KubeObject,
  collisionCount: number,
  pods: readonly KubeObject[],
): { status: StatefulSetStatus; error?: unknown } {
  const { podControl, recorder } = deps;
  const now = deps.now();
  const minReadySeconds = Number(set.spec?.minReadySeconds ?? 0);
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const currentName = currentRevision.metadata.name!;
  const updateName = updateRevision.metadata.name!;
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation ?? 0,
    currentRevision: currentName,
    updateRevision: updateName,
    collisionCount,
    ...computeReplicaCounts(pods, minReadySeconds, currentName, updateName, now),
  };

  const start = getStartOrdinal(set);
  const replicaCount = Number(set.spec?.replicas ?? 1);
  const replicas: KubeObject[] = new Array(replicaCount);
  const condemned: KubeObject[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  for (let index = 0; index < replicaCount; index++) {
    replicas[index] ??= newVersionedStatefulSetPod(
      currentSet,
      updateSet,
      currentName,
      updateName,
      index + start,
    );
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

  let firstUnavailablePod: KubeObject | undefined;
  for (const pod of replicas)
    if (!firstUnavailablePod && isUnavailable(pod, minReadySeconds, now)) firstUnavailablePod = pod;
  for (let i = condemned.length - 1; i >= 0 && !firstUnavailablePod; i--) {
    if (isUnavailable(condemned[i]!, minReadySeconds, now)) firstUnavailablePod = condemned[i];
  }

  const recount = (): void => {
    Object.assign(
      status,
      computeReplicaCounts([...replicas, ...condemned], minReadySeconds, currentName, updateName, now),
    );
  };
  if (set.metadata.deletionTimestamp) return { status };
  const monotonic = !allowsBurst(set);

  const processReplica = (i: number): boolean => {
    const replica = replicas[i]!;
    // Failed pods, and pods whose containers all exited, are deleted; the next pass recreates them.
    if (isCreated(replica) && (isFailed(replica) || isSucceeded(replica))) {
      if (isFailed(replica)) {
        recorder.record(
          set,
          'Warning',
          'RecreatingFailedPod',
          `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating failed Pod ${replica.metadata.name}`,
        );
      } else {
        recorder.record(
          set,
          'Normal',
          'RecreatingTerminatedPod',
          `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating terminated Pod ${replica.metadata.name}`,
        );
      }
      if (!isTerminating(replica)) podControl.deleteStatefulPod(set, replica);
      return true;
    }
    if (!isCreated(replica)) {
      podControl.createStatefulPod(set, replica);
      if (monotonic) return true;
    }
    if (isPending(replica)) podControl.createMissingPersistentVolumeClaims(set, replica);
    if (monotonic && isTerminating(replica)) return true;
    if (monotonic && !isRunningAndReady(replica)) return true;
    if (monotonic && !isRunningAndAvailable(replica, minReadySeconds, now)) return true;
    if (!isCreated(replica) || (identityMatches(set, replica) && storageMatches(set, replica))) return false;
    podControl.updateStatefulPod(updateSet, replica);
    return false;
  };
  const replicaPass = runForAll(replicas.length, processReplica, monotonic);
  if (replicaPass.exit) {
    recount();
    return { status, error: replicaPass.error };
  }

  const processCondemned = (i: number): boolean => {
    const pod = condemned[i]!;
    if (isTerminating(pod)) return monotonic;
    if (
      monotonic &&
      pod !== firstUnavailablePod &&
      (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now))
    )
      return true;
    podControl.deleteStatefulPod(set, pod);
    return true;
  };
  const condemnedPass = runForAll(condemned.length, processCondemned, monotonic);
  if (condemnedPass.exit) {
    recount();
    return { status, error: condemnedPass.error };
  }
  recount();

  const strategy = set.spec?.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') return { status };
  const updateMin = strategy.rollingUpdate ? Number(strategy.rollingUpdate.partition ?? 0) : 0;
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target]!;
    if (getPodRevision(pod) !== updateName && !isTerminating(pod)) {
      try {
        podControl.deleteStatefulPod(set, pod);
      } catch (error) {
        return { status, error };
      }
      status.currentReplicas--;
      return { status };
    }
    if (isUnavailable(pod, minReadySeconds, now)) return { status };
  }
  return { status };
}

/** Completes a finished rolling update, then writes the status if it changed. */
export function updateStatefulSetStatus(api: ClusterApi, set: KubeObject, status: StatefulSetStatus): void {
  completeRollingUpdate(set, status);
  if (!inconsistentStatus(set, status)) return;
  const fresh = api.find(RESOURCES.statefulsets, set.metadata.namespace, set.metadata.name!);
  if (!fresh || fresh.metadata.uid !== set.metadata.uid) return;
  const next = structuredClone(fresh) as KubeObject;
  next.status = formatStatefulSetStatus(status);
  api.update(RESOURCES.statefulsets, next.metadata.namespace, next, { subresource: 'status' });
}

/**
 * Deletes the oldest revisions beyond revisionHistoryLimit that are neither current, nor update, nor
 * carried by a pod. Expects revisions sorted.
 */
export function truncateHistory(
  api: ClusterApi,
  set: KubeObject,
  pods: readonly KubeObject[],
  revisions: readonly KubeObject[],
  current: KubeObject | undefined,
  update: KubeObject | undefined,
): void {
  const live = new Set<string>(pods.map(getPodRevision));
  if (current) live.add(current.metadata.name!);
  if (update) live.add(update.metadata.name!);
  const historic = revisions.filter((r) => !live.has(r.metadata.name!));
  const limit = Number(set.spec?.revisionHistoryLimit ?? 10);
  if (limit < 0 || historic.length <= limit) return;
  for (const revision of historic.slice(0, historic.length - limit)) deleteControllerRevision(api, revision);
}

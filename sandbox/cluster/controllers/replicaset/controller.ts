/**
 * The ReplicaSet controller (upstream's replica_set.go): keeps the number of active pods matching a
 * ReplicaSet's selector at spec.replicas. It claims pods (adopting matching orphans, releasing pods
 * that stopped matching), creates missing pods in slow-start batches from the template, deletes
 * surplus pods cheapest first, remembers what it asked for so it never double-creates, and
 * reports the counts in status.
 */
import type { ClusterApi, WatchEvent } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import { RESOURCES } from '../../api/resources.ts';
import { matchesLabels, selectorFromLabelSelector } from '../../api/selectors.ts';
import type { Clock } from '../../clock.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import type { EventRecorder } from '../events.ts';
import { claimWithApi } from '../shared/claim-with-api.ts';
import { getControllerOf } from '../shared/controller-ref.ts';
import { ControllerExpectations } from '../shared/expectations.ts';
import {
  getPodFromTemplate,
  isPodActive,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  podAvailableAfter,
} from '../shared/pods.ts';
import { slowStartBatch } from '../shared/slow-start.ts';
import type { Pod, ReplicaSet } from '../shared/workload-types.ts';
import { getPodsToDelete } from './pod-deletion.ts';
import { calculateReplicaSetStatus, desiredReplicas, updateReplicaSetStatus } from './status.ts';

/** The component name on the controller's events. */
export const REPLICASET_CONTROLLER_COMPONENT = 'replicaset-controller';
/** At most this many pods are created or deleted per sync (upstream's BurstReplicas). */
export const BURST_REPLICAS = 500;
/** The first slow-start batch creates one pod. */
const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** Everything one ReplicaSet sync needs. */
export interface ReplicaSetSyncContext {
  api: ClusterApi;
  clock: Clock;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  /** Re-queues a ReplicaSet key after `ms` of simulated time (minReadySeconds checks). */
  enqueueAfter(key: string, ms: number): void;
}

/** Creates the ReplicaSet controller. Events go out as `replicaset-controller`. */
export function createReplicaSetController(context: ControllerContext): Controller {
  const { api, clock } = context;
  const recorder = context.recorder(REPLICASET_CONTROLLER_COMPONENT);
  const expectations = new ControllerExpectations(clock);
  return createQueueController(
    context,
    'replicaset',
    [
      {
        resource: RESOURCES.replicasets,
        keysFor: (event) => {
          if (event.type === 'DELETED') expectations.deleteExpectations(keyOf(event.object));
          return [keyOf(event.object)];
        },
      },
      { resource: RESOURCES.pods, keysFor: (event) => replicaSetKeysForPod(api, expectations, event) },
    ],
    (key, queue) =>
      syncReplicaSet(
        { api, clock, recorder, expectations, enqueueAfter: (k, ms) => queue.addAfter(k, ms) },
        key,
      ),
  );
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** The ReplicaSet a controller reference points at, if it still is that object. */
function resolveControllerRef(api: ClusterApi, pod: Pod): ReplicaSet | undefined {
  const ref = getControllerOf(pod);
  if (ref?.kind !== 'ReplicaSet') return undefined;
  const rs = api.find(RESOURCES.replicasets, pod.metadata.namespace, ref.name);
  return rs && rs.metadata.uid === ref.uid ? (rs as ReplicaSet) : undefined;
}

/** ReplicaSets whose selector matches an orphan pod: the ones that may adopt it. */
function replicaSetsForOrphan(api: ClusterApi, pod: Pod): ReplicaSet[] {
  return (api.listAll(RESOURCES.replicasets, pod.metadata.namespace) as ReplicaSet[]).filter((rs) => {
    const selector = selectorFromLabelSelector(rs.spec.selector);
    return selector.length > 0 && matchesLabels(selector, pod.metadata.labels);
  });
}

/**
 * Keys to queue for a pod event, noting on the way what the expectations awaited: a pod of ours
 * appearing is an observed creation, one going (or starting to terminate) an observed deletion.
 */
function replicaSetKeysForPod(
  api: ClusterApi,
  expectations: ControllerExpectations,
  event: WatchEvent,
): string[] {
  const pod = event.object as Pod;
  const hasController = getControllerOf(pod) !== undefined;
  if (event.type === 'DELETED' || pod.metadata.deletionTimestamp) {
    const rs = resolveControllerRef(api, pod);
    if (!rs) return [];
    expectations.deletionObserved(keyOf(rs), podKey(pod));
    return [keyOf(rs)];
  }
  if (hasController) {
    const rs = resolveControllerRef(api, pod);
    if (!rs) return [];
    if (event.type === 'ADDED') expectations.creationObserved(keyOf(rs));
    return [keyOf(rs)];
  }
  return replicaSetsForOrphan(api, pod).map(keyOf);
}

/**
 * Syncs one ReplicaSet: claim the active pods, create or delete pods when the expectations allow
 * it, write the status, and schedule a re-check when a ready pod will turn available.
 */
export function syncReplicaSet(ctx: ReplicaSetSyncContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const stored = ctx.api.find(RESOURCES.replicasets, namespace, name) as ReplicaSet | undefined;
  if (!stored) {
    ctx.expectations.deleteExpectations(key);
    return;
  }
  const rs = structuredClone(stored);
  const rsNeedsSync = ctx.expectations.satisfiedExpectations(key);
  const activePods = (ctx.api.listAll(RESOURCES.pods, namespace) as Pod[]).filter(isPodActive);
  const pods = claimPods(ctx.api, rs, activePods);

  let manageReplicasError: unknown;
  if (rsNeedsSync && !rs.metadata.deletionTimestamp) manageReplicasError = manageReplicas(ctx, pods, rs, key);

  const now = ctx.clock.now();
  const status = calculateReplicaSetStatus(rs, pods, manageReplicasError, now);
  updateReplicaSetStatus(ctx.api, rs, status);

  const nextCheck = nextAvailabilityCheck(rs, pods, now);
  if (nextCheck !== undefined) ctx.enqueueAfter(key, nextCheck);
  if (manageReplicasError !== undefined) throw manageReplicasError;
}

/**
 * Milliseconds until the first ready-but-not-yet-available pod becomes available, plus a second
 * (upstream re-queues minReadySeconds + 1 s after a pod turns ready), or undefined.
 */
export function nextAvailabilityCheck(rs: ReplicaSet, pods: Pod[], now: number): number | undefined {
  const minReady = rs.spec.minReadySeconds ?? 0;
  if (minReady <= 0) return undefined;
  let earliest: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReady, now)) continue;
    const after = podAvailableAfter(pod, minReady);
    if (after !== undefined && (earliest === undefined || after < earliest)) earliest = after;
  }
  return earliest === undefined ? undefined : Math.max(0, earliest - now) + 1000;
}

/** The active pods this ReplicaSet controls after adopting matching orphans and releasing strays. */
export function claimPods(api: ClusterApi, rs: ReplicaSet, activePods: Pod[]): Pod[] {
  return claimWithApi(
    api,
    RESOURCES.pods,
    rs,
    selectorFromLabelSelector(rs.spec.selector),
    activePods,
  ) as Pod[];
}

function isNamespaceTerminating(error: unknown): boolean {
  return error instanceof StatusError && error.code === 403 && /is being terminated/.test(error.message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates or deletes pods to reach spec.replicas (at most BURST_REPLICAS per sync) and returns the
 * first failure. Creations go in slow-start batches of 1, 2, 4…, so a quota that refuses pods is
 * hit once, not a hundred times; pods that were never attempted are taken off the expectations.
 */
export function manageReplicas(
  ctx: ReplicaSetSyncContext,
  pods: Pod[],
  rs: ReplicaSet,
  key: string,
): unknown {
  const diff = pods.length - desiredReplicas(rs);
  const namespace = rs.metadata.namespace!;
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    ctx.expectations.expectCreations(key, count);
    const controllerRef = newControllerRef(rs);
    const { successes, error } = slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => {
      const pod = getPodFromTemplate(rs.spec.template ?? {}, namespace, rs.metadata.name!, controllerRef);
      if (Object.keys(pod.metadata.labels ?? {}).length === 0)
        throw new Error('unable to create pods, no labels');
      try {
        const created = ctx.api.create(RESOURCES.pods, namespace, pod);
        ctx.recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (error) {
        // A terminating namespace refuses every pod; nothing to report, nothing to retry.
        if (isNamespaceTerminating(error)) return;
        ctx.recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${messageOf(error)}`);
        throw error;
      }
    });
    for (let skipped = count - successes; skipped > 0; skipped--) ctx.expectations.creationObserved(key);
    return error;
  }
  if (diff > 0) {
    const count = Math.min(diff, BURST_REPLICAS);
    const related = getIndirectlyRelatedPods(ctx.api, rs);
    const victims = getPodsToDelete(pods, related, count, ctx.clock.now());
    ctx.expectations.expectDeletions(key, victims.map(podKey));
    let firstError: unknown;
    for (const pod of victims) {
      try {
        ctx.api.delete(RESOURCES.pods, namespace, pod.metadata.name!);
        ctx.recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (error) {
        ctx.expectations.deletionObserved(key, podKey(pod));
        if (error instanceof StatusError && error.code === 404) continue;
        ctx.recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(error)}`);
        firstError ??= new Error(`unable to delete pods: ${messageOf(error)}`, { cause: error });
      }
    }
    return firstError;
  }
  return undefined;
}

/**
 * Pods of every ReplicaSet under the same controller (the sibling ReplicaSets of one Deployment),
 * used to spread deletions across nodes. An orphaned ReplicaSet has none.
 */
export function getIndirectlyRelatedPods(api: ClusterApi, rs: ReplicaSet): Pod[] {
  const ref = getControllerOf(rs);
  if (!ref) return [];
  const siblings = (api.listAll(RESOURCES.replicasets, rs.metadata.namespace) as ReplicaSet[]).filter(
    (r) => getControllerOf(r)?.uid === ref.uid,
  );
  const seen = new Set<string>();
  const related: Pod[] = [];
  for (const sibling of siblings) {
    for (const pod of api.listAll(
      RESOURCES.pods,
      rs.metadata.namespace,
      selectorFromLabelSelector(sibling.spec.selector),
    ) as Pod[]) {
      const uid = pod.metadata.uid ?? podKey(pod);
      if (seen.has(uid)) continue;
      seen.add(uid);
      related.push(pod);
    }
  }
  return related;
}

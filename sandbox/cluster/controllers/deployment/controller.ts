/**
 * The Deployment controller (upstream's deployment_controller.go): watches Deployments, their
 * ReplicaSets and (for Recreate) pod deletions, and syncs one Deployment per queued key — claiming
 * its ReplicaSets, then pausing, scaling or rolling out with the Deployment's strategy.
 */
import type { ClusterApi, WatchEvent } from '../../api/cluster-api.ts';
import { RESOURCES } from '../../api/resources.ts';
import { isEmptyLabelSelector, matchesLabels, selectorFromLabelSelector } from '../../api/selectors.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import { claimWithApi } from '../shared/claim-with-api.ts';
import { getControllerOf, isControlledBy } from '../shared/controller-ref.ts';
import type { Deployment, Pod, ReplicaSet } from '../shared/workload-types.ts';
import {
  DEPLOYMENT_CONTROLLER_COMPONENT,
  type DeploymentSyncContext,
  writeDeploymentStatus,
} from './context.ts';
import { type PodMap, rolloutRecreate } from './recreate.ts';
import { rolloutRolling } from './rolling.ts';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.ts';
import { strategyType } from './util.ts';

/**
 * Creates the Deployment controller. Events go out as `deployment-controller`; progress deadline
 * checks are scheduled on the context's clock.
 */
export function createDeploymentController(context: ControllerContext): Controller {
  const { api, clock } = context;
  const recorder = context.recorder(DEPLOYMENT_CONTROLLER_COMPONENT);
  return createQueueController(
    context,
    'deployment',
    [
      { resource: RESOURCES.deployments, keysFor: (event) => [keyOf(event.object)] },
      { resource: RESOURCES.replicasets, keysFor: (event) => deploymentKeysForReplicaSet(api, event) },
      {
        resource: RESOURCES.pods,
        keysFor: (event) =>
          event.type === 'DELETED' ? deploymentKeysForDeletedPod(api, event.object as Pod) : [],
      },
    ],
    (key, queue) => {
      const ctx: DeploymentSyncContext = {
        api,
        clock,
        recorder,
        enqueueAfter: (d, ms) => queue.addAfter(keyOf(d), ms),
      };
      syncDeployment(ctx, key);
    },
  );
}

/**
 * Syncs one Deployment: the order of upstream's syncDeployment — selector sanity, claiming
 * ReplicaSets, deletion, pause, scaling events, then the strategy's rollout step.
 */
export function syncDeployment(ctx: DeploymentSyncContext, key: string): void {
  const { namespace, name } = splitKey(key);
  const stored = ctx.api.find(RESOURCES.deployments, namespace, name);
  if (!stored) return;
  const d = structuredClone(stored) as Deployment;

  if (isEmptyLabelSelector(d.spec.selector)) {
    ctx.recorder.record(
      d,
      'Warning',
      'SelectingAll',
      'This deployment is selecting all pods. A non-empty selector is required.',
    );
    const generation = d.metadata.generation ?? 0;
    if ((d.status?.observedGeneration ?? 0) < generation) {
      d.status = { ...(d.status ?? {}), observedGeneration: generation };
      writeDeploymentStatus(ctx, d);
    }
    return;
  }

  let rsList = getReplicaSetsForDeployment(ctx.api, d);
  const podMap = getPodMapForDeployment(ctx.api, d, rsList);
  if (d.metadata.deletionTimestamp) {
    syncStatusOnly(ctx, d, rsList);
    return;
  }
  checkPausedConditions(ctx, d);
  if (d.spec.paused) {
    sync(ctx, d, rsList);
    return;
  }
  const scaling = isScalingEvent(ctx, d, rsList);
  // isScalingEvent may have written revisions; upstream would hit a conflict with its cached list
  // and sync again, we read the ReplicaSets afresh instead.
  rsList = listOwnedReplicaSets(ctx.api, d);
  if (scaling) {
    sync(ctx, d, rsList);
    return;
  }
  const type = strategyType(d);
  if (type === 'Recreate') rolloutRecreate(ctx, d, rsList, podMap);
  else if (type === 'RollingUpdate') rolloutRolling(ctx, d, rsList);
  else throw new Error(`unexpected deployment strategy type: ${type}`);
}

/** The ReplicaSets a Deployment controls, as stored now. */
function listOwnedReplicaSets(api: ClusterApi, d: Deployment): ReplicaSet[] {
  return api
    .listAll(RESOURCES.replicasets, d.metadata.namespace)
    .filter((rs) => isControlledBy(rs, d.metadata.uid)) as ReplicaSet[];
}

/**
 * The ReplicaSets this Deployment controls after claiming: orphans matching its selector are
 * adopted, owned ones that stopped matching are released.
 */
export function getReplicaSetsForDeployment(api: ClusterApi, d: Deployment): ReplicaSet[] {
  const namespace = d.metadata.namespace;
  const all = api.listAll(RESOURCES.replicasets, namespace) as ReplicaSet[];
  return claimWithApi(
    api,
    RESOURCES.replicasets,
    d,
    selectorFromLabelSelector(d.spec.selector),
    all,
  ) as ReplicaSet[];
}

/** The Deployment's pods grouped by the uid of their ReplicaSet (every ReplicaSet has an entry). */
export function getPodMapForDeployment(api: ClusterApi, d: Deployment, rsList: ReplicaSet[]): PodMap {
  const pods = api.listAll(
    RESOURCES.pods,
    d.metadata.namespace,
    selectorFromLabelSelector(d.spec.selector),
  ) as Pod[];
  const map: PodMap = new Map(rsList.map((rs) => [rs.metadata.uid!, []]));
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    if (ref) map.get(ref.uid)?.push(pod);
  }
  return map;
}

/** Deployments whose (non-empty) selector matches an orphaned ReplicaSet's labels. */
function deploymentsForReplicaSet(api: ClusterApi, rs: ReplicaSet): Deployment[] {
  return (api.listAll(RESOURCES.deployments, rs.metadata.namespace) as Deployment[]).filter(
    (d) =>
      !isEmptyLabelSelector(d.spec.selector) &&
      matchesLabels(selectorFromLabelSelector(d.spec.selector), rs.metadata.labels),
  );
}

/** A ReplicaSet change wakes its controlling Deployment, or for an orphan every Deployment that could adopt it. */
function deploymentKeysForReplicaSet(api: ClusterApi, event: WatchEvent): string[] {
  const rs = event.object as ReplicaSet;
  const ref = getControllerOf(rs);
  if (ref) return ref.kind === 'Deployment' ? [`${rs.metadata.namespace}/${ref.name}`] : [];
  if (event.type === 'DELETED') return [];
  return deploymentsForReplicaSet(api, rs).map(keyOf);
}

/** A deleted pod wakes a Recreate Deployment once none of its pods is left (the new pods may start). */
function deploymentKeysForDeletedPod(api: ClusterApi, pod: Pod): string[] {
  const namespace = pod.metadata.namespace;
  const rsRef = getControllerOf(pod);
  if (rsRef?.kind !== 'ReplicaSet') return [];
  const rs = api.find(RESOURCES.replicasets, namespace, rsRef.name);
  if (!rs || rs.metadata.uid !== rsRef.uid) return [];
  const dRef = getControllerOf(rs);
  if (dRef?.kind !== 'Deployment') return [];
  const d = api.find(RESOURCES.deployments, namespace, dRef.name) as Deployment | undefined;
  if (!d || d.metadata.uid !== dRef.uid || strategyType(d) !== 'Recreate') return [];
  const podMap = getPodMapForDeployment(api, d, listOwnedReplicaSets(api, d));
  let count = 0;
  for (const pods of podMap.values()) count += pods.length;
  return count === 0 ? [keyOf(d)] : [];
}

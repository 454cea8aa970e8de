/**
 * The StatefulSet controller (upstream `pkg/controller/statefulset/stateful_set.go`): watches
 * StatefulSets, their pods and ControllerRevisions, claims pods named after the set, adopts orphan
 * revisions, runs the algorithm in stateful-set-control.ts and requeues while pods wait out
 * minReadySeconds.
 */
import type { WatchEvent } from '../../api/cluster-api.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { matchesLabels, selectorFromLabelSelector } from '../../api/selectors.ts';
import {
  type Controller,
  type ControllerContext,
  controllerOwnerKey,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import { listControllerRevisions } from '../history/controller-history.ts';
import { msUntilPodAvailable } from '../history/pod-readiness.ts';
import { adoptObject, claimWithApi } from '../shared/claim-with-api.ts';
import { getControllerOf } from '../shared/controller-ref.ts';
import type { WorkQueue } from '../work-queue.ts';
import { createStatefulPodControl } from './stateful-pod-control.ts';
import { type StatefulSetControlDeps, updateStatefulSet } from './stateful-set-control.ts';
import { getParentNameAndOrdinal, isMemberOf, withStatefulSetDefaults } from './stateful-set-utils.ts';

/** The name the controller logs and records events under. */
export const STATEFULSET_CONTROLLER_NAME = 'statefulset-controller';

/** Creates the StatefulSet controller. Start it through the control plane. */
export function createStatefulSetController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api, clock } = context;
  const recorder = context.recorder(STATEFULSET_CONTROLLER_NAME);
  const deps: StatefulSetControlDeps = {
    api,
    podControl: createStatefulPodControl(api, recorder),
    recorder,
    now: () => clock.now(),
  };

  const podKeys = (event: WatchEvent): string[] => {
    const owner = controllerOwnerKey(event.object, 'StatefulSet');
    if (owner) return [owner];
    if (getControllerOf(event.object)) return [];
    // An orphan: the set it is named after may adopt it.
    const { parent } = getParentNameAndOrdinal(event.object);
    const set = parent
      ? api.find(RESOURCES.statefulsets, event.object.metadata.namespace, parent)
      : undefined;
    return set && matchesLabels(selectorFromLabelSelector(set.spec?.selector), event.object.metadata.labels)
      ? [keyOf(set)]
      : [];
  };

  const revisionKeys = (event: WatchEvent): string[] => {
    const owner = controllerOwnerKey(event.object, 'StatefulSet');
    if (owner) return [owner];
    if (getControllerOf(event.object)) return [];
    return api
      .listAll(RESOURCES.statefulsets, event.object.metadata.namespace)
      .filter((set) =>
        matchesLabels(selectorFromLabelSelector(set.spec?.selector), event.object.metadata.labels),
      )
      .map(keyOf);
  };

  const sync = (key: string, queue: WorkQueue): void => {
    const { namespace, name } = splitKey(key);
    const stored = api.find(RESOURCES.statefulsets, namespace, name);
    if (!stored) return;
    const set = withStatefulSetDefaults(stored);
    const selector = selectorFromLabelSelector(set.spec?.selector);

    if (!set.metadata.deletionTimestamp) {
      for (const orphan of listControllerRevisions(api, set, selector).filter((r) => !getControllerOf(r))) {
        adoptObject(api, RESOURCES.controllerrevisions, set, orphan);
      }
    }
    // Only pods named after the set are candidates (upstream's isMemberOf filter); names never change.
    const candidates = api
      .listAll(RESOURCES.pods, set.metadata.namespace)
      .filter((pod) => isMemberOf(set, pod));
    const pods: KubeObject[] = claimWithApi(api, RESOURCES.pods, set, selector, candidates);
    const status = updateStatefulSet(deps, set, selector, pods);

    const minReadySeconds = Number(set.spec.minReadySeconds ?? 0);
    if (minReadySeconds > 0 && status.availableReplicas !== Number(set.spec.replicas)) {
      const fresh = api.listAll(RESOURCES.pods, set.metadata.namespace).filter((pod) => isMemberOf(set, pod));
      const waits = fresh
        .map((p) => msUntilPodAvailable(p, minReadySeconds, clock.now()))
        .filter((ms): ms is number => ms !== undefined);
      // Pods not Ready yet bring their own events; only the wait for availability needs a timer.
      if (waits.length > 0) queue.addAfter(key, Math.min(...waits));
    }
  };

  return createQueueController(
    context,
    STATEFULSET_CONTROLLER_NAME,
    [
      { resource: RESOURCES.statefulsets, keysFor: (event) => [keyOf(event.object)] },
      { resource: RESOURCES.pods, keysFor: podKeys },
      { resource: RESOURCES.controllerrevisions, keysFor: revisionKeys },
    ],
    sync,
  );
}

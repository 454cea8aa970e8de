/**
 * The DaemonSet controller (upstream `pkg/controller/daemon`): keeps one pod per eligible node,
 * with `spec.nodeName` set directly (no scheduler here), records each template as a
 * ControllerRevision, replaces pods on template changes with RollingUpdate (maxUnavailable,
 * maxSurge, minReadySeconds) or leaves that to the user with OnDelete, and keeps status current.
 *
 * One sync: history → manage (create/delete per node) → if manage did nothing, one rolling-update
 * pass → history cleanup → status. Skipping the rolling pass while manage has writes in flight plays
 * the role of upstream's expectations: every pass sees the effect of the previous one.
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
import { msUntilPodAvailable } from '../history/pod-readiness.ts';
import { claimWithApi } from '../shared/claim-with-api.ts';
import type { WorkQueue } from '../work-queue.ts';
import { DAEMONSET_UNIQUE_LABEL, viewDaemonSet } from './daemonset-util.ts';
import { groupPodsByNode, planManage, syncNodes } from './manage.ts';
import { cleanupHistory, constructHistory } from './revisions.ts';
import { planRollingUpdate } from './rolling-update.ts';
import { calculateDaemonSetCounts, storeDaemonSetStatus } from './status.ts';

/** The name the controller logs and records events under. */
export const DAEMONSET_CONTROLLER_NAME = 'daemonset-controller';

/** Creates the DaemonSet controller. Start it through the control plane. */
export function createDaemonSetController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api, clock } = context;
  const recorder = context.recorder(DAEMONSET_CONTROLLER_NAME);
  const nodeSignatures = new Map<string, string>();

  /** DaemonSets in a namespace whose selector matches labels: candidates to adopt an orphan. */
  const matchingDaemonSetKeys = (
    namespace: string | undefined,
    labels: Record<string, string> | undefined,
  ): string[] =>
    api
      .listAll(RESOURCES.daemonsets, namespace)
      .filter((ds) => {
        const selector = selectorFromLabelSelector(ds.spec?.selector);
        return selector.length > 0 && matchesLabels(selector, labels);
      })
      .map(keyOf);

  const ownedKeys = (event: WatchEvent): string[] => {
    const owner = controllerOwnerKey(event.object, 'DaemonSet');
    if (owner) return [owner];
    if (event.object.metadata.ownerReferences?.some((r) => r.controller)) return [];
    return matchingDaemonSetKeys(event.object.metadata.namespace, event.object.metadata.labels);
  };

  const nodeKeys = (event: WatchEvent): string[] => {
    const name = event.object.metadata.name!;
    if (event.type === 'DELETED') {
      nodeSignatures.delete(name);
    } else {
      // Node heartbeats change only status: those do not concern DaemonSets.
      const signature = JSON.stringify([event.object.metadata.labels ?? {}, event.object.spec ?? {}]);
      if (event.type === 'MODIFIED' && nodeSignatures.get(name) === signature) return [];
      nodeSignatures.set(name, signature);
    }
    return api.listAll(RESOURCES.daemonsets).map(keyOf);
  };

  const sync = (key: string, queue: WorkQueue): void => {
    const { namespace, name } = splitKey(key);
    const ds = api.find(RESOURCES.daemonsets, namespace, name);
    if (!ds) return;
    const view = viewDaemonSet(ds);
    const selector = selectorFromLabelSelector(ds.spec?.selector);
    if (selector.length === 0) {
      recorder.record(
        ds,
        'Warning',
        'SelectingAll',
        'This daemon set is selecting all pods. A non-empty selector is required.',
      );
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const nodes = api.listAll(RESOURCES.nodes);
    const daemonPods = (): KubeObject[] =>
      claimWithApi(api, RESOURCES.pods, ds, selector, api.listAll(RESOURCES.pods, ds.metadata.namespace));

    const { current, old } = constructHistory(api, ds);
    const hash = current.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] ?? '';

    const manage = planManage(nodes, groupPodsByNode(daemonPods(), false), view, hash, clock.now());
    for (const pod of manage.failedPods) {
      recorder.record(
        ds,
        'Warning',
        'FailedDaemonPod',
        `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${pod.spec?.nodeName}, will try to kill it`,
      );
    }
    const writes = syncNodes(api, recorder, ds, manage.podsToDelete, manage.nodesNeedingPods, hash);
    if (writes === 0 && view.updateStrategyType === 'RollingUpdate') {
      const rolling = planRollingUpdate(view, nodes, groupPodsByNode(daemonPods(), false), hash, clock.now());
      syncNodes(api, recorder, ds, rolling.podsToDelete, rolling.nodesToCreate, hash);
    }

    const pods = daemonPods();
    cleanupHistory(api, old, pods, view.revisionHistoryLimit);
    storeDaemonSetStatus(
      api,
      ds,
      calculateDaemonSetCounts(view, nodes, groupPodsByNode(pods, false), hash, clock.now()),
      true,
    );

    if (view.minReadySeconds > 0) {
      const waits = pods
        .map((p) => msUntilPodAvailable(p, view.minReadySeconds, clock.now()))
        .filter((ms): ms is number => ms !== undefined);
      if (waits.length > 0) queue.addAfter(key, Math.min(...waits));
    }
  };

  return createQueueController(
    context,
    DAEMONSET_CONTROLLER_NAME,
    [
      { resource: RESOURCES.daemonsets, keysFor: (event) => [keyOf(event.object)] },
      { resource: RESOURCES.pods, keysFor: ownedKeys },
      { resource: RESOURCES.controllerrevisions, keysFor: ownedKeys },
      { resource: RESOURCES.nodes, keysFor: nodeKeys },
    ],
    sync,
  );
}

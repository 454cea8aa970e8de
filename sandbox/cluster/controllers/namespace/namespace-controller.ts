/**
 * The namespace controller (upstream `pkg/controller/namespace`): when a namespace is deleted
 * (`kubectl delete ns`, or a learner session ending), it empties it and then finalizes it. Passes
 * repeat when content disappears (a pod's kubelet finishing, a finalizer removed) and after the
 * estimated grace period, so the namespace goes as soon as its last object does.
 */
import type { WatchEvent } from '../../api/cluster-api.ts';
import { RESOURCES } from '../../api/resources.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  type WatchSpec,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';
import { deletableNamespacedResources, deleteNamespaceContent } from './namespaced-resources-deleter.ts';

/** The name the controller logs under. */
export const NAMESPACE_CONTROLLER_NAME = 'namespace-controller';

/** Creates the namespace controller. Start it through the control plane. */
export function createNamespaceController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api } = context;

  const terminating = (name: string | undefined): string[] => {
    if (!name) return [];
    return api.find(RESOURCES.namespaces, undefined, name)?.metadata.deletionTimestamp ? [name] : [];
  };

  const watches: WatchSpec[] = [
    {
      resource: RESOURCES.namespaces,
      keysFor: (event: WatchEvent) =>
        event.type === 'DELETED' ? [] : terminating(event.object.metadata.name),
    },
    ...deletableNamespacedResources().map((resource) => ({
      resource,
      // Something left a terminating namespace: look again whether it is empty now.
      keysFor: (event: WatchEvent) =>
        event.type === 'DELETED' ? terminating(event.object.metadata.namespace) : [],
    })),
  ];

  return createQueueController(context, NAMESPACE_CONTROLLER_NAME, watches, (key, queue) => {
    const outcome = deleteNamespaceContent(api, key);
    if (!outcome.done) queue.addAfter(key, outcome.estimateSeconds * 1000);
  });
}

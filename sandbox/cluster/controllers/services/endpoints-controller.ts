/**
 * The endpoints controller: keeps each selector Service's Endpoints object equal to the pods it
 * selects, ready ones in `addresses` and the rest in `notReadyAddresses`. Services without a
 * selector are left alone (their Endpoints are the user's); a deleted Service loses its Endpoints.
 */
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { matchesLabels, selectorFromLabelSelector } from '../../api/selectors.ts';
import { formatTimestamp } from '../../clock.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';
import { computeEndpointSubsets } from './endpoints.ts';

/** Label upstream puts on the Endpoints of a headless Service. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Annotation with the time of the change that last moved the Endpoints. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

function hasSelector(service: KubeObject): boolean {
  return service.spec?.type !== 'ExternalName' && Object.keys(service.spec?.selector ?? {}).length > 0;
}

/** The labels an Endpoints object carries: the Service's, plus the headless marker when it applies. */
export function endpointsLabelsFor(service: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
  if (service.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/** The Endpoints object a Service should have, given the pods in its namespace. */
export function desiredEndpoints(
  service: KubeObject,
  podsInNamespace: readonly KubeObject[],
  now: number,
): KubeObject {
  const selector = selectorFromLabelSelector({ matchLabels: service.spec?.selector ?? {} });
  const pods = podsInNamespace.filter((pod) => matchesLabels(selector, pod.metadata.labels));
  const subsets = computeEndpointSubsets(service, pods);
  const endpoints: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: endpointsLabelsFor(service),
      annotations: { [LAST_CHANGE_TRIGGER_TIME]: formatTimestamp(now) },
    },
  };
  if (subsets.length > 0) endpoints.subsets = subsets;
  return endpoints;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The endpoints controller. */
export function createEndpointsController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api } = context;

  const servicesInNamespace = (namespace: string | undefined): string[] =>
    namespace ? api.listAll(RESOURCES.services, namespace).map(keyOf) : [];

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const service = api.find(RESOURCES.services, namespace, name);
    const current = api.find(RESOURCES.endpoints, namespace, name);
    if (!service) {
      if (current) api.delete(RESOURCES.endpoints, namespace, name);
      return;
    }
    if (!hasSelector(service)) return;
    const desired = desiredEndpoints(service, api.listAll(RESOURCES.pods, namespace), api.clock.now());
    if (!current) {
      api.create(RESOURCES.endpoints, namespace, desired);
      return;
    }
    if (
      sameJson(current.subsets, desired.subsets) &&
      sameJson(current.metadata.labels ?? {}, desired.metadata.labels)
    )
      return;
    const next = structuredClone(current) as KubeObject;
    next.metadata.labels = desired.metadata.labels;
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...desired.metadata.annotations };
    if (desired.subsets) next.subsets = desired.subsets;
    else delete next.subsets;
    api.update(RESOURCES.endpoints, namespace, next);
  };

  return createQueueController(
    context,
    'endpoints-controller',
    [
      { resource: RESOURCES.services, keysFor: (event) => [keyOf(event.object)] },
      // A pod change may move it into or out of any Service of its namespace (labels changed too).
      { resource: RESOURCES.pods, keysFor: (event) => servicesInNamespace(event.object.metadata.namespace) },
      // Someone deleting a managed Endpoints object gets it put back.
      {
        resource: RESOURCES.endpoints,
        keysFor: (event) => (event.type === 'DELETED' ? [keyOf(event.object)] : []),
      },
    ],
    reconcile,
  );
}

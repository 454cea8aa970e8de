/**
 * The ResourceQuota status controller (upstream `pkg/controller/resourcequota`): keeps each
 * quota's `status.hard` equal to its spec and `status.used` current as objects come and go, so
 * `kubectl describe quota` in a learner's namespace shows real usage. Admission (refusing creates
 * over the limit) is the API server's job; this controller only reports.
 */
import type { WatchEvent } from '../../api/cluster-api.ts';
import type { KubeObject } from '../../api/objects.ts';
import { isStored, RESOURCES, type ResourceType, storageKeyOf } from '../../api/resources.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
  type WatchSpec,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';
import { calculateUsage, type NamespaceContent, podCountsAgainstQuota } from './usage.ts';

/** The name the controller logs under. */
export const QUOTA_CONTROLLER_NAME = 'resourcequota-controller';

/** Namespaced stored resources a quota can count (events excepted: they change constantly). */
function countedResources(): ResourceType[] {
  const seen = new Set<string>();
  const result: ResourceType[] = [];
  for (const resource of Object.values(RESOURCES) as ResourceType[]) {
    const storage = storageKeyOf(resource);
    if (!resource.namespaced || !isStored(resource) || storage === 'events' || seen.has(storage)) continue;
    seen.add(storage);
    result.push(resource);
  }
  return result;
}

function qualifiedName(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Creates the quota status controller. Start it through the control plane. */
export function createQuotaController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api, clock } = context;
  const resources = countedResources();

  const quotaKeysIn = (namespace: string | undefined): string[] =>
    namespace ? api.listAll(RESOURCES.resourcequotas, namespace).map(keyOf) : [];

  const watches: WatchSpec[] = [
    {
      resource: RESOURCES.resourcequotas,
      keysFor: (event: WatchEvent) => [keyOf(event.object), ...quotaKeysIn(event.object.metadata.namespace)],
    },
    ...resources
      .filter((r) => r !== RESOURCES.resourcequotas)
      .map((resource) => ({
        resource,
        keysFor: (event: WatchEvent) => quotaKeysIn(event.object.metadata.namespace),
      })),
  ];

  const contentOf = (namespace: string): NamespaceContent => {
    const counts = new Map<string, number>();
    for (const resource of resources)
      counts.set(qualifiedName(resource), api.store.count(storageKeyOf(resource), namespace));
    // Finished pods do not count in `pods` nor `count/pods`.
    const pods = api.listAll(RESOURCES.pods, namespace);
    counts.set('pods', pods.filter((p) => podCountsAgainstQuota(p, clock.now()).counts).length);
    return {
      pods,
      services: api.listAll(RESOURCES.services, namespace),
      claims: api.listAll(RESOURCES.persistentvolumeclaims, namespace),
      counts,
    };
  };

  return createQueueController(context, QUOTA_CONTROLLER_NAME, watches, (key, queue) => {
    const { namespace, name } = splitKey(key);
    const quota = namespace ? api.find(RESOURCES.resourcequotas, namespace, name) : undefined;
    if (!quota || !namespace || quota.metadata.deletionTimestamp) return;
    const hard = (quota.spec?.hard ?? {}) as Record<string, unknown>;
    const content = contentOf(namespace);
    const status = {
      hard: { ...hard },
      used: calculateUsage(hard, (quota.spec?.scopes ?? []) as string[], content, clock.now()),
    };
    if (
      !sameJson(quota.status?.hard ?? {}, status.hard) ||
      !sameJson(quota.status?.used ?? {}, status.used)
    ) {
      const next = structuredClone(quota) as KubeObject;
      next.status = status;
      api.update(RESOURCES.resourcequotas, namespace, next, { subresource: 'status' });
    }
    // A terminating pod stops counting once its grace period has passed: look again then.
    const untils = content.pods
      .map((p) => podCountsAgainstQuota(p, clock.now()).untilMs)
      .filter((t): t is number => t !== undefined);
    if (untils.length > 0) queue.addAfter(key, Math.max(1, Math.min(...untils) + 1 - clock.now()));
  });
}

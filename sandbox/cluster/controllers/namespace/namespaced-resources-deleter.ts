/**
 * Emptying a terminating namespace (upstream `deletion/namespaced_resources_deleter.go`): delete
 * every namespaced resource in it (background propagation, so the garbage collector adds no orphan
 * finalizers), check what is left, estimate how long graceful pod termination may take, report
 * conditions, and once nothing is left remove the `kubernetes` finalizer through `/finalize`, which
 * lets the API server remove the namespace.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { isStored, RESOURCES, type ResourceType, storageKeyOf } from '../../api/resources.ts';
import { formatTimestamp } from '../../clock.ts';
import {
  contentConditions,
  type NamespaceCondition,
  type RemainingContent,
  updateConditions,
} from './status-conditions.ts';

/** The spec.finalizers token this controller owns. */
export const NAMESPACE_FINALIZER = 'kubernetes';
/** Upstream's guess of how long other finalizers take, when items still carry some. */
export const FINALIZER_ESTIMATE_SECONDS = 15;
/** The grace period of a pod that does not say (the API default). */
const DEFAULT_POD_GRACE_SECONDS = 30;

/** Raised when content is left that no finalizer or grace period explains: retried with back-off. */
export class ContentRemainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentRemainingError';
  }
}

/** What a deletion pass found: done, or how long to wait before looking again. */
export type DeletionOutcome = { done: true } | { done: false; estimateSeconds: number };

/** Namespaced resources that can be deleted, one per storage (core and events.k8s.io events share one). */
export function deletableNamespacedResources(): ResourceType[] {
  const seen = new Set<string>();
  const result: ResourceType[] = [];
  for (const resource of Object.values(RESOURCES) as ResourceType[]) {
    const storage = storageKeyOf(resource);
    if (
      !resource.namespaced ||
      !isStored(resource) ||
      !resource.verbs.includes('delete') ||
      seen.has(storage)
    )
      continue;
    seen.add(storage);
    result.push(resource);
  }
  return result;
}

/** `pods.` or `deployments.apps`: how upstream names a resource in condition messages. */
function resourceLabel(resource: ResourceType): string {
  return `${resource.plural}.${resource.group}`;
}

/**
 * Seconds graceful termination of the namespace's pods may still take: the longest grace period of
 * a pod that has not finished, counted from the namespace's deletion; 0 once that time has passed.
 */
export function estimateGracefulTerminationForPods(
  pods: readonly KubeObject[],
  namespaceDeletedAtMs: number,
  nowMs: number,
): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    estimate = Math.max(
      estimate,
      Number(pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS),
    );
  }
  return nowMs - namespaceDeletedAtMs >= estimate * 1000 ? 0 : estimate;
}

/** Deletes one resource's content and reports what remains. */
function deleteAllContentForResource(
  api: ClusterApi,
  resource: ResourceType,
  namespace: string,
  deletedAtMs: number,
  nowMs: number,
): { estimate: number; remaining: number; finalizers: Map<string, number>; error?: string } {
  const estimate =
    resource === RESOURCES.pods
      ? estimateGracefulTerminationForPods(api.listAll(resource, namespace), deletedAtMs, nowMs)
      : 0;
  if (resource.verbs.includes('deletecollection')) {
    api.deleteCollection(resource, namespace, { propagationPolicy: 'Background' });
  } else {
    for (const item of api.listAll(resource, namespace)) {
      try {
        api.delete(resource, namespace, item.metadata.name!, { propagationPolicy: 'Background' });
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 404)) throw error;
      }
    }
  }
  const items = api.listAll(resource, namespace);
  const finalizers = new Map<string, number>();
  for (const item of items)
    for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  if (items.length === 0) return { estimate: 0, remaining: 0, finalizers };
  if (estimate !== 0) return { estimate, remaining: items.length, finalizers };
  if (finalizers.size > 0)
    return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: items.length, finalizers };
  return {
    estimate,
    remaining: items.length,
    finalizers,
    error: `unexpected items still remain in namespace: ${namespace} for gvr: ${resourceLabel(resource)}`,
  };
}

/**
 * One pass over a namespace (upstream `Delete`). Returns done when the namespace is gone or
 * finalized; otherwise the estimate to wait. Throws ContentRemainingError for unexplained leftovers.
 */
export function deleteNamespaceContent(api: ClusterApi, name: string): DeletionOutcome {
  let namespace = api.find(RESOURCES.namespaces, undefined, name);
  if (!namespace?.metadata.deletionTimestamp) return { done: true };
  const now = api.clock.now();
  const stamp = formatTimestamp(now);
  if (namespace.status?.phase !== 'Terminating') {
    const next = structuredClone(namespace) as KubeObject;
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    namespace = api.update(RESOURCES.namespaces, undefined, next, { subresource: 'status' });
  }
  const finalizers: string[] = namespace.spec?.finalizers ?? [];
  if (finalizers.length === 0) {
    api.finalizeIfReady(RESOURCES.namespaces, namespace);
    return { done: true };
  }

  const deletedAt = Date.parse(namespace.metadata.deletionTimestamp!);
  const remaining: RemainingContent = { byResource: new Map(), byFinalizer: new Map() };
  const errors: string[] = [];
  let estimate = 0;
  for (const resource of deletableNamespacedResources()) {
    let result: ReturnType<typeof deleteAllContentForResource>;
    try {
      result = deleteAllContentForResource(api, resource, name, deletedAt, now);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    estimate = Math.max(estimate, result.estimate);
    if (result.error) errors.push(result.error);
    if (result.remaining > 0) {
      remaining.byResource.set(resourceLabel(resource), result.remaining);
      for (const [f, n] of result.finalizers)
        remaining.byFinalizer.set(f, (remaining.byFinalizer.get(f) ?? 0) + n);
    }
  }

  const fresh = api.find(RESOURCES.namespaces, undefined, name);
  if (!fresh) return { done: true };
  const { conditions, changed } = updateConditions(
    (fresh.status?.conditions ?? []) as NamespaceCondition[],
    contentConditions(remaining, errors, stamp),
    stamp,
  );
  if (changed) {
    const next = structuredClone(fresh) as KubeObject;
    next.status = { ...(next.status ?? {}), conditions };
    api.update(RESOURCES.namespaces, undefined, next, { subresource: 'status' });
  }
  if (errors.length > 0) throw new ContentRemainingError(errors.join('; '));
  if (estimate > 0) return { done: false, estimateSeconds: estimate };

  const latest = api.find(RESOURCES.namespaces, undefined, name);
  if (!latest) return { done: true };
  const finalized = structuredClone(latest) as KubeObject;
  finalized.spec = {
    ...(finalized.spec ?? {}),
    finalizers: [...new Set((latest.spec?.finalizers ?? []) as string[])]
      .filter((f) => f !== NAMESPACE_FINALIZER)
      .sort(),
  };
  const stored = api.update(RESOURCES.namespaces, undefined, finalized, { subresource: 'finalize' });
  api.finalizeIfReady(RESOURCES.namespaces, stored);
  return { done: true };
}

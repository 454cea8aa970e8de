/**
 * ResourceQuota admission for object counts: a create that would take a namespace past a quota's
 * `hard` count is refused with the API server's wording, so one learner cannot starve a shared
 * cluster. Counted: `pods` (not yet finished), `services`, `configmaps`, `secrets`,
 * `persistentvolumeclaims`, `resourcequotas` and any `count/<resource>[.<group>]`.
 */
import type { ClusterApi } from '../cluster-api.ts';
import { forbidden } from '../errors.ts';
import type { KubeObject } from '../objects.ts';
import { ALL_RESOURCES, RESOURCES, type ResourceType, storageKeyOf } from '../resources.ts';

const SHORT_KEYS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  resourcequotas: 'resourcequotas',
};

/** The quota keys that count objects of a resource: `pods` and `count/pods`, `count/deployments.apps`. */
export function quotaKeysFor(resource: ResourceType): string[] {
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  const keys = [`count/${qualified}`];
  if (!resource.group && SHORT_KEYS[resource.plural]) keys.unshift(resource.plural);
  return keys;
}

/** The resource a quota key counts, or undefined for keys this admission does not handle. */
export function resourceForQuotaKey(key: string): ResourceType | undefined {
  const name = key.startsWith('count/') ? key.slice('count/'.length) : SHORT_KEYS[key];
  if (!name) return undefined;
  const dot = name.indexOf('.');
  const plural = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? '' : name.slice(dot + 1);
  return ALL_RESOURCES.find((r) => r.plural === plural && r.group === group);
}

/** Counts what a quota key measures in a namespace. Finished pods do not count, as upstream. */
export function countUsage(api: ClusterApi, resource: ResourceType, namespace: string): number {
  if (resource.kind === 'Pod') {
    return api
      .listAll(RESOURCES.pods, namespace)
      .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
  }
  return api.store.count(storageKeyOf(resource), namespace);
}

/** Throws Forbidden when creating `object` would exceed a quota of its namespace. */
export function admitQuota(api: ClusterApi, resource: ResourceType, object: KubeObject): void {
  const namespace = object.metadata.namespace;
  if (!namespace) return;
  const keys = quotaKeysFor(resource);
  for (const quota of api.listAll(RESOURCES.resourcequotas, namespace)) {
    const hard = (quota.spec?.hard ?? {}) as Record<string, string | number>;
    for (const key of keys) {
      if (hard[key] === undefined) continue;
      const limit = Number(hard[key]);
      const used = countUsage(api, resource, namespace);
      if (used + 1 > limit) {
        throw forbidden(
          `${resource.group ? `${resource.plural}.${resource.group}` : resource.plural} "${object.metadata.name}" is forbidden: exceeded quota: ${quota.metadata.name}, requested: ${key}=1, used: ${key}=${used}, limited: ${key}=${hard[key]}`,
          resource,
          object.metadata.name,
        );
      }
    }
  }
}

/**
 * Claiming through the API for every workload controller: the shared claim rules of
 * `controllers/shared/controller-ref.ts` (keep what matches, adopt matching orphans, release what no
 * longer matches) with the writes, and upstream's re-check that the owner is still alive and not
 * being deleted before the first adoption.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import type { KubeObject } from '../../api/objects.ts';
import { findResourceForKind, type ResourceType } from '../../api/resources.ts';
import type { Selector } from '../../api/selectors.ts';
import { claimObjects, withControllerRef, withoutOwner } from './controller-ref.ts';
import { newControllerRef } from './pods.ts';

/** Adds the owner's controller reference to an orphan (precondition: its resourceVersion). */
export function adoptObject(
  api: ClusterApi,
  resource: ResourceType,
  owner: KubeObject,
  object: KubeObject,
): KubeObject {
  return api.update(resource, object.metadata.namespace, withControllerRef(object, newControllerRef(owner)));
}

/** Throws unless the owner still exists as the same object and is not being deleted. */
function recheckOwner(api: ClusterApi, owner: KubeObject, what: string): void {
  const ownerResource = findResourceForKind(owner.apiVersion, owner.kind);
  const fresh = ownerResource && api.find(ownerResource, owner.metadata.namespace, owner.metadata.name!);
  const name = `${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name}`;
  if (!fresh || fresh.metadata.uid !== owner.metadata.uid)
    throw new Error(`original ${name} is gone: cannot adopt ${what}`);
  if (fresh.metadata.deletionTimestamp) throw new Error(`${name} is being deleted: cannot adopt ${what}`);
}

/**
 * Returns the candidates `owner` controls after adopting matching orphans and releasing owned
 * objects whose labels no longer match. Throws after the claim when a write failed, so the sync is
 * retried; callers pre-filter candidates for extra conditions (a StatefulSet's pods by name).
 */
export function claimWithApi(
  api: ClusterApi,
  resource: ResourceType,
  owner: KubeObject,
  selector: Selector,
  candidates: readonly KubeObject[],
): KubeObject[] {
  const { claimed, errors } = claimObjects(candidates, {
    owner,
    selector,
    canAdopt: () => recheckOwner(api, owner, resource.plural),
    adopt: (object) => adoptObject(api, resource, owner, object),
    release: (object) => {
      api.update(resource, object.metadata.namespace, withoutOwner(object, owner.metadata.uid!));
    },
  });
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `claiming ${resource.plural} for ${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name} failed`,
    );
  }
  return claimed;
}

/**
 * Ownership of dependents by a controller, as upstream's ControllerRefManager decides it: a
 * controller keeps what it owns and still selects, adopts orphans it selects, and releases what it
 * owns but no longer selects. Used by the DaemonSet and StatefulSet controllers for their pods and
 * ControllerRevisions.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject, OwnerReference } from '../../api/objects.ts';
import type { ResourceType } from '../../api/resources.ts';
import { matchesLabels, type Selector } from '../../api/selectors.ts';

/** The controller reference a controller puts on what it creates: controller and blockOwnerDeletion set. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner reference marked `controller: true`, if any. */
export function getControllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** Whether `owner` is the controller of `object` (same uid). */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  return getControllerOf(object)?.uid === owner.metadata.uid;
}

/** What a claim needs: who claims, what they select, and where the candidates live. */
export interface ClaimOptions {
  api: ClusterApi;
  resource: ResourceType;
  owner: KubeObject;
  selector: Selector;
  /** Extra condition beyond the selector (a StatefulSet claims only pods named after it). */
  filter?: (object: KubeObject) => boolean;
}

/**
 * Returns the candidates the owner controls after adopting matching orphans and releasing owned
 * objects that no longer match. Adoption fails (throws) when the object changed meanwhile; the
 * controller then retries its sync.
 */
export function claimObjects(options: ClaimOptions, candidates: readonly KubeObject[]): KubeObject[] {
  const { owner } = options;
  const matches = (o: KubeObject): boolean =>
    matchesLabels(options.selector, o.metadata.labels) && (options.filter?.(o) ?? true);
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  const claimed: KubeObject[] = [];
  for (const candidate of candidates) {
    const ref = getControllerOf(candidate);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(candidate)) claimed.push(candidate);
      else if (!ownerDeleting) releaseObject(options.api, options.resource, owner, candidate);
      continue;
    }
    if (ownerDeleting || !matches(candidate) || candidate.metadata.deletionTimestamp) continue;
    if (candidate.metadata.namespace !== owner.metadata.namespace) continue;
    claimed.push(adoptObject(options.api, options.resource, owner, candidate));
  }
  return claimed;
}

/** Adds the owner's controller reference to an orphan (precondition: its resourceVersion). */
export function adoptObject(
  api: ClusterApi,
  resource: ResourceType,
  owner: KubeObject,
  object: KubeObject,
): KubeObject {
  const next = structuredClone(object) as KubeObject;
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), newControllerRef(owner)];
  return api.update(resource, next.metadata.namespace, next);
}

/** Removes the owner's reference; an object already gone is fine. */
export function releaseObject(
  api: ClusterApi,
  resource: ResourceType,
  owner: KubeObject,
  object: KubeObject,
): void {
  const next = structuredClone(object) as KubeObject;
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
    (ref) => ref.uid !== owner.metadata.uid,
  );
  if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
  try {
    api.update(resource, next.metadata.namespace, next);
  } catch (error) {
    if (!(error instanceof StatusError && error.code === 404)) throw error;
  }
}

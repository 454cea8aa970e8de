/**
 * A controller's history as ControllerRevisions (upstream `pkg/controller/history`): naming
 * `<owner>-<hash>`, hashing the stored data, revision numbers, ordering, equality, and the API calls
 * that create (resolving name collisions), renumber and delete revisions. StatefulSets use all of it;
 * DaemonSets name their revisions by template hash instead but share numbering and ordering.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { matchesLabels, type Selector } from '../../api/selectors.ts';
import { getControllerOf } from '../shared/controller-ref.ts';
import { safeEncodeString } from '../shared/pod-template-hash.ts';
import { newControllerRef } from '../shared/pods.ts';
import { canonicalJson, fnv32, utf8 } from './hash.ts';

/** The label holding the hash of a (StatefulSet) revision's data. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** Names longer than 253 characters are invalid: the prefix is cut to leave room for `-<hash>`. */
const MAX_PREFIX_LENGTH = 223;

/** The default of spec.revisionHistoryLimit for DaemonSets and StatefulSets. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** A collision count passed by reference, as upstream's `*int32`, so creation can bump it. */
export interface CollisionCounter {
  count: number;
}

/** `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_PREFIX_LENGTH)}-${hash}`;
}

/**
 * FNV-1 over a revision's data as canonical JSON, then the collision count's decimal digits when given
 * (upstream `HashControllerRevision`), spelled safely.
 */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  let hash = fnv32(utf8(data === undefined ? '' : canonicalJson(data)));
  if (collisionCount !== undefined) hash = fnv32(utf8(String(collisionCount)), hash);
  return safeEncodeString(String(hash));
}

/** The revision number of a ControllerRevision (0 when missing). */
export function revisionNumber(revision: KubeObject): number {
  const value = revision.revision;
  return typeof value === 'number' ? value : 0;
}

/**
 * A new, not yet stored revision owned by `parent`: template labels plus the hash label, the given
 * data and number, named from the hash of the data and the collision count.
 */
export function newControllerRevision(
  parent: KubeObject,
  templateLabels: Record<string, string> | undefined,
  data: unknown,
  revision: number,
  collisionCount?: number,
): KubeObject {
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata.name!, hash),
      namespace: parent.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(parent)],
    },
    data,
    revision,
  };
}

/** Sorted by revision number, ties by creation time, then name (upstream `byRevision`). */
export function sortControllerRevisions(revisions: readonly KubeObject[]): KubeObject[] {
  return [...revisions].sort((a, b) => {
    const byNumber = revisionNumber(a) - revisionNumber(b);
    if (byNumber !== 0) return byNumber;
    const created = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
    if (created !== 0) return created;
    return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
}

/** Whether two revisions store the same data. */
export function equalRevision(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** The revisions equal to `needle`, in the given order. */
export function findEqualRevisions(revisions: readonly KubeObject[], needle: KubeObject): KubeObject[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** One more than the last revision of a sorted list; 1 for an empty history. */
export function nextRevision(sorted: readonly KubeObject[]): number {
  const last = sorted[sorted.length - 1];
  return last ? revisionNumber(last) + 1 : 1;
}

/** The highest revision number (0 for none). */
export function maxRevision(revisions: readonly KubeObject[]): number {
  return revisions.reduce((max, r) => Math.max(max, revisionNumber(r)), 0);
}

/**
 * Revisions in the parent's namespace that match the selector and are controlled by the parent or
 * by nobody (orphans the parent may adopt).
 */
export function listControllerRevisions(
  api: ClusterApi,
  parent: KubeObject,
  selector: Selector,
): KubeObject[] {
  return api.listAll(RESOURCES.controllerrevisions, parent.metadata.namespace).filter((r) => {
    if (!matchesLabels(selector, r.metadata.labels)) return false;
    const ref = getControllerOf(r);
    return !ref || ref.uid === parent.metadata.uid;
  });
}

/**
 * Stores a revision. When its name is taken by a revision with other data (a hash collision), the
 * collision count goes up and the name is computed again, until a free name or an equal revision is
 * found. As upstream, only the name changes on a retry; the hash label keeps the first hash.
 */
export function createControllerRevision(
  api: ClusterApi,
  parent: KubeObject,
  revision: KubeObject,
  collisionCount: CollisionCounter,
): KubeObject {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = structuredClone(revision) as KubeObject;
    candidate.metadata.name = controllerRevisionName(
      parent.metadata.name!,
      hashControllerRevision(revision.data, collisionCount.count),
    );
    candidate.metadata.namespace = parent.metadata.namespace;
    try {
      return api.create(RESOURCES.controllerrevisions, parent.metadata.namespace, candidate);
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 409 && error.reason === 'AlreadyExists'))
        throw error;
      const existing = api.find(
        RESOURCES.controllerrevisions,
        parent.metadata.namespace,
        candidate.metadata.name,
      );
      if (existing && equalRevision(existing, candidate)) return existing;
      collisionCount.count++;
    }
  }
  throw new Error(
    `could not find a free ControllerRevision name for ${parent.metadata.namespace}/${parent.metadata.name}`,
  );
}

/** Gives an existing revision a new number (a rollback makes an old revision the newest). */
export function updateControllerRevision(
  api: ClusterApi,
  revision: KubeObject,
  newRevision: number,
): KubeObject {
  if (revisionNumber(revision) === newRevision) return revision;
  const latest =
    api.find(RESOURCES.controllerrevisions, revision.metadata.namespace, revision.metadata.name!) ?? revision;
  const next = structuredClone(latest) as KubeObject;
  next.revision = newRevision;
  return api.update(RESOURCES.controllerrevisions, next.metadata.namespace, next);
}

/** Deletes a revision; one already gone is fine. */
export function deleteControllerRevision(api: ClusterApi, revision: KubeObject): void {
  try {
    api.delete(RESOURCES.controllerrevisions, revision.metadata.namespace, revision.metadata.name!);
  } catch (error) {
    if (!(error instanceof StatusError && error.code === 404)) throw error;
  }
}

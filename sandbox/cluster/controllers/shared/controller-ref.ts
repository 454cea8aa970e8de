/**
 * Controller references: who controls an object, and the adopt/release dance of upstream's
 * ControllerRefManager. A controller claims the objects its selector matches: orphans that match
 * are adopted (it writes itself as their controller), objects it controls that no longer match are
 * released, and objects controlled by someone else are left alone.
 */
import { StatusError } from '../../api/errors.ts';
import type { KubeObject, OwnerReference } from '../../api/objects.ts';
import { matchesLabels, type Selector } from '../../api/selectors.ts';

/** The owner reference marked `controller: true`, if any. */
export function getControllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** Whether `object` is controlled by the object with `uid`. */
export function isControlledBy(object: KubeObject, uid: string | undefined): boolean {
  return uid !== undefined && getControllerOf(object)?.uid === uid;
}

/** How a controller claims objects: its identity and selector, and the writes that adopt or release. */
export interface ClaimOptions<T extends KubeObject> {
  /** The controller doing the claiming. */
  owner: KubeObject;
  /** The controller's selector. */
  selector: Selector;
  /** Checked once before the first adoption: throws when the owner is gone or being deleted. */
  canAdopt: () => void;
  /** Writes the owner as the object's controller; returns the stored object. */
  adopt: (object: T) => T;
  /** Removes the owner's reference from the object. */
  release: (object: T) => void;
}

/** What a claim ended with: the objects the owner now controls and the writes that failed. */
export interface ClaimResult<T> {
  claimed: T[];
  errors: unknown[];
}

function isNotFound(error: unknown): boolean {
  return error instanceof StatusError && error.code === 404;
}

/**
 * Claims objects for `owner` (upstream's ClaimObject applied to each):
 * - controlled by the owner and matching: kept;
 * - controlled by the owner and no longer matching: released (unless the owner is being deleted);
 * - controlled by another: ignored;
 * - orphaned, matching, alive, owner alive: adopted.
 * Objects that vanish while being written are skipped, as upstream does.
 */
export function claimObjects<T extends KubeObject>(
  objects: readonly T[],
  options: ClaimOptions<T>,
): ClaimResult<T> {
  const { owner } = options;
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let adoptionCheck: { ok: boolean; error?: unknown } | undefined;
  for (const object of objects) {
    const ref = getControllerOf(object);
    const matches = matchesLabels(options.selector, object.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) {
        claimed.push(object);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        options.release(object);
      } catch (error) {
        if (!isNotFound(error)) errors.push(error);
      }
      continue;
    }
    if (ownerDeleting || !matches || object.metadata.deletionTimestamp) continue;
    if (object.metadata.namespace !== owner.metadata.namespace) continue;
    if (!adoptionCheck) {
      try {
        options.canAdopt();
        adoptionCheck = { ok: true };
      } catch (error) {
        adoptionCheck = { ok: false, error };
      }
    }
    if (!adoptionCheck.ok) {
      errors.push(adoptionCheck.error);
      continue;
    }
    try {
      claimed.push(options.adopt(object));
    } catch (error) {
      if (!isNotFound(error)) errors.push(error);
    }
  }
  return { claimed, errors };
}

/** A copy of `object` with `ref` appended to its owner references, ready to update. */
export function withControllerRef<T extends KubeObject>(object: T, ref: OwnerReference): T {
  const copy = structuredClone(object) as T;
  copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []), { ...ref }];
  return copy;
}

/** A copy of `object` without owner references to `uid`, ready to update. */
export function withoutOwner<T extends KubeObject>(object: T, uid: string): T {
  const copy = structuredClone(object) as T;
  const kept = (copy.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
  if (kept.length > 0) copy.metadata.ownerReferences = kept;
  else delete copy.metadata.ownerReferences;
  return copy;
}

/**
 * How the garbage collector judges a dependent's owner references (upstream
 * `classifyReferences`) and which propagation policy it deletes with. Pure functions over a lookup.
 */
import type { KubeObject, OwnerReference } from '../../api/objects.ts';

/** Finalizer of an owner in foreground deletion (waits for blocking dependents). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer of an owner deleted with propagationPolicy Orphan (dependents lose the reference). */
export const ORPHAN_FINALIZER = 'orphan';

/** What became of an owner: gone, present, or of a kind this server does not serve. */
export type OwnerLookup = (ref: OwnerReference) => KubeObject | undefined | 'unresolvable';

/** A dependent's references split by the state of their owners. */
export interface ClassifiedReferences {
  /** Owner exists and is not waiting on its dependents. */
  solid: OwnerReference[];
  /** Owner is gone (or a different object now has its name). */
  dangling: OwnerReference[];
  /** Owner is in foreground deletion, waiting for its dependents to go. */
  waitingForDependentsDeletion: OwnerReference[];
}

/** Whether an object carries a finalizer. */
export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return (object.metadata.finalizers ?? []).includes(finalizer);
}

/**
 * Splits references by owner state. A reference to a kind the server cannot resolve counts as solid:
 * the collector never deletes what it cannot verify.
 */
export function classifyReferences(
  references: readonly OwnerReference[],
  lookup: OwnerLookup,
): ClassifiedReferences {
  const result: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const ref of references) {
    const owner = lookup(ref);
    if (owner === 'unresolvable') result.solid.push(ref);
    else if (!owner || owner.metadata.uid !== ref.uid) result.dangling.push(ref);
    else if (owner.metadata.deletionTimestamp && hasFinalizer(owner, FOREGROUND_FINALIZER))
      result.waitingForDependentsDeletion.push(ref);
    else result.solid.push(ref);
  }
  return result;
}

/** The decision for one dependent. */
export type DependentAction =
  | { kind: 'keep' }
  | { kind: 'removeReferences'; uids: string[] }
  | { kind: 'delete'; policy: 'Background' | 'Foreground' | 'Orphan'; unblockOwnerReferences: boolean };

/**
 * What to do with a dependent (upstream `attemptToDeleteItem`):
 * - some owner is solid → keep it, dropping references to gone or waiting owners;
 * - an owner waits in foreground deletion and the dependent has dependents itself → delete it in
 *   foreground too, so the wait reaches down the chain (Deployment → ReplicaSet → Pods);
 * - otherwise → delete it, with the policy its own finalizers ask for (Background by default).
 * `hasDeletingDependentBelow` unblocks references when a dependent below is itself waiting, which
 * would otherwise deadlock a cycle.
 */
export function decideDependentAction(
  dependent: KubeObject,
  classified: ClassifiedReferences,
  hasDependents: boolean,
  hasDeletingDependentBelow: boolean,
): DependentAction {
  const { solid, dangling, waitingForDependentsDeletion: waiting } = classified;
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return { kind: 'keep' };
    return { kind: 'removeReferences', uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  if (waiting.length > 0 && hasDependents)
    return { kind: 'delete', policy: 'Foreground', unblockOwnerReferences: hasDeletingDependentBelow };
  const policy = hasFinalizer(dependent, ORPHAN_FINALIZER)
    ? 'Orphan'
    : hasFinalizer(dependent, FOREGROUND_FINALIZER)
      ? 'Foreground'
      : 'Background';
  return { kind: 'delete', policy, unblockOwnerReferences: false };
}

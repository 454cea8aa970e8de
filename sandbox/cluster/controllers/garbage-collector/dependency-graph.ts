/**
 * The garbage collector's picture of ownership (upstream GraphBuilder's `uidToNode`): a node per
 * object with its owner references, and an index from each owner uid to its dependents. Kept
 * current from watch events; the collector asks it "who depends on X" and "does X exist".
 */
import type { OwnerReference } from '../../api/objects.ts';
import type { ResourceType } from '../../api/resources.ts';

/** Enough to find an object again, and to know it is the same object (uid). */
export interface ObjectIdentity {
  /** Readable resource name from RESOURCES (`replicasets`), used in queue keys. */
  resourceName: string;
  resource: ResourceType;
  namespace: string | undefined;
  name: string;
  uid: string;
}

/** One object in the graph. */
export interface GraphNode {
  identity: ObjectIdentity;
  owners: OwnerReference[];
  finalizers: string[];
  beingDeleted: boolean;
  /** Foreground deletion in progress: the object waits for its blocking dependents. */
  deletingDependents: boolean;
}

/** How an object's owner references changed between two versions. */
export interface ReferenceDiff {
  added: OwnerReference[];
  removed: OwnerReference[];
  /** References whose blockOwnerDeletion went from true to false or away. */
  unblocked: OwnerReference[];
}

/** Compares owner references by uid. */
export function diffReferences(
  before: readonly OwnerReference[],
  after: readonly OwnerReference[],
): ReferenceDiff {
  const old = new Map(before.map((r) => [r.uid, r]));
  const now = new Map(after.map((r) => [r.uid, r]));
  const diff: ReferenceDiff = { added: [], removed: [], unblocked: [] };
  for (const [uid, ref] of now) {
    const previous = old.get(uid);
    if (!previous) diff.added.push(ref);
    else if (previous.blockOwnerDeletion === true && ref.blockOwnerDeletion !== true)
      diff.unblocked.push(ref);
  }
  for (const [uid, ref] of old) if (!now.has(uid)) diff.removed.push(ref);
  return diff;
}

/** Objects by uid and dependents by owner uid. */
export class DependencyGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  /** The node of a uid, if the object was seen and not deleted since. */
  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  /** How many objects are known. */
  get size(): number {
    return this.#nodes.size;
  }

  /** Current nodes whose owner references name this uid. */
  dependentsOf(uid: string): GraphNode[] {
    const nodes: GraphNode[] = [];
    for (const dependent of this.#dependents.get(uid) ?? []) {
      const node = this.#nodes.get(dependent);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  /** Dependents whose reference to this owner has blockOwnerDeletion: what foreground deletion waits for. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((node) =>
      node.owners.some((ref) => ref.uid === uid && ref.blockOwnerDeletion === true),
    );
  }

  /** Inserts or replaces a node; returns the previous node and how its references changed. */
  upsert(node: GraphNode): { previous: GraphNode | undefined; diff: ReferenceDiff } {
    const uid = node.identity.uid;
    const previous = this.#nodes.get(uid);
    const diff = diffReferences(previous?.owners ?? [], node.owners);
    for (const ref of diff.removed) this.#unlink(ref.uid, uid);
    for (const ref of node.owners) {
      let set = this.#dependents.get(ref.uid);
      if (!set) {
        set = new Set();
        this.#dependents.set(ref.uid, set);
      }
      set.add(uid);
    }
    // Deletion, once started, never stops; foreground waiting lasts until the object is gone.
    node.deletingDependents ||= previous?.deletingDependents ?? false;
    this.#nodes.set(uid, node);
    return { previous, diff };
  }

  /** Removes an object; its dependents keep pointing at its uid (they are dangling now). */
  remove(uid: string): GraphNode | undefined {
    const node = this.#nodes.get(uid);
    if (!node) return undefined;
    this.#nodes.delete(uid);
    for (const ref of node.owners) this.#unlink(ref.uid, uid);
    return node;
  }

  #unlink(owner: string, dependent: string): void {
    const set = this.#dependents.get(owner);
    if (!set) return;
    set.delete(dependent);
    if (set.size === 0) this.#dependents.delete(owner);
  }
}

/**
 * The garbage collector (upstream `pkg/controller/garbagecollector`): deletes dependents whose
 * owners are gone, and carries out the three propagation policies of a delete:
 *
 * - Background: the owner goes at once; its dependents become dangling and are deleted here
 *   (`kubectl delete deploy vweb`: Deployment → ReplicaSets → Pods).
 * - Foreground: the API server marks the owner with the `foregroundDeletion` finalizer; this
 *   controller deletes its blocking dependents (in foreground as well when they own things in
 *   turn) and removes the finalizer once none is left, so the owner is the last to go.
 * - Orphan: the owner carries the `orphan` finalizer; dependents lose their reference to it and
 *   stay, then the finalizer is removed.
 *
 * The dependency graph is updated synchronously from watch events of every stored resource
 * (events excepted, as upstream ignores them); decisions re-read objects from the API.
 * Queue keys: `delete|<resource>|<namespace>|<name>|<uid>` and `orphan|…`.
 */
import type { WatchEvent } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject, OwnerReference } from '../../api/objects.ts';
import {
  findResourceForKind,
  isStored,
  RESOURCES,
  type ResourceType,
  storageKeyOf,
} from '../../api/resources.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  type WatchSpec,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';
import { DependencyGraph, type GraphNode, type ObjectIdentity } from './dependency-graph.ts';
import {
  classifyReferences,
  decideDependentAction,
  FOREGROUND_FINALIZER,
  hasFinalizer,
  ORPHAN_FINALIZER,
  type OwnerLookup,
} from './owner-references.ts';

/** The name the controller logs under. */
export const GARBAGE_COLLECTOR_NAME = 'garbage-collector-controller';

/** Resources the collector watches: every stored one, once per storage, without events. */
export function collectedResources(): [string, ResourceType][] {
  const seen = new Set<string>();
  const result: [string, ResourceType][] = [];
  for (const [name, resource] of Object.entries(RESOURCES) as [string, ResourceType][]) {
    const storage = storageKeyOf(resource);
    if (!isStored(resource) || storage === 'events' || seen.has(storage)) continue;
    seen.add(storage);
    result.push([name, resource]);
  }
  return result;
}

function keyFor(action: 'delete' | 'orphan', identity: ObjectIdentity): string {
  return [action, identity.resourceName, identity.namespace ?? '', identity.name, identity.uid].join('|');
}

function isDeleting(node: GraphNode | undefined): boolean {
  return node?.deletingDependents === true;
}

/** The garbage collector, with its graph exposed for tests and diagnostics. */
export type GarbageCollector = Controller & { queue: WorkQueue; graph: DependencyGraph };

/** Creates the garbage collector. Start it through the control plane. */
export function createGarbageCollector(context: ControllerContext): GarbageCollector {
  const { api } = context;
  const graph = new DependencyGraph();
  const resources = collectedResources();
  const resourceByName = new Map(resources);

  /** Graph maintenance for one event; returns the keys to queue (upstream `processGraphChanges`). */
  const processGraphChanges = (resourceName: string, resource: ResourceType, event: WatchEvent): string[] => {
    const object = event.object;
    const uid = object.metadata.uid;
    if (!uid) return [];
    const keys: string[] = [];
    if (event.type === 'DELETED') {
      const removed = graph.remove(uid);
      for (const dependent of graph.dependentsOf(uid)) keys.push(keyFor('delete', dependent.identity));
      for (const ref of removed?.owners ?? []) {
        const owner = graph.get(ref.uid);
        if (owner && isDeleting(owner)) keys.push(keyFor('delete', owner.identity));
      }
      return keys;
    }
    const node: GraphNode = {
      identity: {
        resourceName,
        resource,
        namespace: object.metadata.namespace,
        name: object.metadata.name!,
        uid,
      },
      owners: [...(object.metadata.ownerReferences ?? [])],
      finalizers: [...(object.metadata.finalizers ?? [])],
      beingDeleted: object.metadata.deletionTimestamp !== undefined,
      deletingDependents: false,
    };
    const { previous, diff } = graph.upsert(node);
    // A reference to an owner never seen: verify it (the owner may be gone already).
    const toCheck = previous ? diff.added : node.owners;
    if (toCheck.some((ref) => !graph.get(ref.uid))) keys.push(keyFor('delete', node.identity));
    // An owner waiting in foreground deletion may be unblocked by a reference going away.
    for (const ref of [...diff.removed, ...diff.unblocked]) {
      const owner = graph.get(ref.uid);
      if (owner && isDeleting(owner)) keys.push(keyFor('delete', owner.identity));
    }
    const startsWith = (finalizer: string): boolean =>
      node.beingDeleted &&
      node.finalizers.includes(finalizer) &&
      (!previous?.beingDeleted || !previous.finalizers.includes(finalizer));
    if (startsWith(ORPHAN_FINALIZER)) keys.push(keyFor('orphan', node.identity));
    if (startsWith(FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dependent of graph.dependentsOf(uid)) keys.push(keyFor('delete', dependent.identity));
      keys.push(keyFor('delete', node.identity));
    }
    return keys;
  };

  const lookupOwner =
    (dependent: KubeObject): OwnerLookup =>
    (ref: OwnerReference) => {
      const resource = findResourceForKind(ref.apiVersion, ref.kind);
      if (!resource || !isStored(resource)) return 'unresolvable';
      return api.find(resource, resource.namespaced ? dependent.metadata.namespace : undefined, ref.name);
    };

  const latestOf = (identity: ObjectIdentity): KubeObject | undefined => {
    const latest = api.find(identity.resource, identity.namespace, identity.name);
    return latest && latest.metadata.uid === identity.uid ? latest : undefined;
  };

  const update = (identity: ObjectIdentity, object: KubeObject): void => {
    try {
      api.update(identity.resource, identity.namespace, object);
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 404)) throw error;
    }
  };

  const removeFinalizer = (identity: ObjectIdentity, latest: KubeObject, finalizer: string): void => {
    const next = structuredClone(latest) as KubeObject;
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    update(identity, next);
  };

  const deleteObject = (identity: ObjectIdentity, policy: 'Background' | 'Foreground' | 'Orphan'): void => {
    try {
      api.delete(identity.resource, identity.namespace, identity.name, {
        propagationPolicy: policy,
        preconditions: { uid: identity.uid },
      });
    } catch (error) {
      if (!(error instanceof StatusError && (error.code === 404 || error.code === 409))) throw error;
    }
  };

  /** Foreground owner: delete blocking dependents, or finish when none is left. */
  const processDeletingDependentsItem = (
    identity: ObjectIdentity,
    latest: KubeObject,
    queue: WorkQueue,
  ): void => {
    const blocking = graph.blockingDependentsOf(identity.uid);
    if (blocking.length === 0) {
      removeFinalizer(identity, latest, FOREGROUND_FINALIZER);
      return;
    }
    for (const dependent of blocking)
      if (!isDeleting(dependent)) queue.add(keyFor('delete', dependent.identity));
  };

  const attemptToDeleteItem = (identity: ObjectIdentity, queue: WorkQueue): void => {
    const latest = latestOf(identity);
    if (!latest) return;
    if (latest.metadata.deletionTimestamp) {
      if (hasFinalizer(latest, FOREGROUND_FINALIZER)) processDeletingDependentsItem(identity, latest, queue);
      return;
    }
    const owners = latest.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const dependents = graph.dependentsOf(identity.uid);
    const action = decideDependentAction(
      latest,
      classifyReferences(owners, lookupOwner(latest)),
      dependents.length > 0,
      dependents.some(isDeleting),
    );
    if (action.kind === 'keep') return;
    if (action.kind === 'removeReferences') {
      const next = structuredClone(latest) as KubeObject;
      next.metadata.ownerReferences = owners.filter((ref) => !action.uids.includes(ref.uid));
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      update(identity, next);
      return;
    }
    if (action.unblockOwnerReferences) {
      const next = structuredClone(latest) as KubeObject;
      next.metadata.ownerReferences = owners.map((ref) =>
        ref.blockOwnerDeletion ? { ...ref, blockOwnerDeletion: false } : ref,
      );
      update(identity, next);
    }
    deleteObject(identity, action.policy);
  };

  const attemptToOrphan = (identity: ObjectIdentity): void => {
    const latest = latestOf(identity);
    if (!latest || !hasFinalizer(latest, ORPHAN_FINALIZER)) return;
    for (const dependent of graph.dependentsOf(identity.uid)) {
      const current = latestOf(dependent.identity);
      if (!current) continue;
      const next = structuredClone(current) as KubeObject;
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        (ref) => ref.uid !== identity.uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      update(dependent.identity, next);
    }
    const fresh = latestOf(identity);
    if (fresh) removeFinalizer(identity, fresh, ORPHAN_FINALIZER);
  };

  const watches: WatchSpec[] = resources.map(([name, resource]) => ({
    resource,
    keysFor: (event: WatchEvent) => processGraphChanges(name, resource, event),
  }));

  const controller = createQueueController(context, GARBAGE_COLLECTOR_NAME, watches, (key, queue) => {
    const [action, resourceName, namespace, name, uid] = key.split('|') as [
      string,
      string,
      string,
      string,
      string,
    ];
    const resource = resourceByName.get(resourceName);
    if (!resource) return;
    const identity: ObjectIdentity = { resourceName, resource, namespace: namespace || undefined, name, uid };
    if (action === 'orphan') attemptToOrphan(identity);
    else attemptToDeleteItem(identity, queue);
  });
  return Object.assign(controller, { graph });
}

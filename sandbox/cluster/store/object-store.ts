/**
 * The control plane's storage: objects by resource, namespace and name, one global revision
 * counter that becomes every object's `metadata.resourceVersion`, and a bounded history of changes
 * so that a watch can resume from a resourceVersion it saw earlier (as etcd's watch does).
 *
 * Stored objects are deep-frozen: a reader gets the stored object itself (no copy) and must clone
 * before changing it. A stray mutation throws instead of silently corrupting the store.
 */
import type { KubeObject } from '../api/objects.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch delivers it. */
export interface StoreEvent {
  type: WatchEventType;
  /** Storage key of the resource (`deployments.apps`). */
  resource: string;
  object: KubeObject;
  /** The revision this change produced; for DELETED the revision of the deletion. */
  revision: number;
  /** The state before a MODIFIED change, so a filtered watch can tell an object leaving its selector. */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

/** Raised when a watch asks for history the store no longer keeps: the client must list again. */
export class RevisionTooOldError extends Error {
  readonly requested: number;
  readonly oldest: number;
  constructor(requested: number, oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
    this.name = 'RevisionTooOldError';
    this.requested = requested;
    this.oldest = oldest;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** In-memory object storage with revisions and watchable history. */
export class ObjectStore {
  #revision = 0;
  readonly #objects = new Map<string, Map<string, Map<string, KubeObject>>>();
  readonly #history: StoreEvent[] = [];
  readonly #historyLimit: number;
  readonly #listeners = new Map<string, Set<StoreListener>>();

  constructor(options: { historyLimit?: number } = {}) {
    this.#historyLimit = options.historyLimit ?? 20_000;
  }

  /** The newest revision written: what a list returns as its resourceVersion. */
  get revision(): number {
    return this.#revision;
  }

  /** The stored object, frozen, or undefined. */
  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.#objects.get(resource)?.get(namespace)?.get(name);
  }

  /** Stored objects of a resource, in one namespace or (namespace undefined) in all, sorted by namespace and name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const byNamespace = this.#objects.get(resource);
    if (!byNamespace) return [];
    const spaces = namespace === undefined ? [...byNamespace.keys()].sort() : [namespace];
    const result: KubeObject[] = [];
    for (const space of spaces) {
      const names = byNamespace.get(space);
      if (!names) continue;
      for (const key of [...names.keys()].sort()) result.push(names.get(key)!);
    }
    return result;
  }

  /** How many objects of a resource a namespace holds (cheap: for quotas). */
  count(resource: string, namespace: string): number {
    return this.#objects.get(resource)?.get(namespace)?.size ?? 0;
  }

  /** Writes a new object; the caller has checked it does not exist. Returns the stored copy. */
  create(resource: string, object: KubeObject): KubeObject {
    return this.#write(resource, object, 'ADDED');
  }

  /** Replaces an existing object; the caller has checked preconditions. Returns the stored copy. */
  update(resource: string, object: KubeObject): KubeObject {
    return this.#write(resource, object, 'MODIFIED');
  }

  /** Removes an object. Returns the last state, stamped with the deletion's revision, or undefined. */
  delete(resource: string, namespace: string, name: string): KubeObject | undefined {
    const names = this.#objects.get(resource)?.get(namespace);
    const existing = names?.get(name);
    if (!names || !existing) return undefined;
    names.delete(name);
    const revision = ++this.#revision;
    const last = deepFreeze({
      ...structuredClone(existing),
      metadata: { ...structuredClone(existing.metadata), resourceVersion: String(revision) },
    });
    this.#emit({ type: 'DELETED', resource, object: last, revision });
    return last;
  }

  /**
   * Listens to changes of one resource after `fromRevision`. Changes already in history are
   * replayed first, synchronously. Throws RevisionTooOldError when that history is gone.
   */
  watch(resource: string, fromRevision: number, listener: StoreListener): () => void {
    const oldest = this.#history[0]?.revision ?? this.#revision + 1;
    if (fromRevision < this.#revision && fromRevision + 1 < oldest) {
      throw new RevisionTooOldError(fromRevision, oldest);
    }
    for (const event of this.#history) {
      if (event.revision > fromRevision && event.resource === resource) listener(event);
    }
    let set = this.#listeners.get(resource);
    if (!set) {
      set = new Set();
      this.#listeners.set(resource, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  #write(resource: string, object: KubeObject, type: WatchEventType): KubeObject {
    const namespace = object.metadata.namespace ?? '';
    const name = object.metadata.name!;
    let byNamespace = this.#objects.get(resource);
    if (!byNamespace) {
      byNamespace = new Map();
      this.#objects.set(resource, byNamespace);
    }
    let names = byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      byNamespace.set(namespace, names);
    }
    const previous = names.get(name);
    const revision = ++this.#revision;
    const stored = deepFreeze({
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(revision) },
    });
    names.set(name, stored);
    this.#emit(
      type === 'MODIFIED' && previous
        ? { type, resource, object: stored, revision, previous }
        : { type, resource, object: stored, revision },
    );
    return stored;
  }

  #emit(event: StoreEvent): void {
    this.#history.push(event);
    if (this.#history.length > this.#historyLimit)
      this.#history.splice(0, this.#history.length - this.#historyLimit);
    for (const listener of [...(this.#listeners.get(event.resource) ?? [])]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not stop the write or the other listeners; its owner notices on its own.
      }
    }
  }
}

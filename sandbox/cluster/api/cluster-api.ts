/**
 * The API's semantics, apart from HTTP: what create, get, list, update, patch, delete and watch do
 * to stored objects. The HTTP server translates requests into these calls; controllers and simulated
 * nodes call them directly (as a privileged user), so both go through the same defaulting,
 * validation, admission and concurrency rules.
 */
import type { Clock } from '../clock.ts';
import { formatTimestamp } from '../clock.ts';
import { type ObjectStore, RevisionTooOldError, type StoreEvent } from '../store/object-store.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  methodNotAllowed,
  notFound,
  StatusError,
} from './errors.ts';
import type { KubeList, KubeObject, ObjectMeta } from './objects.ts';
import { apiVersionOf, RESOURCES, type ResourceType, storageKeyOf } from './resources.ts';
import {
  type FieldRequirement,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type Selector,
} from './selectors.ts';

/** Who makes a request. Controllers use SYSTEM_USER, which is never checked by RBAC. */
export interface UserInfo {
  username: string;
  groups: string[];
}

/** The identity of the control plane's own components. */
export const SYSTEM_USER: UserInfo = {
  username: 'system:kube-controller-manager',
  groups: ['system:masters'],
};

/** What a request may do; checked before every operation. */
export interface Authorizer {
  /** Throws a Forbidden StatusError when `user` may not do `verb` on the resource. */
  authorize(request: AuthorizationRequest): void;
}

/** One access to decide, as RBAC sees it. */
export interface AuthorizationRequest {
  user: UserInfo;
  verb: string;
  resource: ResourceType;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/**
 * The per-kind policy applied between decoding and storing, supplied by the control plane so this
 * module stays free of kind-specific knowledge: defaulting, validation, status preparation and
 * admission such as quotas.
 */
export interface ObjectPolicy {
  /** Fills defaulted fields, returning a new object. */
  applyDefaults(resource: ResourceType, object: KubeObject): KubeObject;
  /** Throws an Invalid StatusError when the object is not valid (old is set for updates). */
  validate(resource: ResourceType, object: KubeObject, old?: KubeObject): void;
  /** Fills fields the server owns on create (pod status, service cluster IP…). */
  prepareForCreate?(resource: ResourceType, object: KubeObject, api: ClusterApi): KubeObject;
  /** Carries server-owned fields across an update (immutable allocations, reset status…). */
  prepareForUpdate?(resource: ResourceType, object: KubeObject, old: KubeObject): KubeObject;
  /** Throws a Forbidden StatusError when admission refuses (quota). */
  admit?(resource: ResourceType, object: KubeObject, api: ClusterApi, old?: KubeObject): void;
  /** Applies a PATCH body of the given content type to a copy of the target. */
  applyPatch(resource: ResourceType, contentType: string, target: KubeObject, patch: unknown): KubeObject;
}

/** Options shared by write operations. */
export interface WriteOptions {
  user?: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  subresource?: 'status' | 'scale' | 'finalize';
}

/** Options of list and watch. */
export interface ListOptions {
  user?: UserInfo;
  labelSelector?: string | Selector;
  fieldSelector?: string | FieldRequirement[];
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

/** Options of delete. */
export interface DeleteOptions {
  user?: UserInfo;
  dryRun?: boolean;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** One change delivered to a watcher, already filtered by its selectors. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

/** The state of a watch for its consumer. */
export interface Watch {
  stop(): void;
}

/** Kinds whose generation counts spec changes (kubectl's rollout status reads observedGeneration). */
const SPEC_GENERATION = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Pod', 'Service']);

/** Resources whose status is written only through the status subresource. */
function hasStatusSubresource(resource: ResourceType): boolean {
  return resource.subresources.some((s) => s.name === 'status');
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Dependencies of the API core. */
export interface ClusterApiOptions {
  store: ObjectStore;
  clock: Clock;
  policy: ObjectPolicy;
  authorizer?: Authorizer;
  /** Random source in [0, 1), injected so generated names are reproducible in tests. */
  random?: () => number;
  /** Makes an object uid; defaults to crypto.randomUUID. */
  newUid?: () => string;
}

/** The API core: CRUD, patch and watch with Kubernetes semantics over the object store. */
export class ClusterApi {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly #policy: ObjectPolicy;
  readonly #authorizer: Authorizer | undefined;
  readonly #random: () => number;
  readonly #newUid: () => string;

  constructor(options: ClusterApiOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.#policy = options.policy;
    this.#authorizer = options.authorizer;
    this.#random = options.random ?? Math.random;
    this.#newUid = options.newUid ?? (() => crypto.randomUUID());
  }

  /** Checks access; no-op for the system user. */
  authorize(
    user: UserInfo | undefined,
    verb: string,
    resource: ResourceType,
    namespace?: string,
    name?: string,
    subresource?: string,
  ): void {
    if (!user || user === SYSTEM_USER || !this.#authorizer) return;
    this.#authorizer.authorize({ user, verb, resource, namespace, name, subresource });
  }

  /** A random suffix as the API server appends to generateName: five characters. */
  randomSuffix(length = 5): string {
    let out = '';
    for (let i = 0; i < length; i++)
      out += NAME_SUFFIX_ALPHABET[Math.floor(this.#random() * NAME_SUFFIX_ALPHABET.length)];
    return out;
  }

  /** Applies a PATCH document to a detached object (the scale subresource patches a Scale). */
  applyPatchDocument(
    resource: ResourceType,
    contentType: string,
    target: KubeObject,
    patch: unknown,
  ): KubeObject {
    return this.#policy.applyPatch(resource, contentType, structuredClone(target) as KubeObject, patch);
  }

  /** Reads one object; throws NotFound. The result is frozen: clone before changing it. */
  get(resource: ResourceType, namespace: string | undefined, name: string, user?: UserInfo): KubeObject {
    this.authorize(user, 'get', resource, namespace, name);
    const found = this.store.get(storageKeyOf(resource), this.#namespaceKey(resource, namespace), name);
    if (!found || found.kind !== resource.kind) throw notFound(resource, name);
    return found;
  }

  /** Reads one object or undefined, without authorization: for the control plane's own components. */
  find(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store.get(storageKeyOf(resource), this.#namespaceKey(resource, namespace), name);
    return found && found.kind === resource.kind ? found : undefined;
  }

  /** Lists objects, filtered and paged. Items are frozen. */
  list(resource: ResourceType, namespace: string | undefined, options: ListOptions = {}): KubeList {
    this.authorize(options.user, 'list', resource, namespace);
    const { labels, fields } = selectorsOf(options);
    const revision = this.store.revision;
    let items = this.store
      .list(storageKeyOf(resource), resource.namespaced ? namespace : undefined)
      .filter(
        (o) =>
          o.kind === resource.kind && matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o),
      );
    let continueToken: string | undefined;
    let remaining: number | undefined;
    if (options.continue) {
      const after = decodeContinue(options.continue);
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
    }
    if (options.limit && options.limit > 0 && items.length > options.limit) {
      remaining = items.length - options.limit;
      items = items.slice(0, options.limit);
      const last = items[items.length - 1]!;
      continueToken = encodeContinue(`${last.metadata.namespace ?? ''}/${last.metadata.name}`);
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (continueToken) {
      metadata.continue = continueToken;
      metadata.remainingItemCount = remaining;
    }
    return { apiVersion: apiVersionOf(resource), kind: `${resource.kind}List`, metadata, items };
  }

  /** Lists without authorization or paging: for controllers. */
  listAll(resource: ResourceType, namespace?: string, labelSelector?: Selector): KubeObject[] {
    const items = this.store.list(storageKeyOf(resource), resource.namespaced ? namespace : undefined);
    return items.filter(
      (o) => o.kind === resource.kind && (!labelSelector || matchesLabels(labelSelector, o.metadata.labels)),
    );
  }

  /** Creates an object. Returns the stored object (or, for dry runs, what would be stored). */
  create(
    resource: ResourceType,
    namespace: string | undefined,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    if (options.subresource)
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    const object = this.#normalizeIncoming(resource, namespace, input);
    const name = this.#resolveName(resource, object.metadata);
    this.authorize(options.user, 'create', resource, object.metadata.namespace, undefined);
    if (object.metadata.resourceVersion)
      throw badRequest('resourceVersion should not be set on objects to be created');
    if (resource.namespaced) this.#requireActiveNamespace(object.metadata.namespace!);
    const key = storageKeyOf(resource);
    const existing = this.store.get(key, this.#namespaceKey(resource, object.metadata.namespace), name);
    if (existing) throw alreadyExists(resource, name);

    let prepared: KubeObject = {
      ...object,
      metadata: {
        ...object.metadata,
        name,
        uid: this.#newUid(),
        creationTimestamp: formatTimestamp(this.clock.now()),
      },
    };
    delete prepared.metadata.deletionTimestamp;
    delete prepared.metadata.deletionGracePeriodSeconds;
    if (SPEC_GENERATION.has(resource.kind)) prepared.metadata.generation = 1;
    else delete prepared.metadata.generation;
    stampTemplateGeneration(prepared);
    if (hasStatusSubresource(resource) && resource.kind !== 'Pod') delete prepared.status;
    prepared = this.#policy.applyDefaults(resource, prepared);
    if (this.#policy.prepareForCreate) prepared = this.#policy.prepareForCreate(resource, prepared, this);
    this.#policy.validate(resource, prepared);
    this.#policy.admit?.(resource, prepared, this);
    if (options.dryRun) return prepared;
    return this.store.create(key, prepared);
  }

  /**
   * Replaces an object (PUT). With a resourceVersion, it must match the stored one (optimistic
   * concurrency); without one, the write is unconditional, as for the real API server.
   */
  update(
    resource: ResourceType,
    namespace: string | undefined,
    input: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const incoming = this.#normalizeIncoming(resource, namespace, input);
    const name = incoming.metadata.name;
    if (!name) throw badRequest('name is required on update');
    this.authorize(options.user, 'update', resource, incoming.metadata.namespace, name, options.subresource);
    const key = storageKeyOf(resource);
    const existing = this.store.get(key, this.#namespaceKey(resource, incoming.metadata.namespace), name);
    if (!existing) throw notFound(resource, name);
    return this.#updateFrom(resource, existing, incoming, options);
  }

  /** Applies a PATCH document to the stored object and updates it. */
  patch(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    this.authorize(options.user, 'patch', resource, namespace, name, options.subresource);
    const key = storageKeyOf(resource);
    const existing = this.store.get(key, this.#namespaceKey(resource, namespace), name);
    if (!existing) throw notFound(resource, name);
    const patched = this.#policy.applyPatch(
      resource,
      contentType,
      structuredClone(existing) as KubeObject,
      patchBody,
    );
    if (!patched || typeof patched !== 'object' || Array.isArray(patched))
      throw badRequest('the patch did not produce an object');
    if (patched.metadata?.name !== undefined && patched.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const candidate = { ...patched, metadata: { ...(patched.metadata ?? {}), name } } as KubeObject;
    // A patch that leaves resourceVersion as stored is unconditional; one that sets another value is a precondition.
    return this.#updateFrom(resource, existing, candidate, options);
  }

  /**
   * Deletes an object: at once, or by marking it (deletionTimestamp) when finalizers or a grace
   * period must run first. Returns the object as it stands after the call.
   */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    this.authorize(options.user, 'delete', resource, namespace, name);
    const key = storageKeyOf(resource);
    const nsKey = this.#namespaceKey(resource, namespace);
    const existing = this.store.get(key, nsKey, name);
    if (!existing || existing.kind !== resource.kind) throw notFound(resource, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const finalizers = new Set(existing.metadata.finalizers ?? []);
    if (options.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan') finalizers.add('orphan');
    if (resource.kind === 'Namespace') finalizers.add('kubernetes');

    const grace = this.#gracePeriodFor(resource, existing, options.gracePeriodSeconds);
    const alreadyDeleting = existing.metadata.deletionTimestamp !== undefined;
    if (finalizers.size > 0 || grace > 0) {
      if (options.dryRun) return existing;
      const now = this.clock.now();
      const currentGrace = existing.metadata.deletionGracePeriodSeconds;
      // A later delete may shorten a running grace period but never lengthen it.
      const effectiveGrace =
        alreadyDeleting && currentGrace !== undefined ? Math.min(currentGrace, grace) : grace;
      if (
        alreadyDeleting &&
        effectiveGrace === currentGrace &&
        sameSet(finalizers, existing.metadata.finalizers)
      )
        return existing;
      const marked = structuredClone(existing) as KubeObject;
      marked.metadata.deletionTimestamp =
        alreadyDeleting && effectiveGrace === currentGrace
          ? existing.metadata.deletionTimestamp
          : formatTimestamp(now + effectiveGrace * 1000);
      marked.metadata.deletionGracePeriodSeconds = effectiveGrace;
      marked.metadata.finalizers = [...finalizers];
      if (marked.metadata.finalizers.length === 0) delete marked.metadata.finalizers;
      if (resource.kind === 'Namespace') {
        marked.spec = { ...(marked.spec ?? {}), finalizers: ['kubernetes'] };
        marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
        delete marked.metadata.finalizers;
        if (options.propagationPolicy === 'Foreground' || options.propagationPolicy === 'Orphan') {
          marked.metadata.finalizers = [...finalizers].filter((f) => f !== 'kubernetes');
          if (marked.metadata.finalizers.length === 0) delete marked.metadata.finalizers;
        }
      }
      return this.store.update(key, marked);
    }
    if (options.dryRun) return existing;
    return this.store.delete(key, nsKey, name) ?? existing;
  }

  /** Removes a marked object whose finalizers and grace period are done: for controllers and kubelets. */
  finalizeIfReady(resource: ResourceType, object: KubeObject): void {
    if (!object.metadata.deletionTimestamp) return;
    if ((object.metadata.finalizers ?? []).length > 0) return;
    if (resource.kind === 'Namespace' && (object.spec?.finalizers ?? []).length > 0) return;
    this.store.delete(
      storageKeyOf(resource),
      this.#namespaceKey(resource, object.metadata.namespace),
      object.metadata.name!,
    );
  }

  /** Deletes every object of a resource in a namespace that matches the selectors. */
  deleteCollection(
    resource: ResourceType,
    namespace: string | undefined,
    options: ListOptions & DeleteOptions = {},
  ): KubeObject[] {
    this.authorize(options.user, 'deletecollection', resource, namespace);
    const { items } = this.list(resource, namespace, {
      ...options,
      user: undefined,
      limit: undefined,
      continue: undefined,
    });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        deleted.push(
          this.delete(resource, item.metadata.namespace, item.metadata.name!, {
            ...options,
            user: undefined,
          }),
        );
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 404)) throw error;
      }
    }
    return deleted;
  }

  /**
   * Watches a resource. Without a resourceVersion (or "0"), existing objects arrive first as ADDED
   * ("get state and start at most recent"); with one, changes after it. A resourceVersion older
   * than the kept history throws 410 Gone, and the client lists again.
   */
  watch(
    resource: ResourceType,
    namespace: string | undefined,
    options: ListOptions,
    onEvent: (event: WatchEvent) => void,
  ): Watch {
    this.authorize(options.user, 'watch', resource, namespace);
    const { labels, fields } = selectorsOf(options);
    const nsFilter = resource.namespaced ? namespace : undefined;
    const matches = (o: KubeObject | undefined): boolean =>
      !!o &&
      o.kind === resource.kind &&
      (nsFilter === undefined || o.metadata.namespace === nsFilter) &&
      matchesLabels(labels, o.metadata.labels) &&
      matchesFields(fields, o);

    const rv = options.resourceVersion;
    let from: number;
    if (rv === undefined || rv === '' || rv === '0') {
      from = this.store.revision;
      for (const item of this.store.list(storageKeyOf(resource), nsFilter)) {
        if (matches(item)) onEvent({ type: 'ADDED', object: item });
      }
    } else {
      from = Number(rv);
      if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    }
    const listener = (event: StoreEvent): void => {
      const now = matches(event.object);
      if (event.type === 'MODIFIED') {
        const before = matches(event.previous);
        if (now && before) onEvent({ type: 'MODIFIED', object: event.object });
        else if (now) onEvent({ type: 'ADDED', object: event.object });
        else if (before) onEvent({ type: 'DELETED', object: event.object });
      } else if (now) {
        onEvent({ type: event.type, object: event.object });
      }
    };
    try {
      const stop = this.store.watch(storageKeyOf(resource), from, listener);
      return { stop };
    } catch (error) {
      if (error instanceof RevisionTooOldError) throw gone(error.message);
      throw error;
    }
  }

  #updateFrom(
    resource: ResourceType,
    existing: KubeObject,
    incoming: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const name = existing.metadata.name!;
    const wanted = incoming.metadata.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) {
      throw conflict(
        resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (incoming.metadata.uid && incoming.metadata.uid !== existing.metadata.uid) {
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${incoming.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    let next: KubeObject;
    const sub = options.subresource;
    if (sub === 'status') {
      // Only status changes through /status; everything else stays as stored.
      next = { ...structuredClone(existing), status: structuredClone(incoming.status) } as KubeObject;
    } else if (sub === 'finalize') {
      next = {
        ...structuredClone(existing),
        spec: { ...(existing.spec ?? {}), finalizers: incoming.spec?.finalizers ?? [] },
      } as KubeObject;
    } else {
      next = structuredClone(incoming) as KubeObject;
      if (hasStatusSubresource(resource)) next.status = structuredClone(existing.status);
      next.metadata = {
        ...next.metadata,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        generation: existing.metadata.generation,
        deletionTimestamp: existing.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: existing.metadata.deletionGracePeriodSeconds,
      };
      if (existing.metadata.generateName) next.metadata.generateName = existing.metadata.generateName;
      for (const field of ['generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
        if (next.metadata[field] === undefined) delete next.metadata[field];
      }
      next = this.#policy.applyDefaults(resource, next);
      if (this.#policy.prepareForUpdate) next = this.#policy.prepareForUpdate(resource, next, existing);
      if (SPEC_GENERATION.has(resource.kind) && !sameJson(specOf(next), specOf(existing))) {
        next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
      }
      stampTemplateGeneration(next);
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    this.#policy.validate(resource, next, existing);
    if (sub !== 'status' && sub !== 'finalize') this.#policy.admit?.(resource, next, this, existing);
    if (options.dryRun) return next;
    if (sameJson(next, existing)) return existing;
    const stored = this.store.update(storageKeyOf(resource), next);
    if (stored.metadata.deletionTimestamp) this.finalizeIfReady(resource, stored);
    return stored;
  }

  #normalizeIncoming(resource: ResourceType, namespace: string | undefined, input: KubeObject): KubeObject {
    if (!input || typeof input !== 'object' || Array.isArray(input))
      throw badRequest('the request body must be a JSON object');
    const metadata: ObjectMeta =
      input.metadata && typeof input.metadata === 'object' ? { ...input.metadata } : {};
    if (resource.namespaced) {
      if (metadata.namespace && namespace && metadata.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = metadata.namespace || namespace;
      if (!metadata.namespace)
        throw badRequest('the server could not find the requested resource: a namespace is required');
    } else {
      delete metadata.namespace;
    }
    const expected = apiVersionOf(resource);
    if (
      input.apiVersion &&
      input.apiVersion !== expected &&
      !(resource.kind === 'Event' && /^(v1|events\.k8s\.io\/v1)$/.test(input.apiVersion))
    ) {
      throw badRequest(
        `the API version in the data (${input.apiVersion}) does not match the expected API version (${expected})`,
      );
    }
    if (input.kind && input.kind !== resource.kind) {
      throw badRequest(
        `${input.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: the kind does not match the resource`,
      );
    }
    return { ...input, apiVersion: expected, kind: resource.kind, metadata };
  }

  #resolveName(resource: ResourceType, metadata: ObjectMeta): string {
    if (metadata.name) return metadata.name;
    if (metadata.generateName) {
      const base = metadata.generateName.slice(0, 58);
      return `${base}${this.randomSuffix()}`;
    }
    throw new StatusError({
      message: `${resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      reason: 'Invalid',
      details: {
        kind: resource.kind,
        group: resource.group || undefined,
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
            field: 'metadata.name',
          },
        ],
      },
      code: 422,
    });
  }

  #requireActiveNamespace(namespace: string): void {
    const ns = this.store.get(storageKeyOf(RESOURCES.namespaces), '', namespace);
    if (!ns) throw notFound(RESOURCES.namespaces, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  #namespaceKey(resource: ResourceType, namespace: string | undefined): string {
    return resource.namespaced ? (namespace ?? '') : '';
  }

  #gracePeriodFor(resource: ResourceType, object: KubeObject, requested: number | undefined): number {
    if (resource.kind !== 'Pod') return 0;
    // A pod that never reached a node has nothing to stop: it goes at once.
    if (!object.spec?.nodeName) return 0;
    const phase = object.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? object.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, grace);
  }
}

/** DaemonSets carry their generation in an annotation the controller labels pods with, as upstream's strategy does. */
function stampTemplateGeneration(object: KubeObject): void {
  if (object.kind !== 'DaemonSet' || object.metadata.generation === undefined) return;
  object.metadata.annotations = {
    ...(object.metadata.annotations ?? {}),
    'deprecated.daemonset.template.generation': String(object.metadata.generation),
  };
}

/** The label and field selectors of list or watch options, parsed when given as text. */
function selectorsOf(options: ListOptions): { labels: Selector; fields: FieldRequirement[] } {
  const { labelSelector, fieldSelector } = options;
  return {
    labels: typeof labelSelector === 'object' ? labelSelector : parseLabelSelector(labelSelector),
    fields: typeof fieldSelector === 'object' ? fieldSelector : parseFieldSelector(fieldSelector),
  };
}

function specOf(object: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameSet(a: Set<string>, b: readonly string[] | undefined): boolean {
  const other = new Set(b ?? []);
  return a.size === other.size && [...a].every((x) => other.has(x));
}

function encodeContinue(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: the token is malformed; list again without it');
}

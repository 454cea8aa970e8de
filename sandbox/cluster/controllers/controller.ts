/**
 * What every controller of the embedded control plane shares: the context it is built from, the
 * lifecycle the control plane drives, and a helper that turns watch events into queued keys.
 */
import type { ClusterApi, WatchEvent } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import type { ResourceType } from '../api/resources.ts';
import type { Clock } from '../clock.ts';
import type { EventRecorder } from './events.ts';
import { WorkQueue } from './work-queue.ts';

/** Everything a controller is built from. */
export interface ControllerContext {
  api: ClusterApi;
  clock: Clock;
  /** An event recorder for a component name (`deployment-controller`). */
  recorder(component: string): EventRecorder;
  /** Reports a controller's internal failure (never thrown out of the loop). */
  log(controller: string, message: string, error?: unknown): void;
}

/** A running controller. */
export interface Controller {
  readonly name: string;
  /** Starts watching and reconciling; existing objects are queued once. */
  start(): void;
  stop(): void;
  /** Resolves when its queue is empty (timers may still be pending). */
  whenIdle(): Promise<void>;
}

/** `namespace/name` (or `name` for cluster-scoped objects), the key controllers queue. */
export function keyOf(object: KubeObject): string {
  return object.metadata.namespace
    ? `${object.metadata.namespace}/${object.metadata.name}`
    : object.metadata.name!;
}

/** Splits a key made by keyOf. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** One resource a controller watches and how its events become keys. */
export interface WatchSpec {
  resource: ResourceType;
  /** Keys to queue for an event (the object's own key, its owner's key…). */
  keysFor(event: WatchEvent): string[];
}

/**
 * Builds a controller from its watches and its reconcile function: the common shape of every
 * controller here (watch → keys → queue → reconcile one key).
 */
export function createQueueController(
  context: ControllerContext,
  name: string,
  watches: WatchSpec[],
  reconcile: (key: string, queue: WorkQueue) => void | Promise<void>,
): Controller & { queue: WorkQueue } {
  const stops: (() => void)[] = [];
  const queue: WorkQueue = new WorkQueue({
    name,
    clock: context.clock,
    reconcile: (key) => reconcile(key, queue),
    onError: (key, error) => context.log(name, `error syncing "${key}"`, error),
  });
  return {
    name,
    queue,
    start() {
      for (const spec of watches) {
        const watch = context.api.watch(spec.resource, undefined, {}, (event) => {
          for (const key of spec.keysFor(event)) queue.add(key);
        });
        stops.push(() => watch.stop());
      }
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
      queue.stop();
    },
    whenIdle: () => queue.whenIdle(),
  };
}

/** The key of the controlling owner of an object, if the owner has the given kind. */
export function controllerOwnerKey(object: KubeObject, kind: string): string | undefined {
  const owner = object.metadata.ownerReferences?.find((ref) => ref.controller && ref.kind === kind);
  if (!owner) return undefined;
  return object.metadata.namespace ? `${object.metadata.namespace}/${owner.name}` : owner.name;
}

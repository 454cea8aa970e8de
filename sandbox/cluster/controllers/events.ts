/**
 * Records Events the way kube-controller-manager's recorder does: one core/v1 Event per object,
 * reason and message, with repeats folded into `count` and `lastTimestamp`, so
 * `kubectl describe deploy vweb` lists `ScalingReplicaSet` lines as on a real cluster.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES } from '../api/resources.ts';
import { formatTimestamp } from '../clock.ts';

type StoredEvent = KubeObject & {
  involvedObject?: { uid?: string };
  source?: { component?: string };
  count?: number;
};

let sequence = 0;

/**
 * `<object>.<hex>` like upstream's event names; the suffix grows with time and, within one
 * millisecond, with a counter, so events sort by name in the order they were recorded.
 */
function eventName(objectName: string, now: number): string {
  // Time in hex, then a fixed-width counter: plain string concatenation, because now × 10^6 would
  // pass 2^53 and lose the counter to floating-point rounding.
  sequence = (sequence + 1) % 0x100000;
  return `${objectName}.${Math.floor(now).toString(16)}${sequence.toString(16).padStart(5, '0')}`;
}

/** Who emitted an event: `deployment-controller`, `kubelet` (with its node). */
export interface EventSource {
  component: string;
  host?: string;
}

/** Emits events about objects. */
export interface EventRecorder {
  /** Records `type` (Normal or Warning), a CamelCase reason and a human message about `object`. */
  record(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** A recorder writing Events through the API core; failures are swallowed (events are best effort). */
export function createEventRecorder(api: ClusterApi, source: EventSource): EventRecorder {
  return {
    record(object, type, reason, message) {
      const namespace = object.metadata.namespace ?? 'default';
      const now = formatTimestamp(api.clock.now());
      const involved = {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
      };
      try {
        const similar = api
          .listAll(RESOURCES.events, namespace)
          .map((e) => e as StoredEvent)
          .find(
            (e) =>
              e.involvedObject?.uid === involved.uid &&
              e.reason === reason &&
              e.message === message &&
              e.type === type &&
              e.source?.component === source.component,
          );
        if (similar) {
          const next = structuredClone(similar) as KubeObject;
          next.count = (similar.count ?? 1) + 1;
          next.lastTimestamp = now;
          api.update(RESOURCES.events, namespace, next);
          return;
        }
        api.create(RESOURCES.events, namespace, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: {
            name: eventName(object.metadata.name ?? 'object', api.clock.now()),
            namespace,
          },
          involvedObject: involved,
          reason,
          message,
          source,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: source.component,
          reportingInstance: source.host ?? '',
        });
      } catch {
        // An event that cannot be written (namespace going away, quota) is dropped, as upstream does.
      }
    },
  };
}

/**
 * Pod timing helpers the DaemonSet and StatefulSet controllers need beyond the shared predicates in
 * `controllers/shared/pods.ts` (isPodReady, isPodAvailable): when a ready pod will become available,
 * so a controller can requeue at that instant instead of polling, and whether a pod has finished.
 */
import type { KubeObject } from '../../api/objects.ts';
import { isPodAvailable, podAvailableAfter } from '../shared/pods.ts';

/** Succeeded or Failed: the pod's containers will not run again. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * How long until a Ready pod becomes available, in ms; undefined when it is not Ready or already
 * available. Availability is strict (`readySince + minReadySeconds < now`), so the answer is one ms
 * past the boundary: ready at 10:00:00 with minReadySeconds 90 → available at 10:01:30.001.
 */
export function msUntilPodAvailable(
  pod: KubeObject,
  minReadySeconds: number,
  nowMs: number,
): number | undefined {
  if (isPodAvailable(pod, minReadySeconds, nowMs)) return undefined;
  const after = podAvailableAfter(pod, minReadySeconds);
  if (after === undefined) return undefined;
  return Math.max(1, after + 1 - nowMs);
}

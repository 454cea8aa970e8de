/**
 * Pod readiness and availability as kube-controller-manager judges them (`podutil.IsPodReady`,
 * `IsPodAvailable`). Shared by the DaemonSet and StatefulSet controllers, which both count ready and
 * available pods and wait `minReadySeconds`. Pure functions of a pod and the current time.
 */
import type { KubeObject } from '../../api/objects.ts';

/** A pod condition as the kubelet writes it. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The pod's Ready condition, if it has one. */
export function getPodReadyCondition(pod: KubeObject): PodCondition | undefined {
  const conditions = (pod.status?.conditions ?? []) as PodCondition[];
  return conditions.find((c) => c.type === 'Ready');
}

/** True when the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/** Succeeded or Failed: the pod's containers will not run again. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Ready, and ready for longer than minReadySeconds. Timestamps have whole seconds, and the
 * comparison is strict, as upstream's `Before`: a pod Ready at 10:00:00 with minReadySeconds 90 is
 * available from 10:01:30.001 on, not at 10:01:30.000.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = readyTransitionMs(pod);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/**
 * How long until a Ready pod becomes available, in ms; undefined when it is not Ready or already
 * available. Controllers requeue after this instead of polling.
 */
export function msUntilPodAvailable(
  pod: KubeObject,
  minReadySeconds: number,
  nowMs: number,
): number | undefined {
  if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) return undefined;
  const since = readyTransitionMs(pod);
  if (since === undefined) return undefined;
  return Math.max(1, since + minReadySeconds * 1000 + 1 - nowMs);
}

function readyTransitionMs(pod: KubeObject): number | undefined {
  const text = getPodReadyCondition(pod)?.lastTransitionTime;
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Pod predicates and the pod ranking shared by the workload controllers, after
 * kube-controller-manager's controller_utils and podutil: which pods count (active), which are
 * ready and available, how a pod is stamped from a template, and which pods go first on scale-down.
 */
import type { OwnerReference } from '../../api/objects.ts';
import type { Pod, PodCondition, PodTemplateSpec } from './workload-types.ts';

/** The annotation that lets users rank pods for deletion (lower cost goes first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** A pod that is neither finished (Succeeded/Failed) nor being deleted: it counts towards replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The pod's Ready condition, if it has one. */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/** When the pod last became ready (ms since the epoch), or undefined when it is not ready or has no time. */
export function podReadyTime(pod: Pod): number | undefined {
  const condition = getPodReadyCondition(pod);
  if (condition?.status !== 'True' || !condition.lastTransitionTime) return undefined;
  const time = Date.parse(condition.lastTransitionTime);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The instant after which a ready pod counts as available: its Ready transition plus
 * minReadySeconds. Upstream compares strictly (`transition + minReady` must be before now), so a
 * pod that became ready at 10:00:00 with minReadySeconds 60 is available from just after 10:01:00.
 */
export function podAvailableAfter(pod: Pod, minReadySeconds: number): number | undefined {
  const readyAt = podReadyTime(pod);
  return readyAt === undefined ? undefined : readyAt + minReadySeconds * 1000;
}

/** Whether a pod is available: ready, and ready for longer than minReadySeconds at `now` (ms). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const after = podAvailableAfter(pod, minReadySeconds);
  return after !== undefined && after < now;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const status of pod.status?.containerStatuses ?? []) max = Math.max(max, status.restartCount ?? 0);
  return max;
}

/** A controller reference to `owner`, as controllers put on the objects they create or adopt. */
export function newControllerRef(owner: {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; uid?: string };
}): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * A new pod for a controller: labels, annotations and finalizers from the template, the spec
 * copied, `generateName: <owner>-` so the API server adds a random suffix, and the controller
 * reference that makes the owner manage it.
 */
export function getPodFromTemplate(
  template: PodTemplateSpec,
  namespace: string,
  ownerName: string,
  controllerRef: OwnerReference,
): Pod {
  const meta = template.metadata ?? {};
  const metadata: Pod['metadata'] = { generateName: `${ownerName}-`, namespace };
  if (meta.labels && Object.keys(meta.labels).length > 0) metadata.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length > 0)
    metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [{ ...controllerRef }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}

/** The deletion cost a user put on a pod; missing or invalid costs count as 0, like upstream. */
export function podDeletionCost(pod: Pod): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^[-+]?\d+$/.test(text.trim())) return 0;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : 0;
}

/**
 * How much older one instant is than another on a log2 scale of nanoseconds, relative to `now`.
 * Pods whose ages fall in the same power-of-two bucket are treated as the same age (upstream's
 * LogarithmicScaleDown): a pod 3 s old and one 3.5 s old tie, one 3 s old and one 9 s old do not.
 */
export function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number): number => {
    const ageNs = (now - t) * 1e6;
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
  };
  return rank(t1) - rank(t2);
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function creationTime(pod: Pod): number | undefined {
  const time = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** afterOrZero: an unset time sorts first; otherwise the later time does. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** Newer first, with ages in the same log2 bucket tied and the tie broken by uid. */
function lessByLogarithmicAge(
  a: Pod,
  b: Pod,
  t1: number | undefined,
  t2: number | undefined,
  now: number,
): boolean {
  if (t1 === undefined || t2 === undefined) return afterOrZero(t1, t2);
  const diff = logarithmicRankDiff(t1, t2, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

/** A pod to rank with how many related pods share its node (more doubled-up goes first). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

/**
 * Whether `a` should be deleted before `b` (upstream's ActivePodsWithRanks.Less):
 * 1. unscheduled < scheduled; 2. Pending < Unknown < Running; 3. not ready < ready;
 * 4. lower pod-deletion-cost < higher; 5. more related pods on the same node < fewer;
 * 6. ready for less time < more (log2 buckets); 7. more container restarts < fewer;
 * 8. newer < older (log2 buckets), ties broken by uid.
 */
export function lessForDeletion(a: RankedPod, b: RankedPod, now: number): boolean {
  const [pa, pb] = [a.pod, b.pod];
  const nodeA = pa.spec?.nodeName ?? '';
  const nodeB = pb.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '';
  const phaseA = PHASE_ORDINAL[pa.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_ORDINAL[pb.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA < phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return !readyA;
  const costA = podDeletionCost(pa);
  const costB = podDeletionCost(pb);
  if (costA !== costB) return costA < costB;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (readyA && readyB) {
    const t1 = podReadyTime(pa);
    const t2 = podReadyTime(pb);
    if (t1 !== t2) return lessByLogarithmicAge(pa, pb, t1, t2, now);
  }
  const restartsA = maxContainerRestarts(pa);
  const restartsB = maxContainerRestarts(pb);
  if (restartsA !== restartsB) return restartsA > restartsB;
  const c1 = creationTime(pa);
  const c2 = creationTime(pb);
  if (c1 !== c2) return lessByLogarithmicAge(pa, pb, c1, c2, now);
  return false;
}

/** Pods in deletion order: the first ones are the cheapest to lose. */
export function sortPodsForDeletion(ranked: RankedPod[], now: number): Pod[] {
  return [...ranked]
    .sort((a, b) => (lessForDeletion(a, b, now) ? -1 : lessForDeletion(b, a, now) ? 1 : 0))
    .map((r) => r.pod);
}

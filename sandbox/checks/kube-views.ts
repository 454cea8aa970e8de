/**
 * Read-only views over plain API objects, computed the way kubectl computes what it prints: the
 * STATUS column of `kubectl get po` and the table of `kubectl rollout history`.
 */
import type { KubeObject } from '../cluster/api/objects.ts';

/** The annotation the Deployment controller stamps on each ReplicaSet it owns. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The annotation `--record` (or the learner) sets; kubectl shows it as CHANGE-CAUSE. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** The ReplicaSet's revision, or undefined when the annotation is missing or not a number. */
export function readRevision(rs: KubeObject): number | undefined {
  const raw = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Sorts newest first: highest revision, then latest creation, then name for a stable order. */
export function sortNewestFirst(replicaSets: readonly KubeObject[]): KubeObject[] {
  return [...replicaSets].sort((a, b) => {
    const byRevision = (readRevision(b) ?? 0) - (readRevision(a) ?? 0);
    if (byRevision !== 0) return byRevision;
    const byTime = (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
    if (byTime !== 0) return byTime;
    return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  });
}

/** Whether `owner` is the controller of `obj` (by uid, or by kind and name when uids are absent). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => {
    if (ref.controller === false) return false;
    if (ref.uid && owner.metadata.uid) return ref.uid === owner.metadata.uid;
    return ref.kind === owner.kind && ref.name === owner.metadata.name;
  });
}

/** One row of `kubectl rollout history`. */
export interface HistoryEntry {
  revision: number;
  /** Undefined where kubectl prints `<none>`. */
  changeCause: string | undefined;
  replicaSet: string;
}

/**
 * The Deployment's history as kubectl builds it: every ReplicaSet it controls, keyed by revision,
 * the change-cause taken from the ReplicaSet's annotations (falling back to its pod template's),
 * ascending by revision. ReplicaSets without a readable revision are skipped, as kubectl does.
 */
export function computeRolloutHistory(
  deployment: KubeObject,
  replicaSets: readonly KubeObject[],
): HistoryEntry[] {
  const byRevision = new Map<number, HistoryEntry>();
  for (const rs of replicaSets) {
    if (!isControlledBy(rs, deployment)) continue;
    const revision = readRevision(rs);
    if (revision === undefined) continue;
    const templateAnnotations = rs.spec?.template?.metadata?.annotations as
      | Record<string, string>
      | undefined;
    const cause =
      rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? templateAnnotations?.[CHANGE_CAUSE_ANNOTATION];
    byRevision.set(revision, {
      revision,
      changeCause: cause === '' ? undefined : cause,
      replicaSet: rs.metadata.name ?? '',
    });
  }
  return [...byRevision.values()].sort((a, b) => a.revision - b.revision);
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: unknown;
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}
interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: ContainerState;
}

/** Reason text of a terminated container, as kubectl words it when the kubelet gave none. */
function describeTermination(t: NonNullable<ContainerState['terminated']>, prefix: string): string {
  if (t.reason) return `${prefix}${t.reason}`;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

/**
 * The STATUS column of `kubectl get po`: the pod's reason or phase, overridden by init container
 * progress, then by the last container (in spec order, checked from the end) that is waiting or
 * terminated with a reason, e.g. `CrashLoopBackOff`, `Error`, `ErrImagePull`; `Terminating` when
 * the pod is being deleted.
 */
export function describePodStatus(pod: KubeObject): string {
  const status = pod.status ?? {};
  let reason: string = status.reason ?? status.phase ?? 'Unknown';
  const inits: ContainerStatus[] = status.initContainerStatuses ?? [];
  let initializing = false;
  for (const [i, c] of inits.entries()) {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t) reason = describeTermination(t, 'Init:');
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length || inits.length}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const containers: ContainerStatus[] = status.containerStatuses ?? [];
    for (const c of [...containers].reverse()) {
      const waiting = c.state?.waiting?.reason;
      const terminated = c.state?.terminated;
      if (waiting) reason = waiting;
      else if (terminated) reason = describeTermination(terminated, '');
      else if (c.state?.running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  return reason;
}

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  const conditions: { type?: string; status?: string }[] = pod.status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** kubectl's READY column for a pod, e.g. `0/1`. */
export function describeReadyContainers(pod: KubeObject): string {
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const total = (pod.spec?.containers ?? []).length || statuses.length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

/** Image of the first container of a pod or pod template spec. */
export function readFirstImage(
  podSpec: { containers?: { image?: string }[] } | undefined,
): string | undefined {
  return podSpec?.containers?.[0]?.image;
}

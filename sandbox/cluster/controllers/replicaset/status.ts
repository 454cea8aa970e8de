/**
 * A ReplicaSet's status (upstream's replica_set_utils.go): pods counted from the claimed active
 * pods, the ReplicaFailure condition when creating or deleting pods failed (a quota refusing pods),
 * and the write that records which generation was observed.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { RESOURCES } from '../../api/resources.ts';
import { formatTimestamp } from '../../clock.ts';
import { canonicalizeJson } from '../shared/pod-template-hash.ts';
import { isPodAvailable, isPodReady } from '../shared/pods.ts';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../shared/workload-types.ts';

/** The ReplicaSet's spec.replicas, defaulting to 1. */
export function desiredReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

/** Whether every label of the template is on the pod (the pod was made from this template). */
function hasTemplateLabels(rs: ReplicaSet, pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(rs.spec.template?.metadata?.labels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
}

/** Sets a condition unless one of the same status and reason is there (its time is kept). */
export function setReplicaSetCondition(status: ReplicaSetStatus, condition: ReplicaSetCondition): void {
  const current = status.conditions?.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

/** Removes the condition of a type. */
export function removeReplicaSetCondition(status: ReplicaSetStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/**
 * The status for the claimed active pods: replicas, pods carrying all template labels, ready pods,
 * and available pods (ready for longer than minReadySeconds at `now`). A failed create or delete
 * sets ReplicaFailure (reason FailedCreate or FailedDelete, the API error as message); a clean
 * sync clears it.
 */
export function calculateReplicaSetStatus(
  rs: ReplicaSet,
  pods: Pod[],
  manageReplicasError: unknown,
  now: number,
): ReplicaSetStatus {
  const status: ReplicaSetStatus = structuredClone(rs.status ?? {});
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (hasTemplateLabels(rs, pod)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, rs.spec.minReadySeconds ?? 0, now)) available++;
    }
  }
  const failure = status.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageReplicasError !== undefined && !failure) {
    const diff = pods.length - desiredReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message =
      manageReplicasError instanceof Error ? manageReplicasError.message : String(manageReplicasError);
    setReplicaSetCondition(status, {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: formatTimestamp(now),
      reason,
      message,
    });
  } else if (manageReplicasError === undefined && failure) {
    removeReplicaSetCondition(status, 'ReplicaFailure');
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: status.observedGeneration,
    conditions: status.conditions,
  };
}

/** Drops what Go's `omitempty` leaves out: zero counts (but `replicas`, always written) and empty lists. */
function omitEmpty(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (value === undefined) continue;
    if (key !== 'replicas' && (value === 0 || (Array.isArray(value) && value.length === 0))) continue;
    out[key] = value;
  }
  return out as ReplicaSetStatus;
}

function sameJson(a: unknown, b: unknown): boolean {
  return (
    JSON.stringify(canonicalizeJson(a ?? null) ?? null) ===
    JSON.stringify(canonicalizeJson(b ?? null) ?? null)
  );
}

/**
 * Writes the status with observedGeneration set to the ReplicaSet's generation, unless nothing
 * changed. A conflicting write is retried once on a fresh copy, as upstream does.
 */
export function updateReplicaSetStatus(api: ClusterApi, rs: ReplicaSet, next: ReplicaSetStatus): ReplicaSet {
  const current = rs.status ?? {};
  const unchanged =
    (current.replicas ?? 0) === (next.replicas ?? 0) &&
    (current.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (current.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (current.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (current.observedGeneration ?? 0) &&
    sameJson(current.conditions, next.conditions);
  if (unchanged) return rs;
  const status = omitEmpty({ ...next, observedGeneration: rs.metadata.generation });
  let target = rs;
  for (let attempt = 0; ; attempt++) {
    try {
      return api.update(
        RESOURCES.replicasets,
        target.metadata.namespace,
        { ...target, status },
        { subresource: 'status' },
      ) as ReplicaSet;
    } catch (error) {
      if (attempt >= 1) throw error;
      target = api.get(RESOURCES.replicasets, rs.metadata.namespace, rs.metadata.name!) as ReplicaSet;
    }
  }
}

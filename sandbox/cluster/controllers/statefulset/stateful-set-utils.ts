/**
 * Pure helpers of the StatefulSet controller (upstream `stateful_set_utils.go`): stable identities
 * (`todo-db-0`, hostname, subdomain, name and index labels), per-pod PersistentVolumeClaims from
 * volumeClaimTemplates (`data-todo-db-0`), pod health predicates, revisions and the status rules.
 */
import type { JsonObject, KubeObject } from '../../api/objects.ts';
import { newControllerRevision } from '../history/controller-history.ts';
import { getTemplatePatch } from '../history/template-patch.ts';
import { isPodAvailable, isPodReady, newControllerRef } from '../shared/pods.ts';

/** Pod label naming the ControllerRevision the pod was made from. */
export const STATEFULSET_REVISION_LABEL = 'controller-revision-hash';
/** Pod label with the pod's own name, so a Service can select exactly one member. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Pod label with the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/**
 * The StatefulSet with the API server's defaults filled in where missing: replicas 1, OrderedReady,
 * RollingUpdate (with partition 0 when the strategy was omitted), revisionHistoryLimit 10, PVC
 * retention Retain/Retain. The
 * controller reads only this view, whether or not the API layer defaulted the stored object.
 */
export function withStatefulSetDefaults(set: KubeObject): KubeObject {
  const copy = structuredClone(set) as KubeObject;
  copy.spec ??= {};
  const spec = copy.spec;
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    // Only an omitted strategy gets a rollingUpdate block; `type: RollingUpdate` alone keeps none,
    // which changes both how recreated pods pick a revision and what `kubectl rollout status` says.
    spec.updateStrategy.type = 'RollingUpdate';
    spec.updateStrategy.rollingUpdate ??= {};
  }
  if (spec.updateStrategy.type === 'RollingUpdate' && spec.updateStrategy.rollingUpdate)
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  spec.minReadySeconds ??= 0;
  copy.status ??= {};
  return copy;
}

const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal from a pod name (`todo-db-1` → todo-db, 1); ordinal −1 when absent. */
export function getParentNameAndOrdinal(pod: KubeObject): { parent: string; ordinal: number } {
  const match = STATEFUL_POD_NAME.exec(pod.metadata.name ?? '');
  if (!match) return { parent: '', ordinal: -1 };
  const ordinal = Number(match[2]);
  return {
    parent: match[1]!,
    ordinal: Number.isSafeInteger(ordinal) && ordinal <= 2 ** 31 - 1 ? ordinal : -1,
  };
}

/** The pod's ordinal, −1 when its name has none. */
export function getOrdinal(pod: KubeObject): number {
  return getParentNameAndOrdinal(pod).ordinal;
}

/** The first ordinal (`spec.ordinals.start`, default 0). */
export function getStartOrdinal(set: KubeObject): number {
  return Number(set.spec?.ordinals?.start ?? 0);
}

/** The last ordinal: start + replicas − 1. */
export function getEndOrdinal(set: KubeObject): number {
  return getStartOrdinal(set) + Number(set.spec?.replicas ?? 1) - 1;
}

/** Whether the pod's ordinal is within [start, end]. */
export function podInOrdinalRange(pod: KubeObject, set: KubeObject): boolean {
  const ordinal = getOrdinal(pod);
  return ordinal >= getStartOrdinal(set) && ordinal <= getEndOrdinal(set);
}

/** `<set>-<ordinal>`. */
export function getPodName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** `<template>-<set>-<ordinal>`: `data-todo-db-0`. */
export function getPersistentVolumeClaimName(
  set: KubeObject,
  claimTemplateName: string,
  ordinal: number,
): string {
  return `${claimTemplateName}-${set.metadata.name}-${ordinal}`;
}

/** Whether the pod's name says it belongs to the set. */
export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  return getParentNameAndOrdinal(pod).parent === set.metadata.name;
}

/** Name, namespace and the name and index labels agree with the pod's ordinal. */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod);
  const labels = pod.metadata.labels ?? {};
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === getPodName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    labels[STATEFULSET_POD_NAME_LABEL] === pod.metadata.name &&
    labels[POD_INDEX_LABEL] === String(ordinal)
  );
}

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: JsonObject;
}

function claimTemplates(set: KubeObject): ClaimTemplate[] {
  return (set.spec?.volumeClaimTemplates ?? []) as ClaimTemplate[];
}

/** Every claim template has a volume of the same name pointing at this pod's claim. */
export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map(
    ((pod.spec?.volumes ?? []) as { name: string; persistentVolumeClaim?: { claimName?: string } }[]).map(
      (v) => [v.name, v],
    ),
  );
  return claimTemplates(set).every((template) => {
    const name = template.metadata?.name ?? '';
    return (
      volumes.get(name)?.persistentVolumeClaim?.claimName === getPersistentVolumeClaimName(set, name, ordinal)
    );
  });
}

/**
 * The claims a pod needs, by template name: the template with the per-pod name, the set's namespace,
 * and the set's selector labels added to the template's own.
 */
export function getPersistentVolumeClaims(set: KubeObject, pod: KubeObject): Map<string, KubeObject> {
  const ordinal = getOrdinal(pod);
  const selectorLabels = (set.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const claims = new Map<string, KubeObject>();
  for (const template of claimTemplates(set)) {
    const templateName = template.metadata?.name ?? '';
    const metadata: KubeObject['metadata'] = {
      name: getPersistentVolumeClaimName(set, templateName, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...selectorLabels },
    };
    if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
    claims.set(templateName, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata,
      spec: structuredClone(template.spec ?? {}),
    });
  }
  return claims;
}

/** Puts a volume per claim template first (replacing same-named volumes), other volumes after. */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const claims = getPersistentVolumeClaims(set, pod);
  const current = (pod.spec?.volumes ?? []) as { name: string }[];
  const volumes: unknown[] = [...claims].map(([name, claim]) => ({
    name,
    persistentVolumeClaim: { claimName: claim.metadata.name },
  }));
  for (const volume of current) if (!claims.has(volume.name)) volumes.push(volume);
  pod.spec = { ...(pod.spec ?? {}), volumes };
}

/** Name, namespace and the name and index labels from the ordinal. */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [STATEFULSET_POD_NAME_LABEL]: pod.metadata.name,
    [POD_INDEX_LABEL]: String(ordinal),
  };
}

/** Identity plus DNS: hostname `<pod>`, subdomain the set's governing service. */
export function initIdentity(set: KubeObject, pod: KubeObject): void {
  updateIdentity(set, pod);
  pod.spec = { ...(pod.spec ?? {}), hostname: pod.metadata.name };
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
}

/** Whether a pod object exists in the API (placeholders for missing ordinals do not). */
export function isCreated(pod: KubeObject): boolean {
  return pod.metadata.uid !== undefined;
}

/** Phase Pending. */
export function isPending(pod: KubeObject): boolean {
  return pod.status?.phase === 'Pending';
}

/** Phase Failed. */
export function isFailed(pod: KubeObject): boolean {
  return pod.status?.phase === 'Failed';
}

/** Phase Succeeded. */
export function isSucceeded(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded';
}

/** Deletion has started. */
export function isTerminating(pod: KubeObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Phase Running and Ready. */
export function isRunningAndReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Ready for longer than minReadySeconds. */
export function isRunningAndAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  return isPodAvailable(pod, minReadySeconds, nowMs);
}

/** Running, Ready and not terminating. */
export function isHealthy(pod: KubeObject): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** Not healthy, or not yet available. */
export function isUnavailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, nowMs);
}

/** Parallel pod management: no ordering, no waiting for predecessors. */
export function allowsBurst(set: KubeObject): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

/** The revision a pod was made from ('' when unlabelled). */
export function getPodRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[STATEFULSET_REVISION_LABEL] ?? '';
}

/** A pod for an ordinal, made from the set's template: identity, DNS, claims, controller reference. */
export function newStatefulSetPod(set: KubeObject, ordinal: number): KubeObject {
  const template = (set.spec?.template ?? {}) as {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      finalizers?: string[];
    };
    spec?: JsonObject;
  };
  const metadata: KubeObject['metadata'] = {
    name: getPodName(set, ordinal),
    generateName: `${set.metadata.name}-`,
    namespace: set.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}) },
    ownerReferences: [newControllerRef(set)],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  if (template.metadata?.finalizers) metadata.finalizers = [...template.metadata.finalizers];
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: structuredClone(template.spec ?? {}),
  };
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * The pod to create for a missing ordinal, at the current or the update revision. With RollingUpdate
 * and a partition, ordinals below it are recreated as they were (current revision), the others as
 * the update: with partition 1, a deleted `todo-db-0` comes back with postgres:11.6, `todo-db-1`
 * with 11.8. (Upstream's condition, including its operator precedence, is kept as is.)
 */
export function newVersionedStatefulSetPod(
  currentSet: KubeObject,
  updateSet: KubeObject,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
): KubeObject {
  const strategy = currentSet.spec?.updateStrategy ?? {};
  const start = getStartOrdinal(currentSet);
  const useCurrent =
    (strategy.type === 'RollingUpdate' &&
      !strategy.rollingUpdate &&
      ordinal < start + Number(currentSet.status?.currentReplicas ?? 0)) ||
    (strategy.rollingUpdate !== undefined &&
      strategy.rollingUpdate !== null &&
      ordinal < start + Number(strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [STATEFULSET_REVISION_LABEL]: useCurrent ? currentRevision : updateRevision,
  };
  return pod;
}

/**
 * A new (unsaved) revision of the set's template: data is the template patch, labels the template's
 * plus `controller.kubernetes.io/hash`, annotations the set's (change-cause travels with it).
 */
export function newRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const cr = newControllerRevision(
    set,
    set.spec?.template?.metadata?.labels,
    getTemplatePatch(set),
    revision,
    collisionCount,
  );
  if (set.metadata.annotations) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** The status the controller computes each sync. */
export interface StatefulSetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/**
 * Counts over pods: created ones are replicas; running and ready ones ready (and available after
 * minReadySeconds); live ones at the current / update revision are current / updated.
 */
export function computeReplicaCounts(
  pods: readonly KubeObject[],
  minReadySeconds: number,
  currentRevision: string,
  updateRevision: string,
  nowMs: number,
): Pick<
  StatefulSetStatus,
  'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'
> {
  const counts = {
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
  };
  for (const pod of pods) {
    if (isCreated(pod)) counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) counts.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = getPodRevision(pod);
      if (revision === currentRevision) counts.currentReplicas++;
      if (revision === updateRevision) counts.updatedReplicas++;
    }
  }
  return counts;
}

/**
 * A RollingUpdate finishes when every replica is updated and ready: only then does currentRevision
 * become updateRevision. With partition 1 of 2 replicas, updatedReplicas stays 1 and currentRevision
 * stays the old one, which is what `kubectl rollout status` reports as a partitioned rollout.
 */
export function completeRollingUpdate(set: KubeObject, status: StatefulSetStatus): void {
  if (
    set.spec?.updateStrategy?.type === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Whether the computed status differs from the stored one (collisionCount alone does not count). */
export function inconsistentStatus(set: KubeObject, status: StatefulSetStatus): boolean {
  const stored = set.status ?? {};
  return (
    status.observedGeneration > (stored.observedGeneration ?? 0) ||
    status.replicas !== (stored.replicas ?? 0) ||
    status.currentReplicas !== (stored.currentReplicas ?? 0) ||
    status.readyReplicas !== (stored.readyReplicas ?? 0) ||
    status.updatedReplicas !== (stored.updatedReplicas ?? 0) ||
    status.currentRevision !== (stored.currentRevision ?? '') ||
    status.availableReplicas !== (stored.availableReplicas ?? 0) ||
    status.updateRevision !== (stored.updateRevision ?? '')
  );
}

/** The status as the API serves it: Go's field order, omitempty fields left out when zero. */
export function formatStatefulSetStatus(status: StatefulSetStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  out.replicas = status.replicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.currentReplicas) out.currentReplicas = status.currentReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.currentRevision) out.currentRevision = status.currentRevision;
  if (status.updateRevision) out.updateRevision = status.updateRevision;
  out.collisionCount = status.collisionCount;
  out.availableReplicas = status.availableReplicas;
  return out;
}

/** Pods sorted by ordinal, ascending. */
export function sortByOrdinal(pods: readonly KubeObject[]): KubeObject[] {
  return [...pods].sort((a, b) => getOrdinal(a) - getOrdinal(b));
}

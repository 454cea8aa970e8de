/**
 * Pure helpers of the DaemonSet controller (upstream `pkg/controller/daemon/util` and the
 * scheduling predicates it uses): defaults, the labels that tie pods to a revision, rolling-update
 * budgets, the tolerations every daemon pod gets, and whether a node should run the daemon pod.
 */

import type { JsonObject, KubeObject } from '../../api/objects.ts';
import { matchesNodeSelectorAndAffinity } from '../../nodes/node-affinity.ts';
import { getScaledValueFromIntOrPercent } from '../shared/int-or-percent.ts';
import type { IntOrString } from '../shared/workload-types.ts';

/** Pod and revision label: the hash of the DaemonSet template the pod was made from. */
export const DAEMONSET_UNIQUE_LABEL = 'controller-revision-hash';
/** Pod label: the template generation the pod was made from (kept for older clients). */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** DaemonSet annotation where the API server counts template changes. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The fields of a DaemonSet spec the controller reads, with defaults applied. */
export interface DaemonSetView {
  object: KubeObject;
  updateStrategyType: 'RollingUpdate' | 'OnDelete';
  maxUnavailable: IntOrString;
  maxSurge: IntOrString;
  minReadySeconds: number;
  revisionHistoryLimit: number;
}

/**
 * The DaemonSet with the API server's defaults filled in where a field is missing (RollingUpdate,
 * maxUnavailable 1, maxSurge 0, revisionHistoryLimit 10), so the controller works whether or not the
 * API layer defaulted the stored object.
 */
export function viewDaemonSet(ds: KubeObject): DaemonSetView {
  const strategy = ds.spec?.updateStrategy ?? {};
  const type = strategy.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate';
  return {
    object: ds,
    updateStrategyType: type,
    maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? 1,
    maxSurge: strategy.rollingUpdate?.maxSurge ?? 0,
    minReadySeconds: Number(ds.spec?.minReadySeconds ?? 0),
    revisionHistoryLimit: Number(ds.spec?.revisionHistoryLimit ?? 10),
  };
}

/**
 * The template generation: the API server's annotation, or the object's generation when the
 * annotation is missing (a template change always bumps the generation, so a pod labelled with the
 * current one was made from the current template).
 */
export function getTemplateGeneration(ds: KubeObject): string | undefined {
  const annotated = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return ds.metadata.generation === undefined ? undefined : String(ds.metadata.generation);
}

/** Whether a pod runs the current template: same hash, or same template generation. */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const generationMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation;
  const hashMatches = hash.length > 0 && labels[DAEMONSET_UNIQUE_LABEL] === hash;
  return hashMatches || generationMatches;
}

/** How many scheduled nodes may lack an available pod during a rolling update (percentages round up: 25% of 3 → 1). */
export function unavailableCount(ds: DaemonSetView, desired: number): number {
  if (ds.updateStrategyType !== 'RollingUpdate') return 0;
  return getScaledValueFromIntOrPercent(ds.maxUnavailable, desired, true);
}

/** How many nodes may run an extra (new) pod beside the old one during a rolling update. */
export function surgeCount(ds: DaemonSetView, desired: number): number {
  if (ds.updateStrategyType !== 'RollingUpdate') return 0;
  return getScaledValueFromIntOrPercent(ds.maxSurge, desired, true);
}

/** Whether the update surges (new pod before old pod goes) rather than replaces. */
export function allowsSurge(ds: DaemonSetView): boolean {
  try {
    return surgeCount(ds, 1) !== 0;
  } catch {
    return false;
  }
}

interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Tolerations every daemon pod gets, so node conditions do not evict or block it. */
const DAEMON_POD_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The pod spec's tolerations plus the daemon ones it lacks (host-network pods also tolerate network-unavailable). */
export function addDaemonPodTolerations(spec: JsonObject): Toleration[] {
  const existing = ((spec.tolerations ?? []) as unknown as Toleration[]).map((t) => ({ ...t }));
  const wanted = [...DAEMON_POD_TOLERATIONS];
  if (spec.hostNetwork === true)
    wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  for (const toleration of wanted) {
    if (!existing.some((t) => t.key === toleration.key && t.effect === toleration.effect))
      existing.push(toleration);
  }
  return existing;
}

/**
 * The template a daemon pod is created from: the DaemonSet's template with the generation and hash
 * labels and the daemon tolerations.
 */
export function createPodTemplate(
  template: JsonObject,
  generation: string | undefined,
  hash: string,
): JsonObject {
  const copy = structuredClone(template) as {
    metadata?: { labels?: Record<string, string> };
    spec?: JsonObject;
  };
  const labels: Record<string, string> = { ...(copy.metadata?.labels ?? {}) };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[DAEMONSET_UNIQUE_LABEL] = hash;
  copy.metadata = { ...(copy.metadata ?? {}), labels };
  const spec = copy.spec ?? {};
  copy.spec = { ...spec, tolerations: addDaemonPodTolerations(spec) as unknown as JsonObject[] };
  return copy as unknown as JsonObject;
}

function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

function findUntoleratedTaint(
  taints: Taint[],
  tolerations: Toleration[],
  effects: string[],
): Taint | undefined {
  return taints.find(
    (taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)),
  );
}

/** nodeSelector and required node affinity against a node: the scheduler's own rule, for pods the DaemonSet places itself. */
export function fitsNodeAffinity(podSpec: JsonObject, node: KubeObject): boolean {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: podSpec } as KubeObject;
  return matchesNodeSelectorAndAffinity(pod, node);
}

/**
 * Whether a node should run the daemon pod, and whether a pod already there may stay (upstream
 * `NodeShouldRunDaemonPod`). A node tainted NoSchedule gets no new pod but keeps a running one; a
 * NoExecute taint the pod does not tolerate removes it.
 */
export function nodeShouldRunDaemonPod(
  node: KubeObject,
  ds: KubeObject,
): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const template = (ds.spec?.template ?? {}) as JsonObject;
  const spec = (template.spec ?? {}) as JsonObject;
  const tolerations = addDaemonPodTolerations(spec);
  const wantedNode = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if ((wantedNode && wantedNode !== node.metadata.name) || !fitsNodeAffinity(spec, node)) {
    return { shouldRun: false, shouldContinueRunning: false };
  }
  const taints = (node.spec?.taints ?? []) as Taint[];
  if (findUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return {
      shouldRun: false,
      shouldContinueRunning: !findUntoleratedTaint(taints, tolerations, ['NoExecute']),
    };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Scheduled pods first, then oldest first, then by name (upstream `podByCreationTimestampAndPhase`). */
export function comparePodsByCreation(a: KubeObject, b: KubeObject): number {
  const aScheduled = !!a.spec?.nodeName;
  const bScheduled = !!b.spec?.nodeName;
  if (aScheduled !== bScheduled) return aScheduled ? -1 : 1;
  const byTime = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  if (byTime !== 0) return byTime;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

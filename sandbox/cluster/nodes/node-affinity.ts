/**
 * The scheduler's node filters as pure functions: nodeSelector and required node affinity
 * (including the `metadata.name` field selector a DaemonSet pins its pods with), taints and
 * tolerations, and the pod-count capacity.
 */
import type { KubeObject } from '../api/objects.ts';

interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

function matchesRequirement(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** Whether one node selector term holds: every expression on labels and every field (only metadata.name). */
function matchesTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // A term with no requirements matches nothing, as upstream decides.
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => matchesRequirement(r, labels[r.key])) &&
    fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, node.metadata.name))
  );
}

/** nodeSelector and requiredDuringScheduling node affinity (terms ORed, requirements ANDed). */
export function matchesNodeSelectorAndAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(selector)) if (labels[key] !== value) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  if (!terms) return true;
  return terms.some((term) => matchesTerm(term, node));
}

function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** The first taint with a scheduling effect that the pod does not tolerate, if any. */
export function findUntoleratedTaint(pod: KubeObject, node: KubeObject): Taint | undefined {
  const taints = (node.spec?.taints ?? []) as Taint[];
  const tolerations = (pod.spec?.tolerations ?? []) as Toleration[];
  return taints.find(
    (taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint)),
  );
}

/** `{node.kubernetes.io/not-ready: }`, how the scheduler prints a taint. */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

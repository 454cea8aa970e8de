/**
 * Which pods a ReplicaSet deletes when it has too many (upstream's getPodsToDelete and
 * getPodsRankedByRelatedPodsOnSameNode): the cheapest to lose first — unscheduled, pending,
 * not ready, low deletion cost, doubled up on a node with pods of sibling ReplicaSets, ready for
 * the shortest time, restarting most, newest.
 */
import { isPodActive, type RankedPod, sortPodsForDeletion } from '../shared/pods.ts';
import type { Pod } from '../shared/workload-types.ts';

/**
 * Ranks each pod by how many active related pods (this ReplicaSet's and its siblings' under the
 * same Deployment) run on the same node: a node running three of them loses one before a node
 * running one. Unscheduled pods all share the empty node name, as upstream counts them.
 */
export function rankPodsByRelatedPodsOnSameNode(podsToRank: Pod[], relatedPods: Pod[]): RankedPod[] {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return podsToRank.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** The `diff` pods to delete, ranked only when some must stay. */
export function getPodsToDelete(filteredPods: Pod[], relatedPods: Pod[], diff: number, now: number): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  return sortPodsForDeletion(rankPodsByRelatedPodsOnSameNode(filteredPods, relatedPods), now).slice(0, diff);
}

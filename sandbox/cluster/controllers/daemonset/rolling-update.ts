/**
 * The DaemonSet rolling update (upstream `rollingUpdate`) as a pure plan: which old pods to delete
 * and on which nodes to surge a new pod, within maxUnavailable / maxSurge. The manage loop creates
 * the replacement pods on the next pass, once a deleted pod is gone.
 *
 * Worked example, exercise 12: one node, maxUnavailable 1, maxSurge 0, the old nginx:1.17 pod
 * available. Budget: 1 unavailable allowed, 0 used → the old pod is a candidate → deleted. The node
 * then has only a terminating pod, which manage leaves alone; when it is gone, manage creates the
 * nginx:1.18 pod. With three nodes and maxUnavailable 1, the next old pod goes only when the new pod
 * on the first node is available (ready for minReadySeconds).
 */
import type { KubeObject } from '../../api/objects.ts';
import { isPodAvailable } from '../shared/pods.ts';
import {
  type DaemonSetView,
  getTemplateGeneration,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  surgeCount,
  unavailableCount,
} from './daemonset-util.ts';
import type { NodeToDaemonPods } from './manage.ts';

/** What a rolling-update pass does. */
export interface RollingUpdatePlan {
  podsToDelete: KubeObject[];
  nodesToCreate: string[];
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * The new and old pod on a node, ignoring terminating pods; ok is false when there are several of
 * either kind (manage prunes those first).
 */
export function findUpdatedPodsOnNode(
  ds: DaemonSetView,
  pods: readonly KubeObject[],
  hash: string,
): { newPod?: KubeObject; oldPod?: KubeObject; ok: boolean } {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  const generation = getTemplateGeneration(ds.object);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * Budgets for this pass: nodes that should run the pod, and maxSurge / maxUnavailable scaled to
 * them (percentages round up: 25% of 3 nodes allows 1). When both come out 0 (both given as 0 or
 * 0%), one unavailable pod is allowed so that the update can move at all.
 */
export function updatedDesiredNodeCounts(
  ds: DaemonSetView,
  nodes: readonly KubeObject[],
  byNode: NodeToDaemonPods,
): { maxSurge: number; maxUnavailable: number; desired: number } {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds.object).shouldRun) continue;
    desired++;
    if (!byNode.has(node.metadata.name!)) byNode.set(node.metadata.name!, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

/** Plans one rolling-update pass. `byNode` gains empty entries for nodes without pods. */
export function planRollingUpdate(
  ds: DaemonSetView,
  nodes: readonly KubeObject[],
  byNode: NodeToDaemonPods,
  hash: string,
  nowMs: number,
): RollingUpdatePlan {
  const { maxSurge, maxUnavailable, desired } = updatedDesiredNodeCounts(ds, nodes, byNode);
  const available = (pod: KubeObject): boolean => isPodAvailable(pod, ds.minReadySeconds, nowMs);
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const shouldRun = (nodeName: string): boolean => {
    const node = nodeByName.get(nodeName);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds.object).shouldRun;
  };
  const nodeNames = [...byNode.keys()].sort();

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacements: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    for (const nodeName of nodeNames) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, byNode.get(nodeName) ?? [], hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          // An old pod that is not serving anyway costs nothing to replace.
          allowedReplacements.push(oldPod);
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) {
          candidates.push(oldPod);
        }
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return {
      podsToDelete: [...allowedReplacements, ...candidates.slice(0, remaining)],
      nodesToCreate: [],
      maxSurge,
      maxUnavailable,
    };
  }

  const podsToDelete: KubeObject[] = [];
  const shouldNotRunPodsToDelete: KubeObject[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const nodeName of nodeNames) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, byNode.get(nodeName) ?? [], hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) podsToDelete.push(oldPod);
        else allowedNewNodes.push(nodeName);
      } else if (!shouldRun(nodeName)) {
        shouldNotRunPodsToDelete.push(oldPod);
      } else if (numSurge < maxSurge) {
        candidateNewNodes.push(nodeName);
      }
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    podsToDelete.push(oldPod);
  }
  // Pods on nodes the DaemonSet no longer targets go only while others keep the count available.
  const deletable = Math.min(Math.max(0, numAvailable - desired), shouldNotRunPodsToDelete.length);
  podsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
  return {
    podsToDelete,
    nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)],
    maxSurge,
    maxUnavailable,
  };
}

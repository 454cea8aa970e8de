/**
 * The scheduler: binds each pending pod to a simulated node. Nodes are filtered as
 * kube-scheduler's default plugins would (readiness, unschedulable, taints, nodeSelector and
 * required affinity, pod capacity), then the pod goes where its siblings are fewest and, among
 * those, where pods are fewest, so a Deployment's replicas spread across workers.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import { conflict, notFound } from '../api/errors.ts';
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES, storageKeyOf } from '../api/resources.ts';
import { formatTimestamp } from '../clock.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controllers/controller.ts';
import type { WorkQueue } from '../controllers/work-queue.ts';
import { backOffDelayMs } from './back-off.ts';
import { findUntoleratedTaint, formatTaint, matchesNodeSelectorAndAffinity } from './node-affinity.ts';

/** The scheduler's name, as pods name it in spec.schedulerName and events show it. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** A node choice, or why no node fits (the FailedScheduling message). */
export type NodeSelection = { ok: true; nodeName: string } | { ok: false; message: string };

/** Whether a pod still occupies its node (not finished). */
function isActivePod(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

function controllerUidOf(pod: KubeObject): string | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
}

/** Why a node cannot take a pod, in the scheduler's words; undefined when it can. */
export function whyNodeDoesNotFit(pod: KubeObject, node: KubeObject, podsOnNode: number): string | undefined {
  if (node.spec?.unschedulable) return 'node(s) were unschedulable';
  const ready = ((node.status?.conditions ?? []) as { type: string; status: string }[]).find(
    (c) => c.type === 'Ready',
  );
  if (ready?.status !== 'True') return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  const taint = findUntoleratedTaint(pod, node);
  if (taint) return `node(s) had untolerated taint ${formatTaint(taint)}`;
  if (!matchesNodeSelectorAndAffinity(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  const capacity = Number(node.status?.allocatable?.pods ?? node.status?.capacity?.pods ?? 110);
  if (podsOnNode >= capacity) return 'Too many pods';
  return undefined;
}

/**
 * Picks the node for a pod from the cluster's nodes and the pods already bound.
 * Ties break by fewer pods of the same controller, then fewer pods, then node name, so
 * placement is deterministic: two replicas on two empty workers land one on each.
 */
export function selectNode(
  pod: KubeObject,
  nodes: readonly KubeObject[],
  boundPods: readonly KubeObject[],
): NodeSelection {
  if (nodes.length === 0) return { ok: false, message: 'no nodes available to schedule pods' };
  const owner = controllerUidOf(pod);
  const total = new Map<string, number>();
  const siblings = new Map<string, number>();
  for (const other of boundPods) {
    const node = other.spec?.nodeName;
    if (!node || !isActivePod(other)) continue;
    total.set(node, (total.get(node) ?? 0) + 1);
    if (owner && controllerUidOf(other) === owner) siblings.set(node, (siblings.get(node) ?? 0) + 1);
  }
  const failures = new Map<string, number>();
  const fitting: KubeObject[] = [];
  for (const node of nodes) {
    const why = whyNodeDoesNotFit(pod, node, total.get(node.metadata.name!) ?? 0);
    if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
    else fitting.push(node);
  }
  if (fitting.length === 0) {
    const reasons = [...failures.entries()]
      .map(([why, count]) => `${count} ${why}`)
      .sort()
      .join(', ');
    const n = nodes.length;
    return {
      ok: false,
      message: `0/${n} nodes are available: ${reasons}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    };
  }
  const score = (node: KubeObject): [number, number, string] => {
    const name = node.metadata.name!;
    return [siblings.get(name) ?? 0, total.get(name) ?? 0, name];
  };
  fitting.sort((a, b) => {
    const [sa, ta, na] = score(a);
    const [sb, tb, nb] = score(b);
    return sa - sb || ta - tb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
  return { ok: true, nodeName: fitting[0]!.metadata.name! };
}

/** Sets or replaces one pod condition, keeping lastTransitionTime when the status did not change. */
export function upsertPodCondition(
  conditions: Record<string, unknown>[],
  next: { type: string; status: string; reason?: string; message?: string },
  now: string,
): Record<string, unknown>[] {
  const out = conditions.map((c) => ({ ...c }));
  const index = out.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? out[index] : undefined;
  const condition: Record<string, unknown> = {
    type: next.type,
    status: next.status,
    lastProbeTime: null,
    lastTransitionTime: previous && previous.status === next.status ? previous.lastTransitionTime : now,
  };
  if (next.reason) condition.reason = next.reason;
  if (next.message) condition.message = next.message;
  if (index >= 0) out[index] = condition;
  else out.push(condition);
  return out;
}

/**
 * Binds a pod to a node as the `pods/binding` subresource does: in one write, spec.nodeName and a
 * PodScheduled=True condition. It writes through the store because binding is not a pod update
 * (pod spec updates may not change nodeName). Throws NotFound, or Conflict when the pod is already
 * bound, being deleted, or not the pod the caller saw (uid).
 */
export function bindPod(
  api: ClusterApi,
  namespace: string,
  name: string,
  target: { nodeName: string; uid?: string },
): KubeObject {
  const current = api.find(RESOURCES.pods, namespace, name);
  if (!current) throw notFound(RESOURCES.pods, name);
  if (target.uid && current.metadata.uid !== target.uid) {
    throw conflict(
      RESOURCES.pods,
      name,
      `Precondition failed: UID in precondition: ${target.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (current.spec?.nodeName)
    throw conflict(
      RESOURCES.pods,
      name,
      `pod ${name} is already assigned to node "${current.spec.nodeName}"`,
    );
  if (current.metadata.deletionTimestamp)
    throw conflict(RESOURCES.pods, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const next = structuredClone(current) as KubeObject;
  next.spec = { ...(next.spec ?? {}), nodeName: target.nodeName };
  const status = { phase: 'Pending', ...(next.status ?? {}) };
  status.conditions = upsertPodCondition(
    status.conditions ?? [],
    { type: 'PodScheduled', status: 'True' },
    formatTimestamp(api.clock.now()),
  );
  next.status = status;
  return api.store.update(storageKeyOf(RESOURCES.pods), next);
}

function needsScheduling(pod: KubeObject): boolean {
  return (
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME
  );
}

/** Options of the scheduler. */
export interface SchedulerOptions {
  /** Retry back-off for a pod no node fits: 1 s doubling to 10 s, as kube-scheduler's defaults. */
  retryBackOff?: { initialMs: number; maxMs: number };
}

/** The scheduler controller: watches pods and nodes, binds pending pods. */
export function createScheduler(
  context: ControllerContext,
  options: SchedulerOptions = {},
): Controller & { queue: WorkQueue } {
  const { api } = context;
  const recorder = context.recorder(DEFAULT_SCHEDULER_NAME);
  const retry = options.retryBackOff ?? { initialMs: 1_000, maxMs: 10_000 };
  const attempts = new Map<string, number>();
  // A failed pod waits out its back-off even when its own status write queues it again.
  const notBefore = new Map<string, number>();

  const pendingPodKeys = (): string[] => {
    const keys = api.listAll(RESOURCES.pods).filter(needsScheduling).map(keyOf);
    for (const key of keys) notBefore.delete(key);
    return keys;
  };

  const reconcile = (key: string, queue: WorkQueue): void => {
    const { namespace, name } = splitKey(key);
    const pod = api.find(RESOURCES.pods, namespace, name);
    if (!pod || !needsScheduling(pod)) {
      attempts.delete(key);
      notBefore.delete(key);
      return;
    }
    const waitMs = (notBefore.get(key) ?? 0) - api.clock.now();
    if (waitMs > 0) {
      queue.addAfter(key, waitMs);
      return;
    }
    const nodes = api.listAll(RESOURCES.nodes);
    const selection = selectNode(pod, nodes, api.listAll(RESOURCES.pods));
    if (selection.ok) {
      const bound = bindPod(api, namespace!, name, { nodeName: selection.nodeName, uid: pod.metadata.uid });
      attempts.delete(key);
      notBefore.delete(key);
      recorder.record(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${selection.nodeName}`,
      );
      return;
    }
    const next = structuredClone(pod) as KubeObject;
    const status = { phase: 'Pending', ...(next.status ?? {}) };
    status.conditions = upsertPodCondition(
      status.conditions ?? [],
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: selection.message },
      formatTimestamp(api.clock.now()),
    );
    next.status = status;
    api.update(RESOURCES.pods, namespace, next, { subresource: 'status' });
    recorder.record(pod, 'Warning', 'FailedScheduling', selection.message);
    const failures = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, failures);
    const delay = backOffDelayMs(retry, failures);
    notBefore.set(key, api.clock.now() + delay);
    queue.addAfter(key, delay);
  };

  return createQueueController(
    context,
    'scheduler',
    [
      {
        resource: RESOURCES.pods,
        keysFor: (event) =>
          event.type !== 'DELETED' && needsScheduling(event.object) ? [keyOf(event.object)] : [],
      },
      {
        // A node appearing or turning Ready may fit pods that waited.
        resource: RESOURCES.nodes,
        keysFor: (event) => (event.type === 'DELETED' ? [] : pendingPodKeys()),
      },
    ],
    reconcile,
  );
}

/**
 * Builds the live view (`WorkloadsView`, src/protocol/live-view.ts) from one snapshot of a
 * session's namespace. Pure and deterministic: the same objects give the same JSON, whatever
 * order the API listed them in, so the events stream can compare payloads and send only changes.
 *
 * Pods are placed by their controller reference (ReplicaSet, StatefulSet, DaemonSet), never by
 * labels: during a rollout both ReplicaSets' pods match the Deployment's selector, and only the
 * owner says which revision a pod belongs to.
 */
import { stringify } from 'yaml';
import type {
  ConditionView,
  ControllerRevisionView,
  DeploymentView,
  PodSetView,
  PodView,
  ReplicaSetView,
  WorkloadsView,
} from '../../src/protocol/live-view.ts';
import type { NamespaceSnapshot } from '../checks/evaluate.ts';
import {
  CHANGE_CAUSE_ANNOTATION,
  describePodStatus,
  describeReadyContainers,
  isControlledBy,
  isPodReady,
  readRevision,
  sortNewestFirst,
} from '../checks/kube-views.ts';
import type { KubeObject } from '../cluster/api/objects.ts';
import { resolveFenceposts } from '../cluster/controllers/deployment/util.ts';

/** The label every ReplicaSet and its pods carry; it differs per revision and is left out of diffs. */
const POD_TEMPLATE_HASH = 'pod-template-hash';
/** The label StatefulSet and DaemonSet pods carry: the name of their ControllerRevision. */
const CONTROLLER_REVISION_HASH = 'controller-revision-hash';
/** What the API server defaults an unset rolling update bound to. */
const DEFAULT_BOUND = '25%';

/** Only the parts of a snapshot the view reads. */
export type WorkloadsSnapshot = Pick<
  NamespaceSnapshot,
  'deployments' | 'replicaSets' | 'pods' | 'statefulSets' | 'daemonSets' | 'controllerRevisions'
>;

/** The live view of one namespace snapshot. */
export function buildWorkloadsView(snapshot: WorkloadsSnapshot): WorkloadsView {
  const placed = new Set<KubeObject>();
  const deployments = byName(snapshot.deployments).map((d) => viewDeployment(d, snapshot, placed));
  const statefulSets = byName(snapshot.statefulSets).map((s) =>
    viewPodSet('StatefulSet', s, snapshot, placed),
  );
  const daemonSets = byName(snapshot.daemonSets).map((s) => viewPodSet('DaemonSet', s, snapshot, placed));
  const otherPods = byName(snapshot.pods.filter((pod) => !placed.has(pod))).map(viewPod);
  return { deployments, statefulSets, daemonSets, otherPods };
}

function byName(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

function viewDeployment(d: KubeObject, snapshot: WorkloadsSnapshot, placed: Set<KubeObject>): DeploymentView {
  const spec = d.spec ?? {};
  const status = d.status ?? {};
  const desired = typeof spec.replicas === 'number' ? count(spec.replicas) : 1;
  const type: string = spec.strategy?.type ?? 'RollingUpdate';
  const rolling = type === 'RollingUpdate';
  const maxSurge = rolling ? (spec.strategy?.rollingUpdate?.maxSurge ?? DEFAULT_BOUND) : null;
  const maxUnavailable = rolling ? (spec.strategy?.rollingUpdate?.maxUnavailable ?? DEFAULT_BOUND) : null;
  // The controller's own rounding (surge up, unavailable down, never both 0), so the numbers
  // shown are the pods the learner will count.
  const fenceposts = rolling
    ? resolveFenceposts(maxSurge ?? undefined, maxUnavailable ?? undefined, desired)
    : { maxSurge: 0, maxUnavailable: 0 };
  const replicaSets = sortNewestFirst(snapshot.replicaSets.filter((rs) => isControlledBy(rs, d))).map((rs) =>
    viewReplicaSet(rs, snapshot, placed),
  );
  return {
    name: d.metadata.name ?? '',
    strategy: {
      type,
      maxSurge,
      maxUnavailable,
      maxSurgePods: fenceposts.maxSurge,
      maxUnavailablePods: desired === 0 ? 0 : Math.min(fenceposts.maxUnavailable, desired),
    },
    minReadySeconds: count(spec.minReadySeconds),
    replicas: {
      desired,
      updated: count(status.updatedReplicas),
      ready: count(status.readyReplicas),
      available: count(status.availableReplicas),
      current: count(status.replicas),
    },
    paused: spec.paused === true,
    revision: readRevision(d) ?? null,
    conditions: viewConditions(status.conditions),
    replicaSets,
  };
}

/** Conditions without their timestamps: a heartbeat alone must not make the view differ. */
function viewConditions(conditions: unknown): ConditionView[] {
  if (!Array.isArray(conditions)) return [];
  return conditions
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null)
    .map((c) => ({
      type: String(c.type ?? ''),
      status: String(c.status ?? 'Unknown'),
      ...(typeof c.reason === 'string' ? { reason: c.reason } : {}),
      ...(typeof c.message === 'string' ? { message: c.message } : {}),
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

function viewReplicaSet(
  rs: KubeObject,
  snapshot: WorkloadsSnapshot,
  placed: Set<KubeObject>,
): ReplicaSetView {
  const template = rs.spec?.template;
  const templateAnnotations: Record<string, string> | undefined = template?.metadata?.annotations;
  const cause =
    rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? templateAnnotations?.[CHANGE_CAUSE_ANNOTATION];
  return {
    name: rs.metadata.name ?? '',
    revision: readRevision(rs) ?? null,
    desired: typeof rs.spec?.replicas === 'number' ? count(rs.spec.replicas) : 1,
    current: count(rs.status?.replicas),
    ready: count(rs.status?.readyReplicas),
    available: count(rs.status?.availableReplicas),
    images: readImages(template?.spec),
    changeCause: cause ? cause : null,
    createdAt: rs.metadata.creationTimestamp ?? null,
    template: templateYaml(template),
    pods: ownedPods(rs, snapshot, placed),
  };
}

function ownedPods(owner: KubeObject, snapshot: WorkloadsSnapshot, placed: Set<KubeObject>): PodView[] {
  const pods = snapshot.pods.filter((pod) => isControlledBy(pod, owner));
  for (const pod of pods) placed.add(pod);
  return byName(pods).map(viewPod);
}

function readImages(podSpec: { containers?: { image?: unknown }[] } | undefined): string[] {
  return (podSpec?.containers ?? []).map((c) => (typeof c.image === 'string' ? c.image : ''));
}

/** One pod as the view shows it. */
export function viewPod(pod: KubeObject): PodView {
  const statuses: { restartCount?: unknown }[] = Array.isArray(pod.status?.containerStatuses)
    ? pod.status.containerStatuses
    : [];
  const node = pod.spec?.nodeName;
  return {
    name: pod.metadata.name ?? '',
    phase: typeof pod.status?.phase === 'string' ? pod.status.phase : 'Pending',
    status: describePodStatus(pod),
    ready: isPodReady(pod),
    readyContainers: describeReadyContainers(pod),
    restarts: statuses.reduce((sum, s) => sum + count(s.restartCount), 0),
    image: readImages(pod.spec)[0] ?? '',
    deleting: pod.metadata.deletionTimestamp !== undefined,
    ...(typeof node === 'string' && node !== '' ? { node } : {}),
  };
}

/**
 * A pod template as YAML for the revision diff: keys in the API's order (the same for every
 * revision, so only real changes differ), without the per-revision `pod-template-hash` label,
 * the empty `creationTimestamp` templates carry, and `$patch` markers of ControllerRevisions.
 */
export function templateYaml(template: unknown): string {
  if (typeof template !== 'object' || template === null) return '';
  const copy = structuredClone(template) as { metadata?: Record<string, unknown> } & Record<string, unknown>;
  stripPatchMarkers(copy);
  const metadata = copy.metadata;
  if (metadata) {
    if (metadata.creationTimestamp === null || metadata.creationTimestamp === undefined)
      delete metadata.creationTimestamp;
    const labels = metadata.labels as Record<string, string> | undefined;
    if (labels) {
      delete labels[POD_TEMPLATE_HASH];
      delete labels[CONTROLLER_REVISION_HASH];
    }
  }
  return stringify(copy, { lineWidth: 0 });
}

function stripPatchMarkers(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripPatchMarkers(item);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    delete record.$patch;
    for (const item of Object.values(record)) stripPatchMarkers(item);
  }
}

function viewPodSet(
  kind: 'StatefulSet' | 'DaemonSet',
  set: KubeObject,
  snapshot: WorkloadsSnapshot,
  placed: Set<KubeObject>,
): PodSetView {
  const spec = set.spec ?? {};
  const status = set.status ?? {};
  const revisions: ControllerRevisionView[] = snapshot.controllerRevisions
    .filter((cr) => isControlledBy(cr, set))
    .map((cr) => {
      const data = (cr as { data?: { spec?: { template?: { spec?: { containers?: [] } } } } }).data;
      const template = data?.spec?.template;
      return {
        name: cr.metadata.name ?? '',
        revision: count((cr as { revision?: unknown }).revision),
        images: readImages(template?.spec),
        template: templateYaml(template),
      };
    })
    .sort((a, b) => a.revision - b.revision || a.name.localeCompare(b.name));
  const pods = snapshot.pods.filter((pod) => isControlledBy(pod, set));
  for (const pod of pods) placed.add(pod);
  const isStateful = kind === 'StatefulSet';
  const partition = spec.updateStrategy?.rollingUpdate?.partition;
  return {
    kind,
    name: set.metadata.name ?? '',
    updateStrategy: spec.updateStrategy?.type ?? 'RollingUpdate',
    ...(isStateful && typeof partition === 'number' ? { partition: count(partition) } : {}),
    desired: isStateful
      ? typeof spec.replicas === 'number'
        ? count(spec.replicas)
        : 1
      : count(status.desiredNumberScheduled),
    current: count(isStateful ? status.replicas : status.currentNumberScheduled),
    ready: count(isStateful ? status.readyReplicas : status.numberReady),
    updated: count(isStateful ? status.updatedReplicas : status.updatedNumberScheduled),
    updateRevision: (isStateful ? status.updateRevision : undefined) ?? revisions.at(-1)?.name ?? null,
    revisions,
    pods: byName(pods).map((pod) => ({
      ...viewPod(pod),
      revision: pod.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? null,
    })),
  };
}

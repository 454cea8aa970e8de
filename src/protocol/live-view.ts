/**
 * The live view's data: the session's workloads as the page draws them, built on the server from
 * one snapshot of the namespace (`sandbox/live-view/workloads-view.ts`) and sent as the
 * `workloads` topic of `GET /api/sessions/:id/events` whenever it changes. Only what the view
 * draws is here, already computed (pod STATUS as kubectl words it, resolved maxSurge): the page
 * does no Kubernetes arithmetic, and the payload stays small because it is sent on every change.
 *
 * Lists are in a fixed order (Deployments by name, ReplicaSets newest revision first, pods by
 * name) so two views of the same cluster are equal as JSON, and the stream can skip repeats.
 *
 * ```
 * { deployments: [{ name: "vweb", strategy: { type: "RollingUpdate", maxSurge: "25%", maxSurgePods: 1, … },
 *     replicas: { desired: 3, updated: 1, ready: 3, available: 3 }, revision: 2,
 *     replicaSets: [{ name: "vweb-7c67…", revision: 2, desired: 1, current: 1, ready: 0,
 *       pods: [{ name: "vweb-7c67…-x2k9p", status: "ContainerCreating", ready: false, … }] }, …] }],
 *   statefulSets: [], daemonSets: [], otherPods: [] }
 * ```
 */
import { z } from 'zod';

/** A rolling update bound as the manifest gives it: a count (`1`) or a percentage (`"25%"`). */
export const IntOrPercent = z.union([z.int(), z.string()]);

/** One pod, as a chip and a table row. */
export const PodView = z.object({
  name: z.string(),
  /** `status.phase`: Pending, Running, Succeeded, Failed, Unknown. */
  phase: z.string(),
  /**
   * kubectl's STATUS column: the phase, or what overrides it — ContainerCreating, ErrImagePull,
   * ImagePullBackOff, CrashLoopBackOff, Error, Terminating.
   */
  status: z.string(),
  /** The pod's Ready condition is True (it receives Service traffic). */
  ready: z.boolean(),
  /** kubectl's READY column, e.g. `1/1`. */
  readyContainers: z.string(),
  /** Container restarts, summed. */
  restarts: z.int().min(0),
  /** The first container's image. */
  image: z.string(),
  /** The pod has a deletion timestamp: it is on its way out. */
  deleting: z.boolean(),
  /** Name of the node it runs on, when scheduled. */
  node: z.string().optional(),
});
export type PodView = z.infer<typeof PodView>;

/** A Deployment condition (Available, Progressing, ReplicaFailure). */
export const ConditionView = z.object({
  type: z.string(),
  /** `True`, `False` or `Unknown`. */
  status: z.string(),
  /** Machine-readable cause, e.g. `NewReplicaSetAvailable`, `ProgressDeadlineExceeded`. */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ConditionView = z.infer<typeof ConditionView>;

/** One ReplicaSet of a Deployment: one revision of its pod template. */
export const ReplicaSetView = z.object({
  name: z.string(),
  /** `deployment.kubernetes.io/revision`; null when missing (a ReplicaSet made by hand). */
  revision: z.int().nullable(),
  /** `spec.replicas`: how many pods the Deployment controller wants from it now. */
  desired: z.int().min(0),
  /** `status.replicas`: pods it has. */
  current: z.int().min(0),
  /** `status.readyReplicas`. */
  ready: z.int().min(0),
  /** `status.availableReplicas` (ready for at least minReadySeconds). */
  available: z.int().min(0),
  /** Every container's image of its template, in order. */
  images: z.array(z.string()),
  /** `kubernetes.io/change-cause` (on the ReplicaSet or its template); null when unset. */
  changeCause: z.string().nullable(),
  /** RFC 3339. */
  createdAt: z.string().nullable(),
  /**
   * Its pod template as YAML, without the `pod-template-hash` label (which differs for every
   * revision and says nothing): what the revision timeline diffs.
   */
  template: z.string(),
  /** Its pods, by name. */
  pods: z.array(PodView),
});
export type ReplicaSetView = z.infer<typeof ReplicaSetView>;

/** A Deployment with its ReplicaSets, newest revision first. */
export const DeploymentView = z.object({
  name: z.string(),
  strategy: z.object({
    /** `RollingUpdate` or `Recreate`. */
    type: z.string(),
    /** As written (after the API server's defaults); null for Recreate. */
    maxSurge: IntOrPercent.nullable(),
    maxUnavailable: IntOrPercent.nullable(),
    /** Resolved against `replicas.desired`, as the controller does: pods above desired it may run. */
    maxSurgePods: z.int().min(0),
    /** Resolved: pods below desired it may leave unavailable. */
    maxUnavailablePods: z.int().min(0),
  }),
  minReadySeconds: z.int().min(0),
  replicas: z.object({
    /** `spec.replicas`. */
    desired: z.int().min(0),
    /** `status.updatedReplicas`: pods of the newest template. */
    updated: z.int().min(0),
    ready: z.int().min(0),
    available: z.int().min(0),
    /** `status.replicas`: every pod of every ReplicaSet. */
    current: z.int().min(0),
  }),
  paused: z.boolean(),
  /** The Deployment's `deployment.kubernetes.io/revision`: its newest revision. */
  revision: z.int().nullable(),
  conditions: z.array(ConditionView),
  replicaSets: z.array(ReplicaSetView),
});
export type DeploymentView = z.infer<typeof DeploymentView>;

/** One stored revision of a StatefulSet or DaemonSet (a ControllerRevision). */
export const ControllerRevisionView = z.object({
  name: z.string(),
  revision: z.int(),
  images: z.array(z.string()),
  /** The revision's pod template as YAML (see ReplicaSetView.template). */
  template: z.string(),
});
export type ControllerRevisionView = z.infer<typeof ControllerRevisionView>;

/** A StatefulSet or DaemonSet: pods belong to the set directly, each of one revision. */
export const PodSetView = z.object({
  kind: z.enum(['StatefulSet', 'DaemonSet']),
  name: z.string(),
  /** `RollingUpdate` or `OnDelete`. */
  updateStrategy: z.string(),
  /** StatefulSet only: pods with an ordinal below it keep the old revision. */
  partition: z.int().min(0).optional(),
  desired: z.int().min(0),
  current: z.int().min(0),
  ready: z.int().min(0),
  updated: z.int().min(0),
  /** Name of the ControllerRevision the set is moving to. */
  updateRevision: z.string().nullable(),
  /** Oldest first. */
  revisions: z.array(ControllerRevisionView),
  /** Pods by name, each with the ControllerRevision it was made from. */
  pods: z.array(PodView.extend({ revision: z.string().nullable() })),
});
export type PodSetView = z.infer<typeof PodSetView>;

/** The whole view: the `workloads` topic's payload. */
export const WorkloadsView = z.object({
  deployments: z.array(DeploymentView),
  statefulSets: z.array(PodSetView),
  daemonSets: z.array(PodSetView),
  /** Pods no workload above owns (`kubectl run`, a ReplicaSet made by hand). */
  otherPods: z.array(PodView),
});
export type WorkloadsView = z.infer<typeof WorkloadsView>;

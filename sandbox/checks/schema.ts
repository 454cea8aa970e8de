/**
 * What a lesson step declares it expects of the learner's namespace. Every check describes an end
 * state (counts, images, revisions, conditions), never a command: a learner who reaches the same
 * state another way passes. Every field past the object's identity is optional; only the fields a
 * step declares are compared.
 */
import { z } from 'zod';
import { parseLabelSelector } from './label-selector.ts';

const count = z.number().int().min(0);

function isValidSelector(text: string): boolean {
  try {
    parseLabelSelector(text);
    return true;
  } catch {
    return false;
  }
}

/** A kubectl `-l` selector, rejected at parse time so a lesson with a typo fails its own tests. */
const selectorText = z
  .string()
  .min(1)
  .refine(isValidSelector, { message: 'not a valid kubectl label selector' });

/** A text shown after a failed check's message, in each of the page's languages. */
const hintSchema = z
  .object({
    /** Korean hint, in the register of the lessons. */
    ko: z.string().min(1),
    /** English hint. */
    en: z.string().min(1),
  })
  .strict();

const common = {
  /**
   * Advice for this step, appended to the message when the check fails. It replaces the built-in
   * generic advice (which cannot know the step); a diagnosis read from the cluster, such as a pod
   * that cannot pull its image, is kept before it.
   */
  hint: hintSchema.optional(),
};

/** How a declared count is compared: `exactly` (the default) or `atLeast`. */
export const countModeSchema = z.enum(['exactly', 'atLeast']);

/** One ReplicaSet's expected numbers; the list is ordered newest first by revision. */
const replicaSetExpectation = z
  .object({
    /** `spec.replicas` (kubectl's DESIRED). */
    desired: count.optional(),
    /** `status.replicas` (kubectl's CURRENT). */
    current: count.optional(),
    /** `status.readyReplicas` (kubectl's READY; absent counts as 0). */
    ready: count.optional(),
    /** The `deployment.kubernetes.io/revision` annotation. */
    revision: z.number().int().min(1).optional(),
  })
  .strict();

/** ReplicaSets matching a label selector, as `kubectl get rs -l <selector>` lists them. */
export const replicaSetsCheckSchema = z
  .object({
    kind: z.literal('replicaSets'),
    /** A kubectl label selector, e.g. `app=vweb` or `app=vweb,version!=v1`. */
    selector: selectorText,
    /** How many ReplicaSets match. */
    count: count.optional(),
    /** Whether `count` is exact or a minimum. */
    countMode: countModeSchema.default('exactly'),
    /** Expectations per ReplicaSet, newest first by revision; more ReplicaSets than entries is fine. */
    replicaSets: z.array(replicaSetExpectation).optional(),
    ...common,
  })
  .strict();

/** A Deployment's rollout history, computed as `kubectl rollout history deploy/<name>` does. */
export const rolloutHistoryCheckSchema = z
  .object({
    kind: z.literal('rolloutHistory'),
    /** The Deployment's name. */
    deployment: z.string().min(1),
    /** How many revisions the history lists. */
    revisions: count.optional(),
    /** The highest revision number. */
    latestRevision: z.number().int().min(1).optional(),
    /** A substring the latest revision's CHANGE-CAUSE must contain (e.g. `vweb-v2.yaml`). */
    changeCauseContains: z.string().min(1).optional(),
    ...common,
  })
  .strict();

/** A Deployment condition to find in `status.conditions`. */
const conditionExpectation = z
  .object({
    /** Condition type, e.g. `Progressing` or `Available`. */
    type: z.string().min(1),
    /** `True`, `False` or `Unknown`. */
    status: z.enum(['True', 'False', 'Unknown']).optional(),
    /** Machine reason, e.g. `ProgressDeadlineExceeded` or `NewReplicaSetAvailable`. */
    reason: z.string().min(1).optional(),
  })
  .strict();

/** A Deployment's spec and status. */
export const deploymentCheckSchema = z
  .object({
    kind: z.literal('deployment'),
    /** The Deployment's name. */
    name: z.string().min(1),
    /** Expected image of the pod template's container (see `container`). */
    image: z.string().min(1).optional(),
    /** Which container `image` refers to: its name or its index; the first one by default. */
    container: z.union([z.string().min(1), z.number().int().min(0)]).default(0),
    /** `spec.replicas`. */
    replicas: count.optional(),
    /** `status.updatedReplicas` (absent counts as 0). */
    updated: count.optional(),
    /** `status.readyReplicas` (absent counts as 0). */
    ready: count.optional(),
    /** `status.availableReplicas` (absent counts as 0). */
    available: count.optional(),
    /** A condition that must be present with the given status and reason. */
    condition: conditionExpectation.optional(),
    /** `spec.strategy.type`. */
    strategy: z.enum(['RollingUpdate', 'Recreate']).optional(),
    ...common,
  })
  .strict();

/** Pods matching a label selector, judged by what `kubectl get po` shows. */
export const podsCheckSchema = z
  .object({
    kind: z.literal('pods'),
    /** A kubectl label selector. */
    selector: selectorText,
    /** How many pods match (pods already being deleted are not counted). */
    count: count.optional(),
    /** Whether `count` is exact or a minimum. */
    countMode: countModeSchema.default('exactly'),
    /** Whether every pod (`all`, the default) or at least one (`any`) must meet the conditions. */
    quantifier: z.enum(['all', 'any']).default('all'),
    /** `status.phase`. */
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    /** Whether the pod's Ready condition is True. */
    ready: z.boolean().optional(),
    /** kubectl's STATUS column, e.g. `Running`, `CrashLoopBackOff`, `Error`, `ErrImagePull`. */
    reason: z.string().min(1).optional(),
    /** Image of the pod's first container. */
    image: z.string().min(1).optional(),
    ...common,
  })
  .strict();

/** A Service's selector and its ready endpoints. */
export const serviceCheckSchema = z
  .object({
    kind: z.literal('service'),
    /** The Service's name. */
    name: z.string().min(1),
    /** The selector, compared for equality (no extra keys allowed). */
    selector: z.record(z.string(), z.string()).optional(),
    /** Ready addresses in the Endpoints object of the same name. */
    readyEndpoints: count.optional(),
    ...common,
  })
  .strict();

/** A ConfigMap's data. */
export const configMapCheckSchema = z
  .object({
    kind: z.literal('configMap'),
    /** The ConfigMap's name. */
    name: z.string().min(1),
    /** Keys whose values must equal these exactly; other keys are ignored. */
    data: z.record(z.string(), z.string()).optional(),
    ...common,
  })
  .strict();

/** A StatefulSet's rollout state and the image of each pod by ordinal. */
export const statefulSetCheckSchema = z
  .object({
    kind: z.literal('statefulSet'),
    /** The StatefulSet's name. */
    name: z.string().min(1),
    /** `status.updatedReplicas` (absent counts as 0). */
    updated: count.optional(),
    /** `status.readyReplicas` (absent counts as 0). */
    ready: count.optional(),
    /** Whether `status.currentRevision` equals `status.updateRevision` (false while partitioned). */
    revisionsMatch: z.boolean().optional(),
    /** The highest revision among the ControllerRevisions it owns. */
    latestRevision: z.number().int().min(1).optional(),
    /** Image of the first container of pod `<name>-<ordinal>`, keyed by ordinal. */
    podImages: z.record(z.string().regex(/^\d+$/), z.string().min(1)).optional(),
    ...common,
  })
  .strict();

/** A DaemonSet's rollout state and its pods' image. */
export const daemonSetCheckSchema = z
  .object({
    kind: z.literal('daemonSet'),
    /** The DaemonSet's name. */
    name: z.string().min(1),
    /** `status.updatedNumberScheduled` (absent counts as 0). */
    updated: count.optional(),
    /** `status.numberReady` (absent counts as 0). */
    ready: count.optional(),
    /** The highest revision among the ControllerRevisions it owns. */
    latestRevision: z.number().int().min(1).optional(),
    /** Image of the first container of every pod it owns. */
    image: z.string().min(1).optional(),
    ...common,
  })
  .strict();

/** The resource kinds an `absent` check can look for, and an `events` check can name. */
export const absentResourceSchema = z.enum([
  'Deployment',
  'ReplicaSet',
  'Pod',
  'Service',
  'ConfigMap',
  'StatefulSet',
  'DaemonSet',
]);

/** Nothing of a kind left, by name or by selector (e.g. after `kubectl delete all -l kiamol=ch09`). */
export const absentCheckSchema = z
  .object({
    kind: z.literal('absent'),
    /** Which kind of object must be gone. */
    resource: absentResourceSchema,
    /** A kubectl label selector; give this or `name`. */
    selector: selectorText.optional(),
    /** An object name; give this or `selector`. */
    name: z.string().min(1).optional(),
    ...common,
  })
  .strict()
  .refine((c) => (c.selector === undefined) !== (c.name === undefined), {
    message: 'an absent check needs exactly one of selector or name',
  });

/**
 * Events the cluster recorded about objects of a kind, e.g. the Deployment controller's
 * `ScalingReplicaSet`. Events outlive the objects they are about (until the API server's event TTL,
 * an hour by default), so they show that something existed: paired with `absent` checks, a clean-up
 * step passes only in a namespace that held the objects and no longer does, never in one that was
 * always empty.
 */
export const eventsCheckSchema = z
  .object({
    kind: z.literal('events'),
    /** The kind of object the events are about (`involvedObject.kind`). */
    involvedKind: absentResourceSchema,
    /** The event reason, e.g. `ScalingReplicaSet` or `SuccessfulDelete`. */
    reason: z.string().min(1),
    /** How many different objects must have such an event, at least. */
    objects: z.number().int().min(1).default(1),
    ...common,
  })
  .strict();

/** One check of a step, discriminated by `kind`. */
export const checkSchema = z.union([
  replicaSetsCheckSchema,
  rolloutHistoryCheckSchema,
  deploymentCheckSchema,
  podsCheckSchema,
  serviceCheckSchema,
  configMapCheckSchema,
  statefulSetCheckSchema,
  daemonSetCheckSchema,
  absentCheckSchema,
  eventsCheckSchema,
]);

/** All the checks a step declares. */
export const stepChecksSchema = z.array(checkSchema).min(1);

/** A check after parsing (defaults filled in). */
export type Check = z.output<typeof checkSchema>;
/** A check as an author writes it (defaults optional). */
export type CheckInput = z.input<typeof checkSchema>;
/** The kubectl kinds an `absent` check names. */
export type AbsentResource = z.output<typeof absentResourceSchema>;

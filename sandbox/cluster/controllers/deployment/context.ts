/**
 * What one Deployment sync works with — the API, the clock, the event recorder and a way to
 * re-queue the Deployment later — and the few writes every phase shares. Upstream writes a
 * Deployment's revision annotation and its status in one UpdateStatus call (the apps status
 * strategy keeps metadata changes); our API core's status subresource keeps only status, so
 * writeDeploymentStatus sends the annotation first with a plain update.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { RESOURCES } from '../../api/resources.ts';
import { type Clock, formatTimestamp } from '../../clock.ts';
import type { EventRecorder } from '../events.ts';
import { canonicalizeJson } from '../shared/pod-template-hash.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../shared/workload-types.ts';

/** The component name on the controller's events (`kubectl describe` shows it under From). */
export const DEPLOYMENT_CONTROLLER_COMPONENT = 'deployment-controller';

/** Everything one Deployment sync needs. */
export interface DeploymentSyncContext {
  api: ClusterApi;
  clock: Clock;
  recorder: EventRecorder;
  /** Re-queues a Deployment after `ms` of simulated time (progress deadline checks). */
  enqueueAfter(d: Deployment, ms: number): void;
}

/** Now as an RFC 3339 timestamp, the form conditions carry. */
export function nowTimestamp(ctx: DeploymentSyncContext): string {
  return formatTimestamp(ctx.clock.now());
}

/** Writes a ReplicaSet (spec and metadata) and returns a mutable copy of what was stored. */
export function updateReplicaSet(ctx: DeploymentSyncContext, rs: ReplicaSet): ReplicaSet {
  return structuredClone(ctx.api.update(RESOURCES.replicasets, rs.metadata.namespace, rs)) as ReplicaSet;
}

/** Whether two statuses are the same, field order aside. */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return JSON.stringify(canonicalizeJson(a ?? {})) === JSON.stringify(canonicalizeJson(b ?? {}));
}

/**
 * Persists a mutable Deployment's annotations and status, with its resourceVersion as the
 * precondition (a 409 means someone else wrote first: the sync fails and is retried), and brings
 * `d` up to date with what was stored.
 */
export function writeDeploymentStatus(ctx: DeploymentSyncContext, d: Deployment): void {
  const namespace = d.metadata.namespace;
  const stored = ctx.api.get(RESOURCES.deployments, namespace, d.metadata.name!);
  let resourceVersion = d.metadata.resourceVersion;
  const annotations = d.metadata.annotations ?? {};
  if (
    JSON.stringify(canonicalizeJson(annotations)) !==
    JSON.stringify(canonicalizeJson(stored.metadata.annotations ?? {}))
  ) {
    const withAnnotations = ctx.api.update(RESOURCES.deployments, namespace, {
      ...d,
      spec: stored.spec,
      status: stored.status,
    });
    resourceVersion = withAnnotations.metadata.resourceVersion;
  }
  const written = ctx.api.update(
    RESOURCES.deployments,
    namespace,
    { ...d, metadata: { ...d.metadata, resourceVersion } },
    { subresource: 'status' },
  );
  d.metadata = structuredClone(written.metadata);
  d.status = structuredClone(written.status);
}

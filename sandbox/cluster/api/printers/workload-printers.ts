/**
 * Rows for the workload controllers a rollout lesson watches: Deployments, ReplicaSets, DaemonSets,
 * StatefulSets and the ControllerRevisions the last two keep their history in. Every function
 * returns all cells, wide ones included, in the order of the matching column list in columns.ts.
 */
import type { KubeObject } from '../objects.ts';
import {
  formatLabelSelector,
  formatLabels,
  formatSelectorString,
  layoutContainerCells,
  readInteger,
} from './cell-formats.ts';
import { formatTimestampSince } from './human-duration.ts';
import type { TableCell } from './table-types.ts';

/** spec.replicas as the API server stores it: defaulted to 1 when a manifest leaves it out. */
function readDesiredReplicas(object: KubeObject): number {
  const replicas = object.spec?.replicas;
  return typeof replicas === 'number' ? Math.trunc(replicas) : 1;
}

function templateContainers(object: KubeObject): { names: string; images: string } {
  return layoutContainerCells(object.spec?.template?.spec?.containers);
}

/** NAME READY UP-TO-DATE AVAILABLE AGE, then CONTAINERS IMAGES SELECTOR (`app=vweb`). */
export function printDeploymentCells(deployment: KubeObject, now: number): TableCell[] {
  const status = deployment.status ?? {};
  const { names, images } = templateContainers(deployment);
  return [
    deployment.metadata.name ?? '',
    `${readInteger(status.readyReplicas)}/${readDesiredReplicas(deployment)}`,
    readInteger(status.updatedReplicas),
    readInteger(status.availableReplicas),
    formatTimestampSince(deployment.metadata.creationTimestamp, now),
    names,
    images,
    // Upstream prints the bare selector here, without the `<none>` other workloads get.
    formatSelectorString(deployment.spec?.selector),
  ];
}

/** NAME DESIRED CURRENT READY AGE, then CONTAINERS IMAGES SELECTOR. */
export function printReplicaSetCells(replicaSet: KubeObject, now: number): TableCell[] {
  const status = replicaSet.status ?? {};
  const { names, images } = templateContainers(replicaSet);
  return [
    replicaSet.metadata.name ?? '',
    readDesiredReplicas(replicaSet),
    readInteger(status.replicas),
    readInteger(status.readyReplicas),
    formatTimestampSince(replicaSet.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(replicaSet.spec?.selector),
  ];
}

/** NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, then wide columns. */
export function printDaemonSetCells(daemonSet: KubeObject, now: number): TableCell[] {
  const status = daemonSet.status ?? {};
  const { names, images } = templateContainers(daemonSet);
  return [
    daemonSet.metadata.name ?? '',
    readInteger(status.desiredNumberScheduled),
    readInteger(status.currentNumberScheduled),
    readInteger(status.numberReady),
    readInteger(status.updatedNumberScheduled),
    readInteger(status.numberAvailable),
    formatLabels(daemonSet.spec?.template?.spec?.nodeSelector),
    formatTimestampSince(daemonSet.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(daemonSet.spec?.selector),
  ];
}

/** NAME READY AGE, then CONTAINERS IMAGES. */
export function printStatefulSetCells(statefulSet: KubeObject, now: number): TableCell[] {
  const { names, images } = templateContainers(statefulSet);
  return [
    statefulSet.metadata.name ?? '',
    `${readInteger(statefulSet.status?.readyReplicas)}/${readDesiredReplicas(statefulSet)}`,
    formatTimestampSince(statefulSet.metadata.creationTimestamp, now),
    names,
    images,
  ];
}

/**
 * The owning controller as `kind.group/name`, lower-cased (`daemonset.apps/fluentd`; core kinds have
 * no group part), or `<none>` for an orphan.
 */
function formatControllerName(revision: KubeObject): string {
  const owner = revision.metadata.ownerReferences?.find((reference) => reference.controller === true);
  if (!owner) return '<none>';
  const slash = owner.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : owner.apiVersion.slice(0, slash);
  if (!owner.kind && !group) return owner.name;
  const groupKind = group ? `${owner.kind}.${group}` : owner.kind;
  return `${groupKind.toLowerCase()}/${owner.name}`;
}

/** NAME CONTROLLER REVISION AGE. */
export function printControllerRevisionCells(revision: KubeObject, now: number): TableCell[] {
  return [
    revision.metadata.name ?? '',
    formatControllerName(revision),
    readInteger(revision.revision),
    formatTimestampSince(revision.metadata.creationTimestamp, now),
  ];
}

/**
 * A DaemonSet's ControllerRevisions (upstream `constructHistory`, `snapshot`, `dedupCurHistories`,
 * `cleanupHistory`). Each distinct template gets one revision named `<ds>-<template hash>`,
 * labelled `controller-revision-hash`, carrying the DaemonSet's annotations (so
 * `kubernetes.io/change-cause` shows in `kubectl rollout history ds/x`). When the template goes back
 * to an earlier one (`kubectl rollout undo ds/x`), that earlier revision is reused and renumbered
 * as the newest instead of a duplicate being made.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import { selectorFromLabelSelector } from '../../api/selectors.ts';
import {
  deleteControllerRevision,
  maxRevision,
  revisionNumber,
  updateControllerRevision,
} from '../history/controller-history.ts';
import { getTemplatePatch, templateMatchesRevision } from '../history/template-patch.ts';
import { claimWithApi } from '../shared/claim-with-api.ts';
import { computeHash } from '../shared/pod-template-hash.ts';
import { newControllerRef } from '../shared/pods.ts';
import { DAEMONSET_UNIQUE_LABEL } from './daemonset-util.ts';

/** The revision of the current template and the older ones. */
export interface DaemonSetHistory {
  current: KubeObject;
  old: KubeObject[];
}

/** Raised when a revision name is taken by another template: collisionCount was bumped, retry. */
export class RevisionCollisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionCollisionError';
  }
}

/** Revisions the DaemonSet controls after adopting orphans that match its selector. */
export function controlledHistories(api: ClusterApi, ds: KubeObject): KubeObject[] {
  const candidates = api.listAll(RESOURCES.controllerrevisions, ds.metadata.namespace);
  return claimWithApi(
    api,
    RESOURCES.controllerrevisions,
    ds,
    selectorFromLabelSelector(ds.spec?.selector),
    candidates,
  );
}

/**
 * Finds or makes the revision of the current template and numbers it one above every other
 * revision. Worked example: revisions 1 (nginx:1.17) and 2 (nginx:1.18); undo puts 1.17 back →
 * revision 1 matches, max of the others is 2 → it becomes revision 3; history lists 2 and 3.
 */
export function constructHistory(api: ClusterApi, ds: KubeObject): DaemonSetHistory {
  const current: KubeObject[] = [];
  const old: KubeObject[] = [];
  for (let history of controlledHistories(api, ds)) {
    if (history.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] === undefined) {
      const labelled = structuredClone(history) as KubeObject;
      labelled.metadata.labels = {
        ...(labelled.metadata.labels ?? {}),
        [DAEMONSET_UNIQUE_LABEL]: labelled.metadata.name!,
      };
      history = api.update(RESOURCES.controllerrevisions, labelled.metadata.namespace, labelled);
    }
    if (templateMatchesRevision(ds, history)) current.push(history);
    else old.push(history);
  }
  const wanted = maxRevision(old) + 1;
  if (current.length === 0) return { current: snapshot(api, ds, wanted), old };
  let kept = dedupCurHistories(api, ds, current);
  if (revisionNumber(kept) < wanted) kept = updateControllerRevision(api, kept, wanted);
  return { current: kept, old };
}

/** Stores the current template as a new revision; on a name collision bumps status.collisionCount and fails. */
export function snapshot(api: ClusterApi, ds: KubeObject, revision: number): KubeObject {
  const collisionCount = ds.status?.collisionCount as number | undefined;
  const hash = computeHash(ds.spec?.template, collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const history: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [DAEMONSET_UNIQUE_LABEL]: hash },
      ownerReferences: [newControllerRef(ds)],
    },
    data: getTemplatePatch(ds),
    revision,
  };
  if (ds.metadata.annotations) history.metadata.annotations = { ...ds.metadata.annotations };
  try {
    return api.create(RESOURCES.controllerrevisions, ds.metadata.namespace, history);
  } catch (error) {
    if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
    const existing = api.find(RESOURCES.controllerrevisions, ds.metadata.namespace, name);
    if (existing && templateMatchesRevision(ds, existing)) return existing;
    const fresh = api.find(RESOURCES.daemonsets, ds.metadata.namespace, ds.metadata.name!);
    if (!fresh) throw error;
    if ((fresh.status?.collisionCount as number | undefined) !== collisionCount) {
      throw new RevisionCollisionError(
        `found a stale collision count of DaemonSet ${ds.metadata.name}; will retry until it is updated`,
      );
    }
    const bumped = structuredClone(fresh) as KubeObject;
    bumped.status = { ...(bumped.status ?? {}), collisionCount: (collisionCount ?? 0) + 1 };
    api.update(RESOURCES.daemonsets, bumped.metadata.namespace, bumped, { subresource: 'status' });
    throw new RevisionCollisionError(
      `hash collision for DaemonSet ${ds.metadata.name}: collisionCount is now ${(collisionCount ?? 0) + 1}`,
    );
  }
}

/**
 * Keeps the highest-numbered of several revisions of the same template, relabels pods pointing at
 * the others, and deletes the duplicates.
 */
export function dedupCurHistories(
  api: ClusterApi,
  ds: KubeObject,
  currents: readonly KubeObject[],
): KubeObject {
  let keep = currents[0]!;
  for (const candidate of currents) if (revisionNumber(candidate) >= revisionNumber(keep)) keep = candidate;
  if (currents.length === 1) return keep;
  const keepHash = keep.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] ?? '';
  const selector = selectorFromLabelSelector(ds.spec?.selector);
  for (const pod of api.listAll(RESOURCES.pods, ds.metadata.namespace, selector)) {
    if (pod.metadata.ownerReferences?.some((r) => r.uid === ds.metadata.uid) !== true) continue;
    if (pod.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] === keepHash) continue;
    const relabelled = structuredClone(pod) as KubeObject;
    relabelled.metadata.labels = {
      ...(relabelled.metadata.labels ?? {}),
      [DAEMONSET_UNIQUE_LABEL]: keepHash,
    };
    api.update(RESOURCES.pods, relabelled.metadata.namespace, relabelled);
  }
  for (const duplicate of currents)
    if (duplicate.metadata.name !== keep.metadata.name) deleteControllerRevision(api, duplicate);
  return keep;
}

/**
 * Deletes the oldest old revisions beyond revisionHistoryLimit, sparing any whose hash a live pod
 * still carries.
 */
export function cleanupHistory(
  api: ClusterApi,
  old: readonly KubeObject[],
  pods: readonly KubeObject[],
  revisionHistoryLimit: number,
): void {
  let toKill = old.length - revisionHistoryLimit;
  if (toKill <= 0) return;
  const liveHashes = new Set(
    pods.map((p) => p.metadata.labels?.[DAEMONSET_UNIQUE_LABEL]).filter((h): h is string => !!h),
  );
  const oldestFirst = [...old].sort((a, b) => revisionNumber(a) - revisionNumber(b));
  for (const history of oldestFirst) {
    if (toKill <= 0) break;
    if (liveHashes.has(history.metadata.labels?.[DAEMONSET_UNIQUE_LABEL] ?? '')) continue;
    deleteControllerRevision(api, history);
    toKill--;
  }
}

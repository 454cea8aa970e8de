/**
 * The StatefulSet controller's writes (upstream `StatefulPodControl`): claims before pods, pods,
 * identity repairs and deletions, each recorded as an Event on the StatefulSet in upstream's words
 * (`create Pod todo-db-0 in StatefulSet todo-db successful`,
 * `create Claim data-todo-db-0 Pod todo-db-0 in StatefulSet todo-db success`).
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import type { EventRecorder } from '../events.ts';
import {
  getPersistentVolumeClaims,
  identityMatches,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './stateful-set-utils.ts';

/** Pod and claim operations for one StatefulSet controller. */
export interface StatefulPodControl {
  createStatefulPod(set: KubeObject, pod: KubeObject): KubeObject;
  updateStatefulPod(set: KubeObject, pod: KubeObject): void;
  deleteStatefulPod(set: KubeObject, pod: KubeObject): void;
  createMissingPersistentVolumeClaims(set: KubeObject, pod: KubeObject): void;
}

function capitalize(verb: string): string {
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Builds the pod control over the API, recording events with `recorder`. */
export function createStatefulPodControl(api: ClusterApi, recorder: EventRecorder): StatefulPodControl {
  const recordPodEvent = (verb: string, set: KubeObject, pod: KubeObject, error?: unknown): void => {
    if (error === undefined) {
      recorder.record(
        set,
        'Normal',
        `Successful${capitalize(verb)}`,
        `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      );
    } else {
      recorder.record(
        set,
        'Warning',
        `Failed${capitalize(verb)}`,
        `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(error)}`,
      );
    }
  };
  const recordClaimEvent = (
    verb: string,
    set: KubeObject,
    pod: KubeObject,
    claim: KubeObject,
    error?: unknown,
  ): void => {
    if (error === undefined) {
      recorder.record(
        set,
        'Normal',
        `Successful${capitalize(verb)}`,
        `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`,
      );
    } else {
      recorder.record(
        set,
        'Warning',
        `Failed${capitalize(verb)}`,
        `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${messageOf(error)}`,
      );
    }
  };

  /** Creates the pod's claims that do not exist; a claim still being deleted is an error (retry later). */
  const createPersistentVolumeClaims = (set: KubeObject, pod: KubeObject): void => {
    const errors: Error[] = [];
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const existing = api.find(
        RESOURCES.persistentvolumeclaims,
        claim.metadata.namespace,
        claim.metadata.name!,
      );
      if (existing) {
        if (existing.metadata.deletionTimestamp)
          errors.push(new Error(`pvc ${claim.metadata.name} is being deleted`));
        continue;
      }
      try {
        api.create(RESOURCES.persistentvolumeclaims, claim.metadata.namespace, claim);
        recordClaimEvent('create', set, pod, claim);
      } catch (error) {
        if (error instanceof StatusError && error.reason === 'AlreadyExists') continue;
        recordClaimEvent('create', set, pod, claim, error);
        errors.push(
          new Error(`failed to create PVC ${claim.metadata.name}: ${messageOf(error)}`, { cause: error }),
        );
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
  };

  return {
    createStatefulPod(set, pod) {
      createPersistentVolumeClaims(set, pod);
      try {
        const created = api.create(RESOURCES.pods, pod.metadata.namespace, pod);
        recordPodEvent('create', set, pod);
        return created;
      } catch (error) {
        if (!(error instanceof StatusError && error.reason === 'AlreadyExists'))
          recordPodEvent('create', set, pod, error);
        throw error;
      }
    },
    updateStatefulPod(set, pod) {
      const next = structuredClone(pod) as KubeObject;
      let consistent = true;
      if (!identityMatches(set, next)) {
        updateIdentity(set, next);
        consistent = false;
      }
      if (!storageMatches(set, next)) {
        updateStorage(set, next);
        consistent = false;
        try {
          createPersistentVolumeClaims(set, next);
        } catch (error) {
          recordPodEvent('update', set, next, error);
          throw error;
        }
      }
      if (consistent) return;
      try {
        api.update(RESOURCES.pods, next.metadata.namespace, next);
        recordPodEvent('update', set, next);
      } catch (error) {
        recordPodEvent('update', set, next, error);
        throw error;
      }
    },
    deleteStatefulPod(set, pod) {
      try {
        api.delete(RESOURCES.pods, pod.metadata.namespace, pod.metadata.name!, {
          preconditions: { uid: pod.metadata.uid },
        });
        recordPodEvent('delete', set, pod);
      } catch (error) {
        if (error instanceof StatusError && error.code === 404) return;
        recordPodEvent('delete', set, pod, error);
        throw error;
      }
    },
    createMissingPersistentVolumeClaims(set, pod) {
      createPersistentVolumeClaims(set, pod);
    },
  };
}

/**
 * Volumes for the sandbox: binds PersistentVolumeClaims, provisioning a hostPath-like volume
 * `pvc-<uid>` for the default StorageClass `standard` (what kind's local-path provisioner does),
 * keeps claims in use by pods from going away (pvc-protection), and reclaims volumes whose claim is
 * gone. After `kubectl apply -f todo-list/db/`, `kubectl get pvc` shows `data-todo-db-0` Bound.
 *
 * Keys are `claim:<namespace>/<name>` and `volume:<name>`.
 */
import type { WatchEvent } from '../../api/cluster-api.ts';
import { StatusError } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';
import {
  claimReference,
  claimStorageClass,
  DEFAULT_STORAGE_CLASS,
  findBestMatchForClaim,
  newProvisionedVolume,
  PVC_PROTECTION_FINALIZER,
  podsUsingClaim,
  SIMULATED_PROVISIONER,
} from './provisioning.ts';

/** The name the controller logs and records events under. */
export const VOLUME_CONTROLLER_NAME = 'persistentvolume-controller';

const CLAIM = 'claim:';
const VOLUME = 'volume:';

/** Creates the volume controller (binding, provisioning, claim protection, reclaiming). */
export function createVolumeController(context: ControllerContext): Controller & { queue: WorkQueue } {
  const { api } = context;
  const recorder = context.recorder(VOLUME_CONTROLLER_NAME);

  const claimKeysOfPod = (event: WatchEvent): string[] =>
    ((event.object.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[])
      .map((v) => v.persistentVolumeClaim?.claimName)
      .filter((name): name is string => !!name)
      .map((name) => `${CLAIM}${event.object.metadata.namespace}/${name}`);

  const volumeKeys = (event: WatchEvent): string[] => {
    const keys = [`${VOLUME}${event.object.metadata.name}`];
    const ref = event.object.spec?.claimRef;
    if (ref?.namespace && ref.name) keys.push(`${CLAIM}${ref.namespace}/${ref.name}`);
    // A new free volume may satisfy claims that wait for a pre-made one.
    if (event.type === 'ADDED' && !ref) {
      for (const claim of api.listAll(RESOURCES.persistentvolumeclaims))
        if (!claim.spec?.volumeName) keys.push(`${CLAIM}${keyOf(claim)}`);
    }
    return keys;
  };

  const claimKeys = (event: WatchEvent): string[] => {
    const keys = [`${CLAIM}${keyOf(event.object)}`];
    if (event.object.spec?.volumeName) keys.push(`${VOLUME}${event.object.spec.volumeName}`);
    return keys;
  };

  const update = (object: KubeObject, options: { status?: boolean } = {}): KubeObject => {
    const resource =
      object.kind === 'PersistentVolume' ? RESOURCES.persistentvolumes : RESOURCES.persistentvolumeclaims;
    return api.update(
      resource,
      object.metadata.namespace,
      object,
      options.status ? { subresource: 'status' } : {},
    );
  };

  /** Marks both sides bound: the volume's claimRef and phase, the claim's volumeName, annotations and phase. */
  const bind = (claim: KubeObject, volume: KubeObject, provisioned: boolean): void => {
    let pv = volume;
    if (!pv.spec?.claimRef?.uid) {
      const next = structuredClone(pv) as KubeObject;
      next.spec.claimRef = claimReference(claim);
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'pv.kubernetes.io/bound-by-controller': 'yes',
      };
      pv = update(next);
    }
    if (pv.status?.phase !== 'Bound') {
      const next = structuredClone(pv) as KubeObject;
      next.status = { ...(next.status ?? {}), phase: 'Bound' };
      pv = update(next, { status: true });
    }
    let pvc = structuredClone(claim) as KubeObject;
    const annotations: Record<string, string> = {
      ...(pvc.metadata.annotations ?? {}),
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    };
    if (provisioned) {
      annotations['volume.beta.kubernetes.io/storage-provisioner'] = SIMULATED_PROVISIONER;
      annotations['volume.kubernetes.io/storage-provisioner'] = SIMULATED_PROVISIONER;
    }
    pvc.metadata.annotations = annotations;
    pvc.spec = { ...(pvc.spec ?? {}), volumeName: pv.metadata.name };
    pvc = update(pvc);
    const next = structuredClone(pvc) as KubeObject;
    next.status = {
      phase: 'Bound',
      accessModes: [...(pv.spec?.accessModes ?? [])],
      capacity: { ...(pv.spec?.capacity ?? {}) },
    };
    update(next, { status: true });
  };

  const setClaimPhase = (claim: KubeObject, phase: string): void => {
    if (claim.status?.phase === phase) return;
    const next = structuredClone(claim) as KubeObject;
    next.status = { ...(next.status ?? {}), phase };
    update(next, { status: true });
  };

  const syncClaim = (namespace: string | undefined, name: string): void => {
    let claim = api.find(RESOURCES.persistentvolumeclaims, namespace, name);
    if (!claim) return;
    const finalizers = claim.metadata.finalizers ?? [];
    if (claim.metadata.deletionTimestamp) {
      // pvc-protection: the claim goes only when no pod uses it any more.
      if (
        finalizers.includes(PVC_PROTECTION_FINALIZER) &&
        podsUsingClaim(api.listAll(RESOURCES.pods, namespace), claim).length === 0
      ) {
        const next = structuredClone(claim) as KubeObject;
        next.metadata.finalizers = finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER);
        update(next);
      }
      return;
    }
    if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) {
      const next = structuredClone(claim) as KubeObject;
      next.metadata.finalizers = [...finalizers, PVC_PROTECTION_FINALIZER];
      claim = update(next);
    }
    const volumeName = claim.spec?.volumeName as string | undefined;
    if (volumeName) {
      const volume = api.find(RESOURCES.persistentvolumes, undefined, volumeName);
      if (!volume) {
        if (claim.status?.phase === 'Bound') {
          recorder.record(
            claim,
            'Warning',
            'ClaimLost',
            'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
          );
          setClaimPhase(claim, 'Lost');
        } else {
          setClaimPhase(claim, 'Pending');
        }
        return;
      }
      const ref = volume.spec?.claimRef;
      if (ref?.uid && ref.uid !== claim.metadata.uid) {
        setClaimPhase(claim, 'Pending');
        return;
      }
      if (claim.status?.phase !== 'Bound' || volume.status?.phase !== 'Bound') bind(claim, volume, false);
      return;
    }
    if (claim.spec?.storageClassName === undefined || claim.spec?.storageClassName === null) {
      // Retroactive default class assignment, as the PV controller does for claims without a class
      // (allowed by kube-apiserver since 1.28). An API that refuses it still gets the claim bound:
      // a missing class means the default one either way (claimStorageClass).
      const next = structuredClone(claim) as KubeObject;
      next.spec = { ...(next.spec ?? {}), storageClassName: DEFAULT_STORAGE_CLASS };
      try {
        claim = update(next);
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 422)) throw error;
      }
    }
    setClaimPhase(claim, 'Pending');
    claim = api.find(RESOURCES.persistentvolumeclaims, namespace, name) ?? claim;
    const match = findBestMatchForClaim(api.listAll(RESOURCES.persistentvolumes), claim);
    if (match) {
      bind(claim, match, false);
      return;
    }
    const storageClass = claimStorageClass(claim);
    if (storageClass === '') {
      recorder.record(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
      return;
    }
    if (storageClass !== DEFAULT_STORAGE_CLASS) {
      recorder.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${storageClass}" not found`,
      );
      return;
    }
    let volume: KubeObject;
    try {
      volume = api.create(RESOURCES.persistentvolumes, undefined, newProvisionedVolume(claim));
    } catch (error) {
      if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
      volume = api.get(RESOURCES.persistentvolumes, undefined, `pvc-${claim.metadata.uid}`);
    }
    recorder.record(
      claim,
      'Normal',
      'ProvisioningSucceeded',
      `Successfully provisioned volume ${volume.metadata.name} using ${SIMULATED_PROVISIONER}`,
    );
    bind(claim, volume, true);
  };

  const syncVolume = (name: string): void => {
    const volume = api.find(RESOURCES.persistentvolumes, undefined, name);
    if (!volume || volume.metadata.deletionTimestamp) return;
    const ref = volume.spec?.claimRef;
    if (!ref) {
      if (volume.status?.phase !== 'Available') {
        const next = structuredClone(volume) as KubeObject;
        next.status = { ...(next.status ?? {}), phase: 'Available' };
        update(next, { status: true });
      }
      return;
    }
    const claim = api.find(RESOURCES.persistentvolumeclaims, ref.namespace, ref.name);
    if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) return;
    if (!ref.uid) return; // pre-bound to a claim that does not exist yet
    // The claim is gone: reclaim.
    if (volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      api.delete(RESOURCES.persistentvolumes, undefined, name);
      return;
    }
    if (volume.status?.phase !== 'Released') {
      const next = structuredClone(volume) as KubeObject;
      next.status = { ...(next.status ?? {}), phase: 'Released' };
      update(next, { status: true });
    }
  };

  return createQueueController(
    context,
    VOLUME_CONTROLLER_NAME,
    [
      { resource: RESOURCES.persistentvolumeclaims, keysFor: claimKeys },
      { resource: RESOURCES.persistentvolumes, keysFor: volumeKeys },
      { resource: RESOURCES.pods, keysFor: claimKeysOfPod },
    ],
    (key) => {
      if (key.startsWith(CLAIM)) {
        const { namespace, name } = splitKey(key.slice(CLAIM.length));
        syncClaim(namespace, name);
      } else if (key.startsWith(VOLUME)) {
        syncVolume(key.slice(VOLUME.length));
      }
    },
  );
}

/**
 * Pure rules of the simulated volume provisioner and binder (upstream's PersistentVolume controller
 * plus a dynamic provisioner, reduced to what a sandbox needs): which StorageClass a claim gets,
 * whether a volume fits a claim, and the PersistentVolume provisioned for a claim.
 */
import type { KubeObject } from '../../api/objects.ts';

/** The cluster's default StorageClass (as on kind). */
export const DEFAULT_STORAGE_CLASS = 'standard';
/** Who provisions `standard` volumes here; shown in PV and PVC annotations. */
export const SIMULATED_PROVISIONER = 'rollout-lab.local/simulated-hostpath';
/** Finalizer that keeps a claim while a pod uses it. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

/** Byte counts of binary and decimal suffixes, enough to compare storage requests. */
const STORAGE_SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Bytes in a storage quantity (`50Mi` → 52428800); NaN when unreadable. */
export function storageBytes(quantity: unknown): number {
  const match = /^([0-9.]+)([A-Za-z]*)$/.exec(String(quantity ?? '').trim());
  if (!match) return Number.NaN;
  const factor = STORAGE_SUFFIX[match[2]!];
  return factor === undefined ? Number.NaN : Number(match[1]) * factor;
}

/**
 * The StorageClass a claim uses: its own `storageClassName`, `''` meaning "no class, bind only to a
 * pre-made volume", and a missing one meaning the default class (assigned retroactively, as the PV
 * controller does since 1.28).
 */
export function claimStorageClass(claim: KubeObject): string {
  const value = claim.spec?.storageClassName;
  return value === undefined || value === null ? DEFAULT_STORAGE_CLASS : String(value);
}

/** Whether a volume is free and big enough, with the claim's class, access modes and volume mode. */
export function volumeFitsClaim(volume: KubeObject, claim: KubeObject): boolean {
  const ref = volume.spec?.claimRef;
  if (
    ref &&
    !(
      ref.namespace === claim.metadata.namespace &&
      ref.name === claim.metadata.name &&
      (!ref.uid || ref.uid === claim.metadata.uid)
    )
  )
    return false;
  if (!ref && volume.status?.phase && volume.status.phase !== 'Available') return false;
  if ((volume.spec?.storageClassName ?? '') !== claimStorageClass(claim)) return false;
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set<string>(volume.spec?.accessModes ?? []);
  if (!((claim.spec?.accessModes ?? []) as string[]).every((mode) => modes.has(mode))) return false;
  const wanted = storageBytes(claim.spec?.resources?.requests?.storage ?? '0');
  const offered = storageBytes(volume.spec?.capacity?.storage ?? '0');
  return !(offered < wanted);
}

/** The smallest fitting volume among candidates (upstream binds the smallest that fits). */
export function findBestMatchForClaim(
  volumes: readonly KubeObject[],
  claim: KubeObject,
): KubeObject | undefined {
  return volumes
    .filter((v) => !v.metadata.deletionTimestamp && volumeFitsClaim(v, claim))
    .sort((a, b) => storageBytes(a.spec?.capacity?.storage) - storageBytes(b.spec?.capacity?.storage))[0];
}

/** A claim reference for a volume's spec.claimRef. */
export function claimReference(claim: KubeObject): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    resourceVersion: claim.metadata.resourceVersion,
  };
}

/** The volume provisioned for a claim: `pvc-<claim uid>`, the requested size, reclaimed on release. */
export function newProvisionedVolume(claim: KubeObject): KubeObject {
  const name = `pvc-${claim.metadata.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': SIMULATED_PROVISIONER } },
    spec: {
      accessModes: [...((claim.spec?.accessModes ?? ['ReadWriteOnce']) as string[])],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
      claimRef: claimReference(claim),
      hostPath: {
        path: `/var/local-path-provisioner/${name}_${claim.metadata.namespace}_${claim.metadata.name}`,
        type: 'DirectoryOrCreate',
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: claimStorageClass(claim),
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  };
}

/** Pods that still hold a claim: any pod naming it that has not finished (terminating pods included). */
export function podsUsingClaim(pods: readonly KubeObject[], claim: KubeObject): KubeObject[] {
  return pods.filter(
    (pod) =>
      pod.metadata.namespace === claim.metadata.namespace &&
      pod.status?.phase !== 'Succeeded' &&
      pod.status?.phase !== 'Failed' &&
      ((pod.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[]).some(
        (v) => v.persistentVolumeClaim?.claimName === claim.metadata.name,
      ),
  );
}

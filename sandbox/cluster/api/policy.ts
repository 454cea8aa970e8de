/**
 * The per-kind policy the API core applies, assembled from the modules that know each concern:
 * defaulting (../defaults), validation (../validation), server-owned fields on create (pod status,
 * service addresses, Secret stringData), quota admission and the three PATCH formats.
 */
import { allocateServiceAddresses } from '../controllers/services/service-addresses.ts';
import { DEFAULT_STORAGE_CLASS } from '../controllers/volumes/provisioning.ts';
import { admitQuota } from './admission/quota.ts';
import type { ClusterApi, ObjectPolicy } from './cluster-api.ts';
import { applyDefaults } from './defaults/index.ts';
import type { Json, JsonObject, KubeObject } from './objects.ts';
import { applyPatch, createPatchMetaLookup } from './patch/index.ts';
import type { ResourceType } from './resources.ts';
import { normalizeServiceForUpdate, toInvalidError, validateObject } from './validation/index.ts';

/** Options of the policy. */
export interface ObjectPolicyOptions {
  /** Random source for address allocation, injected for reproducible tests. */
  random?: () => number;
}

/** Builds the policy used by the embedded control plane. */
export function createObjectPolicy(options: ObjectPolicyOptions = {}): ObjectPolicy {
  return {
    applyDefaults: (resource: ResourceType, object: KubeObject) =>
      applyDefaults(resource.kind, object, {
        operation: object.metadata.uid && object.metadata.resourceVersion ? 'update' : 'create',
      }),

    validate(resource: ResourceType, object: KubeObject, old?: KubeObject) {
      const errors = validateObject(resource.kind, object, old);
      if (errors.length > 0)
        throw toInvalidError(resource.kind, object.metadata.name ?? '', errors, resource.group);
    },

    prepareForCreate(resource: ResourceType, object: KubeObject, api: ClusterApi): KubeObject {
      switch (resource.kind) {
        case 'Pod':
          // A new pod is Pending until the scheduler and a kubelet move it on; clients cannot preset status.
          return { ...object, status: { phase: 'Pending', qosClass: qosClassOf(object) } };
        case 'Service':
          return allocateServiceAddresses(api, object, undefined, { random: options.random });
        case 'Secret':
          return foldStringData(object);
        case 'Namespace':
          return { ...object, status: { phase: 'Active' } };
        case 'PersistentVolumeClaim':
          // The DefaultStorageClass admission gives a claim without a class the cluster's default.
          return {
            ...object,
            spec: {
              ...object.spec,
              storageClassName: object.spec?.storageClassName ?? DEFAULT_STORAGE_CLASS,
            },
            status: { phase: 'Pending' },
          };
        default:
          return object;
      }
    },

    prepareForUpdate(resource: ResourceType, object: KubeObject, old: KubeObject): KubeObject {
      if (resource.kind === 'Secret') return foldStringData(object);
      if (resource.kind === 'Service') return normalizeServiceForUpdate(object, old) as KubeObject;
      if (resource.kind === 'Pod') {
        // Only a few pod fields may change after creation; the rest is validated as immutable.
        return object;
      }
      return object;
    },

    admit(resource: ResourceType, object: KubeObject, api: ClusterApi, old?: KubeObject) {
      if (!old) admitQuota(api, resource, object);
      if (resource.kind === 'Service' && old) {
        // Allocation of a changed type (ClusterIP → LoadBalancer) happens at admission time.
        const allocated = allocateServiceAddresses(api, object, old, { random: options.random });
        object.spec = allocated.spec;
      }
    },

    applyPatch(resource: ResourceType, contentType: string, target: KubeObject, patch: unknown): KubeObject {
      return applyPatch(
        contentType,
        target as unknown as JsonObject,
        patch as Json,
        createPatchMetaLookup(resource.kind),
      ) as unknown as KubeObject;
    },
  };
}

/** The API server moves `stringData` into base64 `data` on every write of a Secret. */
function foldStringData(secret: KubeObject): KubeObject {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (!stringData) return secret;
  const { stringData: _, ...rest } = secret;
  const data = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData))
    data[key] = Buffer.from(String(value)).toString('base64');
  return { ...rest, data } as KubeObject;
}

/** The QoS class a pod's requests and limits give it: BestEffort, Burstable or Guaranteed. */
function qosClassOf(pod: KubeObject): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as {
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  }[];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const resource of ['cpu', 'memory']) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (!limit || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * Strategic merge patch metadata of the kinds the sandbox serves: which lists merge and by which
 * key, taken from the `patchStrategy`/`patchMergeKey` struct tags of the upstream Go types
 * (k8s.io/api core/v1 and apps/v1, k8s.io/apimachinery meta/v1). The server applies patches with
 * these; the OpenAPI it serves must advertise the same ones, since kubectl computes its patches
 * from them.
 *
 * A pod template carries the same tags wherever it sits (`spec` of a Pod, `spec.template.spec` of
 * a workload, `template.spec` of a PodTemplate), and so does every ObjectMeta.
 *
 * Upstream, a DaemonSet's or StatefulSet's `updateStrategy` has no `retainKeys` tag (only a
 * Deployment's `strategy` has one), so kubectl sends no `$retainKeys` for it; this table agrees.
 */

import type { PatchMeta, PatchMetaLookup } from './strategic-merge-patch.ts';

/** Patch metadata of fields, by dotted path relative to where the table is mounted. */
export type PatchMetaTable = Readonly<Record<string, PatchMeta>>;

const mergeByKey = (mergeKey: string): PatchMeta => ({ mergeKey, strategies: ['merge'] });
const mergeAndRetainByKey = (mergeKey: string): PatchMeta => ({
  mergeKey,
  strategies: ['merge', 'retainKeys'],
});
/** A list of primitives merged as a set (finalizers). */
const MERGE_PRIMITIVES: PatchMeta = { strategies: ['merge'] };
/** A list replaced whole by a patch; listed where a learner might expect otherwise. */
const ATOMIC: PatchMeta = { strategies: [] };
const RETAIN_KEYS: PatchMeta = { strategies: ['retainKeys'] };

/** Every ObjectMeta: `metadata` of any object, of a pod template, of a job template. */
export const OBJECT_META_PATCH_META: PatchMetaTable = {
  ownerReferences: mergeByKey('uid'),
  finalizers: MERGE_PRIMITIVES,
  managedFields: ATOMIC,
};

/** Container, init container and ephemeral container fields. */
const CONTAINER_FIELDS: PatchMetaTable = {
  ports: mergeByKey('containerPort'),
  env: mergeByKey('name'),
  volumeMounts: mergeByKey('mountPath'),
  volumeDevices: mergeByKey('devicePath'),
  envFrom: ATOMIC,
  command: ATOMIC,
  args: ATOMIC,
};

/** Fields of a PodSpec. */
export const POD_SPEC_PATCH_META: PatchMetaTable = {
  volumes: mergeAndRetainByKey('name'),
  containers: mergeByKey('name'),
  initContainers: mergeByKey('name'),
  ephemeralContainers: mergeByKey('name'),
  ...nestUnder(['containers', 'initContainers', 'ephemeralContainers'], CONTAINER_FIELDS),
  imagePullSecrets: mergeByKey('name'),
  hostAliases: mergeByKey('ip'),
  topologySpreadConstraints: mergeByKey('topologyKey'),
  schedulingGates: mergeByKey('name'),
  resourceClaims: mergeAndRetainByKey('name'),
  tolerations: ATOMIC,
  readinessGates: ATOMIC,
};

/** Fields of a PodStatus. */
const POD_STATUS_PATCH_META: PatchMetaTable = {
  conditions: mergeByKey('type'),
  hostIPs: mergeByKey('ip'),
  podIPs: mergeByKey('ip'),
  resourceClaimStatuses: mergeAndRetainByKey('name'),
  ...nestUnder(['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'], {
    volumeMounts: mergeByKey('mountPath'),
    allocatedResourcesStatus: mergeByKey('name'),
  }),
};

/** Status of the workload kinds, ReplicationController, Job, Namespace, PVC, Service. */
const CONDITIONS_BY_TYPE: PatchMetaTable = { conditions: mergeByKey('type') };

/** Where the tables apply in one kind: dotted mount path → table. */
type KindLayout = Readonly<Record<string, PatchMetaTable>>;

const podTemplateAt = (prefix: string): KindLayout => ({
  [`${prefix}.metadata`]: OBJECT_META_PATCH_META,
  [`${prefix}.spec`]: POD_SPEC_PATCH_META,
});

/** The layouts of the kinds the sandbox serves; any other kind gets `metadata` alone. */
const LAYOUTS: Readonly<Record<string, KindLayout>> = {
  Pod: { spec: POD_SPEC_PATCH_META, status: POD_STATUS_PATCH_META },
  PodTemplate: podTemplateAt('template'),
  Deployment: {
    ...podTemplateAt('spec.template'),
    spec: { strategy: RETAIN_KEYS },
    status: CONDITIONS_BY_TYPE,
  },
  ReplicaSet: { ...podTemplateAt('spec.template'), status: CONDITIONS_BY_TYPE },
  DaemonSet: { ...podTemplateAt('spec.template'), status: CONDITIONS_BY_TYPE },
  StatefulSet: { ...podTemplateAt('spec.template'), status: CONDITIONS_BY_TYPE },
  ReplicationController: { ...podTemplateAt('spec.template'), status: CONDITIONS_BY_TYPE },
  Job: { ...podTemplateAt('spec.template'), status: CONDITIONS_BY_TYPE },
  CronJob: {
    'spec.jobTemplate.metadata': OBJECT_META_PATCH_META,
    ...podTemplateAt('spec.jobTemplate.spec.template'),
  },
  Service: { spec: { ports: mergeByKey('port') }, status: CONDITIONS_BY_TYPE },
  Namespace: { status: CONDITIONS_BY_TYPE },
  PersistentVolumeClaim: { status: CONDITIONS_BY_TYPE },
  Node: {
    spec: { podCIDRs: MERGE_PRIMITIVES },
    status: { conditions: mergeByKey('type'), addresses: mergeByKey('type') },
  },
  ServiceAccount: { '': { secrets: mergeByKey('name') } },
};

/** `{a: m}` nested under each of `parents`: `{'containers.a': m, 'initContainers.a': m}`. */
function nestUnder(parents: readonly string[], table: PatchMetaTable): PatchMetaTable {
  const nested: Record<string, PatchMeta> = {};
  for (const parent of parents) {
    for (const [field, meta] of Object.entries(table)) nested[`${parent}.${field}`] = meta;
  }
  return nested;
}

/** Separates path segments in lookup keys; field names and label keys cannot contain it. */
const SEPARATOR = '\u0000';

const flattenedByKind = new Map<string, ReadonlyMap<string, PatchMeta>>();

/** Every field of `kind` with metadata, keyed by its full path joined with SEPARATOR. */
function flattenKind(kind: string): ReadonlyMap<string, PatchMeta> {
  const cached = flattenedByKind.get(kind);
  if (cached) return cached;
  const flat = new Map<string, PatchMeta>();
  const layout: KindLayout = { metadata: OBJECT_META_PATCH_META, ...(LAYOUTS[kind] ?? {}) };
  for (const [mount, table] of Object.entries(layout)) {
    const mountPath = mount === '' ? [] : mount.split('.');
    for (const [field, meta] of Object.entries(table)) {
      flat.set([...mountPath, ...field.split('.')].join(SEPARATOR), meta);
    }
  }
  flattenedByKind.set(kind, flat);
  return flat;
}

/**
 * The patch metadata lookup for objects of `kind` (`Deployment`, `Pod`, ...). Example:
 * `createPatchMetaLookup('Deployment')(['spec', 'template', 'spec', 'containers'])` →
 * `{ mergeKey: 'name', strategies: ['merge'] }`.
 */
export function createPatchMetaLookup(kind: string): PatchMetaLookup {
  const flat = flattenKind(kind);
  return (path) => flat.get(path.join(SEPARATOR));
}

/** The kinds with metadata beyond `metadata`, for tests and for checking the served OpenAPI. */
export const KINDS_WITH_PATCH_META: readonly string[] = Object.keys(LAYOUTS);

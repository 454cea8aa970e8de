/**
 * The resource types the embedded API server serves, as discovery describes them. This table is
 * the single source for routing, discovery, short names (`rs`, `deploy`, `po`), the `all` category
 * and which subresources exist.
 */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

/** A resource as discovery and routing know it. */
export interface ResourceType {
  /** API group; '' is the core group served under /api. */
  group: string;
  version: string;
  kind: string;
  /** The URL segment: `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** Subresources with their response kind; `status` shares the parent's kind. */
  subresources: SubresourceType[];
}

/** A subresource such as `deployments/scale`. */
export interface SubresourceType {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: Verb[];
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function statusOf(group: string, version: string, kind: string): SubresourceType {
  return { name: 'status', group, version, kind, verbs: ['get', 'patch', 'update'] };
}

function scaleOf(): SubresourceType {
  return {
    name: 'scale',
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  };
}

function define(
  group: string,
  version: string,
  kind: string,
  plural: string,
  options: {
    namespaced?: boolean;
    shortNames?: string[];
    categories?: string[];
    verbs?: Verb[];
    subresources?: SubresourceType[];
  } = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    verbs: options.verbs ?? ALL_VERBS,
    subresources: options.subresources ?? [],
  };
}

/** Every served resource, keyed by a readable name used throughout the control plane. */
export const RESOURCES = {
  namespaces: define('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      statusOf('', 'v1', 'Namespace'),
      { ...statusOf('', 'v1', 'Namespace'), name: 'finalize', verbs: ['update'] },
    ],
  }),
  nodes: define('', 'v1', 'Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    subresources: [
      statusOf('', 'v1', 'Node'),
      { name: 'proxy', group: '', version: 'v1', kind: 'NodeProxyOptions', verbs: ['get'] },
    ],
  }),
  pods: define('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      statusOf('', 'v1', 'Pod'),
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
      {
        name: 'proxy',
        group: '',
        version: 'v1',
        kind: 'PodProxyOptions',
        verbs: ['get', 'create', 'delete', 'patch', 'update'],
      },
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    ],
  }),
  services: define('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      statusOf('', 'v1', 'Service'),
      {
        name: 'proxy',
        group: '',
        version: 'v1',
        kind: 'ServiceProxyOptions',
        verbs: ['get', 'create', 'delete', 'patch', 'update'],
      },
    ],
  }),
  endpoints: define('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  configmaps: define('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  secrets: define('', 'v1', 'Secret', 'secrets'),
  persistentvolumeclaims: define('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    subresources: [statusOf('', 'v1', 'PersistentVolumeClaim')],
  }),
  persistentvolumes: define('', 'v1', 'PersistentVolume', 'persistentvolumes', {
    namespaced: false,
    shortNames: ['pv'],
    subresources: [statusOf('', 'v1', 'PersistentVolume')],
  }),
  serviceaccounts: define('', 'v1', 'ServiceAccount', 'serviceaccounts', {
    shortNames: ['sa'],
    subresources: [
      {
        name: 'token',
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      },
    ],
  }),
  resourcequotas: define('', 'v1', 'ResourceQuota', 'resourcequotas', {
    shortNames: ['quota'],
    subresources: [statusOf('', 'v1', 'ResourceQuota')],
  }),
  events: define('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  deployments: define('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'Deployment'), scaleOf()],
  }),
  replicasets: define('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'ReplicaSet'), scaleOf()],
  }),
  daemonsets: define('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'DaemonSet')],
  }),
  statefulsets: define('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [statusOf('apps', 'v1', 'StatefulSet'), scaleOf()],
  }),
  controllerrevisions: define('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  roles: define('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  rolebindings: define('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  clusterroles: define('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', {
    namespaced: false,
  }),
  clusterrolebindings: define(
    'rbac.authorization.k8s.io',
    'v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    {
      namespaced: false,
    },
  ),
  // Served read-only and always empty, so kubectl's check for an unknown kind ends in its usual
  // "no matches for kind" message instead of a failed CRD lookup.
  customresourcedefinitions: define(
    'apiextensions.k8s.io',
    'v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    {
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      verbs: ['get', 'list', 'watch'],
    },
  ),
  eventsV1: define('events.k8s.io', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  selfsubjectaccessreviews: define(
    'authorization.k8s.io',
    'v1',
    'SelfSubjectAccessReview',
    'selfsubjectaccessreviews',
    {
      namespaced: false,
      verbs: ['create'],
    },
  ),
  selfsubjectrulesreviews: define(
    'authorization.k8s.io',
    'v1',
    'SelfSubjectRulesReview',
    'selfsubjectrulesreviews',
    {
      namespaced: false,
      verbs: ['create'],
    },
  ),
} satisfies Record<string, ResourceType>;

/** The readable name of a resource in RESOURCES. */
export type ResourceName = keyof typeof RESOURCES;

/** All resource types, in discovery order. */
export const ALL_RESOURCES: readonly ResourceType[] = Object.values(RESOURCES);

/** Resources whose objects live in the store (review resources are computed, never stored). */
export function isStored(resource: ResourceType): boolean {
  return resource.group !== 'authorization.k8s.io';
}

/** `apps/v1` or `v1`: the apiVersion written on objects of this resource. */
export function apiVersionOf(resource: { group: string; version: string }): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** A key unique per stored resource: `deployments.apps`, `pods`. */
export function storageKeyOf(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** Finds the resource served at /api(s)/GROUP/VERSION/PLURAL. */
export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return ALL_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Finds the resource for an object's apiVersion and kind. */
export function findResourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return ALL_RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** The group/version pairs served, in discovery order: `[{group:'', version:'v1'}, {group:'apps', ...}]`. */
export function servedGroupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of ALL_RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

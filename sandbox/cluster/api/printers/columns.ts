/**
 * Column definitions per resource, in kube-apiserver's order. The server always sends every column,
 * wide ones included (priority 1); kubectl hides those unless asked for `-o wide`. Names keep
 * upstream's capitalisation because kubectl only upper-cases them.
 */
import { type DocumentedField, FIELD_DOCS } from './field-docs.ts';
import type { TableColumnDefinition } from './table-types.ts';

interface ColumnExtras {
  priority?: number;
  format?: string;
}

/** A column whose description is the API documentation of the field it shows. */
function documented(
  name: string,
  type: TableColumnDefinition['type'],
  field: DocumentedField,
  extras: ColumnExtras = {},
): TableColumnDefinition {
  return described(name, type, FIELD_DOCS[field], extras);
}

/** A column with its own description. */
function described(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  extras: ColumnExtras = {},
): TableColumnDefinition {
  return { name, type, format: extras.format ?? '', description, priority: extras.priority ?? 0 };
}

const WIDE = { priority: 1 } as const;

const NAME = documented('Name', 'string', 'ObjectMeta.name', { format: 'name' });
const AGE = documented('Age', 'string', 'ObjectMeta.creationTimestamp');
const CONTAINERS = described('Containers', 'string', 'Names of each container in the template.', WIDE);
const IMAGES = described('Images', 'string', 'Images referenced by each container in the template.', WIDE);
const READY_OF_DESIRED = described('Ready', 'string', 'Number of the pod with ready state');

/** Pods: readiness, aggregate status and restarts, then where the pod runs (wide). */
export const POD_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  described('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  described('Status', 'string', 'The aggregate status of the containers in this pod.'),
  described(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  AGE,
  documented('IP', 'string', 'PodStatus.podIP', WIDE),
  documented('Node', 'string', 'PodSpec.nodeName', WIDE),
  documented('Nominated Node', 'string', 'PodStatus.nominatedNodeName', WIDE),
  documented('Readiness Gates', 'string', 'PodSpec.readinessGates', WIDE),
];

/** Deployments: `READY` is ready/desired; the counts come from status. */
export const DEPLOYMENT_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  READY_OF_DESIRED,
  documented('Up-to-date', 'string', 'DeploymentStatus.updatedReplicas'),
  documented('Available', 'string', 'DeploymentStatus.availableReplicas'),
  AGE,
  CONTAINERS,
  IMAGES,
  documented('Selector', 'string', 'DeploymentSpec.selector', WIDE),
];

/** ReplicaSets: desired from spec, current and ready from status. */
export const REPLICA_SET_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Desired', 'integer', 'ReplicaSetSpec.replicas'),
  documented('Current', 'integer', 'ReplicaSetStatus.replicas'),
  documented('Ready', 'integer', 'ReplicaSetStatus.readyReplicas'),
  AGE,
  CONTAINERS,
  IMAGES,
  documented('Selector', 'string', 'ReplicaSetSpec.selector', WIDE),
];

/** DaemonSets: all counts from status, plus the template's node selector. */
export const DAEMON_SET_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Desired', 'integer', 'DaemonSetStatus.desiredNumberScheduled'),
  documented('Current', 'integer', 'DaemonSetStatus.currentNumberScheduled'),
  documented('Ready', 'integer', 'DaemonSetStatus.numberReady'),
  documented('Up-to-date', 'integer', 'DaemonSetStatus.updatedNumberScheduled'),
  documented('Available', 'integer', 'DaemonSetStatus.numberAvailable'),
  documented('Node Selector', 'string', 'PodSpec.nodeSelector'),
  AGE,
  CONTAINERS,
  IMAGES,
  documented('Selector', 'string', 'DaemonSetSpec.selector', WIDE),
];

/** StatefulSets: ready/desired; the wide view has no selector column. */
export const STATEFUL_SET_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  READY_OF_DESIRED,
  AGE,
  CONTAINERS,
  IMAGES,
];

/** ControllerRevisions: which controller owns the revision, and its number. */
export const CONTROLLER_REVISION_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  described('Controller', 'string', 'Controller of the object'),
  documented('Revision', 'string', 'ControllerRevision.revision'),
  AGE,
];

/** Services: type, addresses and ports; the selector only with `-o wide`. */
export const SERVICE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Type', 'string', 'ServiceSpec.type'),
  documented('Cluster-IP', 'string', 'ServiceSpec.clusterIP'),
  documented('External-IP', 'string', 'ServiceSpec.externalIPs'),
  documented('Port(s)', 'string', 'ServiceSpec.ports'),
  AGE,
  documented('Selector', 'string', 'ServiceSpec.selector', WIDE),
];

/** Endpoints: up to three `ip:port` pairs and a count of the rest. */
export const ENDPOINTS_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Endpoints', 'string', 'Endpoints.subsets'),
  AGE,
];

/** ConfigMaps: how many keys, text and binary together. */
export const CONFIG_MAP_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Data', 'string', 'ConfigMap.data'),
  AGE,
];

/** Secrets: the type and how many keys. */
export const SECRET_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Type', 'string', 'Secret.type'),
  documented('Data', 'string', 'Secret.data'),
  AGE,
];

/** Namespaces: Active or Terminating. */
export const NAMESPACE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  described('Status', 'string', 'The status of the namespace'),
  AGE,
];

/** Nodes: readiness, roles from labels, kubelet version; host details when wide. */
export const NODE_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  described('Status', 'string', 'The status of the node'),
  described('Roles', 'string', 'The roles of the node'),
  AGE,
  documented('Version', 'string', 'NodeSystemInfo.kubeletVersion'),
  documented('Internal-IP', 'string', 'NodeStatus.addresses', WIDE),
  documented('External-IP', 'string', 'NodeStatus.addresses', WIDE),
  documented('OS-Image', 'string', 'NodeSystemInfo.osImage', WIDE),
  documented('Kernel-Version', 'string', 'NodeSystemInfo.kernelVersion', WIDE),
  documented('Container-Runtime', 'string', 'NodeSystemInfo.containerRuntimeVersion', WIDE),
];

/** ServiceAccounts: how many secrets they list. */
export const SERVICE_ACCOUNT_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Secrets', 'string', 'ServiceAccount.secrets'),
  AGE,
];

/**
 * ResourceQuotas: `used/hard` per resource, requests and limits apart. Age comes last, as in the
 * 1.32 line of kube-apiserver; older releases put it second.
 */
export const RESOURCE_QUOTA_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  described(
    'Request',
    'string',
    'Request represents a minimum amount of cpu/memory that a container may consume.',
  ),
  described(
    'Limit',
    'string',
    'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
  ),
  AGE,
];

/** Core Events: what happened to which object; the event's own name only when wide. */
export const EVENT_COLUMNS: readonly TableColumnDefinition[] = [
  documented('Last Seen', 'string', 'Event.lastTimestamp'),
  documented('Type', 'string', 'Event.type'),
  documented('Reason', 'string', 'Event.reason'),
  documented('Object', 'string', 'Event.involvedObject'),
  documented('Subobject', 'string', 'ObjectReference.fieldPath', WIDE),
  documented('Source', 'string', 'Event.source', WIDE),
  documented('Message', 'string', 'Event.message'),
  documented('First Seen', 'string', 'Event.firstTimestamp', WIDE),
  documented('Count', 'string', 'Event.count', WIDE),
  documented('Name', 'string', 'ObjectMeta.name', { priority: 1, format: 'name' }),
];

/** PersistentVolumeClaims: binding, size and class. */
export const PERSISTENT_VOLUME_CLAIM_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Status', 'string', 'PersistentVolumeClaimStatus.phase'),
  documented('Volume', 'string', 'PersistentVolumeClaimSpec.volumeName'),
  documented('Capacity', 'string', 'PersistentVolumeClaimStatus.capacity'),
  documented('Access Modes', 'string', 'PersistentVolumeClaimStatus.accessModes'),
  described('StorageClass', 'string', 'StorageClass of the pvc'),
  described('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
  AGE,
  documented('VolumeMode', 'string', 'PersistentVolumeClaimSpec.volumeMode', WIDE),
];

/** PersistentVolumes: size, modes, policy, phase and the claim bound to it. */
export const PERSISTENT_VOLUME_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Capacity', 'string', 'PersistentVolumeSpec.capacity'),
  documented('Access Modes', 'string', 'PersistentVolumeSpec.accessModes'),
  documented('Reclaim Policy', 'string', 'PersistentVolumeSpec.persistentVolumeReclaimPolicy'),
  documented('Status', 'string', 'PersistentVolumeStatus.phase'),
  documented('Claim', 'string', 'PersistentVolumeSpec.claimRef'),
  described('StorageClass', 'string', 'StorageClass of the pv'),
  described('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
  documented('Reason', 'string', 'PersistentVolumeStatus.reason'),
  AGE,
  documented('VolumeMode', 'string', 'PersistentVolumeSpec.volumeMode', WIDE),
];

/** RoleBindings: the role referenced; subjects only when wide. */
export const ROLE_BINDING_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Role', 'string', 'RoleBinding.roleRef'),
  AGE,
  described('Users', 'string', 'Users in the roleBinding', WIDE),
  described('Groups', 'string', 'Groups in the roleBinding', WIDE),
  described('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', WIDE),
];

/** ClusterRoleBindings: as RoleBindings, with their own descriptions. */
export const CLUSTER_ROLE_BINDING_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Role', 'string', 'ClusterRoleBinding.roleRef'),
  AGE,
  described('Users', 'string', 'Users in the clusterRoleBinding', WIDE),
  described('Groups', 'string', 'Groups in the clusterRoleBinding', WIDE),
  described('ServiceAccounts', 'string', 'ServiceAccounts in the clusterRoleBinding', WIDE),
];

/**
 * What kube-apiserver serves for resources without a printer of their own (Roles, ClusterRoles,
 * LimitRanges…): the name and the creation time as an RFC 3339 date, shown as `CREATED AT`.
 */
export const DEFAULT_COLUMNS: readonly TableColumnDefinition[] = [
  NAME,
  documented('Created At', 'date', 'ObjectMeta.creationTimestamp'),
];

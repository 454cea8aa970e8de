/**
 * Rows for the remaining core and RBAC kinds a session touches: ConfigMaps, Secrets, Namespaces,
 * Nodes, ServiceAccounts, ResourceQuotas, Events, volumes and role bindings. Each function returns
 * all cells, wide ones included, in the order of the matching column list in columns.ts.
 */
import type { KubeObject } from '../objects.ts';
import { compareStrings, countKeys, formatAccessModes, readInteger, readString } from './cell-formats.ts';
import { formatTimestampSince } from './human-duration.ts';
import { formatQuantity } from './quantity.ts';
import type { TableCell } from './table-types.ts';

/** NAME DATA AGE; DATA counts text and binary keys together. */
export function printConfigMapCells(configMap: KubeObject, now: number): TableCell[] {
  return [
    configMap.metadata.name ?? '',
    countKeys(configMap.data) + countKeys(configMap.binaryData),
    formatTimestampSince(configMap.metadata.creationTimestamp, now),
  ];
}

/** NAME TYPE DATA AGE. */
export function printSecretCells(secret: KubeObject, now: number): TableCell[] {
  return [
    secret.metadata.name ?? '',
    readString(secret.type),
    countKeys(secret.data),
    formatTimestampSince(secret.metadata.creationTimestamp, now),
  ];
}

/** NAME STATUS AGE. */
export function printNamespaceCells(namespace: KubeObject, now: number): TableCell[] {
  return [
    namespace.metadata.name ?? '',
    readString(namespace.status?.phase),
    formatTimestampSince(namespace.metadata.creationTimestamp, now),
  ];
}

/** NAME SECRETS AGE. */
export function printServiceAccountCells(account: KubeObject, now: number): TableCell[] {
  const secrets = Array.isArray(account.secrets) ? account.secrets.length : 0;
  return [
    account.metadata.name ?? '',
    secrets,
    formatTimestampSince(account.metadata.creationTimestamp, now),
  ];
}

const NODE_ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role` value, sorted. */
function findNodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(NODE_ROLE_LABEL_PREFIX)) {
      const role = key.slice(NODE_ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_NODE_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort(compareStrings);
}

/** STATUS: `Ready`/`NotReady` from the Ready condition (`Unknown` without one), plus cordon state. */
function formatNodeStatus(node: KubeObject): string {
  const conditions: { type: string; status: string }[] = node.status?.conditions ?? [];
  // Later duplicates win, as when upstream fills its map of conditions by type.
  const ready = conditions.filter((condition) => condition.type === 'Ready').at(-1);
  const parts: string[] = [];
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else parts.push('Unknown');
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function findNodeAddress(node: KubeObject, type: string): string {
  const addresses: { type: string; address: string }[] = node.status?.addresses ?? [];
  return addresses.find((address) => address.type === type)?.address ?? '<none>';
}

/** NAME STATUS ROLES AGE VERSION, then INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
export function printNodeCells(node: KubeObject, now: number): TableCell[] {
  const info = node.status?.nodeInfo ?? {};
  const roles = findNodeRoles(node.metadata.labels).join(',');
  return [
    node.metadata.name ?? '',
    formatNodeStatus(node),
    roles || '<none>',
    formatTimestampSince(node.metadata.creationTimestamp, now),
    readString(info.kubeletVersion),
    findNodeAddress(node, 'InternalIP'),
    findNodeAddress(node, 'ExternalIP'),
    readString(info.osImage) || '<unknown>',
    readString(info.kernelVersion) || '<unknown>',
    readString(info.containerRuntimeVersion) || '<unknown>',
  ];
}

/**
 * NAME REQUEST LIMIT AGE. Every hard limit appears as `resource: used/hard`, sorted by resource name;
 * those named `limits.*` go to LIMIT, all others to REQUEST (`pods: 2/10, requests.cpu: 200m/1`).
 */
export function printResourceQuotaCells(quota: KubeObject, now: number): TableCell[] {
  const hard: Record<string, string> = quota.status?.hard ?? {};
  const used: Record<string, string> = quota.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort(compareStrings)) {
    const entry = `${resource}: ${formatQuantity(used[resource])}/${formatQuantity(hard[resource])}`;
    const [prefix, ...rest] = resource.split('.');
    if (prefix === 'limits' && rest.length > 0) limits.push(entry);
    else requests.push(entry);
  }
  return [
    quota.metadata.name ?? '',
    requests.join(', '),
    limits.join(', '),
    formatTimestampSince(quota.metadata.creationTimestamp, now),
  ];
}

/** `component, host`, falling back to the reporting controller and instance of newer events. */
function formatEventSource(event: KubeObject): string {
  const source = (event.source ?? {}) as { component?: string; host?: string };
  const component = source.component || readString(event.reportingComponent);
  const instance = source.host || readString(event.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

/**
 * LAST SEEN TYPE REASON OBJECT MESSAGE, then SUBOBJECT SOURCE FIRST SEEN COUNT NAME. Events written
 * through the events.k8s.io API carry eventTime and series instead of the old timestamps and count;
 * both kinds print the same way. OBJECT is `kind/name` in lower case (`pod/vweb-6bd7464487-x2x9p`).
 */
export function printEventCells(event: KubeObject, now: number): TableCell[] {
  const firstSeen = event.firstTimestamp
    ? formatTimestampSince(readString(event.firstTimestamp), now)
    : formatTimestampSince(readString(event.eventTime), now);
  let lastSeen = event.lastTimestamp ? formatTimestampSince(readString(event.lastTimestamp), now) : firstSeen;
  let count = readInteger(event.count);
  const series = event.series as { count?: number; lastObservedTime?: string } | undefined | null;
  if (series) {
    lastSeen = formatTimestampSince(series.lastObservedTime, now);
    count = readInteger(series.count);
  } else if (count === 0) {
    count = 1;
  }
  const involved = (event.involvedObject ?? {}) as { kind?: string; name?: string; fieldPath?: string };
  const kind = (involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [
    lastSeen,
    readString(event.type),
    readString(event.reason),
    target,
    involved.fieldPath ?? '',
    formatEventSource(event),
    readString(event.message).trim(),
    firstSeen,
    count,
    event.metadata.name ?? '',
  ];
}

const LEGACY_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The storage class: the legacy beta annotation wins over spec.storageClassName. */
function readStorageClass(object: KubeObject): string {
  const annotated = object.metadata.annotations?.[LEGACY_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return readString(object.spec?.storageClassName);
}

/**
 * NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, then VOLUMEMODE.
 * Capacity and access modes stay empty until the claim is bound to a volume.
 */
export function printPersistentVolumeClaimCells(claim: KubeObject, now: number): TableCell[] {
  const spec = claim.spec ?? {};
  const volumeName = readString(spec.volumeName);
  const bound = volumeName !== '';
  return [
    claim.metadata.name ?? '',
    claim.metadata.deletionTimestamp ? 'Terminating' : readString(claim.status?.phase),
    volumeName,
    bound ? formatQuantity(claim.status?.capacity?.storage) : '',
    bound ? formatAccessModes(claim.status?.accessModes) : '',
    readStorageClass(claim),
    readString(spec.volumeAttributesClassName) || '<unset>',
    formatTimestampSince(claim.metadata.creationTimestamp, now),
    readString(spec.volumeMode) || '<unset>',
  ];
}

/**
 * NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON
 * AGE, then VOLUMEMODE. CLAIM is `namespace/name` of the bound claim.
 */
export function printPersistentVolumeCells(volume: KubeObject, now: number): TableCell[] {
  const spec = volume.spec ?? {};
  const claimRef = spec.claimRef as { namespace?: string; name?: string } | undefined;
  return [
    volume.metadata.name ?? '',
    formatQuantity(spec.capacity?.storage),
    formatAccessModes(spec.accessModes),
    readString(spec.persistentVolumeReclaimPolicy),
    volume.metadata.deletionTimestamp ? 'Terminating' : readString(volume.status?.phase),
    claimRef ? `${claimRef.namespace ?? ''}/${claimRef.name ?? ''}` : '',
    readStorageClass(volume),
    readString(spec.volumeAttributesClassName) || '<unset>',
    readString(volume.status?.reason),
    formatTimestampSince(volume.metadata.creationTimestamp, now),
    readString(spec.volumeMode) || '<unset>',
  ];
}

interface SubjectView {
  kind?: string;
  name?: string;
  namespace?: string;
}

/**
 * NAME ROLE AGE, then USERS GROUPS SERVICEACCOUNTS. ROLE is `Kind/name` as the roleRef says
 * (`Role/pod-reader`); service accounts print as `namespace/name`, each list joined by `, `.
 */
export function printRoleBindingCells(binding: KubeObject, now: number): TableCell[] {
  const roleRef = (binding.roleRef ?? {}) as { kind?: string; name?: string };
  const subjects = (Array.isArray(binding.subjects) ? binding.subjects : []) as SubjectView[];
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of subjects) {
    if (subject.kind === 'User') users.push(subject.name ?? '');
    else if (subject.kind === 'Group') groups.push(subject.name ?? '');
    else if (subject.kind === 'ServiceAccount')
      serviceAccounts.push(`${subject.namespace ?? ''}/${subject.name ?? ''}`);
  }
  return [
    binding.metadata.name ?? '',
    `${roleRef.kind ?? ''}/${roleRef.name ?? ''}`,
    formatTimestampSince(binding.metadata.creationTimestamp, now),
    users.join(', '),
    groups.join(', '),
    serviceAccounts.join(', '),
  ];
}

/**
 * NAME CREATED AT, for kinds kube-apiserver has no printer for. The creation time is printed as
 * the RFC 3339 UTC string, not an age: `kubectl get roles` shows `2026-01-01T00:00:00Z`.
 */
export function printDefaultCells(object: KubeObject): TableCell[] {
  const created = object.metadata.creationTimestamp;
  const at = created ? Date.parse(created) : Number.NaN;
  const createdText = Number.isNaN(at) ? '0001-01-01T00:00:00Z' : formatRfc3339Seconds(at);
  return [object.metadata.name ?? '', createdText];
}

/** `2026-01-01T00:00:00Z`: seconds precision, UTC, as Go's time.RFC3339 layout prints it. */
function formatRfc3339Seconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

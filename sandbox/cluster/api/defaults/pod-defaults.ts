/**
 * Defaults for pod specs (Kubernetes' core/v1 SetDefaults_PodSpec, SetDefaults_Container and the
 * generated defaulters that walk volumes, containers and probes). The same function serves a Pod
 * and every workload's template, so a Deployment's template and the ReplicaSet templates the
 * controller derives from it come out identical: the Deployment controller and `rollout undo`
 * compare templates field by field.
 *
 * Functions here mutate the fresh copy `applyDefaults` hands them; nothing outside is touched.
 */
import { isRecord } from '../validation/json-access.ts';
import { canonicalResourceQuantity, formatQuantity, parseQuantity } from '../validation/quantity.ts';
import { defaultPullPolicy } from './image-reference.ts';

/** A decoded JSON object that defaulting may write to. */
export type Obj = Record<string, unknown>;

/** The object at `parent[key]`, created when missing (or when it is not an object). */
export function ensureObject(parent: Obj, key: string): Obj {
  const value = parent[key];
  if (isRecord(value)) return value;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/** Sets `parent[key]` when it is absent or null (Go's nil pointer / zero value). */
export function setDefault(parent: Obj, key: string, value: unknown): void {
  if (parent[key] === undefined || parent[key] === null) parent[key] = value;
}

/** Sets `parent[key]` when it is absent, null or '' (an empty Go string). */
export function setDefaultString(parent: Obj, key: string, value: string): void {
  if (parent[key] === undefined || parent[key] === null || parent[key] === '') parent[key] = value;
}

/** The objects in `parent[key]` when it is an array (entries that are not objects are skipped). */
export function objectsIn(parent: Obj, key: string): Obj[] {
  const value = parent[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/**
 * Canonical quantities in a resource list (`cpu: 0.5` → `500m`, `memory: 1024Mi` → `1Gi`),
 * rounded up to milli as the API server's ResourceList defaulting does.
 */
export function canonicalizeResourceList(parent: Obj, key: string): void {
  const list = parent[key];
  if (!isRecord(list)) return;
  for (const [name, value] of Object.entries(list)) list[name] = canonicalResourceQuantity(value);
}

/** A single quantity field in canonical form, without the milli rounding of resource lists. */
function canonicalizeQuantityField(parent: Obj, key: string): void {
  const quantity = parseQuantity(parent[key]);
  if (quantity) parent[key] = formatQuantity(quantity);
}

/** 0644: the file mode of ConfigMap, Secret, downward API and projected volume files. */
const DEFAULT_FILE_MODE = 0o644;

function defaultFieldRef(selector: Obj): void {
  setDefaultString(selector, 'apiVersion', 'v1');
}

function defaultHTTPGet(action: Obj): void {
  setDefaultString(action, 'path', '/');
  setDefaultString(action, 'scheme', 'HTTP');
}

function defaultProbe(probe: Obj): void {
  for (const [key, value] of [
    ['timeoutSeconds', 1],
    ['periodSeconds', 10],
    ['successThreshold', 1],
    ['failureThreshold', 3],
  ] as const) {
    if (probe[key] === undefined || probe[key] === null || probe[key] === 0) probe[key] = value;
  }
  if (isRecord(probe.httpGet)) defaultHTTPGet(probe.httpGet);
}

/** Defaults of one container (regular, init or ephemeral). */
function defaultContainer(container: Obj): void {
  setDefaultString(
    container,
    'imagePullPolicy',
    defaultPullPolicy(typeof container.image === 'string' ? container.image : ''),
  );
  setDefaultString(container, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(container, 'terminationMessagePolicy', 'File');
  for (const port of objectsIn(container, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  for (const variable of objectsIn(container, 'env')) {
    const from = variable.valueFrom;
    if (isRecord(from) && isRecord(from.fieldRef)) defaultFieldRef(from.fieldRef);
  }
  // ResourceRequirements is a struct, so the API server always prints `resources: {}`.
  const resources = ensureObject(container, 'resources');
  canonicalizeResourceList(resources, 'limits');
  canonicalizeResourceList(resources, 'requests');
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = container[key];
    if (isRecord(probe)) defaultProbe(probe);
  }
  const lifecycle = container.lifecycle;
  if (isRecord(lifecycle)) {
    for (const key of ['postStart', 'preStop']) {
      const handler = lifecycle[key];
      if (isRecord(handler) && isRecord(handler.httpGet)) defaultHTTPGet(handler.httpGet);
    }
  }
}

/** Every key a VolumeSource may carry; a volume naming none of them becomes an emptyDir. */
const VOLUME_SOURCE_KEYS = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** Defaults of the claim spec shared by PVCs, claim templates and ephemeral volumes. */
export function defaultClaimSpec(spec: Obj): void {
  setDefaultString(spec, 'volumeMode', 'Filesystem');
  // VolumeResourceRequirements is a struct: always printed, `{}` when empty.
  const resources = ensureObject(spec, 'resources');
  canonicalizeResourceList(resources, 'limits');
  canonicalizeResourceList(resources, 'requests');
}

function defaultVolume(volume: Obj): void {
  if (!VOLUME_SOURCE_KEYS.some((key) => volume[key] !== undefined && volume[key] !== null))
    volume.emptyDir = {};
  if (isRecord(volume.emptyDir)) canonicalizeQuantityField(volume.emptyDir, 'sizeLimit');
  if (isRecord(volume.hostPath)) setDefault(volume.hostPath, 'type', '');
  if (isRecord(volume.secret)) setDefault(volume.secret, 'defaultMode', DEFAULT_FILE_MODE);
  if (isRecord(volume.configMap)) setDefault(volume.configMap, 'defaultMode', DEFAULT_FILE_MODE);
  if (isRecord(volume.downwardAPI)) {
    setDefault(volume.downwardAPI, 'defaultMode', DEFAULT_FILE_MODE);
    for (const item of objectsIn(volume.downwardAPI, 'items'))
      if (isRecord(item.fieldRef)) defaultFieldRef(item.fieldRef);
  }
  if (isRecord(volume.projected)) {
    setDefault(volume.projected, 'defaultMode', DEFAULT_FILE_MODE);
    for (const source of objectsIn(volume.projected, 'sources')) {
      if (isRecord(source.downwardAPI)) {
        for (const item of objectsIn(source.downwardAPI, 'items'))
          if (isRecord(item.fieldRef)) defaultFieldRef(item.fieldRef);
      }
      if (isRecord(source.serviceAccountToken))
        setDefault(source.serviceAccountToken, 'expirationSeconds', 3600);
    }
  }
  if (isRecord(volume.iscsi)) setDefaultString(volume.iscsi, 'iscsiInterface', 'default');
  if (isRecord(volume.rbd)) {
    setDefaultString(volume.rbd, 'pool', 'rbd');
    setDefaultString(volume.rbd, 'user', 'admin');
    setDefaultString(volume.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isRecord(volume.azureDisk)) {
    setDefault(volume.azureDisk, 'cachingMode', 'ReadWrite');
    setDefault(volume.azureDisk, 'kind', 'Shared');
    setDefault(volume.azureDisk, 'fsType', 'ext4');
    setDefault(volume.azureDisk, 'readOnly', false);
  }
  if (isRecord(volume.scaleIO)) {
    setDefaultString(volume.scaleIO, 'storageMode', 'ThinProvisioned');
    setDefaultString(volume.scaleIO, 'fsType', 'xfs');
  }
  if (isRecord(volume.ephemeral) && isRecord(volume.ephemeral.volumeClaimTemplate)) {
    const template = volume.ephemeral.volumeClaimTemplate;
    defaultClaimSpec(ensureObject(template, 'spec'));
    const metadata = ensureObject(template, 'metadata');
    setDefault(metadata, 'creationTimestamp', null);
  }
}

/** With host networking every container port is also a host port. */
function defaultHostNetworkPorts(containers: Obj[]): void {
  for (const container of containers) {
    for (const port of objectsIn(container, 'ports')) {
      if (port.hostPort === undefined || port.hostPort === null || port.hostPort === 0)
        port.hostPort = port.containerPort;
    }
  }
}

/** Pods (not templates) get requests equal to limits where only limits are given. */
function defaultRequestsFromLimits(containers: Obj[]): void {
  for (const container of containers) {
    const resources = container.resources;
    if (!isRecord(resources) || !isRecord(resources.limits)) continue;
    const requests = ensureObject(resources, 'requests');
    for (const [name, value] of Object.entries(resources.limits))
      if (!(name in requests)) requests[name] = value;
  }
}

/**
 * Defaults a pod spec in place. `isPod` adds what only Pods get (SetDefaults_Pod):
 * enableServiceLinks, requests copied from limits, host ports under hostNetwork.
 */
export function defaultPodSpec(spec: Obj, isPod: boolean): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  // v1 keeps the deprecated `serviceAccount` as a mirror of serviceAccountName.
  if (typeof spec.serviceAccountName !== 'string' || spec.serviceAccountName === '') {
    if (typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '')
      spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '')
    spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
  for (const volume of objectsIn(spec, 'volumes')) defaultVolume(volume);
  const containers = objectsIn(spec, 'containers');
  const initContainers = objectsIn(spec, 'initContainers');
  for (const container of [...initContainers, ...containers, ...objectsIn(spec, 'ephemeralContainers')])
    defaultContainer(container);
  if (isRecord(spec.overhead)) canonicalizeResourceList(spec, 'overhead');
  if (isPod) {
    defaultRequestsFromLimits(containers);
    defaultRequestsFromLimits(initContainers);
    setDefault(spec, 'enableServiceLinks', true);
    if (spec.hostNetwork === true) {
      defaultHostNetworkPorts(containers);
      defaultHostNetworkPorts(initContainers);
    }
  }
}

/**
 * Defaults a PodTemplateSpec in place: the spec, and the embedded metadata's zero creation
 * timestamp, which a 1.32 API server prints as `creationTimestamp: null`.
 */
export function defaultPodTemplate(template: Obj): void {
  const metadata = ensureObject(template, 'metadata');
  setDefault(metadata, 'creationTimestamp', null);
  defaultPodSpec(ensureObject(template, 'spec'), false);
}

/**
 * Pod spec rules (ValidatePodSpec and ValidatePodTemplateSpec in Kubernetes' core validation):
 * volumes, containers and init containers (names, images, ports, env, mounts, probes, resources,
 * security contexts), and the pod-level policies. Shared by Pods and by every workload template.
 * Error order follows upstream, because kubectl prints errors in the order the server sends them.
 */
import {
  childPath,
  duplicate,
  type FieldError,
  forbidden,
  indexPath,
  invalid,
  keyPath,
  notFound,
  notSupported,
  required,
  tooLong,
} from './field-errors.ts';
import { goJson } from './go-values.ts';
import {
  isRecord,
  isSet,
  list,
  num,
  optionalNum,
  record,
  stringList,
  stringMap,
  text,
} from './json-access.ts';
import {
  checkConfigMapKey,
  checkDNS1123Label,
  checkDNS1123Subdomain,
  checkEnvVarName,
  checkHTTPHeaderName,
  checkIPAddress,
  checkLabelValue,
  checkPortName,
  checkPortNumber,
  checkQualifiedName,
  inclusiveRangeMessage,
  nameIsDNSSubdomain,
} from './name-rules.ts';
import {
  validateAnnotations,
  validateLabelName,
  validateLabelSelector,
  validateLabels,
  validateNonNegative,
} from './object-meta.ts';
import { compareQuantities, formatQuantity, parseQuantity } from './quantity.ts';
import {
  isHugePageResourceName,
  isOvercommitAllowed,
  validateContainerResourceName,
  validateResourceQuantityValue,
} from './resource-names.ts';

/** Where a pod spec lives: in a Pod (stricter in a few places) or in a workload's template. */
export interface PodSpecOptions {
  /** True when validating a Pod itself, false for a template inside another object. */
  isPod: boolean;
}

const MAX_INT32 = 2147483647;
const FILE_MODE_MESSAGE = 'must be a number between 0 and 0777 (octal), both inclusive';

/**
 * A pod template (ValidatePodTemplateSpec): its labels and annotations (upstream reports them
 * under `<template>.labels`, not `<template>.metadata.labels`) and its spec.
 */
export function validatePodTemplateSpec(template: unknown, field: string): FieldError[] {
  const object = record(template);
  const metadata = record(object.metadata);
  const spec = record(object.spec);
  const errors: FieldError[] = [
    ...validateLabels(metadata.labels, childPath(field, 'labels')),
    ...validateAnnotations(metadata.annotations, childPath(field, 'annotations')),
    ...validatePodSpecificAnnotations(metadata.annotations, childPath(field, 'annotations')),
    ...validatePodSpec(spec, childPath(field, 'spec'), { isPod: false }),
  ];
  if (list(spec.ephemeralContainers).length > 0) {
    errors.push(
      forbidden(
        childPath(field, 'spec', 'ephemeralContainers'),
        'ephemeral containers not allowed in pod template',
      ),
    );
  }
  return errors;
}

/** Annotations with meaning for pods; only the deletion cost is checked here. */
export function validatePodSpecificAnnotations(annotations: unknown, field: string): FieldError[] {
  const map = stringMap(annotations) ?? {};
  const cost = map['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined) {
    const parsed = /^[+-]?\d+$/.test(cost) ? Number(cost) : Number.NaN;
    if (!(parsed >= -2147483648 && parsed <= MAX_INT32)) {
      return [
        invalid(
          keyPath(field, 'controller.kubernetes.io/pod-deletion-cost'),
          cost,
          'must be a 32bit integer',
        ),
      ];
    }
  }
  return [];
}

/** A pod spec, in upstream's order of checks. */
export function validatePodSpec(specValue: unknown, field: string, options: PodSpecOptions): FieldError[] {
  const spec = record(specValue);
  const errors: FieldError[] = [];
  if (!isSet(spec.terminationGracePeriodSeconds))
    errors.push(required(childPath(field, 'terminationGracePeriodSeconds')));
  const gracePeriod = optionalNum(spec.terminationGracePeriodSeconds);
  const volumes = validateVolumes(spec.volumes, childPath(field, 'volumes'), errors);
  const restartPolicy = text(spec.restartPolicy);
  errors.push(...validateContainers(spec.containers, volumes, gracePeriod, childPath(field, 'containers')));
  errors.push(
    ...validateInitContainers(
      spec.initContainers,
      spec.containers,
      volumes,
      gracePeriod,
      childPath(field, 'initContainers'),
    ),
  );
  errors.push(...validateHostNetworkPorts(spec, field, options));
  errors.push(...validateRestartPolicy(restartPolicy, childPath(field, 'restartPolicy')));
  errors.push(...validateDNSPolicy(text(spec.dnsPolicy), childPath(field, 'dnsPolicy')));
  errors.push(...validateLabels(spec.nodeSelector, childPath(field, 'nodeSelector')));
  errors.push(...validatePodSecurityContext(spec.securityContext, childPath(field, 'securityContext')));
  errors.push(...validateImagePullSecrets(spec.imagePullSecrets, childPath(field, 'imagePullSecrets')));
  errors.push(...validateAffinity(spec.affinity, childPath(field, 'affinity')));
  errors.push(...validateDNSConfig(spec.dnsConfig, text(spec.dnsPolicy), childPath(field, 'dnsConfig')));
  list(spec.readinessGates).forEach((gate, index) => {
    const conditionType = text(record(gate).conditionType);
    for (const message of checkQualifiedName(conditionType)) {
      errors.push(
        invalid(
          childPath(indexPath(childPath(field, 'readinessGates'), index), 'conditionType'),
          conditionType,
          message,
        ),
      );
    }
  });
  errors.push(
    ...validateTopologySpreadConstraints(
      spec.topologySpreadConstraints,
      childPath(field, 'topologySpreadConstraints'),
    ),
  );
  const serviceAccountName = text(spec.serviceAccountName);
  if (serviceAccountName !== '') {
    for (const message of nameIsDNSSubdomain(serviceAccountName, false)) {
      errors.push(invalid(childPath(field, 'serviceAccountName'), serviceAccountName, message));
    }
  }
  const nodeName = text(spec.nodeName);
  if (nodeName !== '') {
    for (const message of nameIsDNSSubdomain(nodeName, false))
      errors.push(invalid(childPath(field, 'nodeName'), nodeName, message));
  }
  const activeDeadline = optionalNum(spec.activeDeadlineSeconds);
  if (activeDeadline !== undefined && (activeDeadline < 1 || activeDeadline > MAX_INT32)) {
    errors.push(
      invalid(childPath(field, 'activeDeadlineSeconds'), activeDeadline, inclusiveRangeMessage(1, MAX_INT32)),
    );
  }
  for (const key of ['hostname', 'subdomain'] as const) {
    const value = text(spec[key]);
    if (value !== '')
      for (const message of checkDNS1123Label(value))
        errors.push(invalid(childPath(field, key), value, message));
  }
  errors.push(...validateTolerations(spec.tolerations, childPath(field, 'tolerations')));
  list(spec.hostAliases).forEach((alias, index) => {
    const path = indexPath(childPath(field, 'hostAliases'), index);
    const ip = text(record(alias).ip);
    for (const message of checkIPAddress(ip)) errors.push(invalid(childPath(path, 'ip'), ip, message));
    stringList(record(alias).hostnames).forEach((hostname, hostIndex) => {
      for (const message of checkDNS1123Subdomain(hostname)) {
        errors.push(invalid(indexPath(childPath(path, 'hostnames'), hostIndex), hostname, message));
      }
    });
  });
  const priorityClassName = text(spec.priorityClassName);
  if (priorityClassName !== '') {
    for (const message of nameIsDNSSubdomain(priorityClassName, false)) {
      errors.push(invalid(childPath(field, 'priorityClassName'), priorityClassName, message));
    }
  }
  return errors;
}

/** The volume sources a pod volume may name, as JSON key and the name upstream's "more than 1" error uses. */
const VOLUME_SOURCES: readonly (readonly [key: string, errorName: string])[] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  // Upstream misspells this one in its error path.
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

/** Validates the volumes; returns the valid ones by name (mounts may only refer to those). */
function validateVolumes(
  volumesValue: unknown,
  field: string,
  errors: FieldError[],
): Map<string, Record<string, unknown>> {
  const valid = new Map<string, Record<string, unknown>>();
  list(volumesValue).forEach((entry, index) => {
    const volume = record(entry);
    const path = indexPath(field, index);
    const name = text(volume.name);
    const own = validateVolumeSource(volume, path);
    if (name === '') own.push(required(childPath(path, 'name')));
    else
      for (const message of checkDNS1123Label(name))
        own.push(invalid(childPath(path, 'name'), name, message));
    if (valid.has(name)) own.push(duplicate(childPath(path, 'name'), name));
    if (own.length === 0) valid.set(name, volume);
    else errors.push(...own);
  });
  return valid;
}

function validateVolumeSource(volume: Record<string, unknown>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const [key, errorName] of VOLUME_SOURCES) {
    if (!isSet(volume[key])) continue;
    if (count > 0) {
      errors.push(forbidden(childPath(field, errorName), 'may not specify more than 1 volume type'));
      continue;
    }
    count += 1;
    errors.push(...validateOneVolumeSource(key, record(volume[key]), childPath(field, key)));
  }
  if (count === 0) errors.push(required(field, 'must specify a volume type'));
  return errors;
}

function validateOneVolumeSource(key: string, source: Record<string, unknown>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  switch (key) {
    case 'emptyDir': {
      const size = parseQuantity(source.sizeLimit);
      if (size?.negative && size.mantissa > 0n) {
        errors.push(
          forbidden(childPath(field, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'),
        );
      }
      break;
    }
    case 'hostPath': {
      const path = text(source.path);
      if (path === '') return [required(childPath(field, 'path'))];
      errors.push(...validatePathNoBacksteps(path, childPath(field, 'path')));
      const type = source.type;
      const supported = [
        '',
        'BlockDevice',
        'CharDevice',
        'Directory',
        'DirectoryOrCreate',
        'File',
        'FileOrCreate',
        'Socket',
      ];
      if (typeof type === 'string' && !supported.includes(type))
        errors.push(notSupported(childPath(field, 'type'), type, supported));
      break;
    }
    case 'gitRepo':
      if (text(source.repository) === '') errors.push(required(childPath(field, 'repository')));
      errors.push(...validateLocalDescendingPath(text(source.directory), childPath(field, 'directory')));
      break;
    case 'secret':
      if (text(source.secretName) === '') errors.push(required(childPath(field, 'secretName')));
      errors.push(...validateFileMode(source.defaultMode, childPath(field, 'defaultMode')));
      list(source.items).forEach((item, index) => {
        errors.push(...validateKeyToPath(item, indexPath(childPath(field, 'items'), index)));
      });
      break;
    case 'configMap':
      if (text(source.name) === '') errors.push(required(childPath(field, 'name')));
      errors.push(...validateFileMode(source.defaultMode, childPath(field, 'defaultMode')));
      list(source.items).forEach((item, index) => {
        errors.push(...validateKeyToPath(item, indexPath(childPath(field, 'items'), index)));
      });
      break;
    case 'persistentVolumeClaim':
      if (text(source.claimName) === '') errors.push(required(childPath(field, 'claimName')));
      break;
    case 'nfs': {
      if (text(source.server) === '') errors.push(required(childPath(field, 'server')));
      const path = text(source.path);
      if (path === '') errors.push(required(childPath(field, 'path')));
      if (!path.startsWith('/'))
        errors.push(invalid(childPath(field, 'path'), path, 'must be an absolute path'));
      break;
    }
    case 'downwardAPI':
      errors.push(...validateFileMode(source.defaultMode, childPath(field, 'defaultMode')));
      // Upstream reports downward API items under the volume source, not under `items[i]`.
      for (const item of list(source.items)) errors.push(...validateDownwardAPIFile(item, field));
      break;
    case 'projected':
      errors.push(...validateFileMode(source.defaultMode, childPath(field, 'defaultMode')));
      errors.push(...validateProjectionSources(source, field));
      break;
    case 'csi': {
      const driver = text(source.driver);
      if (driver === '') errors.push(required(childPath(field, 'driver')));
      if (driver.length > 63) errors.push(tooLong(childPath(field, 'driver'), 63));
      for (const message of checkDNS1123Subdomain(driver.toLowerCase()))
        errors.push(invalid(childPath(field, 'driver'), driver, message));
      break;
    }
    case 'ephemeral':
      if (!isSet(source.volumeClaimTemplate)) errors.push(required(childPath(field, 'volumeClaimTemplate')));
      break;
    default:
      break;
  }
  return errors;
}

function validateFileMode(mode: unknown, field: string): FieldError[] {
  const value = optionalNum(mode);
  return value !== undefined && (value > 0o777 || value < 0)
    ? [invalid(field, value, FILE_MODE_MESSAGE)]
    : [];
}

function validateKeyToPath(item: unknown, field: string): FieldError[] {
  const object = record(item);
  const errors: FieldError[] = [];
  if (text(object.key) === '') errors.push(required(childPath(field, 'key')));
  const path = text(object.path);
  if (path === '') errors.push(required(childPath(field, 'path')));
  errors.push(...validateLocalNonReservedPath(path, childPath(field, 'path')));
  errors.push(...validateFileMode(object.mode, childPath(field, 'mode')));
  return errors;
}

const VOLUME_DOWNWARD_API_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];
const ENV_DOWNWARD_API_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const CONVERTIBLE_FIELD_PATHS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** `metadata.labels['app']` → ['metadata.labels', 'app']. */
function splitSubscriptedPath(path: string): [string, string] | undefined {
  if (!path.endsWith("']")) return undefined;
  const inner = path.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return undefined;
  return [inner.slice(0, at), inner.slice(at + 2)];
}

function validateObjectFieldSelector(
  selector: unknown,
  allowed: readonly string[],
  field: string,
): FieldError[] {
  const object = record(selector);
  const apiVersion = text(object.apiVersion);
  const fieldPath = text(object.fieldPath);
  if (apiVersion === '') return [required(childPath(field, 'apiVersion'))];
  if (fieldPath === '') return [required(childPath(field, 'fieldPath'))];
  const subscripted = splitSubscriptedPath(fieldPath);
  let conversionError: string | undefined;
  if (apiVersion !== 'v1') conversionError = `unsupported pod version: ${apiVersion}`;
  else if (subscripted) {
    if (subscripted[0] !== 'metadata.annotations' && subscripted[0] !== 'metadata.labels') {
      conversionError = `field label does not support subscript: ${fieldPath}`;
    }
  } else if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath) && fieldPath !== 'spec.host') {
    conversionError = `field label not supported: ${fieldPath}`;
  }
  if (conversionError)
    return [
      invalid(childPath(field, 'fieldPath'), fieldPath, `error converting fieldPath: ${conversionError}`),
    ];
  if (subscripted) {
    const key = subscripted[0] === 'metadata.annotations' ? subscripted[1].toLowerCase() : subscripted[1];
    return checkQualifiedName(key).map((message) => invalid(field, key, message));
  }
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  return allowed.includes(internal) ? [] : [notSupported(childPath(field, 'fieldPath'), internal, allowed)];
}

function validateDownwardAPIFile(item: unknown, field: string): FieldError[] {
  const object = record(item);
  const errors: FieldError[] = [];
  const path = text(object.path);
  if (path === '') errors.push(required(childPath(field, 'path')));
  errors.push(...validateLocalNonReservedPath(path, childPath(field, 'path')));
  if (isSet(object.fieldRef)) {
    errors.push(
      ...validateObjectFieldSelector(
        object.fieldRef,
        VOLUME_DOWNWARD_API_PATHS,
        childPath(field, 'fieldRef'),
      ),
    );
    if (isSet(object.resourceFieldRef)) {
      errors.push(
        invalid(field, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'),
      );
    }
  } else if (!isSet(object.resourceFieldRef)) {
    errors.push(required(field, 'one of fieldRef and resourceFieldRef is required'));
  }
  errors.push(...validateFileMode(object.mode, childPath(field, 'mode')));
  return errors;
}

function validateProjectionSources(projection: Record<string, unknown>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const paths = new Set<string>();
  const claimPath = (path: string, value: string) => {
    if (paths.has(path)) errors.push(invalid(field, value, 'conflicting duplicate paths'));
    paths.add(path);
  };
  list(projection.sources).forEach((entry, index) => {
    const source = record(entry);
    const sourcePath = indexPath(childPath(field, 'sources'), index);
    let count = 0;
    for (const key of ['secret', 'configMap'] as const) {
      if (!isSet(source[key])) continue;
      count += 1;
      const projected = record(source[key]);
      if (text(projected.name) === '') errors.push(required(childPath(sourcePath, key, 'name')));
      list(projected.items).forEach((item, itemIndex) => {
        errors.push(...validateKeyToPath(item, indexPath(childPath(sourcePath, key, 'items'), itemIndex)));
        const path = text(record(item).path);
        if (path !== '') claimPath(path, text(projected.name));
      });
    }
    if (isSet(source.downwardAPI)) {
      count += 1;
      for (const item of list(record(source.downwardAPI).items)) {
        errors.push(...validateDownwardAPIFile(item, childPath(sourcePath, 'downwardAPI')));
        const path = text(record(item).path);
        if (path !== '') claimPath(path, path);
      }
    }
    if (isSet(source.serviceAccountToken)) {
      count += 1;
      const token = record(source.serviceAccountToken);
      const expiration = num(token.expirationSeconds);
      const tokenPath = childPath(sourcePath, 'serviceAccountToken');
      if (expiration < 600) {
        errors.push(
          invalid(
            childPath(tokenPath, 'expirationSeconds'),
            expiration,
            'may not specify a duration less than 10 minutes',
          ),
        );
      }
      if (expiration > 2 ** 32) {
        errors.push(
          invalid(
            childPath(tokenPath, 'expirationSeconds'),
            expiration,
            'may not specify a duration larger than 2^32 seconds',
          ),
        );
      }
      const path = text(token.path);
      if (path === '') errors.push(required(childPath(field, 'path')));
      else errors.push(...validateLocalNonReservedPath(path, childPath(field, 'path')));
    }
    if (isSet(source.clusterTrustBundle)) count += 1;
    if (count > 1) errors.push(forbidden(sourcePath, 'may not specify more than 1 volume type per source'));
  });
  return errors;
}

/** A path that must stay inside the volume: relative, without `..` elements. */
function validateLocalDescendingPath(path: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (path.startsWith('/')) errors.push(invalid(field, path, 'must be a relative path'));
  errors.push(...validatePathNoBacksteps(path, field));
  return errors;
}

function validatePathNoBacksteps(path: string, field: string): FieldError[] {
  return path.split('/').includes('..') ? [invalid(field, path, "must not contain '..'")] : [];
}

function validateLocalNonReservedPath(path: string, field: string): FieldError[] {
  const errors = validateLocalDescendingPath(path, field);
  if (path.startsWith('..') && !path.startsWith('../'))
    errors.push(invalid(field, path, "must not start with '..'"));
  return errors;
}

function validateContainers(
  containersValue: unknown,
  volumes: Map<string, Record<string, unknown>>,
  gracePeriod: number | undefined,
  field: string,
): FieldError[] {
  const containers = list(containersValue);
  if (containers.length === 0) return [required(field)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((entry, index) => {
    const container = record(entry);
    const path = indexPath(field, index);
    errors.push(...validateContainerCommon(container, volumes, path));
    const name = text(container.name);
    if (names.has(name)) errors.push(duplicate(childPath(path, 'name'), name));
    else names.add(name);
    if (isSet(container.lifecycle))
      errors.push(...validateLifecycle(container.lifecycle, gracePeriod, childPath(path, 'lifecycle')));
    errors.push(
      ...validateProbe(container.livenessProbe, gracePeriod, childPath(path, 'livenessProbe'), 'liveness'),
    );
    errors.push(
      ...validateProbe(container.readinessProbe, gracePeriod, childPath(path, 'readinessProbe'), 'readiness'),
    );
    errors.push(
      ...validateProbe(container.startupProbe, gracePeriod, childPath(path, 'startupProbe'), 'startup'),
    );
    if (isSet(container.restartPolicy))
      errors.push(forbidden(childPath(path, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errors.push(...validateHostPortConflicts(containers, field));
  return errors;
}

function validateInitContainers(
  initValue: unknown,
  regularValue: unknown,
  volumes: Map<string, Record<string, unknown>>,
  gracePeriod: number | undefined,
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set(list(regularValue).map((entry) => text(record(entry).name)));
  list(initValue).forEach((entry, index) => {
    const container = record(entry);
    const path = indexPath(field, index);
    errors.push(...validateContainerCommon(container, volumes, path));
    let restartAlways = false;
    if (isSet(container.restartPolicy)) {
      const policy = text(container.restartPolicy);
      if (policy !== 'Always')
        errors.push(notSupported(childPath(path, 'restartPolicy'), policy, ['Always']));
      restartAlways = policy === 'Always';
    }
    const name = text(container.name);
    if (names.has(name)) errors.push(duplicate(childPath(path, 'name'), name));
    else if (name !== '') names.add(name);
    errors.push(...validateHostPortConflicts([container], field));
    if (restartAlways) {
      if (isSet(container.lifecycle))
        errors.push(...validateLifecycle(container.lifecycle, gracePeriod, childPath(path, 'lifecycle')));
      errors.push(
        ...validateProbe(container.livenessProbe, gracePeriod, childPath(path, 'livenessProbe'), 'liveness'),
      );
      errors.push(
        ...validateProbe(
          container.readinessProbe,
          gracePeriod,
          childPath(path, 'readinessProbe'),
          'readiness',
        ),
      );
      errors.push(
        ...validateProbe(container.startupProbe, gracePeriod, childPath(path, 'startupProbe'), 'startup'),
      );
    } else {
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (isSet(container[key])) {
          errors.push(
            forbidden(
              childPath(path, key),
              'may not be set for init containers without restartPolicy=Always',
            ),
          );
        }
      }
    }
  });
  return errors;
}

/** Checks every container kind shares: name, image, termination message policy, ports, env, mounts, pull policy, resources. */
function validateContainerCommon(
  container: Record<string, unknown>,
  volumes: Map<string, Record<string, unknown>>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const name = text(container.name);
  if (name === '') errors.push(required(childPath(path, 'name')));
  else
    for (const message of checkDNS1123Label(name))
      errors.push(invalid(childPath(path, 'name'), name, message));
  if (text(container.image) === '') errors.push(required(childPath(path, 'image')));
  const messagePolicy = text(container.terminationMessagePolicy);
  if (messagePolicy === '') errors.push(required(childPath(path, 'terminationMessagePolicy')));
  else if (messagePolicy !== 'File' && messagePolicy !== 'FallbackToLogsOnError') {
    errors.push(
      notSupported(childPath(path, 'terminationMessagePolicy'), messagePolicy, [
        'File',
        'FallbackToLogsOnError',
      ]),
    );
  }
  errors.push(...validateContainerPorts(container.ports, childPath(path, 'ports')));
  errors.push(...validateEnv(container.env, childPath(path, 'env')));
  errors.push(...validateEnvFrom(container.envFrom, childPath(path, 'envFrom')));
  errors.push(...validateVolumeMounts(container, volumes, childPath(path, 'volumeMounts')));
  const pullPolicy = text(container.imagePullPolicy);
  if (pullPolicy === '') errors.push(required(childPath(path, 'imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
    errors.push(
      notSupported(childPath(path, 'imagePullPolicy'), pullPolicy, ['Always', 'IfNotPresent', 'Never']),
    );
  }
  errors.push(...validateResources(container.resources, childPath(path, 'resources')));
  errors.push(...validateSecurityContext(container.securityContext, childPath(path, 'securityContext')));
  return errors;
}

function validateContainerPorts(portsValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  list(portsValue).forEach((entry, index) => {
    const port = record(entry);
    const path = indexPath(field, index);
    const name = text(port.name);
    if (name !== '') {
      const messages = checkPortName(name);
      if (messages.length > 0)
        for (const message of messages) errors.push(invalid(childPath(path, 'name'), name, message));
      else if (names.has(name)) errors.push(duplicate(childPath(path, 'name'), name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort);
    if (containerPort === 0) errors.push(required(childPath(path, 'containerPort')));
    else
      for (const message of checkPortNumber(containerPort))
        errors.push(invalid(childPath(path, 'containerPort'), containerPort, message));
    const hostPort = num(port.hostPort);
    if (hostPort !== 0)
      for (const message of checkPortNumber(hostPort))
        errors.push(invalid(childPath(path, 'hostPort'), hostPort, message));
    const protocol = text(port.protocol);
    if (protocol === '') errors.push(required(childPath(path, 'protocol')));
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol))
      errors.push(notSupported(childPath(path, 'protocol'), protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errors;
}

function validateEnv(envValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  list(envValue).forEach((entry, index) => {
    const variable = record(entry);
    const path = indexPath(field, index);
    const name = text(variable.name);
    if (name === '') errors.push(required(childPath(path, 'name')));
    else
      for (const message of checkEnvVarName(name))
        errors.push(invalid(childPath(path, 'name'), name, message));
    errors.push(...validateEnvValueFrom(variable, childPath(path, 'valueFrom')));
  });
  return errors;
}

const RESOURCE_FIELD_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

function validateEnvValueFrom(variable: Record<string, unknown>, field: string): FieldError[] {
  if (!isSet(variable.valueFrom)) return [];
  const from = record(variable.valueFrom);
  const errors: FieldError[] = [];
  let count = 0;
  if (isSet(from.fieldRef)) {
    count += 1;
    errors.push(
      ...validateObjectFieldSelector(from.fieldRef, ENV_DOWNWARD_API_PATHS, childPath(field, 'fieldRef')),
    );
  }
  if (isSet(from.resourceFieldRef)) {
    count += 1;
    const resource = text(record(from.resourceFieldRef).resource);
    const path = childPath(field, 'resourceFieldRef');
    if (resource === '') errors.push(required(childPath(path, 'resource')));
    else if (!RESOURCE_FIELD_PATHS.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) {
      errors.push(notSupported(childPath(path, 'resource'), resource, RESOURCE_FIELD_PATHS));
    }
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef'] as const) {
    if (!isSet(from[key])) continue;
    count += 1;
    const selector = record(from[key]);
    const path = childPath(field, key);
    const name = text(selector.name);
    for (const message of nameIsDNSSubdomain(name, false))
      errors.push(invalid(childPath(path, 'name'), name, message));
    const selectorKey = text(selector.key);
    if (selectorKey === '') errors.push(required(childPath(path, 'key')));
    else
      for (const message of checkConfigMapKey(selectorKey))
        errors.push(invalid(childPath(path, 'key'), selectorKey, message));
  }
  if (count === 0) {
    errors.push(
      invalid(
        field,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (text(variable.value) !== '') {
    errors.push(invalid(field, '', 'may not be specified when `value` is not empty'));
  } else if (count > 1) {
    errors.push(invalid(field, '', 'may not have more than one field specified at a time'));
  }
  return errors;
}

function validateEnvFrom(envFromValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  list(envFromValue).forEach((entry, index) => {
    const source = record(entry);
    const path = indexPath(field, index);
    const prefix = text(source.prefix);
    if (prefix !== '')
      for (const message of checkEnvVarName(prefix))
        errors.push(invalid(childPath(path, 'prefix'), prefix, message));
    let count = 0;
    for (const key of ['configMapRef', 'secretRef'] as const) {
      if (!isSet(source[key])) continue;
      count += 1;
      const name = text(record(source[key]).name);
      if (name === '') errors.push(required(childPath(path, key, 'name')));
      else
        for (const message of nameIsDNSSubdomain(name, true))
          errors.push(invalid(childPath(path, key, 'name'), name, message));
    }
    if (count === 0) errors.push(invalid(field, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1)
      errors.push(invalid(field, '', 'may not have more than one field specified at a time'));
  });
  return errors;
}

function validateVolumeMounts(
  container: Record<string, unknown>,
  volumes: Map<string, Record<string, unknown>>,
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  const devicePaths = new Map(
    list(container.volumeDevices).map((device) => [
      text(record(device).name),
      text(record(device).devicePath),
    ]),
  );
  list(container.volumeMounts).forEach((entry, index) => {
    const mount = record(entry);
    const path = indexPath(field, index);
    const name = text(mount.name);
    const mountPath = text(mount.mountPath);
    if (name === '') errors.push(required(childPath(path, 'name')));
    if (!volumes.has(name)) errors.push(notFound(childPath(path, 'name'), name));
    if (mountPath === '') errors.push(required(childPath(path, 'mountPath')));
    if (mountPaths.has(mountPath))
      errors.push(invalid(childPath(path, 'mountPath'), mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (devicePaths.has(name))
      errors.push(invalid(childPath(path, 'name'), name, 'must not already exist in volumeDevices'));
    if ([...devicePaths.values()].includes(mountPath)) {
      errors.push(
        invalid(childPath(path, 'mountPath'), mountPath, 'must not already exist as a path in volumeDevices'),
      );
    }
    const subPath = text(mount.subPath);
    // Upstream reports these under the list (`volumeMounts.subPath`), not the item.
    if (subPath !== '') errors.push(...validateLocalDescendingPath(subPath, childPath(field, 'subPath')));
    const subPathExpr = text(mount.subPathExpr);
    if (subPathExpr !== '') {
      if (subPath !== '')
        errors.push(
          invalid(
            childPath(path, 'subPathExpr'),
            subPathExpr,
            'subPathExpr and subPath are mutually exclusive',
          ),
        );
      errors.push(...validateLocalDescendingPath(subPathExpr, childPath(field, 'subPathExpr')));
    }
    if (isSet(mount.mountPropagation)) {
      const propagation = text(mount.mountPropagation);
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(propagation))
        errors.push(notSupported(childPath(field, 'mountPropagation'), propagation, supported));
      const privileged = record(container.securityContext).privileged === true;
      if (propagation === 'Bidirectional' && !privileged) {
        errors.push(
          forbidden(
            childPath(field, 'mountPropagation'),
            'Bidirectional mount propagation is available only to privileged containers',
          ),
        );
      }
    }
  });
  return errors;
}

function validateResources(resourcesValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const resources = record(resourcesValue);
  const limits = record(resources.limits);
  const requests = record(resources.requests);
  const limitsPath = childPath(field, 'limits');
  const requestsPath = childPath(field, 'requests');
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, value] of Object.entries(limits)) {
    const path = keyPath(limitsPath, name);
    errors.push(...validateContainerResourceName(name, path));
    errors.push(...validateResourceQuantityValue(name, value, path));
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, value] of Object.entries(requests)) {
    const path = keyPath(requestsPath, name);
    errors.push(...validateContainerResourceName(name, path));
    errors.push(...validateResourceQuantityValue(name, value, path));
    const request = parseQuantity(value);
    const limit = name in limits ? parseQuantity(limits[name]) : undefined;
    if (name in limits) {
      if (request && limit) {
        const shown = formatQuantity(request);
        if (compareQuantities(request, limit) !== 0 && !isOvercommitAllowed(name)) {
          errors.push(
            invalid(requestsPath, shown, `must be equal to ${name} limit of ${formatQuantity(limit)}`),
          );
        } else if (compareQuantities(request, limit) > 0) {
          errors.push(
            invalid(
              requestsPath,
              shown,
              `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
            ),
          );
        }
      }
    } else if (!isOvercommitAllowed(name)) {
      errors.push(required(limitsPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errors.push(forbidden(field, 'HugePages require cpu or memory'));
  return errors;
}

function validateProbe(
  probeValue: unknown,
  gracePeriod: number | undefined,
  field: string,
  kind: 'liveness' | 'readiness' | 'startup',
): FieldError[] {
  if (!isSet(probeValue)) return [];
  const probe = record(probeValue);
  const errors = validateHandler(probe, gracePeriod, field, false);
  for (const key of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    errors.push(...validateNonNegative(num(probe[key]), childPath(field, key)));
  }
  const probeGrace = optionalNum(probe.terminationGracePeriodSeconds);
  if (probeGrace !== undefined && probeGrace <= 0) {
    errors.push(
      invalid(childPath(field, 'terminationGracePeriodSeconds'), probeGrace, 'must be greater than 0'),
    );
  }
  if (kind !== 'readiness' && num(probe.successThreshold) !== 1) {
    errors.push(invalid(childPath(field, 'successThreshold'), num(probe.successThreshold), 'must be 1'));
  }
  if (kind === 'readiness' && probeGrace !== undefined) {
    errors.push(
      invalid(
        childPath(field, 'terminationGracePeriodSeconds'),
        probeGrace,
        'must not be set for readinessProbes',
      ),
    );
  }
  return errors;
}

function validateLifecycle(
  lifecycleValue: unknown,
  gracePeriod: number | undefined,
  field: string,
): FieldError[] {
  const lifecycle = record(lifecycleValue);
  const errors: FieldError[] = [];
  for (const key of ['postStart', 'preStop'] as const) {
    if (isSet(lifecycle[key]))
      errors.push(...validateHandler(record(lifecycle[key]), gracePeriod, childPath(field, key), true));
  }
  return errors;
}

/** Exactly one handler of a probe or lifecycle hook: exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks). */
function validateHandler(
  handler: Record<string, unknown>,
  gracePeriod: number | undefined,
  field: string,
  isLifecycle: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const kinds = isLifecycle
    ? ['exec', 'httpGet', 'tcpSocket', 'sleep']
    : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  let count = 0;
  for (const kind of kinds) {
    if (!isSet(handler[kind])) continue;
    if (count > 0) {
      errors.push(forbidden(childPath(field, kind), 'may not specify more than 1 handler type'));
      continue;
    }
    count += 1;
    const action = record(handler[kind]);
    const path = childPath(field, kind);
    if (kind === 'exec') {
      if (list(action.command).length === 0) errors.push(required(childPath(path, 'command')));
    } else if (kind === 'httpGet') {
      if (text(action.path) === '') errors.push(required(childPath(path, 'path')));
      errors.push(...validatePortNumOrName(action.port, childPath(path, 'port')));
      const scheme = text(action.scheme);
      if (scheme !== 'HTTP' && scheme !== 'HTTPS')
        errors.push(notSupported(childPath(path, 'scheme'), scheme, ['HTTP', 'HTTPS']));
      for (const header of list(action.httpHeaders)) {
        const headerName = text(record(header).name);
        for (const message of checkHTTPHeaderName(headerName))
          errors.push(invalid(childPath(path, 'httpHeaders'), headerName, message));
      }
    } else if (kind === 'tcpSocket') {
      errors.push(...validatePortNumOrName(action.port, childPath(path, 'port')));
    } else if (kind === 'grpc') {
      errors.push(...validatePortNumOrName(num(action.port), childPath(path, 'port')));
    } else if (kind === 'sleep') {
      const seconds = num(action.seconds);
      if (gracePeriod !== undefined && (seconds <= 0 || seconds > gracePeriod)) {
        errors.push(
          invalid(
            path,
            seconds,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        );
      }
    }
  }
  if (count === 0) errors.push(required(field, 'must specify a handler type'));
  return errors;
}

/** An IntOrString port: a number 1..65535 or an IANA port name. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'string') return checkPortName(port).map((message) => invalid(field, port, message));
  const value = typeof port === 'number' ? port : 0;
  return checkPortNumber(value).map((message) => invalid(field, value, message));
}

function validateHostPortConflicts(containers: unknown[], field: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((entry, containerIndex) => {
    list(record(entry).ports).forEach((portEntry, portIndex) => {
      const port = record(portEntry);
      const hostPort = num(port.hostPort);
      if (hostPort === 0) return;
      const key = `${text(port.protocol)}/${text(port.hostIP)}/${hostPort}`;
      const path = childPath(
        indexPath(childPath(indexPath(field, containerIndex), 'ports'), portIndex),
        'hostPort',
      );
      if (seen.has(key)) errors.push(duplicate(path, key));
      else seen.add(key);
    });
  });
  return errors;
}

function validateHostNetworkPorts(
  spec: Record<string, unknown>,
  field: string,
  options: PodSpecOptions,
): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errors: FieldError[] = [];
  list(spec.containers).forEach((entry, containerIndex) => {
    list(record(entry).ports).forEach((portEntry, portIndex) => {
      const port = record(portEntry);
      const hostPort = num(port.hostPort);
      // In a template an unset hostPort is fine: it is defaulted when the Pod is created.
      if ((options.isPod || hostPort !== 0) && hostPort !== num(port.containerPort)) {
        const path = childPath(
          indexPath(childPath(indexPath(childPath(field, 'containers'), containerIndex), 'ports'), portIndex),
          'hostPort',
        );
        errors.push(invalid(path, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errors;
}

function validateRestartPolicy(policy: string, field: string): FieldError[] {
  if (policy === '') return [required(field)];
  const supported = ['Always', 'OnFailure', 'Never'];
  return supported.includes(policy) ? [] : [notSupported(field, policy, supported)];
}

function validateDNSPolicy(policy: string, field: string): FieldError[] {
  if (policy === '') return [required(field)];
  const supported = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  return supported.includes(policy) ? [] : [notSupported(field, policy, supported)];
}

const MAX_ID = 2147483647;

function validateIdRange(value: unknown, field: string): FieldError[] {
  const id = optionalNum(value);
  return id !== undefined && (id < 0 || id > MAX_ID)
    ? [invalid(field, id, inclusiveRangeMessage(0, MAX_ID))]
    : [];
}

function validatePodSecurityContext(contextValue: unknown, field: string): FieldError[] {
  if (!isRecord(contextValue)) return [];
  const context = contextValue;
  const errors: FieldError[] = [
    ...validateIdRange(context.fsGroup, childPath(field, 'fsGroup')),
    ...validateIdRange(context.runAsUser, childPath(field, 'runAsUser')),
    ...validateIdRange(context.runAsGroup, childPath(field, 'runAsGroup')),
  ];
  list(context.supplementalGroups).forEach((gid, index) => {
    errors.push(...validateIdRange(gid, indexPath(childPath(field, 'supplementalGroups'), index)));
  });
  if (isSet(context.fsGroupChangePolicy)) {
    const policy = text(context.fsGroupChangePolicy);
    if (policy !== 'Always' && policy !== 'OnRootMismatch') {
      errors.push(
        notSupported(childPath(field, 'fsGroupChangePolicy'), policy, ['Always', 'OnRootMismatch']),
      );
    }
  }
  errors.push(...validateSeccompProfile(context.seccompProfile, childPath(field, 'seccompProfile')));
  return errors;
}

function validateSecurityContext(contextValue: unknown, field: string): FieldError[] {
  if (!isRecord(contextValue)) return [];
  const context = contextValue;
  const errors: FieldError[] = [
    ...validateIdRange(context.runAsUser, childPath(field, 'runAsUser')),
    ...validateIdRange(context.runAsGroup, childPath(field, 'runAsGroup')),
  ];
  if (isSet(context.procMount)) {
    const procMount = text(context.procMount);
    if (procMount !== 'Default' && procMount !== 'Unmasked') {
      errors.push(notSupported(childPath(field, 'procMount'), procMount, ['Default', 'Unmasked']));
    }
  }
  errors.push(...validateSeccompProfile(context.seccompProfile, childPath(field, 'seccompProfile')));
  if (context.allowPrivilegeEscalation === false) {
    if (context.privileged === true) {
      errors.push(
        invalid(
          field,
          goJson(context),
          'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
        ),
      );
    }
    if (stringList(record(context.capabilities).add).includes('CAP_SYS_ADMIN')) {
      errors.push(
        invalid(
          field,
          goJson(context),
          'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
        ),
      );
    }
  }
  return errors;
}

function validateSeccompProfile(profileValue: unknown, field: string): FieldError[] {
  if (!isSet(profileValue)) return [];
  const profile = record(profileValue);
  const type = text(profile.type);
  const errors: FieldError[] = [];
  if (type === '')
    errors.push(required(childPath(field, 'type'), 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)) {
    errors.push(notSupported(childPath(field, 'type'), type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  }
  if (type === 'Localhost') {
    if (!isSet(profile.localhostProfile))
      errors.push(
        required(childPath(field, 'localhostProfile'), 'must be set when seccomp type is Localhost'),
      );
    else
      errors.push(
        ...validateLocalDescendingPath(text(profile.localhostProfile), childPath(field, 'localhostProfile')),
      );
  } else if (isSet(profile.localhostProfile)) {
    errors.push(
      invalid(
        childPath(field, 'localhostProfile'),
        goJson(profile),
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return errors;
}

function validateImagePullSecrets(secretsValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  list(secretsValue).forEach((entry, index) => {
    const keys = Object.keys(record(entry)).filter((key) => key !== 'name');
    if (keys.length > 0) errors.push(invalid(indexPath(field, index), goJson(entry), 'only name may be set'));
  });
  return errors;
}

function validateAffinity(affinityValue: unknown, field: string): FieldError[] {
  if (!isRecord(affinityValue)) return [];
  const errors: FieldError[] = [];
  const nodeAffinity = record(affinityValue.nodeAffinity);
  const requiredTerms = record(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
  if (isSet(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)) {
    const termsPath = childPath(
      field,
      'nodeAffinity',
      'requiredDuringSchedulingIgnoredDuringExecution',
      'nodeSelectorTerms',
    );
    const terms = list(requiredTerms.nodeSelectorTerms);
    if (terms.length === 0) errors.push(required(termsPath, 'must have at least one node selector term'));
    terms.forEach((term, index) => {
      errors.push(...validateNodeSelectorTerm(term, indexPath(termsPath, index), false));
    });
  }
  list(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((entry, index) => {
    const path = indexPath(
      childPath(field, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'),
      index,
    );
    const weight = num(record(entry).weight);
    if (weight <= 0 || weight > 100)
      errors.push(invalid(childPath(path, 'weight'), weight, 'must be in the range 1-100'));
    errors.push(...validateNodeSelectorTerm(record(entry).preference, childPath(path, 'preference'), true));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const affinity = record(affinityValue[kind]);
    const kindPath = childPath(field, kind);
    list(affinity.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, index) => {
      errors.push(
        ...validatePodAffinityTerm(
          term,
          indexPath(childPath(kindPath, 'requiredDuringSchedulingIgnoredDuringExecution'), index),
        ),
      );
    });
    list(affinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((entry, index) => {
      const path = indexPath(childPath(kindPath, 'preferredDuringSchedulingIgnoredDuringExecution'), index);
      const weight = num(record(entry).weight);
      if (weight <= 0 || weight > 100)
        errors.push(invalid(childPath(path, 'weight'), weight, 'must be in the range 1-100'));
      errors.push(
        ...validatePodAffinityTerm(record(entry).podAffinityTerm, childPath(path, 'podAffinityTerm')),
      );
    });
  }
  return errors;
}

function validateNodeSelectorTerm(
  termValue: unknown,
  field: string,
  allowInvalidValues: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const term = record(termValue);
  list(term.matchExpressions).forEach((entry, index) => {
    const requirement = record(entry);
    const path = indexPath(childPath(field, 'matchExpressions'), index);
    const operator = text(requirement.operator);
    const values = stringList(requirement.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        errors.push(
          required(childPath(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"),
        );
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0)
        errors.push(
          forbidden(
            childPath(path, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
    } else if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1)
        errors.push(
          required(
            childPath(path, 'values'),
            "must be specified single value when `operator` is 'Lt' or 'Gt'",
          ),
        );
    } else {
      errors.push(invalid(childPath(path, 'operator'), operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(text(requirement.key), childPath(path, 'key')));
    if (!allowInvalidValues) {
      values.forEach((value, valueIndex) => {
        for (const message of checkLabelValue(value))
          errors.push(invalid(indexPath(childPath(path, 'values'), valueIndex), value, message));
      });
    }
  });
  return errors;
}

function validatePodAffinityTerm(termValue: unknown, field: string): FieldError[] {
  const term = record(termValue);
  const errors: FieldError[] = [
    ...validateLabelSelector(term.labelSelector, childPath(field, 'labelSelector')),
    ...validateLabelSelector(term.namespaceSelector, childPath(field, 'namespaceSelector')),
  ];
  for (const namespace of stringList(term.namespaces)) {
    for (const message of checkDNS1123Label(namespace))
      errors.push(invalid(childPath(field, 'namespace'), namespace, message));
  }
  const topologyKey = text(term.topologyKey);
  if (topologyKey === '') errors.push(required(childPath(field, 'topologyKey'), 'can not be empty'));
  errors.push(...validateLabelName(topologyKey, childPath(field, 'topologyKey')));
  return errors;
}

function validateTolerations(tolerationsValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  list(tolerationsValue).forEach((entry, index) => {
    const toleration = record(entry);
    const path = indexPath(field, index);
    const key = text(toleration.key);
    const operator = text(toleration.operator);
    const effect = text(toleration.effect);
    const value = text(toleration.value);
    if (key !== '') errors.push(...validateLabelName(key, childPath(path, 'key')));
    if (key === '' && operator !== 'Exists') {
      errors.push(
        invalid(
          childPath(path, 'operator'),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (isSet(toleration.tolerationSeconds) && effect !== 'NoExecute') {
      errors.push(
        invalid(
          childPath(path, 'effect'),
          effect,
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    if (operator === 'Equal' || operator === '') {
      const messages = checkLabelValue(value);
      if (messages.length > 0) errors.push(invalid(childPath(path, 'operator'), value, messages.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '')
        errors.push(
          invalid(childPath(path, 'operator'), value, "value must be empty when `operator` is 'Exists'"),
        );
    } else {
      errors.push(notSupported(childPath(path, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errors.push(
        notSupported(childPath(path, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
      );
    }
  });
  return errors;
}

function validateTopologySpreadConstraints(constraintsValue: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const constraints = list(constraintsValue).map(record);
  constraints.forEach((constraint, index) => {
    const path = indexPath(field, index);
    const maxSkew = num(constraint.maxSkew);
    if (maxSkew <= 0) errors.push(invalid(childPath(path, 'maxSkew'), maxSkew, 'must be greater than zero'));
    if (text(constraint.topologyKey) === '')
      errors.push(required(childPath(path, 'topologyKey'), 'can not be empty'));
    const action = text(constraint.whenUnsatisfiable);
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway') {
      errors.push(
        notSupported(childPath(path, 'whenUnsatisfiable'), action, ['DoNotSchedule', 'ScheduleAnyway']),
      );
    }
    const repeated = constraints
      .slice(index + 1)
      .some(
        (other) =>
          text(other.topologyKey) === text(constraint.topologyKey) &&
          text(other.whenUnsatisfiable) === action,
      );
    if (repeated) {
      errors.push(
        duplicate(
          childPath(path, '{topologyKey, whenUnsatisfiable}'),
          `{${text(constraint.topologyKey)}, ${action}}`,
        ),
      );
    }
    errors.push(...validateLabelSelector(constraint.labelSelector, childPath(path, 'labelSelector')));
  });
  return errors;
}

function validateDNSConfig(configValue: unknown, dnsPolicy: string, field: string): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!isSet(configValue)) return [required(field, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(record(configValue).nameservers).length === 0) {
      return [
        required(
          childPath(field, 'nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
    }
  }
  if (!isSet(configValue)) return [];
  const config = record(configValue);
  const errors: FieldError[] = [];
  const nameservers = stringList(config.nameservers);
  if (nameservers.length > 3)
    errors.push(
      invalid(childPath(field, 'nameservers'), goJson(nameservers), 'must not have more than 3 nameservers'),
    );
  nameservers.forEach((server, index) => {
    for (const message of checkIPAddress(server))
      errors.push(invalid(indexPath(childPath(field, 'nameservers'), index), server, message));
  });
  const searches = stringList(config.searches);
  if (searches.length > 32)
    errors.push(
      invalid(childPath(field, 'searches'), goJson(searches), 'must not have more than 32 search paths'),
    );
  searches.forEach((search, index) => {
    const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
    for (const message of checkDNS1123Subdomain(trimmed))
      errors.push(invalid(indexPath(childPath(field, 'searches'), index), trimmed, message));
  });
  list(config.options).forEach((option, index) => {
    if (text(record(option).name) === '')
      errors.push(required(indexPath(childPath(field, 'options'), index), 'must not be empty'));
  });
  return errors;
}

/** Checks a Pod's spec cannot carry on create: ephemeral containers, untrimmed images. */
export function validatePodOnlyRules(spec: Record<string, unknown>, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['containers', 'initContainers'] as const) {
    list(spec[key]).forEach((entry, index) => {
      const image = text(record(entry).image);
      if (image !== image.trim()) {
        errors.push(
          invalid(
            childPath(indexPath(childPath(field, key), index), 'image'),
            image,
            'must not have leading or trailing whitespace',
          ),
        );
      }
    });
  }
  return errors;
}

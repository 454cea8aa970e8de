/**
 * Rules for the core kinds besides Service: Pod, ConfigMap, Secret, PersistentVolumeClaim,
 * ServiceAccount, ResourceQuota, Namespace and Event (Kubernetes' core validation), on create and
 * on update.
 */
import {
  childPath,
  type FieldError,
  forbidden,
  invalid,
  keyPath,
  notSupported,
  required,
  tooLong,
} from './field-errors.ts';
import { goJson, goNull, goStringSlice } from './go-values.ts';
import {
  isRecord,
  isSet,
  list,
  optionalNum,
  record,
  semanticEqual,
  stringList,
  stringMap,
  text,
} from './json-access.ts';
import {
  byteLength,
  checkConfigMapKey,
  checkDNS1123Subdomain,
  checkQualifiedName,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from './name-rules.ts';
import {
  IMMUTABLE_MESSAGE,
  validateKubeFinalizerName,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.ts';
import { validatePodOnlyRules, validatePodSpec, validatePodSpecificAnnotations } from './pod-spec.ts';
import { compareQuantities, formatQuantity, isZeroQuantity, parseQuantity } from './quantity.ts';
import { validateQuotaResourceName, validateResourceQuantityValue } from './resource-names.ts';

/** ConfigMaps and Secrets hold at most 1 MiB of data. */
export const MAX_DATA_SIZE = 1024 * 1024;

const UPDATABLE_POD_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validatePodMetadataAndSpec(pod: Record<string, unknown>): FieldError[] {
  const metadata = record(pod.metadata);
  const spec = record(pod.spec);
  const errors = [
    ...validateObjectMeta(metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    ...validatePodSpecificAnnotations(metadata.annotations, 'metadata.annotations'),
    ...validatePodSpec(spec, 'spec', { isPod: true }),
  ];
  if (text(spec.serviceAccountName) === '') {
    list(spec.volumes).forEach((volume, volumeIndex) => {
      list(record(record(volume).projected).sources).forEach((source, sourceIndex) => {
        if (isSet(record(source).serviceAccountToken)) {
          errors.push(
            forbidden(
              `spec.volumes[${volumeIndex}].projected.sources[${sourceIndex}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  errors.push(...validatePodOnlyRules(spec, 'spec'));
  return errors;
}

/** A line per changed top-level spec field, standing in for upstream's go-cmp diff. */
function describeSpecDiff(oldSpec: Record<string, unknown>, newSpec: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const key of keys) {
    if (semanticEqual(oldSpec[key], newSpec[key])) continue;
    const name = key.charAt(0).toUpperCase() + key.slice(1);
    lines.push(`- \t${name}: ${goJson(oldSpec[key]).text},`);
    lines.push(`+ \t${name}: ${goJson(newSpec[key]).text},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

/** A Pod on create, or on update when `old` is given (only images, deadlines and tolerations may change). */
export function validatePod(object: unknown, old?: unknown): FieldError[] {
  const pod = record(object);
  const spec = record(pod.spec);
  if (!old) {
    const errors = validatePodMetadataAndSpec(pod);
    if (list(spec.ephemeralContainers).length > 0)
      errors.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    if (text(spec.nodeName) !== '' && list(spec.schedulingGates).length > 0) {
      errors.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
    }
    return errors;
  }
  const oldPod = record(old);
  const oldSpec = record(oldPod.spec);
  const errors = [
    ...validateObjectMetaUpdate(pod.metadata, oldPod.metadata),
    ...validatePodMetadataAndSpec(pod),
  ];
  for (const key of ['containers', 'initContainers'] as const) {
    const next = list(spec[key]);
    if (next.length !== list(oldSpec[key]).length) {
      errors.push(forbidden(`spec.${key}`, 'pod updates may not add or remove containers'));
      return errors;
    }
    next.forEach((container, index) => {
      const image = text(record(container).image);
      if (image === '') errors.push(required(`spec.${key}[${index}].image`));
    });
  }
  const newDeadline = optionalNum(spec.activeDeadlineSeconds);
  const oldDeadline = optionalNum(oldSpec.activeDeadlineSeconds);
  if (newDeadline !== undefined) {
    if (newDeadline < 0 || newDeadline > 2147483647) {
      errors.push(
        invalid('spec.activeDeadlineSeconds', newDeadline, 'must be between 0 and 2147483647, inclusive'),
      );
      return errors;
    }
    if (oldDeadline !== undefined && oldDeadline < newDeadline) {
      errors.push(
        invalid('spec.activeDeadlineSeconds', newDeadline, 'must be less than or equal to previous value'),
      );
      return errors;
    }
  } else if (oldDeadline !== undefined) {
    errors.push(
      invalid('spec.activeDeadlineSeconds', goNull(), 'must not update from a positive integer to nil value'),
    );
  }
  const oldTolerations = list(oldSpec.tolerations).map(record);
  const newTolerations = list(spec.tolerations).map(record);
  const tolerationKept = (old: Record<string, unknown>) =>
    newTolerations.some((candidate) =>
      semanticEqual({ ...old, tolerationSeconds: candidate.tolerationSeconds }, candidate),
    );
  if (!oldTolerations.every(tolerationKept)) {
    errors.push(
      forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'),
    );
  }
  // Compare what is left once the updatable fields are taken from the old spec.
  const munged: Record<string, unknown> = { ...spec };
  for (const key of ['containers', 'initContainers'] as const) {
    if (isSet(spec[key])) {
      munged[key] = list(spec[key]).map((container, index) => ({
        ...record(container),
        image: record(list(oldSpec[key])[index]).image,
      }));
    }
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  munged.schedulingGates = oldSpec.schedulingGates;
  const oldGrace = optionalNum(oldSpec.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && optionalNum(munged.terminationGracePeriodSeconds) === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  if (!semanticEqual(munged, oldSpec)) {
    errors.push(
      forbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_FIELDS.join(',')}\n${describeSpecDiff(oldSpec, munged)}`,
      ),
    );
  }
  return errors;
}

/** Base64 payload size as Go sees []byte after decoding. */
function decodedLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

/** A ConfigMap on create, or on update when `old` is given. */
export function validateConfigMap(object: unknown, old?: unknown): FieldError[] {
  const configMap = record(object);
  const errors: FieldError[] = [];
  if (old) {
    const oldMap = record(old);
    errors.push(...validateObjectMetaUpdate(configMap.metadata, oldMap.metadata));
    errors.push(...validateImmutableData(configMap, oldMap, ['data', 'binaryData']));
  }
  errors.push(...validateObjectMeta(configMap.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }));
  const data = stringMap(configMap.data) ?? {};
  const binaryData = record(configMap.binaryData);
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const message of checkConfigMapKey(key)) errors.push(invalid(keyPath('data', key), key, message));
    if (key in binaryData)
      errors.push(invalid(keyPath('data', key), key, 'duplicate of key present in binaryData'));
    total += byteLength(value);
  }
  for (const [key, value] of Object.entries(binaryData)) {
    for (const message of checkConfigMapKey(key))
      errors.push(invalid(keyPath('binaryData', key), key, message));
    total += decodedLength(value);
  }
  // Upstream reports the size against an empty path, which prints as `[]`.
  if (total > MAX_DATA_SIZE) errors.push(tooLong('[]', MAX_DATA_SIZE));
  return errors;
}

function validateImmutableData(
  next: Record<string, unknown>,
  prev: Record<string, unknown>,
  fields: readonly string[],
): FieldError[] {
  if (prev.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (next.immutable !== true)
    errors.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const field of fields) {
    if (!semanticEqual(next[field], prev[field]))
      errors.push(forbidden(field, 'field is immutable when `immutable` is set'));
  }
  return errors;
}

/** Go's json.Unmarshal error for a payload that is not a JSON object, close to its wording. */
function jsonObjectError(base64: unknown): string | undefined {
  const textValue = typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('utf8') : '';
  try {
    const parsed: unknown = JSON.parse(textValue);
    if (!isRecord(parsed))
      return `json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`;
    return undefined;
  } catch {
    const trimmed = textValue.trim();
    if (trimmed === '') return 'unexpected end of JSON input';
    return `invalid character '${trimmed.charAt(0)}' looking for beginning of value`;
  }
}

/** A Secret on create, or on update when `old` is given. `stringData` counts as data, as upstream merges it on decode. */
export function validateSecret(object: unknown, old?: unknown): FieldError[] {
  const secret = record(object);
  const errors: FieldError[] = [];
  if (old) {
    const oldSecret = record(old);
    errors.push(...validateObjectMetaUpdate(secret.metadata, oldSecret.metadata));
    const type = text(secret.type) || 'Opaque';
    const oldType = text(oldSecret.type) || 'Opaque';
    if (type !== oldType) errors.push(invalid('type', type, IMMUTABLE_MESSAGE));
    errors.push(...validateImmutableData(secret, oldSecret, ['data']));
  }
  errors.push(...validateObjectMeta(secret.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }));
  const data = record(secret.data);
  const stringData = stringMap(secret.stringData) ?? {};
  const keys = new Set([...Object.keys(data), ...Object.keys(stringData)]);
  let total = 0;
  for (const key of keys) {
    for (const message of checkConfigMapKey(key)) errors.push(invalid(keyPath('data', key), key, message));
    total += key in stringData ? byteLength(stringData[key] ?? '') : decodedLength(data[key]);
  }
  if (total > MAX_DATA_SIZE) errors.push(tooLong('data', MAX_DATA_SIZE));
  const has = (key: string) => keys.has(key);
  const type = text(secret.type);
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = stringMap(record(secret.metadata).annotations) ?? {};
      if (!annotations['kubernetes.io/service-account.name']) {
        errors.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        errors.push(required(keyPath('data', key)));
        break;
      }
      const payload = key in stringData ? Buffer.from(stringData[key] ?? '').toString('base64') : data[key];
      const problem = jsonObjectError(payload);
      if (problem) errors.push(invalid(keyPath('data', key), '<secret contents redacted>', problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        errors.push(required('data[username]'));
        errors.push(required('data[password]'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (
        !has('ssh-privatekey') ||
        (decodedLength(data['ssh-privatekey']) === 0 && !(stringData['ssh-privatekey'] ?? ''))
      ) {
        errors.push(required('data[ssh-privatekey]'));
      }
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errors.push(required('data[tls.crt]'));
      if (!has('tls.key')) errors.push(required('data[tls.key]'));
      break;
    default:
      break;
  }
  return errors;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** A PersistentVolumeClaim spec, also used for the claim templates of StatefulSets. */
export function validatePersistentVolumeClaimSpec(specValue: unknown, field: string): FieldError[] {
  const spec = record(specValue);
  const errors: FieldError[] = [];
  const modes = stringList(spec.accessModes);
  if (modes.length === 0)
    errors.push(required(childPath(field, 'accessModes'), 'at least 1 access mode is required'));
  if (isSet(spec.selector))
    errors.push(...validateLabelSelector(spec.selector, childPath(field, 'selector')));
  let readWriteOncePod = false;
  let otherMode = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(mode))
      errors.push(notSupported(childPath(field, 'accessModes'), mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') readWriteOncePod = true;
    else if (ACCESS_MODES.includes(mode)) otherMode = true;
  }
  if (readWriteOncePod && otherMode)
    errors.push(
      forbidden(childPath(field, 'accessModes'), 'may not use ReadWriteOncePod with other access modes'),
    );
  const storagePath = keyPath(childPath(field, 'resources'), 'storage');
  const requests = record(record(spec.resources).requests);
  if (!('storage' in requests)) {
    errors.push(required(storagePath));
  } else {
    const storage = parseQuantity(requests.storage);
    if (storage && (storage.negative || isZeroQuantity(storage))) {
      errors.push(invalid(storagePath, formatQuantity(storage), 'must be greater than zero'));
    } else {
      errors.push(...validateResourceQuantityValue('storage', requests.storage, storagePath));
    }
  }
  const storageClass = text(spec.storageClassName);
  if (storageClass !== '') {
    for (const message of nameIsDNSSubdomain(storageClass, false))
      errors.push(invalid(childPath(field, 'storageClassName'), storageClass, message));
  }
  if (isSet(spec.volumeMode)) {
    const mode = text(spec.volumeMode);
    if (mode !== 'Block' && mode !== 'Filesystem')
      errors.push(notSupported(childPath(field, 'volumeMode'), mode, ['Block', 'Filesystem']));
  }
  for (const key of ['dataSource', 'dataSourceRef'] as const) {
    if (!isSet(spec[key])) continue;
    const source = record(spec[key]);
    const path = childPath(field, key);
    if (text(source.name) === '') errors.push(required(childPath(path, 'name')));
    if (text(source.kind) === '') errors.push(required(childPath(path, 'kind')));
    const group = text(source.apiGroup);
    if (group === '' && text(source.kind) !== 'PersistentVolumeClaim') {
      errors.push(
        invalid(
          path,
          text(source.kind),
          "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ),
      );
    }
    if (group !== '')
      for (const message of checkDNS1123Subdomain(group))
        errors.push(invalid(childPath(path, 'apiGroup'), group, message));
  }
  return errors;
}

/** A PersistentVolumeClaim on create, or on update when `old` is given. */
export function validatePersistentVolumeClaim(object: unknown, old?: unknown): FieldError[] {
  const claim = record(object);
  const spec = record(claim.spec);
  const errors: FieldError[] = [];
  if (old) errors.push(...validateObjectMetaUpdate(claim.metadata, record(old).metadata));
  errors.push(...validateObjectMeta(claim.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }));
  errors.push(...validatePersistentVolumeClaimSpec(spec, 'spec'));
  if (!old) return errors;
  const oldSpec = record(record(old).spec);
  const nextView: Record<string, unknown> = structuredClone(spec);
  const prevView: Record<string, unknown> = structuredClone(oldSpec);
  // The volume binder may set volumeName once; a bound claim may grow its storage request.
  if (text(oldSpec.volumeName) === '') prevView.volumeName = nextView.volumeName;
  const bound = text(record(claim.status).phase) === 'Bound';
  if (bound && isRecord(record(nextView.resources).requests)) {
    const requests = record(record(nextView.resources).requests);
    requests.storage = record(record(oldSpec.resources).requests).storage;
    nextView.volumeAttributesClassName = prevView.volumeAttributesClassName;
  }
  if (!semanticEqual(nextView, prevView)) {
    errors.push(
      forbidden(
        'spec',
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${describeClaimDiff(prevView, nextView)}`,
      ),
    );
  }
  const oldSize = parseQuantity(record(record(oldSpec.resources).requests).storage);
  const newSize = parseQuantity(record(record(spec.resources).requests).storage);
  if (oldSize && newSize && compareQuantities(newSize, oldSize) < 0) {
    errors.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  if (text(spec.volumeMode) !== text(oldSpec.volumeMode)) {
    const mode = isSet(spec.volumeMode) ? text(spec.volumeMode) : goNull();
    errors.push(invalid('volumeMode', mode, IMMUTABLE_MESSAGE));
  }
  return errors;
}

function describeClaimDiff(prev: Record<string, unknown>, next: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
  const lines = ['  core.PersistentVolumeClaimSpec{'];
  for (const key of keys) {
    if (semanticEqual(prev[key], next[key])) continue;
    const name = key.charAt(0).toUpperCase() + key.slice(1);
    lines.push(`- \t${name}: ${goJson(prev[key]).text},`);
    lines.push(`+ \t${name}: ${goJson(next[key]).text},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

/** A ServiceAccount: only its metadata is checked. */
export function validateServiceAccount(object: unknown, old?: unknown): FieldError[] {
  const account = record(object);
  const errors: FieldError[] = old ? validateObjectMetaUpdate(account.metadata, record(old).metadata) : [];
  errors.push(...validateObjectMeta(account.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }));
  return errors;
}

const QUOTA_SCOPES = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
  'VolumeAttributesClass',
];
const POD_COMPUTE_RESOURCES = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);

function scopeAppliesTo(scope: string, resource: string): boolean {
  switch (scope) {
    case 'BestEffort':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods';
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
      return resource === 'pods' || POD_COMPUTE_RESOURCES.has(resource);
    default:
      return true;
  }
}

function validateQuotaResources(resources: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(record(resources))) {
    const path = keyPath(field, name);
    errors.push(...validateQuotaResourceName(name, path));
    errors.push(...validateResourceQuantityValue(name, value, path));
  }
  return errors;
}

function validateQuotaSpec(specValue: unknown): FieldError[] {
  const spec = record(specValue);
  const errors = validateQuotaResources(spec.hard, 'spec.hard');
  const scopes = stringList(spec.scopes);
  const hardNames = Object.keys(record(spec.hard)).sort();
  const scopesValue = goStringSlice(scopes, '[]core.ResourceQuotaScope');
  for (const scope of scopes) {
    if (!QUOTA_SCOPES.includes(scope)) errors.push(invalid('spec.scopes', scopesValue, 'unsupported scope'));
    for (const name of hardNames) {
      if (
        validateQuotaResourceName(name, '').length === 0 &&
        !name.includes('/') &&
        !scopeAppliesTo(scope, name)
      ) {
        errors.push(invalid('spec.scopes', scopesValue, 'unsupported scope applied to resource'));
      }
    }
  }
  const conflicting = [
    ['BestEffort', 'NotBestEffort'],
    ['Terminating', 'NotTerminating'],
  ];
  for (const [a, b] of conflicting) {
    if (scopes.includes(a ?? '') && scopes.includes(b ?? ''))
      errors.push(invalid('spec.scopes', scopesValue, 'conflicting scopes'));
  }
  return errors;
}

/** A ResourceQuota on create, or on update when `old` is given (its scopes never change). */
export function validateResourceQuota(object: unknown, old?: unknown): FieldError[] {
  const quota = record(object);
  if (!old) {
    return [
      ...validateObjectMeta(quota.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }),
      ...validateQuotaSpec(quota.spec),
      ...validateQuotaResources(record(quota.status).hard, 'status.hard'),
      ...validateQuotaResources(record(quota.status).used, 'status.used'),
    ];
  }
  const errors = [
    ...validateObjectMetaUpdate(quota.metadata, record(old).metadata),
    ...validateQuotaSpec(quota.spec),
  ];
  const newScopes = new Set(stringList(record(quota.spec).scopes));
  const oldScopes = new Set(stringList(record(record(old).spec).scopes));
  if (newScopes.size !== oldScopes.size || [...newScopes].some((scope) => !oldScopes.has(scope))) {
    errors.push(
      invalid(
        'spec.scopes',
        goStringSlice(stringList(record(quota.spec).scopes), '[]core.ResourceQuotaScope'),
        IMMUTABLE_MESSAGE,
      ),
    );
  }
  return errors;
}

/** A Namespace on create (its name is a DNS label; it has no namespace), or on update. */
export function validateNamespace(object: unknown, old?: unknown): FieldError[] {
  const namespace = record(object);
  if (old) return validateObjectMetaUpdate(namespace.metadata, record(old).metadata);
  const errors = validateObjectMeta(namespace.metadata, { namespaced: false, nameRule: nameIsDNSLabel });
  for (const finalizer of stringList(record(namespace.spec).finalizers)) {
    for (const message of checkQualifiedName(finalizer))
      errors.push(invalid('spec.finalizers', finalizer, message));
    errors.push(...validateKubeFinalizerName(finalizer, 'spec.finalizers'));
  }
  return errors;
}

/**
 * A core/v1 Event. The v1 API applies only the legacy rules: the event's namespace must match the
 * involved object's, and events with an eventTime must name their reporter, action and reason.
 */
export function validateEvent(object: unknown): FieldError[] {
  const event = record(object);
  const errors: FieldError[] = [];
  const namespace = text(record(event.metadata).namespace);
  const involvedNamespace = text(record(event.involvedObject).namespace);
  if (!isSet(event.eventTime)) {
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') {
        errors.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
      }
    } else if (namespace !== involvedNamespace) {
      errors.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') {
      errors.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
    }
    const controller = text(event.reportingComponent);
    if (controller === '') errors.push(required('reportingController'));
    for (const message of checkQualifiedName(controller))
      errors.push(invalid('reportingController', controller, message));
    const instance = text(event.reportingInstance);
    if (instance === '') errors.push(required('reportingInstance'));
    if (instance.length > 128)
      errors.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    const action = text(event.action);
    if (action === '') errors.push(required('action'));
    if (action.length > 128) errors.push(invalid('action', '', 'can have at most 128 characters'));
    const reason = text(event.reason);
    if (reason === '') errors.push(required('reason'));
    if (reason.length > 128) errors.push(invalid('reason', '', 'can have at most 128 characters'));
    if (text(event.message).length > 1024)
      errors.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const message of checkDNS1123Subdomain(namespace))
    errors.push(invalid('namespace', namespace, message));
  return errors;
}

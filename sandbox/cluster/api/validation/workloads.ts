/**
 * Workload rules (Kubernetes' apps validation plus the apps registry strategies): Deployment,
 * ReplicaSet, DaemonSet, StatefulSet and ControllerRevision, on create and on update.
 */
import { childPath, type FieldError, forbidden, invalid, notSupported, required } from './field-errors.ts';
import { formatPointer, formatStruct, goIntOrString, goQuote, goStringMap } from './go-values.ts';
import { isSet, num, optionalNum, record, semanticEqual, stringMap, text } from './json-access.ts';
import { checkPercent, nameIsDNSLabel, nameIsDNSSubdomain } from './name-rules.ts';
import {
  type CompiledSelector,
  compileLabelSelector,
  isEmptySelector,
  selectorMatches,
  selectorValue,
  validateAnnotations,
  validateImmutableSelector,
  validateLabelSelector,
  validateLabels,
  validateNonNegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.ts';
import { validatePodSpecificAnnotations, validatePodTemplateSpec } from './pod-spec.ts';

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/** An IntOrString that is a valid percentage: its number, e.g. 25 for "25%". */
function percentValue(value: unknown): number | undefined {
  if (typeof value !== 'string' || checkPercent(value).length > 0) return undefined;
  return Number(value.slice(0, -1));
}

/** upstream getIntOrPercentValue: a percentage's number, an int, or a numeric string's value (else 0). */
function intOrPercentValue(value: unknown): number {
  const percent = percentValue(value);
  if (percent !== undefined) return percent;
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) return Number(value);
  return 0;
}

/** A non-negative int or a well-formed percentage. */
function validatePositiveIntOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string')
    return checkPercent(value).map((message) => invalid(field, goIntOrString(value), message));
  return validateNonNegative(typeof value === 'number' ? Math.trunc(value) : 0, field);
}

function validateNotMoreThan100Percent(value: unknown, field: string): FieldError[] {
  const percent = percentValue(value);
  return percent !== undefined && percent > 100
    ? [invalid(field, goIntOrString(value), 'must not be greater than 100%')]
    : [];
}

function templateLabels(template: unknown): Record<string, string> | undefined {
  return stringMap(record(record(template).metadata).labels);
}

/** ValidatePodTemplateSpecForReplicaSet: the template must match the selector and always restart. */
function validateTemplateForReplicaSet(
  template: unknown,
  selector: CompiledSelector,
  field: string,
  owner: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const labels = templateLabels(template);
  if (selector.kind !== 'everything' && !selectorMatches(selector, labels ?? {})) {
    errors.push(invalid(childPath(field, 'metadata', 'labels'), goStringMap(labels), SELECTOR_MISMATCH));
  }
  errors.push(...validatePodTemplateSpec(template, field));
  errors.push(...validateAlwaysRestart(template, field, owner));
  return errors;
}

function validateAlwaysRestart(template: unknown, field: string, owner: string): FieldError[] {
  const spec = record(record(template).spec);
  const errors: FieldError[] = [];
  const restartPolicy = text(spec.restartPolicy);
  if (restartPolicy !== 'Always')
    errors.push(notSupported(childPath(field, 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (isSet(spec.activeDeadlineSeconds)) {
    errors.push(
      forbidden(
        childPath(field, 'spec', 'activeDeadlineSeconds'),
        `activeDeadlineSeconds in ${owner} is not Supported`,
      ),
    );
  }
  return errors;
}

/** The selector checks shared by Deployments and ReplicaSets, then their template. */
function validateSelectorAndTemplate(spec: Record<string, unknown>, owner: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isSet(spec.selector)) {
    errors.push(required('spec.selector'));
  } else {
    errors.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    // Upstream says "deployment" for ReplicaSets too.
    if (isEmptySelector(spec.selector))
      errors.push(
        invalid('spec.selector', selectorValue(spec.selector), 'empty selector is invalid for deployment'),
      );
  }
  const selector = compileLabelSelector(spec.selector);
  if (selector.kind === 'invalid')
    errors.push(invalid('spec.selector', selectorValue(spec.selector), 'invalid label selector'));
  else errors.push(...validateTemplateForReplicaSet(spec.template, selector, 'spec.template', owner));
  return errors;
}

function deploymentStrategyValue(strategy: Record<string, unknown>) {
  return {
    json: strategy,
    text: formatStruct('apps.DeploymentStrategy', [
      ['Type', goQuote(text(strategy.type))],
      ['RollingUpdate', formatPointer('apps.RollingUpdateDeployment', isSet(strategy.rollingUpdate))],
    ]),
  };
}

function validateDeploymentStrategy(strategyValue: unknown, field: string): FieldError[] {
  const strategy = record(strategyValue);
  const type = text(strategy.type);
  const rollingPath = childPath(field, 'rollingUpdate');
  if (type === 'Recreate') {
    return isSet(strategy.rollingUpdate)
      ? [forbidden(rollingPath, "may not be specified when strategy `type` is 'Recreate'")]
      : [];
  }
  if (type === 'RollingUpdate') {
    if (!isSet(strategy.rollingUpdate))
      return [required(rollingPath, 'this should be defaulted and never be nil')];
    const rolling = record(strategy.rollingUpdate);
    const errors = [
      ...validatePositiveIntOrPercent(rolling.maxUnavailable, childPath(rollingPath, 'maxUnavailable')),
      ...validatePositiveIntOrPercent(rolling.maxSurge, childPath(rollingPath, 'maxSurge')),
    ];
    if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
      errors.push(
        invalid(
          childPath(rollingPath, 'maxUnavailable'),
          goIntOrString(rolling.maxUnavailable),
          'may not be 0 when `maxSurge` is 0',
        ),
      );
    }
    errors.push(
      ...validateNotMoreThan100Percent(rolling.maxUnavailable, childPath(rollingPath, 'maxUnavailable')),
    );
    return errors;
  }
  return [notSupported(field, deploymentStrategyValue(strategy), ['Recreate', 'RollingUpdate'])];
}

/** A Deployment on create, or on update when `old` is given. */
export function validateDeployment(object: unknown, old?: unknown): FieldError[] {
  const deployment = record(object);
  const spec = record(deployment.spec);
  const errors: FieldError[] = old
    ? validateObjectMetaUpdate(deployment.metadata, record(old).metadata)
    : validateObjectMeta(deployment.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain });
  errors.push(...validateNonNegative(num(spec.replicas), 'spec.replicas'));
  errors.push(...validateSelectorAndTemplate(spec, 'ReplicaSet'));
  errors.push(...validateDeploymentStrategy(spec.strategy, 'spec.strategy'));
  const minReadySeconds = num(spec.minReadySeconds);
  errors.push(...validateNonNegative(minReadySeconds, 'spec.minReadySeconds'));
  const historyLimit = optionalNum(spec.revisionHistoryLimit);
  if (historyLimit !== undefined)
    errors.push(...validateNonNegative(historyLimit, 'spec.revisionHistoryLimit'));
  const deadline = optionalNum(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errors.push(...validateNonNegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= minReadySeconds)
      errors.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  if (old)
    errors.push(
      ...validateImmutableSelector(spec.selector, record(record(old).spec).selector, 'spec.selector'),
    );
  return errors;
}

/** A ReplicaSet on create, or on update when `old` is given. */
export function validateReplicaSet(object: unknown, old?: unknown): FieldError[] {
  const replicaSet = record(object);
  const spec = record(replicaSet.spec);
  const errors: FieldError[] = old
    ? validateObjectMetaUpdate(replicaSet.metadata, record(old).metadata)
    : validateObjectMeta(replicaSet.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain });
  errors.push(...validateNonNegative(num(spec.replicas), 'spec.replicas'));
  errors.push(...validateNonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errors.push(...validateSelectorAndTemplate(spec, 'ReplicaSet'));
  if (old)
    errors.push(
      ...validateImmutableSelector(spec.selector, record(record(old).spec).selector, 'spec.selector'),
    );
  return errors;
}

function daemonSetStrategyValue(strategy: Record<string, unknown>) {
  return {
    json: strategy,
    text: formatStruct('apps.DaemonSetUpdateStrategy', [
      ['Type', goQuote(text(strategy.type))],
      ['RollingUpdate', formatPointer('apps.RollingUpdateDaemonSet', isSet(strategy.rollingUpdate))],
    ]),
  };
}

function validateDaemonSetUpdateStrategy(strategyValue: unknown, field: string): FieldError[] {
  const strategy = record(strategyValue);
  const type = text(strategy.type);
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate')
    return [notSupported(field, daemonSetStrategyValue(strategy), ['RollingUpdate', 'OnDelete'])];
  const rollingPath = childPath(field, 'rollingUpdate');
  if (!isSet(strategy.rollingUpdate)) return [required(rollingPath)];
  const rolling = record(strategy.rollingUpdate);
  const unavailablePath = childPath(rollingPath, 'maxUnavailable');
  const surgePath = childPath(rollingPath, 'maxSurge');
  const errors = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, unavailablePath),
    ...validatePositiveIntOrPercent(rolling.maxSurge, surgePath),
    ...validateNotMoreThan100Percent(rolling.maxUnavailable, unavailablePath),
    ...validateNotMoreThan100Percent(rolling.maxSurge, surgePath),
  ];
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errors.push(
      invalid(surgePath, goIntOrString(rolling.maxSurge), 'may not be set when maxUnavailable is non-zero'),
    );
  } else if (!hasUnavailable && !hasSurge) {
    errors.push(required(unavailablePath, 'cannot be 0 when maxSurge is 0'));
  }
  return errors;
}

/** A DaemonSet on create, or on update when `old` is given. */
export function validateDaemonSet(object: unknown, old?: unknown): FieldError[] {
  const daemonSet = record(object);
  const spec = record(daemonSet.spec);
  const errors: FieldError[] = old
    ? validateObjectMetaUpdate(daemonSet.metadata, record(old).metadata)
    : validateObjectMeta(daemonSet.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain });
  errors.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const selector = compileLabelSelector(spec.selector);
  const labels = templateLabels(spec.template);
  if (selector.kind !== 'invalid' && !selectorMatches(selector, labels ?? {})) {
    errors.push(invalid('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
  }
  if (isSet(spec.selector) && isEmptySelector(spec.selector)) {
    errors.push(
      invalid('spec.selector', selectorValue(spec.selector), 'empty selector is invalid for daemonset'),
    );
  }
  errors.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  errors.push(...validateAlwaysRestart(spec.template, 'spec.template', 'DaemonSet'));
  errors.push(...validateNonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errors.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  const historyLimit = optionalNum(spec.revisionHistoryLimit);
  if (historyLimit !== undefined)
    errors.push(...validateNonNegative(historyLimit, 'spec.revisionHistoryLimit'));
  if (old)
    errors.push(
      ...validateImmutableSelector(spec.selector, record(record(old).spec).selector, 'spec.selector'),
    );
  return errors;
}

function statefulSetRollingValue(rolling: Record<string, unknown>) {
  return {
    json: rolling,
    text: formatStruct('apps.RollingUpdateStatefulSetStrategy', [
      ['Partition', String(num(rolling.partition))],
      ['MaxUnavailable', formatPointer('intstr.IntOrString', isSet(rolling.maxUnavailable))],
    ]),
  };
}

function statefulSetStrategyValue(strategy: Record<string, unknown>) {
  return {
    json: strategy,
    text: formatStruct('apps.StatefulSetUpdateStrategy', [
      ['Type', goQuote(text(strategy.type))],
      [
        'RollingUpdate',
        formatPointer('apps.RollingUpdateStatefulSetStrategy', isSet(strategy.rollingUpdate)),
      ],
    ]),
  };
}

function validateStatefulSetSpec(spec: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const policy = text(spec.podManagementPolicy);
  if (policy === '') errors.push(required('spec.podManagementPolicy'));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errors.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = record(spec.updateStrategy);
  const strategyType = text(strategy.type);
  if (strategyType === '') {
    errors.push(required('spec.updateStrategy'));
  } else if (strategyType === 'OnDelete') {
    if (isSet(strategy.rollingUpdate)) {
      errors.push(
        invalid(
          'spec.updateStrategy.rollingUpdate',
          statefulSetRollingValue(record(strategy.rollingUpdate)),
          "only allowed for updateStrategy 'RollingUpdate'",
        ),
      );
    }
  } else if (strategyType === 'RollingUpdate') {
    if (isSet(strategy.rollingUpdate)) {
      const rolling = record(strategy.rollingUpdate);
      errors.push(
        ...validateNonNegative(num(rolling.partition), 'spec.updateStrategy.rollingUpdate.partition'),
      );
      if (isSet(rolling.maxUnavailable)) {
        const path = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
        errors.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, path));
        if (intOrPercentValue(rolling.maxUnavailable) === 0)
          errors.push(invalid(path, goIntOrString(rolling.maxUnavailable), 'cannot be 0'));
        errors.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, path));
      }
    }
  } else {
    errors.push(
      invalid(
        'spec.updateStrategy',
        statefulSetStrategyValue(strategy),
        "must be 'RollingUpdate' or 'OnDelete'",
      ),
    );
  }
  if (isSet(spec.persistentVolumeClaimRetentionPolicy)) {
    const retention = record(spec.persistentVolumeClaimRetentionPolicy);
    for (const key of ['whenDeleted', 'whenScaled'] as const) {
      const value = text(retention[key]);
      if (value !== 'Retain' && value !== 'Delete') {
        errors.push(
          notSupported(`spec.persistentVolumeClaimRetentionPolicy.${key}`, value, ['Retain', 'Delete']),
        );
      }
    }
  }
  errors.push(...validateNonNegative(num(spec.replicas), 'spec.replicas'));
  errors.push(...validateNonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  if (isSet(spec.ordinals))
    errors.push(...validateNonNegative(num(record(spec.ordinals).start), 'spec.ordinals.start'));
  if (!isSet(spec.selector)) {
    errors.push(required('spec.selector'));
  } else {
    errors.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (isEmptySelector(spec.selector)) {
      errors.push(
        invalid('spec.selector', selectorValue(spec.selector), 'empty selector is invalid for statefulset'),
      );
    }
  }
  const selector = compileLabelSelector(spec.selector);
  if (selector.kind === 'invalid') {
    errors.push(invalid('spec.selector', selectorValue(spec.selector), ''));
  } else {
    // Kubernetes 1.32 checks only the template's metadata for StatefulSets, not its pod spec.
    const labels = templateLabels(spec.template);
    if (selector.kind !== 'everything' && !selectorMatches(selector, labels ?? {})) {
      errors.push(invalid('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
    }
    const metadata = record(record(spec.template).metadata);
    errors.push(...validateLabels(metadata.labels, 'spec.template.labels'));
    errors.push(...validateAnnotations(metadata.annotations, 'spec.template.annotations'));
    errors.push(...validatePodSpecificAnnotations(metadata.annotations, 'spec.template.annotations'));
  }
  errors.push(...validateAlwaysRestart(spec.template, 'spec.template', 'StatefulSet'));
  return errors;
}

/** Spec fields of a StatefulSet that may change after creation. */
const MUTABLE_STATEFULSET_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** A StatefulSet on create, or on update when `old` is given. */
export function validateStatefulSet(object: unknown, old?: unknown): FieldError[] {
  const statefulSet = record(object);
  const spec = record(statefulSet.spec);
  if (!old) {
    return [
      ...validateObjectMeta(statefulSet.metadata, { namespaced: true, nameRule: nameIsDNSLabel }),
      ...validateStatefulSetSpec(spec),
    ];
  }
  const errors = [
    ...validateObjectMetaUpdate(statefulSet.metadata, record(old).metadata),
    ...validateStatefulSetSpec(spec),
  ];
  const oldSpec = record(record(old).spec);
  const frozen = (value: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(value).filter(([key]) => !MUTABLE_STATEFULSET_FIELDS.includes(key)));
  if (!semanticEqual(frozen(spec), frozen(oldSpec))) {
    errors.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errors;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A ControllerRevision on create, or on update when `old` is given (its data never changes). */
export function validateControllerRevision(object: unknown, old?: unknown): FieldError[] {
  const revision = record(object);
  const errors: FieldError[] = old ? validateObjectMetaUpdate(revision.metadata, record(old).metadata) : [];
  errors.push(...validateObjectMeta(revision.metadata, { namespaced: true, nameRule: nameIsDNSSubdomain }));
  if (!isSet(revision.data)) errors.push(required('data', 'data is mandatory'));
  errors.push(...validateNonNegative(num(revision.revision), 'revision'));
  // Data is raw bytes to the API server: any difference counts, even an emptied field.
  if (old && canonicalJson(revision.data) !== canonicalJson(record(old).data)) {
    errors.push(
      invalid('data', { json: revision.data, text: '&runtime.Unknown{...}' }, 'field is immutable'),
    );
  }
  return errors;
}

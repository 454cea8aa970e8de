/**
 * Metadata rules shared by every kind (k8s.io/apimachinery api/validation and meta/v1/validation):
 * names, generateName, namespace, labels, annotations, owner references, finalizers, label
 * selectors, and what may not change on update.
 */
import {
  childPath,
  type FieldError,
  forbidden,
  indexPath,
  invalid,
  required,
  tooLong,
} from './field-errors.ts';
import { goJson, goLabelSelector, goStringSlice } from './go-values.ts';
import { isSet, list, num, record, semanticEqual, stringList, stringMap, text } from './json-access.ts';
import {
  byteLength,
  checkLabelValue,
  checkQualifiedName,
  type NameRule,
  nameIsDNSLabel,
} from './name-rules.ts';

/** Upstream's message for a negative count. */
export const NEGATIVE_MESSAGE = 'must be greater than or equal to 0';
/** Upstream's message for changing an immutable field. */
export const IMMUTABLE_MESSAGE = 'field is immutable';
/** Total bytes of annotation keys and values allowed on one object: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** `value` must not be negative: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function validateNonNegative(value: number, field: string): FieldError[] {
  return value < 0 ? [invalid(field, value, NEGATIVE_MESSAGE)] : [];
}

/** Each label key must be a qualified name and each value a valid label value. */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const map = stringMap(labels);
  if (!map) return errors;
  for (const [key, value] of Object.entries(map)) {
    errors.push(...validateLabelName(key, field));
    for (const message of checkLabelValue(value)) errors.push(invalid(field, value, message));
  }
  return errors;
}

/** A label key (also selector keys, topology keys). */
export function validateLabelName(key: string, field: string): FieldError[] {
  return checkQualifiedName(key).map((message) => invalid(field, key, message));
}

/** Annotation keys are qualified names compared case-insensitively; all annotations fit in 256 KiB. */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const map = stringMap(annotations);
  if (!map) return errors;
  let total = 0;
  for (const [key, value] of Object.entries(map)) {
    for (const message of checkQualifiedName(key.toLowerCase())) errors.push(invalid(field, key, message));
    total += byteLength(key) + byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Validates a meta/v1 LabelSelector (matchLabels and matchExpressions); an absent selector is fine here. */
export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isSet(selector)) return errors;
  const object = record(selector);
  errors.push(...validateLabels(object.matchLabels, childPath(field, 'matchLabels')));
  list(object.matchExpressions).forEach((entry, index) => {
    const path = indexPath(childPath(field, 'matchExpressions'), index);
    const requirement = record(entry);
    const operator = text(requirement.operator);
    const values = stringList(requirement.values);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        errors.push(
          required(childPath(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        errors.push(
          forbidden(
            childPath(path, 'values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
    } else {
      errors.push(invalid(childPath(path, 'operator'), operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(text(requirement.key), childPath(path, 'key')));
    values.forEach((value, valueIndex) => {
      for (const message of checkLabelValue(value)) {
        errors.push(invalid(indexPath(childPath(path, 'values'), valueIndex), value, message));
      }
    });
  });
  return errors;
}

/**
 * A label selector as the API server turns it into a matcher (metav1.LabelSelectorAsSelector):
 * `nothing` for an absent selector (matches no labels), `everything` for `{}`, or a list of
 * requirements. `invalid` when a requirement cannot be built (bad key, value or operator).
 */
export type CompiledSelector =
  | { kind: 'nothing' }
  | { kind: 'everything' }
  | { kind: 'requirements'; match: (labels: Record<string, string>) => boolean }
  | { kind: 'invalid' };

/** Compiles a LabelSelector the way upstream does before matching a template's labels. */
export function compileLabelSelector(selector: unknown): CompiledSelector {
  if (!isSet(selector)) return { kind: 'nothing' };
  const object = record(selector);
  const matchLabels = stringMap(object.matchLabels) ?? {};
  const expressions = list(object.matchExpressions).map(record);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return { kind: 'everything' };
  const checks: ((labels: Record<string, string>) => boolean)[] = [];
  for (const [key, value] of Object.entries(matchLabels)) {
    if (checkQualifiedName(key).length > 0 || checkLabelValue(value).length > 0) return { kind: 'invalid' };
    checks.push((labels) => labels[key] === value);
  }
  for (const expression of expressions) {
    const key = text(expression.key);
    const operator = text(expression.operator);
    const values = stringList(expression.values);
    if (!SELECTOR_OPERATORS.has(operator) || checkQualifiedName(key).length > 0) return { kind: 'invalid' };
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) return { kind: 'invalid' };
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
      return { kind: 'invalid' };
    if (values.some((value) => checkLabelValue(value).length > 0)) return { kind: 'invalid' };
    const set = new Set(values);
    if (operator === 'In') checks.push((labels) => key in labels && set.has(labels[key] ?? ''));
    else if (operator === 'NotIn') checks.push((labels) => !(key in labels) || !set.has(labels[key] ?? ''));
    else if (operator === 'Exists') checks.push((labels) => key in labels);
    else checks.push((labels) => !(key in labels));
  }
  return { kind: 'requirements', match: (labels) => checks.every((check) => check(labels)) };
}

/** True when a compiled selector selects these labels. */
export function selectorMatches(selector: CompiledSelector, labels: Record<string, string>): boolean {
  switch (selector.kind) {
    case 'everything':
      return true;
    case 'requirements':
      return selector.match(labels);
    default:
      return false;
  }
}

/** True for a selector with neither matchLabels nor matchExpressions (`{}`). */
export function isEmptySelector(selector: unknown): boolean {
  const object = record(selector);
  return Object.keys(record(object.matchLabels)).length + list(object.matchExpressions).length === 0;
}

/** The selector's value for messages: the struct behind the pointer. */
export function selectorValue(selector: unknown) {
  return goLabelSelector(selector);
}

/** Finalizers the core API knows without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** A finalizer without '/' must be one of the standard ones (core's extra rule). */
export function validateKubeFinalizerName(name: string, field: string): FieldError[] {
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    return [invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

function validateFinalizers(finalizers: string[], field: string, onUpdate: boolean): FieldError[] {
  const errors: FieldError[] = [];
  // On update upstream only applies core's extra rule, not the qualified-name checks.
  for (const finalizer of onUpdate ? [] : finalizers) {
    for (const message of checkQualifiedName(finalizer)) errors.push(invalid(field, finalizer, message));
  }
  if (!onUpdate && finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errors.push(
      invalid(field, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'),
    );
  }
  finalizers.forEach((finalizer, index) => {
    errors.push(...validateKubeFinalizerName(finalizer, indexPath(field, index)));
  });
  return errors;
}

function validateOwnerReferences(references: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController = '';
  for (const entry of list(references)) {
    const reference = record(entry);
    const apiVersion = text(reference.apiVersion);
    const kind = text(reference.kind);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (version === '')
      errors.push(invalid(childPath(field, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (kind === '') errors.push(invalid(childPath(field, 'kind'), kind, 'kind must not be empty'));
    if (text(reference.name) === '')
      errors.push(invalid(childPath(field, 'name'), '', 'name must not be empty'));
    if (text(reference.uid) === '')
      errors.push(invalid(childPath(field, 'uid'), '', 'uid must not be empty'));
    if (apiVersion === 'v1' && kind === 'Event') {
      errors.push(invalid(field, goJson(reference), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (reference.controller === true) {
      const current = `${kind}/${text(reference.name)}`;
      if (firstController !== '') {
        errors.push(
          invalid(
            field,
            goJson(references),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errors;
}

/** Options of metadata validation on create. */
export interface ObjectMetaRules {
  /** True for namespaced kinds: a namespace is required; false for cluster-scoped kinds: it is forbidden. */
  namespaced: boolean;
  /** How names of this kind are checked. */
  nameRule: NameRule;
}

/**
 * Metadata on create (ValidateObjectMeta). Expects the server to have generated a name from
 * generateName and filled the namespace from the URL already, as the real API server does.
 */
export function validateObjectMeta(meta: unknown, rules: ObjectMetaRules, field = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  const object = record(meta);
  const generateName = text(object.generateName);
  if (generateName !== '') {
    for (const message of rules.nameRule(generateName, true)) {
      errors.push(invalid(childPath(field, 'generateName'), generateName, message));
    }
  }
  const name = text(object.name);
  if (name === '') {
    errors.push(required(childPath(field, 'name'), 'name or generateName is required'));
  } else {
    for (const message of rules.nameRule(name, false))
      errors.push(invalid(childPath(field, 'name'), name, message));
  }
  const namespace = text(object.namespace);
  if (rules.namespaced) {
    if (namespace === '') errors.push(required(childPath(field, 'namespace')));
    else
      for (const message of nameIsDNSLabel(namespace, false))
        errors.push(invalid(childPath(field, 'namespace'), namespace, message));
  } else if (namespace !== '') {
    errors.push(forbidden(childPath(field, 'namespace'), 'not allowed on this type'));
  }
  errors.push(...validateNonNegative(num(object.generation), childPath(field, 'generation')));
  errors.push(...validateCommonMeta(object, field, false));
  return errors;
}

function validateCommonMeta(object: Record<string, unknown>, field: string, onUpdate: boolean): FieldError[] {
  return [
    ...validateLabels(object.labels, childPath(field, 'labels')),
    ...validateAnnotations(object.annotations, childPath(field, 'annotations')),
    ...validateOwnerReferences(object.ownerReferences, childPath(field, 'ownerReferences')),
    ...validateFinalizers(stringList(object.finalizers), childPath(field, 'finalizers'), onUpdate),
  ];
}

/**
 * Metadata on update (ValidateObjectMetaUpdate). As the API server copies uid (when missing),
 * creationTimestamp and deletion fields from the stored object before validating, only real
 * attempts to change them are reported. resourceVersion and generation are the server's to
 * manage and are not checked here.
 */
export function validateObjectMetaUpdate(meta: unknown, oldMeta: unknown, field = 'metadata'): FieldError[] {
  const errors: FieldError[] = [];
  const next = record(meta);
  const prev = record(oldMeta);
  if (isSet(prev.deletionTimestamp)) {
    const added = stringList(next.finalizers).filter((name) => !stringList(prev.finalizers).includes(name));
    if (added.length > 0) {
      const sorted = [...new Set(added)].sort();
      errors.push(
        forbidden(
          childPath(field, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(sorted).text}`,
        ),
      );
    }
  }
  errors.push(...validateImmutable(text(next.name), text(prev.name), childPath(field, 'name')));
  errors.push(
    ...validateImmutable(text(next.namespace), text(prev.namespace), childPath(field, 'namespace')),
  );
  const uid = text(next.uid) === '' ? text(prev.uid) : text(next.uid);
  errors.push(...validateImmutable(uid, text(prev.uid), childPath(field, 'uid')));
  if (!isSet(prev.deletionTimestamp) && isSet(next.deletionTimestamp)) {
    errors.push(
      invalid(childPath(field, 'deletionTimestamp'), text(next.deletionTimestamp), IMMUTABLE_MESSAGE),
    );
  }
  errors.push(...validateCommonMeta(next, field, true));
  return errors;
}

/** `field is immutable` when a string field changed; the new value is shown. */
export function validateImmutable(next: string, prev: string, field: string): FieldError[] {
  return next === prev ? [] : [invalid(field, next, IMMUTABLE_MESSAGE)];
}

/** `field is immutable` for a selector that changed, showing the new selector struct. */
export function validateImmutableSelector(next: unknown, prev: unknown, field: string): FieldError[] {
  return semanticEqual(next, prev) ? [] : [invalid(field, goLabelSelector(next), IMMUTABLE_MESSAGE)];
}

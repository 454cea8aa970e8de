/**
 * Field errors as the Kubernetes API server reports them (k8s.io/apimachinery util/validation/field),
 * and the ways they reach a client: the `Status.message` of a 422 Invalid response, its
 * `details.causes`, and the text kubectl builds from those causes.
 */
import { invalid as invalidStatusError, type StatusCause, type StatusError } from '../errors.ts';
import { type GoValue, goInt, goQuote, goString } from './go-values.ts';

/** The machine-readable kind of a field error; also the `reason` of a Status cause. */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueNotFound';

/** One problem with one field, e.g. `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export interface FieldError {
  type: FieldErrorType;
  /** The field path as upstream prints it: `spec.template.spec.containers[0].name`, `data[my key]`. */
  field: string;
  /** Upstream's detail text after the value, e.g. `must be greater than or equal to 0`; may be empty. */
  message: string;
  /** The rejected value in JSON form, when the error type shows one. */
  badValue?: unknown;
  /** The rejected value as the Go API server prints it (`%q` / `%#v`), e.g. `map[string]string{"app":"web"}`. */
  goValue?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueNotFound: 'Not found',
};

/** Anything a validator may pass as a bad value: plain strings and numbers are printed like Go would. */
export type BadValue = GoValue | string | number;

function toGoValue(value: BadValue): GoValue {
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return goInt(value);
  return value;
}

function valued(type: FieldErrorType, field: string, value: BadValue, message: string): FieldError {
  const go = toGoValue(value);
  return { type, field, message, badValue: go.json, goValue: go.text };
}

/** A missing value: `spec.selector: Required value`. */
export function required(field: string, message = ''): FieldError {
  return { type: 'FieldValueRequired', field, message };
}

/** A malformed value: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function invalid(field: string, value: BadValue, message: string): FieldError {
  return valued('FieldValueInvalid', field, value, message);
}

/** A value outside an enumeration: `Unsupported value: "Never": supported values: "Always"`. */
export function notSupported(field: string, value: BadValue, supported: readonly string[]): FieldError {
  const message =
    supported.length > 0 ? `supported values: ${supported.map((v) => goQuote(v)).join(', ')}` : '';
  return valued('FieldValueNotSupported', field, value, message);
}

/** A value that is well-formed but not allowed here: `Forbidden: may not be specified when ...`. */
export function forbidden(field: string, message: string): FieldError {
  return { type: 'FieldValueForbidden', field, message };
}

/** A repeated value that must be unique: `spec.template.spec.containers[1].name: Duplicate value: "web"`. */
export function duplicate(field: string, value: BadValue): FieldError {
  return valued('FieldValueDuplicate', field, value, '');
}

/** A value over a byte limit; upstream never prints the value itself. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: 'FieldValueTooLong', field, message: `may not be more than ${maxBytes} bytes` };
}

/** A reference to something that does not exist: `volumeMounts[0].name: Not found: "config"`. */
export function notFound(field: string, value: BadValue): FieldError {
  return valued('FieldValueNotFound', field, value, '');
}

/** `parent.child` (or just `child` at the root), as field.Path.Child prints it. */
export function childPath(parent: string, ...names: string[]): string {
  let path = parent;
  for (const name of names) path = path === '' ? name : `${path}.${name}`;
  return path;
}

/** `parent[index]`, as field.Path.Index prints it. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** `parent[key]`, as field.Path.Key prints it: the key is not quoted. */
export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

/** The text after the field name: `Invalid value: "Vweb": a lowercase RFC 1123 ...`. Upstream's ErrorBody. */
export function describeFieldError(error: FieldError): string {
  const typeText = TYPE_TEXT[error.type];
  const showsValue =
    error.type !== 'FieldValueRequired' &&
    error.type !== 'FieldValueForbidden' &&
    error.type !== 'FieldValueTooLong';
  let body = typeText;
  if (showsValue) body += `: ${error.goValue ?? goString(String(error.badValue ?? '')).text}`;
  if (error.message.length > 0) body += `: ${error.message}`;
  return body;
}

/** `field: body`, one error as upstream's Error() prints it. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${describeFieldError(error)}`;
}

/** API groups of the kinds we validate, for the `Deployment.apps` form of a kind in messages. */
const GROUP_OF_KIND: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  DaemonSet: 'apps',
  StatefulSet: 'apps',
  ControllerRevision: 'apps',
  Role: 'rbac.authorization.k8s.io',
  RoleBinding: 'rbac.authorization.k8s.io',
  ClusterRole: 'rbac.authorization.k8s.io',
  ClusterRoleBinding: 'rbac.authorization.k8s.io',
};

/** The API group a kind belongs to: `apps` for Deployment, '' for core kinds such as Pod. */
export function groupOfKind(kind: string): string {
  return GROUP_OF_KIND[kind] ?? '';
}

/**
 * Joins errors as upstream's aggregate does: one error alone, several as `[a, b]`, duplicates
 * (same printed text) dropped.
 */
export function aggregateFieldErrors(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const error of errors) {
    const text = formatFieldError(error);
    if (seen.has(text)) continue;
    seen.add(text);
    texts.push(text);
  }
  if (texts.length === 1) return texts[0] ?? '';
  return `[${texts.join(', ')}]`;
}

/**
 * The `message` of the 422 Status the API server answers, e.g.
 * `Deployment.apps "vweb" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
 * `group` defaults to the group of the kinds this module knows.
 */
export function formatInvalidMessage(
  kind: string,
  name: string,
  errors: readonly FieldError[],
  group: string = groupOfKind(kind),
): string {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  if (errors.length === 0) return `${qualifiedKind} ${goQuote(name)} is invalid`;
  return `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregateFieldErrors(errors)}`;
}

/** The `details.causes` of that Status: one cause per error, in order, duplicates kept (as upstream does). */
export function toStatusCauses(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((error) => ({
    reason: error.type,
    message: describeFieldError(error),
    field: error.field,
  }));
}

/** The whole 422 Invalid StatusError for these errors, ready to throw from the API server. */
export function toInvalidError(
  kind: string,
  name: string,
  errors: readonly FieldError[],
  group: string = groupOfKind(kind),
): StatusError {
  return invalidStatusError(
    kind,
    group,
    name,
    formatInvalidMessage(kind, name, errors, group),
    toStatusCauses(errors),
  );
}

/**
 * What kubectl prints for such a Status (it rebuilds the text from kind, name and causes):
 * `The Deployment "vweb" is invalid: spec.replicas: ...` for one cause, or a bulleted list
 * (`* spec.a: ...`) under the heading for several. Without kubectl's trailing newline.
 */
export function formatKubectlInvalidMessage(
  kind: string,
  name: string,
  errors: readonly FieldError[],
): string {
  const heading = `The ${kind} ${goQuote(name)} is invalid`;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const error of errors) {
    const text = formatFieldError(error);
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push(text);
  }
  if (lines.length === 0) return heading;
  if (lines.length === 1) return `${heading}: ${lines[0]}`;
  return `${heading}: \n${lines.map((line) => `* ${line}`).join('\n')}`;
}

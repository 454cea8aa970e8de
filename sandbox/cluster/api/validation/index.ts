/**
 * What the Kubernetes API server checks before it stores an object (each kind's registry strategy
 * Validate / ValidateUpdate), with error messages worded exactly as kube-apiserver 1.32 words them.
 *
 * Call it on the object after defaulting (see ../defaults) and after the server's own preparation:
 * name generated from generateName, namespace taken from the URL (cleared for cluster-scoped
 * kinds). Pure: the input objects are never modified.
 */
import type { KubeObject } from '../objects.ts';
import {
  validateConfigMap,
  validateEvent,
  validateNamespace,
  validatePersistentVolumeClaim,
  validatePod,
  validateResourceQuota,
  validateSecret,
  validateServiceAccount,
} from './core-kinds.ts';
import type { FieldError } from './field-errors.ts';
import { validateRole, validateRoleBinding } from './rbac.ts';
import { validateService } from './service.ts';
import {
  validateControllerRevision,
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateStatefulSet,
} from './workloads.ts';

export {
  aggregateFieldErrors,
  describeFieldError,
  type FieldError,
  type FieldErrorType,
  formatFieldError,
  formatInvalidMessage,
  formatKubectlInvalidMessage,
  groupOfKind,
  toInvalidError,
  toStatusCauses,
} from './field-errors.ts';
export { normalizeServiceForUpdate } from './service.ts';

type KindValidator = (object: unknown, old?: unknown) => FieldError[];

const VALIDATORS: Readonly<Record<string, KindValidator>> = {
  Namespace: validateNamespace,
  Pod: validatePod,
  Service: validateService,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  PersistentVolumeClaim: validatePersistentVolumeClaim,
  ServiceAccount: validateServiceAccount,
  ResourceQuota: validateResourceQuota,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  DaemonSet: validateDaemonSet,
  StatefulSet: validateStatefulSet,
  ControllerRevision: validateControllerRevision,
  Role: (object, old) => validateRole(object, true, old),
  ClusterRole: (object, old) => validateRole(object, false, old),
  RoleBinding: (object, old) => validateRoleBinding(object, true, old),
  ClusterRoleBinding: (object, old) => validateRoleBinding(object, false, old),
  Event: (object) => validateEvent(object),
};

/** The kinds validateObject knows; any other kind passes unchecked. */
export const VALIDATED_KINDS: readonly string[] = Object.keys(VALIDATORS);

/**
 * The field errors kube-apiserver would report for this object: on create when `old` is absent,
 * on update (including immutability rules) when `old` is the stored object. An empty array means
 * the object is valid. Example: a Deployment whose selector does not match its template yields
 * `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: \`selector\` does not match template \`labels\``.
 */
export function validateObject(kind: string, obj: KubeObject, old?: KubeObject): FieldError[] {
  const validator = VALIDATORS[kind];
  return validator ? validator(obj, old) : [];
}

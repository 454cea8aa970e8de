/**
 * RBAC rules (Kubernetes' rbac validation): Role, ClusterRole, RoleBinding, ClusterRoleBinding.
 * RBAC names only need to be usable as a URL path segment.
 */
import { childPath, type FieldError, indexPath, invalid, notSupported, required } from './field-errors.ts';
import { formatStruct, goQuote, goStringSlice } from './go-values.ts';
import { list, record, stringList, text } from './json-access.ts';
import { nameIsDNSSubdomain, nameIsPathSegment } from './name-rules.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(ruleValue: unknown, namespaced: boolean, field: string): FieldError[] {
  const rule = record(ruleValue);
  const errors: FieldError[] = [];
  if (stringList(rule.verbs).length === 0)
    errors.push(required(childPath(field, 'verbs'), 'verbs must contain at least one value'));
  const urls = stringList(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced)
      errors.push(
        invalid(
          childPath(field, 'nonResourceURLs'),
          goStringSlice(urls),
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    if (
      stringList(rule.apiGroups).length > 0 ||
      stringList(rule.resources).length > 0 ||
      stringList(rule.resourceNames).length > 0
    ) {
      errors.push(
        invalid(
          childPath(field, 'nonResourceURLs'),
          goStringSlice(urls),
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errors;
  }
  if (stringList(rule.apiGroups).length === 0) {
    errors.push(required(childPath(field, 'apiGroups'), 'resource rules must supply at least one api group'));
  }
  if (stringList(rule.resources).length === 0) {
    errors.push(required(childPath(field, 'resources'), 'resource rules must supply at least one resource'));
  }
  if (stringList(rule.resourceNames).length > 0 && stringList(rule.resources).length > 1) {
    errors.push(
      required(childPath(field, 'resourceNames'), 'resource names cannot apply to multiple resources'),
    );
  }
  return errors;
}

/** A Role (namespaced) or ClusterRole, on create or update. */
export function validateRole(object: unknown, namespaced: boolean, old?: unknown): FieldError[] {
  const role = record(object);
  const errors = validateObjectMeta(role.metadata, { namespaced, nameRule: nameIsPathSegment });
  list(role.rules).forEach((rule, index) => {
    errors.push(...validatePolicyRule(rule, namespaced, indexPath('rules', index)));
  });
  if (old) errors.push(...validateObjectMetaUpdate(role.metadata, record(old).metadata));
  return errors;
}

function validateSubject(subjectValue: unknown, namespaced: boolean, field: string): FieldError[] {
  const subject = record(subjectValue);
  const errors: FieldError[] = [];
  const name = text(subject.name);
  const apiGroup = text(subject.apiGroup);
  if (name === '') errors.push(required(childPath(field, 'name')));
  switch (text(subject.kind)) {
    case 'ServiceAccount':
      if (name !== '')
        for (const message of nameIsDNSSubdomain(name, false))
          errors.push(invalid(childPath(field, 'name'), name, message));
      if (apiGroup !== '') errors.push(notSupported(childPath(field, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && text(subject.namespace) === '') errors.push(required(childPath(field, 'namespace')));
      break;
    case 'User':
    case 'Group': {
      const what = text(subject.kind) === 'User' ? 'user' : 'group';
      if (name === '') errors.push(invalid(childPath(field, 'name'), name, `${what} name cannot be empty`));
      if (apiGroup !== RBAC_GROUP)
        errors.push(notSupported(childPath(field, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    }
    default:
      errors.push(
        notSupported(childPath(field, 'kind'), text(subject.kind), ['ServiceAccount', 'User', 'Group']),
      );
  }
  return errors;
}

function roleRefValue(roleRef: Record<string, unknown>) {
  return {
    json: roleRef,
    text: formatStruct('rbac.RoleRef', [
      ['APIGroup', goQuote(text(roleRef.apiGroup))],
      ['Kind', goQuote(text(roleRef.kind))],
      ['Name', goQuote(text(roleRef.name))],
    ]),
  };
}

/** A RoleBinding (namespaced) or ClusterRoleBinding, on create or update (its roleRef never changes). */
export function validateRoleBinding(object: unknown, namespaced: boolean, old?: unknown): FieldError[] {
  const binding = record(object);
  const roleRef = record(binding.roleRef);
  const errors = validateObjectMeta(binding.metadata, { namespaced, nameRule: nameIsPathSegment });
  const apiGroup = text(roleRef.apiGroup);
  if (apiGroup !== RBAC_GROUP) errors.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kind = text(roleRef.kind);
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errors.push(notSupported('roleRef.kind', kind, kinds));
  const name = text(roleRef.name);
  if (name === '') errors.push(required('roleRef.name'));
  else
    for (const message of nameIsPathSegment(name, false)) errors.push(invalid('roleRef.name', name, message));
  list(binding.subjects).forEach((subject, index) => {
    errors.push(...validateSubject(subject, namespaced, indexPath('subjects', index)));
  });
  if (old) {
    const oldBinding = record(old);
    errors.push(...validateObjectMetaUpdate(binding.metadata, oldBinding.metadata));
    const oldRef = record(oldBinding.roleRef);
    if (['apiGroup', 'kind', 'name'].some((key) => text(oldRef[key]) !== text(roleRef[key]))) {
      errors.push(invalid('roleRef', roleRefValue(roleRef), 'cannot change roleRef'));
    }
  }
  return errors;
}

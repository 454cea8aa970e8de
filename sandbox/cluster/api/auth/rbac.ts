/**
 * Role-based access control as the API server's RBAC authorizer decides it: a request is allowed
 * when a RoleBinding in its namespace, or a ClusterRoleBinding, grants one of the user's identities
 * a rule that covers the verb, API group, resource (with subresource) and name.
 */

import type { ObjectStore } from '../../store/object-store.ts';
import type { AuthorizationRequest, Authorizer, UserInfo } from '../cluster-api.ts';
import { forbidden } from '../errors.ts';
import type { KubeObject } from '../objects.ts';
import { RESOURCES, storageKeyOf } from '../resources.ts';

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** Whether a rule allows the request. Pure. */
export function ruleAllows(rule: PolicyRule, request: AuthorizationRequest): boolean {
  const resource = request.subresource
    ? `${request.resource.plural}/${request.subresource}`
    : request.resource.plural;
  const verbOk = rule.verbs.includes('*') || rule.verbs.includes(request.verb);
  const groupOk = (rule.apiGroups ?? []).some((g) => g === '*' || g === request.resource.group);
  const resourceOk = (rule.resources ?? []).some(
    (r) =>
      r === '*' ||
      r === resource ||
      (request.subresource !== undefined && r === `*/${request.subresource}`) ||
      (r.endsWith('/*') && r.slice(0, -2) === request.resource.plural),
  );
  const names = rule.resourceNames ?? [];
  const nameOk = names.length === 0 || (request.name !== undefined && names.includes(request.name));
  return verbOk && groupOk && resourceOk && nameOk;
}

/** Whether a binding subject stands for the user. Pure. */
export function subjectMatches(
  subject: Subject,
  user: UserInfo,
  bindingNamespace: string | undefined,
): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        user.username === `system:serviceaccount:${subject.namespace ?? bindingNamespace}:${subject.name}`
      );
    default:
      return false;
  }
}

/** The message a denied request gets, worded as the real API server words it. */
export function forbiddenMessage(request: AuthorizationRequest): string {
  const qualified = request.resource.group
    ? `${request.resource.plural}.${request.resource.group}`
    : request.resource.plural;
  const subject = request.name ? `${qualified} "${request.name}"` : qualified;
  const resource = request.subresource
    ? `${request.resource.plural}/${request.subresource}`
    : request.resource.plural;
  const scope =
    request.namespace && request.resource.namespaced
      ? `in the namespace "${request.namespace}"`
      : 'at the cluster scope';
  return `${subject} is forbidden: User "${request.user.username}" cannot ${request.verb} resource "${resource}" in API group "${request.resource.group}" ${scope}`;
}

/** Built-in cluster roles every cluster has. */
export const BUILTIN_CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
};

/** RBAC over the objects in the store. Members of system:masters are always allowed. */
export function createRbacAuthorizer(
  store: ObjectStore,
): Authorizer & { allows(request: AuthorizationRequest): boolean } {
  const rulesOfRole = (kind: string, namespace: string | undefined, name: string): PolicyRule[] => {
    if (kind === 'ClusterRole') {
      const builtin = BUILTIN_CLUSTER_ROLES[name];
      if (builtin) return builtin;
      return (
        (store.get(storageKeyOf(RESOURCES.clusterroles), '', name)?.rules as PolicyRule[] | undefined) ?? []
      );
    }
    return (
      (store.get(storageKeyOf(RESOURCES.roles), namespace ?? '', name)?.rules as PolicyRule[] | undefined) ??
      []
    );
  };
  const bindingGrants = (
    binding: KubeObject,
    request: AuthorizationRequest,
    bindingNamespace: string | undefined,
  ): boolean => {
    const subjects = (binding.subjects as Subject[] | undefined) ?? [];
    if (!subjects.some((s) => subjectMatches(s, request.user, bindingNamespace))) return false;
    const ref = binding.roleRef as { kind: string; name: string } | undefined;
    if (!ref) return false;
    return rulesOfRole(ref.kind, bindingNamespace, ref.name).some((rule) => ruleAllows(rule, request));
  };
  const allows = (request: AuthorizationRequest): boolean => {
    if (request.user.groups.includes('system:masters')) return true;
    for (const binding of store.list(storageKeyOf(RESOURCES.clusterrolebindings))) {
      if (bindingGrants(binding, request, undefined)) return true;
    }
    if (request.namespace && request.resource.namespaced) {
      for (const binding of store.list(storageKeyOf(RESOURCES.rolebindings), request.namespace)) {
        if (bindingGrants(binding, request, request.namespace)) return true;
      }
    }
    return false;
  };
  return {
    allows,
    authorize(request) {
      if (!allows(request)) throw forbidden(forbiddenMessage(request), request.resource, request.name);
    },
  };
}

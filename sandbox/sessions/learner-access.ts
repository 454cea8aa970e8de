/**
 * What a learner may do, as Kubernetes objects: the Role (their namespace only), the binding to
 * their ServiceAccount, and the ResourceQuota that keeps one learner from starving the others.
 * Pure data, the same on every backend.
 */
import type { KubeObject } from '../cluster/api/objects.ts';

/** A Role rule. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Every verb a learner needs on what they create: apply, scale, set image, rollout undo, delete. */
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

/**
 * The learner's Role. Read it as: full control of the workloads, services and configuration the
 * chapter creates; scale subresources for `kubectl scale`; logs and exec of their Pods; the service
 * proxy (GET only) that the terminal's curl uses; read-only events, endpoints, controller revisions
 * (`kubectl rollout history` of a StatefulSet or DaemonSet) and their own quota. The `all` category
 * on a real cluster also lists ReplicationControllers, HPAs, Jobs and CronJobs: reading them keeps
 * `kubectl get all` free of Forbidden lines. No Roles, RoleBindings or ResourceQuota writes (no
 * escalation), no pods/proxy, attach or port-forward (they reach into Pods from outside).
 */
export const LEARNER_RULES: readonly PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims'],
    verbs: WRITE,
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
    verbs: WRITE,
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'],
    verbs: ['get', 'update', 'patch'],
  },
  { apiGroups: ['apps'], resources: ['controllerrevisions'], verbs: READ },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  // kubectl exec upgrades a POST (create) on 1.30+; older ones send GET.
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] },
  {
    apiGroups: [''],
    resources: [
      'events',
      'endpoints',
      'serviceaccounts',
      'resourcequotas',
      'limitranges',
      'replicationcontrollers',
    ],
    verbs: READ,
  },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
];

/**
 * The default quota. The chapter at its busiest (the to-do app beside a rolling vweb) runs about a
 * dozen Pods; 20 leaves room for a `maxSurge` of 100% on 4 replicas. Each Deployment keeps up to 10
 * old ReplicaSets, so ReplicaSets get a higher cap than Deployments.
 */
export const DEFAULT_QUOTA: Readonly<Record<string, string>> = {
  pods: '20',
  services: '10',
  configmaps: '20',
  secrets: '20',
  persistentvolumeclaims: '5',
  'count/deployments.apps': '10',
  'count/replicasets.apps': '60',
  'count/statefulsets.apps': '5',
  'count/daemonsets.apps': '5',
};

/** The name of everything the sandbox creates for the learner: ServiceAccount, Role, RoleBinding. */
export const LEARNER_NAME = 'learner';

/** The ResourceQuota's name (it appears in quota refusals: `exceeded quota: learner-quota`). */
export const QUOTA_NAME = 'learner-quota';

/** The label that ties a namespace to its session. */
export const SESSION_LABEL = 'rollout-lab/session';

/**
 * The session namespace. Pod Security `baseline` is enforced: on a real cluster it refuses
 * privileged Pods and hostPath volumes, the two ways a Pod reaches the node; the chapter's Pods
 * need neither.
 */
export function namespaceManifest(name: string, sessionId: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        [SESSION_LABEL]: sessionId,
        'app.kubernetes.io/managed-by': 'rollout-lab',
        'pod-security.kubernetes.io/enforce': 'baseline',
      },
    },
  };
}

/** The learner's ServiceAccount. */
export function serviceAccountManifest(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: LEARNER_NAME, namespace } };
}

/** The learner's Role, in their namespace. */
export function roleManifest(namespace: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: LEARNER_NAME, namespace },
    rules: LEARNER_RULES.map((rule) => ({ ...rule })),
  };
}

/** Binds the Role to the ServiceAccount. */
export function roleBindingManifest(namespace: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: LEARNER_NAME, namespace },
    subjects: [{ kind: 'ServiceAccount', name: LEARNER_NAME, namespace }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: LEARNER_NAME },
  };
}

/** The ResourceQuota with the given hard limits. */
export function quotaManifest(namespace: string, hard: Readonly<Record<string, string>>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: QUOTA_NAME, namespace },
    spec: { hard: { ...hard } },
  };
}

/** A TokenRequest for `seconds`; no audiences, so the API server's own audience applies. */
export function tokenRequestManifest(seconds: number): KubeObject {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: {},
    spec: { expirationSeconds: seconds },
  };
}

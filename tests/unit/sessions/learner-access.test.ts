/**
 * The learner's Role and quota, judged by the embedded API server's own RBAC rule matcher and quota
 * key parser: what the chapter's kubectl commands need is allowed, everything that would let one
 * learner reach past their namespace or widen their rights is not.
 */
import { describe, expect, it } from 'vitest';
import { resourceForQuotaKey } from '../../../sandbox/cluster/api/admission/quota.ts';
import { ruleAllows } from '../../../sandbox/cluster/api/auth/rbac.ts';
import { RESOURCES, type ResourceName } from '../../../sandbox/cluster/api/resources.ts';
import {
  DEFAULT_QUOTA,
  LEARNER_RULES,
  namespaceManifest,
  roleBindingManifest,
  roleManifest,
} from '../../../sandbox/sessions/learner-access.ts';

const user = { username: 'system:serviceaccount:lab-x:learner', groups: ['system:authenticated'] };
const allows = (verb: string, resource: ResourceName, subresource?: string): boolean =>
  LEARNER_RULES.some((rule) =>
    ruleAllows(rule, { user, verb, resource: RESOURCES[resource], subresource, namespace: 'lab-x' }),
  );

describe('the learner Role', () => {
  const allowed: [string, string, ResourceName, string?][] = [
    ['kubectl apply -f vweb/ (create a Service)', 'create', 'services'],
    ['kubectl apply (patch a Deployment)', 'patch', 'deployments'],
    ['kubectl get rs -l app=vweb', 'list', 'replicasets'],
    ['kubectl get po -w', 'watch', 'pods'],
    ['kubectl scale deploy/vweb --replicas=3', 'patch', 'deployments', 'scale'],
    ['kubectl scale sts/todo-db', 'update', 'statefulsets', 'scale'],
    ['kubectl rollout undo deploy/vweb', 'patch', 'deployments'],
    ['kubectl rollout history sts/todo-db', 'list', 'controllerrevisions'],
    ['kubectl logs', 'get', 'pods', 'log'],
    ['kubectl exec', 'create', 'pods', 'exec'],
    ['curl through the service proxy', 'get', 'services', 'proxy'],
    ['kubectl describe (events)', 'list', 'events'],
    ['kubectl get events (events.k8s.io)', 'list', 'eventsV1'],
    ['kubectl apply a ConfigMap', 'create', 'configmaps'],
    ['kubectl apply a Secret', 'update', 'secrets'],
    ['kubectl delete pvc -l kiamol=ch09', 'deletecollection', 'persistentvolumeclaims'],
    ['kubectl apply a DaemonSet', 'create', 'daemonsets'],
    ['kubectl describe quota', 'get', 'resourcequotas'],
    ['kubectl get endpoints vweb', 'get', 'endpoints'],
  ];
  it.each(allowed)('allows %s', (_, verb, resource, subresource) => {
    expect(allows(verb, resource, subresource)).toBe(true);
  });

  const refused: [string, string, ResourceName, string?][] = [
    ['changing its own quota', 'patch', 'resourcequotas'],
    ['deleting its own quota', 'delete', 'resourcequotas'],
    ['writing a Role (escalation)', 'create', 'roles'],
    ['binding a Role (escalation)', 'create', 'rolebindings'],
    ['minting tokens for its account', 'create', 'serviceaccounts', 'token'],
    ['new ServiceAccounts', 'create', 'serviceaccounts'],
    ['forging events', 'create', 'events'],
    ['writing controller revisions', 'create', 'controllerrevisions'],
    ['proxying into Pods', 'get', 'pods', 'proxy'],
    ['POSTing through the service proxy', 'create', 'services', 'proxy'],
    ['evicting Pods', 'create', 'pods', 'eviction'],
    ['binding Pods to nodes', 'create', 'pods', 'binding'],
    ['writing Pod status', 'update', 'pods', 'status'],
    ['writing Deployment status', 'patch', 'deployments', 'status'],
  ];
  it.each(refused)('refuses %s', (_, verb, resource, subresource) => {
    expect(allows(verb, resource, subresource)).toBe(false);
  });

  it('names only namespaced resources (a Role cannot grant more, and should not try)', () => {
    const clusterScoped = ['namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings'];
    for (const rule of LEARNER_RULES) {
      for (const resource of rule.resources) expect(clusterScoped).not.toContain(resource.split('/')[0]);
      expect(rule.resources).not.toContain('*');
      expect(rule.verbs).not.toContain('*');
      expect(rule.verbs).not.toContain('escalate');
      expect(rule.verbs).not.toContain('impersonate');
    }
  });

  it('is written into the session namespace and bound to its learner account', () => {
    expect(roleManifest('lab-x').metadata).toEqual({ name: 'learner', namespace: 'lab-x' });
    expect(roleBindingManifest('lab-x')).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'learner', namespace: 'lab-x' }],
      roleRef: { kind: 'Role', name: 'learner' },
    });
  });
});

describe('the namespace', () => {
  it('carries the session label and Pod Security baseline', () => {
    expect(namespaceManifest('lab-x', 'abc').metadata.labels).toEqual({
      'rollout-lab/session': 'abc',
      'app.kubernetes.io/managed-by': 'rollout-lab',
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
  });
});

describe('the default quota', () => {
  it.each(Object.keys(DEFAULT_QUOTA))('%s is a key the quota admission counts', (key) => {
    expect(resourceForQuotaKey(key)).toBeDefined();
  });
  it('leaves room for the chapter at its busiest', () => {
    expect(Number(DEFAULT_QUOTA.pods)).toBeGreaterThanOrEqual(12);
    expect(Number(DEFAULT_QUOTA['count/replicasets.apps'])).toBeGreaterThan(
      Number(DEFAULT_QUOTA['count/deployments.apps']),
    );
  });
});

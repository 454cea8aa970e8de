import { describe, expect, it } from 'vitest';
import {
  defaultPullPolicy,
  parseImageReference,
} from '../../../sandbox/cluster/api/defaults/image-reference.ts';
import { applyDefaults } from '../../../sandbox/cluster/api/defaults/index.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { validateObject } from '../../../sandbox/cluster/api/validation/index.ts';
import {
  sessionObjects,
  todoDb,
  todoProxy,
  todoWeb,
  vwebDeployment,
  vwebService,
} from '../validation/ch09-manifests.ts';

function byKind(objects: KubeObject[], kind: string): KubeObject {
  const found = objects.find((object) => object.kind === kind);
  if (!found) throw new Error(`no ${kind} in fixture`);
  return found;
}

/** Freezes every nested object, so any write to the input throws (ES modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** The pod template part of `kubectl get deploy vweb -o yaml` on a 1.32 cluster, for vweb-v1.yaml. */
const REAL_VWEB_TEMPLATE = {
  metadata: { creationTimestamp: null, labels: { app: 'vweb', version: 'v1' } },
  spec: {
    containers: [
      {
        image: 'kiamol/ch09-vweb:v1',
        imagePullPolicy: 'IfNotPresent',
        name: 'web',
        ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

describe('applyDefaults on a Deployment', () => {
  it('matches what a real cluster shows for vweb-v1.yaml', () => {
    const defaulted = applyDefaults('Deployment', vwebDeployment());
    expect(defaulted).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'vweb', namespace: 'default', labels: { kiamol: 'ch09' } },
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 2,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app: 'vweb' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: REAL_VWEB_TEMPLATE,
      },
      status: {},
    });
  });

  it.each<[string, (spec: Record<string, unknown>) => void, Record<string, unknown>]>([
    ['replicas default to 1', (spec) => delete spec.replicas, { replicas: 1 }],
    [
      'Recreate gets no rollingUpdate',
      (spec) => (spec.strategy = { type: 'Recreate' }),
      { strategy: { type: 'Recreate' } },
    ],
    [
      'a partial rollingUpdate is completed',
      (spec) => (spec.strategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }),
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } },
    ],
    [
      'an explicit deadline is kept',
      (spec) => (spec.progressDeadlineSeconds = 120),
      { progressDeadlineSeconds: 120 },
    ],
    [
      'an explicit history limit of 0 is kept',
      (spec) => (spec.revisionHistoryLimit = 0),
      { revisionHistoryLimit: 0 },
    ],
  ])('%s', (_name, mutate, expected) => {
    const deployment = vwebDeployment();
    mutate(deployment.spec);
    expect(applyDefaults('Deployment', deployment).spec).toMatchObject(expected);
  });

  it('never modifies its input and is idempotent', () => {
    const input = deepFreeze(vwebDeployment());
    const once = applyDefaults('Deployment', input);
    expect(applyDefaults('Deployment', once)).toEqual(once);
    expect(input.spec.template.spec.containers[0].imagePullPolicy).toBeUndefined();
  });

  it('gives a ReplicaSet carrying the same template the identical template', () => {
    const deployment = applyDefaults('Deployment', vwebDeployment());
    const replicaSet = applyDefaults('ReplicaSet', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'vweb-6c9f8', namespace: 'default' },
      spec: { replicas: 2, selector: deployment.spec.selector, template: vwebDeployment().spec.template },
    });
    expect(replicaSet.spec.template).toEqual(deployment.spec.template);
    expect(replicaSet.status).toEqual({ replicas: 0 });
  });
});

describe('pod spec defaults', () => {
  function templateSpecOf(mutate: (spec: Record<string, unknown>) => void): Record<string, unknown> {
    const deployment = vwebDeployment();
    mutate(deployment.spec.template.spec);
    return applyDefaults('Deployment', deployment).spec.template.spec;
  }

  it('defaults probes, env field refs and volume modes', () => {
    const spec = templateSpecOf((s) => {
      const container = (s.containers as Record<string, unknown>[])[0] as Record<string, unknown>;
      container.readinessProbe = { httpGet: { port: 'http' } };
      container.livenessProbe = { exec: { command: ['true'] }, periodSeconds: 5 };
      container.env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
      s.volumes = [
        { name: 'config', configMap: { name: 'vweb-config' } },
        { name: 'secret', secret: { secretName: 's', defaultMode: 0o400 } },
        { name: 'scratch' },
        {
          name: 'info',
          downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
        },
      ];
    });
    const container = (spec.containers as Record<string, unknown>[])[0];
    expect(container?.readinessProbe).toEqual({
      httpGet: { port: 'http', path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(container?.livenessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 1,
      failureThreshold: 3,
    });
    expect(container?.env).toEqual([
      { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'config', configMap: { name: 'vweb-config', defaultMode: 420 } },
      { name: 'secret', secret: { secretName: 's', defaultMode: 256 } },
      { name: 'scratch', emptyDir: {} },
      {
        name: 'info',
        downwardAPI: {
          defaultMode: 420,
          items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }],
        },
      },
    ]);
  });

  it('canonicalises resource quantities', () => {
    const spec = templateSpecOf((s) => {
      (s.containers as Record<string, unknown>[])[0] = {
        name: 'web',
        image: 'nginx:1.17-alpine',
        resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '100m', memory: 134217728 } },
      };
    });
    expect((spec.containers as Record<string, unknown>[])[0]?.resources).toEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '100m', memory: '134217728' },
    });
  });

  it('mirrors serviceAccountName into the deprecated serviceAccount', () => {
    expect(templateSpecOf((s) => (s.serviceAccountName = 'learner'))).toMatchObject({
      serviceAccount: 'learner',
      serviceAccountName: 'learner',
    });
    expect(templateSpecOf((s) => (s.serviceAccount = 'legacy'))).toMatchObject({
      serviceAccount: 'legacy',
      serviceAccountName: 'legacy',
    });
  });

  it('adds the Pod-only defaults to Pods but not to templates', () => {
    const podSpec = structuredClone(vwebDeployment().spec.template.spec);
    podSpec.containers[0].resources = { limits: { cpu: '1', memory: '64Mi' } };
    const pod = applyDefaults('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: podSpec,
    });
    expect(pod.spec.enableServiceLinks).toBe(true);
    expect(pod.spec.containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '64Mi' },
      requests: { cpu: '1', memory: '64Mi' },
    });
    expect(
      applyDefaults('Deployment', vwebDeployment()).spec.template.spec.enableServiceLinks,
    ).toBeUndefined();
  });
});

describe('image pull policy', () => {
  it.each<[string, 'Always' | 'IfNotPresent']>([
    ['kiamol/ch09-vweb:v1', 'IfNotPresent'],
    ['kiamol/ch04-todo-list', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx', 'Always'],
    ['localhost:5000/web', 'Always'],
    ['localhost:5000/web:v2', 'IfNotPresent'],
    ['registry.example.com/team/web:1.0', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['Kiamol/Web', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('%j pulls %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('splits registry port from tag', () => {
    expect(parseImageReference('localhost:5000/web')).toEqual({ tag: '', digest: '' });
  });
});

describe('applyDefaults on the other workloads', () => {
  it('fills a StatefulSet and its claim templates', () => {
    const statefulSet = applyDefaults('StatefulSet', byKind(todoDb(), 'StatefulSet'));
    expect(statefulSet.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      replicas: 2,
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { creationTimestamp: null, name: 'data', labels: { kiamol: 'ch09' } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '50Mi' } },
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
    ]);
    expect(statefulSet.spec.template.spec.initContainers[0]).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePolicy: 'File',
    });
    expect(statefulSet.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('gives a StatefulSet with an explicit RollingUpdate type no rollingUpdate block', () => {
    const manifest = byKind(todoDb(), 'StatefulSet');
    manifest.spec.updateStrategy = { type: 'RollingUpdate' };
    expect(applyDefaults('StatefulSet', manifest).spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    manifest.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    expect(applyDefaults('StatefulSet', manifest).spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { partition: 1 },
    });
  });

  it('fills a DaemonSet update strategy and status counters', () => {
    const manifest = byKind(todoProxy(), 'DaemonSet');
    delete manifest.spec.updateStrategy;
    const daemonSet = applyDefaults('DaemonSet', manifest);
    expect(daemonSet.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(daemonSet.spec.revisionHistoryLimit).toBe(10);
    expect(daemonSet.status).toEqual({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
    manifest.spec.updateStrategy = { type: 'OnDelete' };
    expect(applyDefaults('DaemonSet', manifest).spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });
});

describe('applyDefaults on core kinds', () => {
  it('fills a LoadBalancer Service', () => {
    const service = applyDefaults('Service', vwebService());
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      ports: [{ port: 8090, targetPort: 'http', protocol: 'TCP' }],
      selector: { app: 'vweb' },
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    expect(service.status).toEqual({ loadBalancer: {} });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    [
      'a ClusterIP Service without targetPort',
      { ports: [{ port: 80 }], selector: { app: 'web' } },
      {
        type: 'ClusterIP',
        ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
        internalTrafficPolicy: 'Cluster',
        ipFamilyPolicy: 'SingleStack',
      },
      ['externalTrafficPolicy', 'allocateLoadBalancerNodePorts'],
    ],
    [
      'a headless Service without selector',
      { clusterIP: 'None', ports: [{ port: 5432 }] },
      { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4'] },
      [],
    ],
    [
      'an ExternalName Service',
      { type: 'ExternalName', externalName: 'db.example.com' },
      { sessionAffinity: 'None' },
      ['ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy'],
    ],
    [
      'a NodePort Service',
      { type: 'NodePort', ports: [{ port: 80 }] },
      { externalTrafficPolicy: 'Cluster' },
      ['allocateLoadBalancerNodePorts'],
    ],
    [
      'ClientIP affinity',
      { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] },
      { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } },
      [],
    ],
  ])('%s', (_name, spec, expected, absent) => {
    const defaulted = applyDefaults('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'default' },
      spec,
    });
    expect(defaulted.spec).toMatchObject(expected);
    for (const key of absent) expect(defaulted.spec).not.toHaveProperty(key);
  });

  it('labels a new Namespace, adds the kubernetes finalizer once, and keeps it removable', () => {
    const namespace = byKind(sessionObjects(), 'Namespace');
    const created = applyDefaults('Namespace', namespace);
    expect(created).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'session-a1b2c3' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const stored = {
      ...created,
      metadata: { ...created.metadata, uid: 'u1', resourceVersion: '7' },
      spec: { finalizers: [] },
    };
    expect(applyDefaults('Namespace', stored).spec.finalizers).toEqual([]);
    expect(applyDefaults('Namespace', namespace, { operation: 'update' }).spec.finalizers).toBeUndefined();
  });

  it('folds Secret stringData into base64 data', () => {
    const secret = applyDefaults('Secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { a: Buffer.from('old').toString('base64'), b: 'Yg==' },
      stringData: { a: 'new' },
    });
    expect(secret).toMatchObject({ type: 'Opaque', data: { a: 'bmV3', b: 'Yg==' } });
    expect(secret).not.toHaveProperty('stringData');
    expect(validateObject('Secret', applyDefaults('Secret', byKind(todoWeb(), 'Secret')))).toEqual([]);
  });

  it('fills claims, quotas, bindings and events', () => {
    const claim = applyDefaults('PersistentVolumeClaim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-todo-db-0', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '0.05Gi' } } },
    });
    expect(claim.spec).toMatchObject({
      volumeMode: 'Filesystem',
      resources: { requests: { storage: '53687091200m' } },
    });
    expect(claim.status).toEqual({ phase: 'Pending' });

    const quota = applyDefaults('ResourceQuota', byKind(sessionObjects(), 'ResourceQuota'));
    expect(quota.spec.hard).toEqual({
      pods: '20',
      'requests.cpu': '2',
      'limits.memory': '4Gi',
      'count/deployments.apps': '10',
    });

    const binding = applyDefaults('RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'default' },
      roleRef: { kind: 'Role', name: 'learner' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'learner', namespace: 'default' },
      ],
    });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'learner' });
    expect(binding.subjects).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'learner', namespace: 'default' },
    ]);

    const event = applyDefaults('Event', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
    });
    expect(event).toMatchObject({
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
      source: {},
      involvedObject: {},
    });
  });

  it('leaves kinds without defaults as an equal copy', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    };
    const copy = applyDefaults('ConfigMap', configMap);
    expect(copy).toEqual(configMap);
    expect(copy).not.toBe(configMap);
  });
});

describe('purity', () => {
  const kinds: KubeObject[] = [
    vwebDeployment(),
    vwebService(),
    ...todoDb(),
    ...todoWeb(),
    ...todoProxy(),
    ...sessionObjects(),
  ];
  it.each(kinds.map((object) => [`${object.kind}/${object.metadata.name}`, object] as const))(
    '%s is neither modified by applyDefaults nor by validateObject',
    (_name, object) => {
      const frozen = deepFreeze(structuredClone(object));
      const snapshot = structuredClone(frozen);
      const defaulted = applyDefaults(frozen.kind, frozen);
      deepFreeze(defaulted);
      expect(() => validateObject(frozen.kind, defaulted)).not.toThrow();
      expect(() => validateObject(frozen.kind, defaulted, defaulted)).not.toThrow();
      expect(frozen).toEqual(snapshot);
    },
  );
});

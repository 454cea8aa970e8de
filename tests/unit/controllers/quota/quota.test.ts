import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { formatQuantity, parseQuantity } from '../../../../sandbox/cluster/api/validation/quantity.ts';
import { createQuotaController } from '../../../../sandbox/cluster/controllers/quota/quota-controller.ts';
import {
  addQuantities,
  calculateUsage,
  podCountsAgainstQuota,
  podResourceList,
} from '../../../../sandbox/cluster/controllers/quota/usage.ts';
import { createNamespace, startCluster, type TestCluster } from '../history/fixtures.ts';

function pod(
  name: string,
  containers: { cpu?: string; memory?: string; limitCpu?: string }[],
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'learner-1', ...(extra.metadata ?? {}) },
    spec: {
      containers: containers.map((c, i) => ({
        name: `c${i}`,
        image: 'kiamol/ch09-vweb:v1',
        resources: {
          ...(c.cpu || c.memory
            ? { requests: { ...(c.cpu ? { cpu: c.cpu } : {}), ...(c.memory ? { memory: c.memory } : {}) } }
            : {}),
          ...(c.limitCpu ? { limits: { cpu: c.limitCpu } } : {}),
        },
      })),
      ...(extra.spec ?? {}),
    },
    status: extra.status ?? { phase: 'Running' },
  };
}

describe('quota arithmetic', () => {
  it.each([
    ['250m', '250m', '500m'],
    ['500m', '500m', '1'],
    ['1', '500m', '1500m'],
    ['64Mi', '64Mi', '128Mi'],
    ['512Mi', '512Mi', '1Gi'],
    ['0', '128Mi', '128Mi'],
    ['1k', '1', '1001'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(formatQuantity(addQuantities(parseQuantity(a)!, parseQuantity(b)!))).toBe(sum);
  });

  it.each([
    { name: 'sum of containers', p: pod('a', [{ cpu: '100m' }, { cpu: '200m' }]), expected: '300m' },
    { name: 'a request missing takes the limit', p: pod('b', [{ limitCpu: '1' }]), expected: '1' },
    {
      name: 'a larger init container wins',
      p: pod('c', [{ cpu: '100m' }, { cpu: '200m' }], {
        spec: { initContainers: [{ name: 'init', resources: { requests: { cpu: '500m' } } }] },
      }),
      expected: '500m',
    },
    {
      name: 'overhead is added',
      p: pod('d', [{ cpu: '100m' }], { spec: { overhead: { cpu: '50m' } } }),
      expected: '150m',
    },
  ])('pod requests: $name', ({ p, expected }) => {
    expect(formatQuantity(podResourceList(p, 'requests').get('cpu')!)).toBe(expected);
  });

  it.each([
    { name: 'running pod', p: pod('a', []), now: 0, counts: true },
    { name: 'succeeded pod', p: pod('a', [], { status: { phase: 'Succeeded' } }), now: 0, counts: false },
    {
      name: 'terminating within grace',
      p: pod('a', [], {
        metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 },
      }),
      now: Date.parse('2026-01-01T00:00:59Z'),
      counts: true,
    },
    {
      name: 'terminating past deletion plus grace',
      p: pod('a', [], {
        metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 },
      }),
      now: Date.parse('2026-01-01T00:01:01Z'),
      counts: false,
    },
  ])('podCountsAgainstQuota: $name', ({ p, now, counts }) => {
    expect(podCountsAgainstQuota(p, now).counts).toBe(counts);
  });

  it('calculates only the keys the quota sets, honouring scopes and storage classes', () => {
    const content = {
      pods: [
        pod('web', [{ cpu: '250m', memory: '64Mi' }]),
        pod('sleep', []),
        pod('done', [{ cpu: '1' }], { status: { phase: 'Failed' } }),
      ],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'vweb' },
          spec: { type: 'LoadBalancer', ports: [{ port: 8090 }] },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'db' },
          spec: { type: 'ClusterIP', ports: [{ port: 5432 }] },
        },
      ],
      claims: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data-todo-db-0' },
          spec: { resources: { requests: { storage: '50Mi' } } },
        },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'fast' },
          spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
        },
      ],
      counts: new Map([
        ['configmaps', 3],
        ['deployments.apps', 2],
      ]),
    };
    const hard = {
      pods: '10',
      'requests.cpu': '2',
      'requests.memory': '1Gi',
      'limits.cpu': '4',
      configmaps: '10',
      'count/deployments.apps': '5',
      'services.loadbalancers': '1',
      'services.nodeports': '5',
      'requests.storage': '2Gi',
      'standard.storageclass.storage.k8s.io/persistentvolumeclaims': '3',
      'example.com/unknown': '1',
    };
    expect(calculateUsage(hard, [], content, 0)).toEqual({
      pods: '2',
      'requests.cpu': '250m',
      'requests.memory': '64Mi',
      'limits.cpu': '0',
      configmaps: '3',
      'count/deployments.apps': '2',
      'services.loadbalancers': '1',
      'services.nodeports': '1',
      'requests.storage': '1074Mi',
      'standard.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    });
    expect(calculateUsage({ pods: '10' }, ['BestEffort'], content, 0)).toEqual({ pods: '1' });
    expect(calculateUsage({ pods: '10' }, ['NotBestEffort'], content, 0)).toEqual({ pods: '1' });
  });
});

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('quota controller', () => {
  it('keeps status.hard and status.used current as objects come and go', async () => {
    cluster = await startCluster((ctx) => [createQuotaController(ctx)]);
    createNamespace(cluster.api, 'learner-1');
    cluster.api.create(RESOURCES.resourcequotas, 'learner-1', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'session-quota' },
      spec: { hard: { pods: '10', 'requests.cpu': '2', configmaps: '5', 'count/deployments.apps': '3' } },
    });
    await cluster.settle();
    const quota = (): KubeObject => cluster.api.get(RESOURCES.resourcequotas, 'learner-1', 'session-quota');
    expect(quota().status).toEqual({
      hard: { pods: '10', 'requests.cpu': '2', configmaps: '5', 'count/deployments.apps': '3' },
      used: { pods: '0', 'requests.cpu': '0', configmaps: '0', 'count/deployments.apps': '0' },
    });

    cluster.api.create(RESOURCES.pods, 'learner-1', pod('vweb-1', [{ cpu: '250m' }]));
    cluster.api.create(RESOURCES.pods, 'learner-1', pod('vweb-2', [{ cpu: '250m' }]));
    cluster.api.create(RESOURCES.configmaps, 'learner-1', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vweb-config' },
    });
    await cluster.settle();
    expect(quota().status.used).toEqual({
      pods: '2',
      'requests.cpu': '500m',
      configmaps: '1',
      'count/deployments.apps': '0',
    });

    cluster.api.delete(RESOURCES.pods, 'learner-1', 'vweb-2');
    await cluster.settle();
    expect(quota().status.used).toMatchObject({ pods: '1', 'requests.cpu': '250m' });

    const edited = structuredClone(quota()) as KubeObject;
    edited.spec.hard = { pods: '4' };
    cluster.api.update(RESOURCES.resourcequotas, 'learner-1', edited);
    await cluster.settle();
    expect(quota().status).toEqual({ hard: { pods: '4' }, used: { pods: '1' } });
    expect(cluster.errors).toEqual([]);
  });
});

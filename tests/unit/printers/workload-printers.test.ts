import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { printTable } from '../../../sandbox/cluster/api/printers/index.ts';
import { ago, MINUTES, makeVwebDeployment, makeVwebReplicaSet, NOW, SECONDS } from './fixtures.ts';

function cellsOf(resource: string, object: KubeObject): unknown[] | undefined {
  return printTable(resource, [object], { now: NOW, resourceVersion: '1' }).rows[0]?.cells;
}

describe('deployment rows', () => {
  it('show ready/desired, up-to-date and available for a Deployment of 3 with 2 available', () => {
    expect(cellsOf('deployments', makeVwebDeployment())).toEqual([
      'vweb',
      '2/3',
      3,
      2,
      '6m48s',
      'web',
      'kiamol/ch09-vweb:v1',
      'app=vweb',
    ]);
  });

  it('default desired replicas to 1 and missing status counts to 0 for a brand-new Deployment', () => {
    const deployment = makeVwebDeployment();
    delete deployment.spec.replicas;
    deployment.status = {};
    expect(cellsOf('deployments', deployment)?.slice(1, 4)).toEqual(['0/1', 0, 0]);
  });

  it('list every container and image, and render expressions in the selector', () => {
    const deployment = makeVwebDeployment();
    deployment.spec.template.spec.containers.push({ name: 'log', image: 'busybox:1.36' });
    deployment.spec.selector = {
      matchLabels: { app: 'vweb' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(cellsOf('deployments', deployment)?.slice(5)).toEqual([
      'web,log',
      'kiamol/ch09-vweb:v1,busybox:1.36',
      'app=vweb,!canary,tier in (api,web)',
    ]);
  });

  it('print an empty selector as nothing at all, unlike the other workloads', () => {
    const deployment = makeVwebDeployment();
    deployment.spec.selector = {};
    expect(cellsOf('deployments', deployment)?.[7]).toBe('');
  });
});

describe('replicaset rows', () => {
  it('show desired from spec and current/ready from status, as in the learner notes', () => {
    expect(cellsOf('replicasets', makeVwebReplicaSet())).toEqual([
      'vweb-6bd7464487',
      2,
      2,
      1,
      '9s',
      'web',
      'kiamol/ch09-vweb:v1',
      'app=vweb,pod-template-hash=6bd7464487',
    ]);
  });

  it('show an old ReplicaSet scaled to zero', () => {
    const old = makeVwebReplicaSet();
    old.spec.replicas = 0;
    old.status = { replicas: 0, observedGeneration: 3 };
    old.metadata.creationTimestamp = ago(6 * MINUTES + 48 * SECONDS);
    expect(cellsOf('replicasets', old)?.slice(1, 5)).toEqual([0, 0, 0, '6m48s']);
  });

  it('print <none> for a selector without requirements', () => {
    const replicaSet = makeVwebReplicaSet();
    replicaSet.spec.selector = {};
    expect(cellsOf('replicasets', replicaSet)?.[7]).toBe('<none>');
  });
});

describe('daemonset rows', () => {
  const daemonSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'log-agent',
      namespace: 'default',
      creationTimestamp: ago(3 * 60 * MINUTES + 10 * MINUTES),
    },
    spec: {
      selector: { matchLabels: { app: 'log-agent' } },
      template: {
        metadata: { labels: { app: 'log-agent' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
          containers: [{ name: 'agent', image: 'fluent/fluent-bit:2.2' }],
        },
      },
    },
    status: {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 2,
    },
  };

  it('show scheduling counts and the template node selector', () => {
    expect(cellsOf('daemonsets', daemonSet)).toEqual([
      'log-agent',
      3,
      3,
      2,
      1,
      2,
      'disk=ssd,kubernetes.io/os=linux',
      '3h10m',
      'agent',
      'fluent/fluent-bit:2.2',
      'app=log-agent',
    ]);
  });
});

describe('statefulset rows', () => {
  it('show ready/desired and the containers', () => {
    const statefulSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default', creationTimestamp: ago(51 * 60 * MINUTES) },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { spec: { containers: [{ name: 'postgres', image: 'postgres:16' }] } },
      },
      status: { replicas: 3, readyReplicas: 1 },
    };
    expect(cellsOf('statefulsets', statefulSet)).toEqual(['db', '1/3', '2d3h', 'postgres', 'postgres:16']);
  });
});

describe('controllerrevision rows', () => {
  function revisionOwnedBy(owner: KubeObject['metadata']['ownerReferences']): KubeObject {
    return {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: 'log-agent-7d9f8b6c5d',
        namespace: 'default',
        creationTimestamp: ago(400 * 24 * 60 * MINUTES),
        ownerReferences: owner,
      },
      revision: 2,
      data: {},
    };
  }

  it.each([
    [
      'a DaemonSet',
      [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'log-agent', uid: 'u', controller: true }],
      'daemonset.apps/log-agent',
    ],
    [
      'a core kind',
      [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'rc', uid: 'u', controller: true }],
      'replicationcontroller/rc',
    ],
    ['no controller', [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x', uid: 'u' }], '<none>'],
    ['no owner at all', undefined, '<none>'],
  ])('name the controller for %s', (_label, owners, expected) => {
    expect(cellsOf('controllerrevisions', revisionOwnedBy(owners))).toEqual([
      'log-agent-7d9f8b6c5d',
      expected,
      2,
      '400d',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { printTable } from '../../../sandbox/cluster/api/printers/index.ts';
import { ago, MINUTES, NOW, SECONDS } from './fixtures.ts';

function cellsOf(resource: string, object: KubeObject): unknown[] | undefined {
  return printTable(resource, [object], { now: NOW, resourceVersion: '1' }).rows[0]?.cells;
}

function meta(
  name: string,
  age: number,
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject['metadata'] {
  return { name, namespace: 'default', creationTimestamp: ago(age), ...extra };
}

const HOUR = 60 * MINUTES;
const DAY = 24 * HOUR;

describe('configmap, secret, serviceaccount and namespace rows', () => {
  it('count text and binary keys of a ConfigMap together', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('vweb-config', 39 * SECONDS),
      data: { 'index.html': '<h1>v1</h1>', 'v.txt': 'v1' },
      binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    };
    expect(cellsOf('configmaps', configMap)).toEqual(['vweb-config', 3, '39s']);
  });

  it('show a Secret type and its key count', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('db-password', 2 * DAY),
      type: 'Opaque',
      data: { user: 'YWRtaW4=', password: 'czNjcjN0' },
    };
    const empty: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta('tls', 9 * SECONDS) };
    expect(cellsOf('secrets', secret)).toEqual(['db-password', 'Opaque', 2, '2d']);
    expect(cellsOf('secrets', empty)).toEqual(['tls', '', 0, '9s']);
  });

  it('count the secrets a ServiceAccount lists', () => {
    const account: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta('learner', 70 * SECONDS),
    };
    const withSecret = { ...account, secrets: [{ name: 'learner-token' }] };
    expect(cellsOf('serviceaccounts', account)).toEqual(['learner', 0, '70s']);
    expect(cellsOf('serviceaccounts', withSecret)?.[1]).toBe(1);
  });

  it('show a namespace phase', () => {
    const namespace: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'lab-3f9k2', creationTimestamp: ago(3 * HOUR + 10 * MINUTES) },
      status: { phase: 'Terminating' },
    };
    expect(cellsOf('namespaces', namespace)).toEqual(['lab-3f9k2', 'Terminating', '3h10m']);
  });
});

describe('node rows', () => {
  function makeNode(
    patch: { labels?: Record<string, string>; spec?: object; status?: object } = {},
  ): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'lab-node',
        creationTimestamp: ago(400 * DAY),
        labels: patch.labels ?? {
          'kubernetes.io/hostname': 'lab-node',
          'node-role.kubernetes.io/control-plane': '',
        },
      },
      spec: { ...patch.spec },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
        addresses: [
          { type: 'InternalIP', address: '172.18.0.2' },
          { type: 'Hostname', address: 'lab-node' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.0',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.1.0-18-amd64',
          containerRuntimeVersion: 'containerd://1.7.24',
        },
        ...patch.status,
      },
    };
  }

  it('fill every column of a ready control-plane node', () => {
    expect(cellsOf('nodes', makeNode())).toEqual([
      'lab-node',
      'Ready',
      'control-plane',
      '400d',
      'v1.32.0',
      '172.18.0.2',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0-18-amd64',
      'containerd://1.7.24',
    ]);
  });

  it.each([
    ['a cordoned ready node', { spec: { unschedulable: true } }, 'Ready,SchedulingDisabled'],
    [
      'a node whose kubelet stopped',
      { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
      'NotReady',
    ],
    ['a node without conditions', { status: { conditions: [] } }, 'Unknown'],
  ])('show the status of %s', (_label, patch, expected) => {
    expect(cellsOf('nodes', makeNode(patch))?.[1]).toBe(expected);
  });

  it('collect roles from both label styles, sorted, and show <none> without any', () => {
    const roles = makeNode({
      labels: {
        'node-role.kubernetes.io/worker': '',
        'kubernetes.io/role': 'edge',
        'node-role.kubernetes.io/': '',
      },
    });
    expect(cellsOf('nodes', roles)?.[2]).toBe('edge,worker');
    expect(cellsOf('nodes', makeNode({ labels: {} }))?.[2]).toBe('<none>');
  });

  it('print <unknown> for missing system info', () => {
    const node = makeNode({ status: { nodeInfo: { kubeletVersion: 'v1.32.0' } } });
    expect(cellsOf('nodes', node)?.slice(7)).toEqual(['<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('resourcequota rows', () => {
  it('split used/hard pairs into requests and limits, sorted by resource, quantities canonical', () => {
    const quota: KubeObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('lab-quota', 6 * MINUTES + 48 * SECONDS),
      spec: { hard: { pods: '10' } },
      status: {
        hard: {
          'requests.memory': '1Gi',
          pods: '10',
          'limits.cpu': '2',
          'requests.cpu': '1000m',
          'limits.memory': '2048Mi',
          'count/deployments.apps': '5',
        },
        used: {
          pods: '3',
          'requests.cpu': '300m',
          'requests.memory': '384Mi',
          'limits.cpu': '600m',
          'limits.memory': '768Mi',
        },
      },
    };
    expect(cellsOf('resourcequotas', quota)).toEqual([
      'lab-quota',
      'count/deployments.apps: 0/5, pods: 3/10, requests.cpu: 300m/1, requests.memory: 384Mi/1Gi',
      'limits.cpu: 600m/2, limits.memory: 768Mi/2Gi',
      '6m48s',
    ]);
  });

  it('print empty columns before the quota controller has filled status', () => {
    const quota: KubeObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('fresh', 9 * SECONDS),
    };
    expect(cellsOf('resourcequotas', quota)).toEqual(['fresh', '', '', '9s']);
  });
});

describe('event rows', () => {
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('vweb-6bd7464487-x2x9p.17a2b3c4d5e6f708', 2 * MINUTES),
    involvedObject: {
      kind: 'Pod',
      namespace: 'default',
      name: 'vweb-6bd7464487-x2x9p',
      fieldPath: 'spec.containers{web}',
    },
    reason: 'BackOff',
    message: 'Back-off restarting failed container web in pod vweb-6bd7464487-x2x9p_default(p1)\n',
    source: { component: 'kubelet', host: 'lab-node' },
    firstTimestamp: ago(2 * MINUTES),
    lastTimestamp: ago(12 * SECONDS),
    count: 5,
    type: 'Warning',
  };

  it('fill LAST SEEN TYPE REASON OBJECT MESSAGE and the wide columns', () => {
    expect(cellsOf('events', event)).toEqual([
      '12s',
      'Warning',
      'BackOff',
      'pod/vweb-6bd7464487-x2x9p',
      'spec.containers{web}',
      'kubelet, lab-node',
      'Back-off restarting failed container web in pod vweb-6bd7464487-x2x9p_default(p1)',
      '2m',
      5,
      'vweb-6bd7464487-x2x9p.17a2b3c4d5e6f708',
    ]);
  });

  it('read events written through events.k8s.io: eventTime, series and the reporting controller', () => {
    const newStyle: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('vweb.1', MINUTES),
      involvedObject: { kind: 'Deployment', name: 'vweb' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set vweb-6bd7464487 from 0 to 2',
      eventTime: '2026-01-01T11:59:00.123456Z',
      series: { count: 3, lastObservedTime: '2026-01-01T11:59:51.000000Z' },
      reportingComponent: 'deployment-controller',
      reportingInstance: '',
      type: 'Normal',
    };
    const cells = cellsOf('events', newStyle);
    expect(cells).toEqual([
      '9s',
      'Normal',
      'ScalingReplicaSet',
      'deployment/vweb',
      '',
      'deployment-controller',
      'Scaled up replica set vweb-6bd7464487 from 0 to 2',
      '59s',
      3,
      'vweb.1',
    ]);
  });

  it('count a singleton event once and name a kind-only object by its kind', () => {
    const singleton: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('cluster.1', MINUTES),
      involvedObject: { kind: 'Node' },
      firstTimestamp: ago(39 * SECONDS),
      type: 'Normal',
      reason: 'Starting',
      message: 'Starting kubelet.',
    };
    const cells = cellsOf('events', singleton);
    expect([cells?.[0], cells?.[3], cells?.[7], cells?.[8]]).toEqual(['39s', 'node', '39s', 1]);
  });
});

describe('volume rows', () => {
  it('show a bound claim with its capacity and modes, and a pending one without', () => {
    const bound: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('data', 3 * MINUTES),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'standard',
        volumeName: 'pvc-1f2e',
        volumeMode: 'Filesystem',
      },
      status: {
        phase: 'Bound',
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        capacity: { storage: '1024Mi' },
      },
    };
    const pending: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('scratch', 9 * SECONDS, {
        annotations: { 'volume.beta.kubernetes.io/storage-class': 'fast' },
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '5Gi' } },
        storageClassName: 'slow',
      },
      status: { phase: 'Pending' },
    };
    expect(cellsOf('persistentvolumeclaims', bound)).toEqual([
      'data',
      'Bound',
      'pvc-1f2e',
      '1Gi',
      'RWO,RWX',
      'standard',
      '<unset>',
      '3m',
      'Filesystem',
    ]);
    expect(cellsOf('persistentvolumeclaims', pending)).toEqual([
      'scratch',
      'Pending',
      '',
      '',
      '',
      'fast',
      '<unset>',
      '9s',
      '<unset>',
    ]);
  });

  it('show a volume with its claim as namespace/name', () => {
    const volume: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-1f2e', creationTimestamp: ago(3 * MINUTES), deletionTimestamp: ago(0) },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    };
    expect(cellsOf('persistentvolumes', volume)).toEqual([
      'pvc-1f2e',
      '1Gi',
      'ROX,RWOP',
      'Delete',
      'Terminating',
      'default/data',
      'standard',
      '<unset>',
      '',
      '3m',
      'Filesystem',
    ]);
  });
});

describe('rbac rows', () => {
  const subjects = [
    { kind: 'ServiceAccount', name: 'learner', namespace: 'lab-3f9k2' },
    { kind: 'User', name: 'alice' },
    { kind: 'User', name: 'bob' },
    { kind: 'Group', name: 'instructors' },
  ];

  it('show the role reference and, when wide, the subjects by kind', () => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('learner-edit', 70 * SECONDS),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'learner' },
      subjects,
    };
    expect(cellsOf('rolebindings', binding)).toEqual([
      'learner-edit',
      'Role/learner',
      '70s',
      'alice, bob',
      'instructors',
      'lab-3f9k2/learner',
    ]);
  });

  it('print ClusterRoleBindings the same way', () => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'view-all', creationTimestamp: ago(DAY) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    };
    expect(cellsOf('clusterrolebindings', binding)).toEqual([
      'view-all',
      'ClusterRole/view',
      '24h',
      '',
      '',
      '',
    ]);
  });

  it.each(['roles', 'clusterroles', 'limitranges'])(
    'print %s with the NAME / CREATED AT fallback',
    (resource) => {
      const role: KubeObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta('learner', 9 * SECONDS),
        rules: [],
      };
      const table = printTable(resource, [role], { now: NOW, resourceVersion: '1' });
      expect(table.columnDefinitions?.map((column) => [column.name, column.type])).toEqual([
        ['Name', 'string'],
        ['Created At', 'date'],
      ]);
      expect(table.rows[0]?.cells).toEqual(['learner', '2026-01-01T11:59:51Z']);
    },
  );
});

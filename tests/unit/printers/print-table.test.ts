import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import {
  findPrinter,
  formatQuantity,
  hasDedicatedPrinter,
  parseIncludeObject,
  printTable,
  UnknownIncludeObjectError,
} from '../../../sandbox/cluster/api/printers/index.ts';
import {
  makeClusterIPService,
  makePod,
  makeVwebDeployment,
  makeVwebReplicaSet,
  NOW,
  podConditions,
  webStatus,
} from './fixtures.ts';

/** Headers as kubectl prints them: normal columns, then `|`, then the `-o wide` extras. */
function describeHeaders(resource: string): string {
  const columns = findPrinter(resource).columns;
  const header = (priority: boolean) =>
    columns
      .filter((column) => column.priority > 0 === priority)
      .map((column) => column.name.toUpperCase())
      .join(' ');
  const wide = header(true);
  return wide ? `${header(false)} | ${wide}` : header(false);
}

describe('column definitions', () => {
  it.each([
    ['pods', 'NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES'],
    ['deployments', 'NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR'],
    ['replicasets', 'NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR'],
    [
      'daemonsets',
      'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR',
    ],
    ['statefulsets', 'NAME READY AGE | CONTAINERS IMAGES'],
    ['controllerrevisions', 'NAME CONTROLLER REVISION AGE'],
    ['services', 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR'],
    ['endpoints', 'NAME ENDPOINTS AGE'],
    ['configmaps', 'NAME DATA AGE'],
    ['secrets', 'NAME TYPE DATA AGE'],
    [
      'persistentvolumeclaims',
      'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE | VOLUMEMODE',
    ],
    [
      'persistentvolumes',
      'NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE | VOLUMEMODE',
    ],
    ['namespaces', 'NAME STATUS AGE'],
    [
      'nodes',
      'NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME',
    ],
    ['serviceaccounts', 'NAME SECRETS AGE'],
    ['resourcequotas', 'NAME REQUEST LIMIT AGE'],
    ['events', 'LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME'],
    ['rolebindings', 'NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS'],
    ['clusterrolebindings', 'NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS'],
    ['roles', 'NAME CREATED AT'],
    ['clusterroles', 'NAME CREATED AT'],
  ])('%s: %s', (resource, expected) => {
    expect(describeHeaders(resource)).toBe(expected);
  });

  it('give the name column the name format, and types as upstream declares them', () => {
    const replicaSet = findPrinter('replicasets').columns;
    expect(replicaSet.map((column) => [column.name, column.type, column.format, column.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Desired', 'integer', '', 0],
      ['Current', 'integer', '', 0],
      ['Ready', 'integer', '', 0],
      ['Age', 'string', '', 0],
      ['Containers', 'string', '', 1],
      ['Images', 'string', '', 1],
      ['Selector', 'string', '', 1],
    ]);
    expect(findPrinter('events').columns.find((column) => column.name === 'Name')?.format).toBe('name');
  });

  it('describe every column in our own words', () => {
    const pods = findPrinter('pods').columns;
    expect(pods[1]?.description).toBe('The aggregate readiness state of this pod for accepting traffic.');
    expect(pods[0]?.description).toBe('The name of the object meta, as its name field holds it.');
    expect(pods[4]?.description).toMatch(/creation timestamp/);
    for (const resource of ['pods', 'deployments', 'services', 'events', 'nodes', 'persistentvolumes']) {
      for (const column of findPrinter(resource).columns)
        expect(column.description, column.name).not.toBe('');
    }
  });

  it.each([
    'pods',
    'deployments',
    'replicasets',
    'daemonsets',
    'statefulsets',
    'controllerrevisions',
    'services',
    'endpoints',
    'configmaps',
    'secrets',
    'persistentvolumeclaims',
    'persistentvolumes',
    'namespaces',
    'nodes',
    'serviceaccounts',
    'resourcequotas',
    'events',
    'rolebindings',
    'clusterrolebindings',
    'roles',
  ])('%s rows have one cell per column, even for a bare object', (resource) => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'bare' } };
    const table = printTable(resource, [bare], { now: NOW, resourceVersion: '1' });
    expect(table.rows[0]?.cells).toHaveLength(table.columnDefinitions?.length ?? -1);
    expect(hasDedicatedPrinter(resource)).toBe(resource !== 'roles');
  });
});

describe('table envelope', () => {
  it('is a meta.k8s.io/v1 Table carrying the list resourceVersion and continue token', () => {
    const table = printTable('replicasets', [makeVwebReplicaSet()], {
      now: NOW,
      resourceVersion: '1234',
      continueToken: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
      remainingItemCount: 4,
    });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({
      resourceVersion: '1234',
      continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
      remainingItemCount: 4,
    });
  });

  it('keeps rows in the order of the objects given and has no rows for an empty list', () => {
    const older = makeVwebReplicaSet();
    const newer = makeVwebReplicaSet();
    newer.metadata.name = 'vweb-7c675fdd96';
    const table = printTable('replicasets', [older, newer], { now: NOW, resourceVersion: '5' });
    expect(table.rows.map((row) => row.cells[0])).toEqual(['vweb-6bd7464487', 'vweb-7c675fdd96']);
    const empty = printTable('replicasets', [], { now: NOW, resourceVersion: '5' });
    expect(empty.rows).toEqual([]);
    expect(empty.columnDefinitions).toHaveLength(8);
    expect(empty.metadata).toEqual({ resourceVersion: '5' });
  });

  it('leaves out column definitions when asked for no headers', () => {
    const table = printTable('pods', [makePod()], { now: NOW, resourceVersion: '5', noHeaders: true });
    expect(table.columnDefinitions).toBeNull();
    expect(table.rows[0]?.cells).toHaveLength(9);
  });

  it('serialises cells, conditions and object in kube-apiserver key order', () => {
    const finished = makePod({ status: { phase: 'Succeeded' } });
    const row = printTable('pods', [finished], { now: NOW, resourceVersion: '5' }).rows[0];
    expect(Object.keys(row ?? {})).toEqual(['cells', 'conditions', 'object']);
  });

  it('does not share column definitions between tables', () => {
    const first = printTable('services', [makeClusterIPService()], { now: NOW, resourceVersion: '1' });
    first.columnDefinitions?.splice(0);
    const second = printTable('services', [makeClusterIPService()], { now: NOW, resourceVersion: '1' });
    expect(second.columnDefinitions).toHaveLength(7);
  });
});

describe('row objects', () => {
  const deployment = makeVwebDeployment();

  it('default to PartialObjectMetadata with the whole metadata, as kube-apiserver does without includeObject', () => {
    const row = printTable('deployments', [deployment], { now: NOW, resourceVersion: '1' }).rows[0];
    expect(row?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: deployment.metadata,
    });
  });

  it('carry the full object for includeObject=Object (what kubectl asks for with --sort-by)', () => {
    const row = printTable('deployments', [deployment], {
      now: NOW,
      resourceVersion: '1',
      includeObject: 'Object',
    }).rows[0];
    expect(row?.object).toEqual(deployment);
    expect(row?.object).not.toBe(deployment);
  });

  it('carry null for includeObject=None', () => {
    const row = printTable('deployments', [deployment], {
      now: NOW,
      resourceVersion: '1',
      includeObject: 'None',
    }).rows[0];
    expect(row).toHaveProperty('object', null);
  });

  it('never let a caller mutate the stored object through a row', () => {
    const pod = makePod({
      status: { conditions: podConditions(true), containerStatuses: [webStatus({ ready: true })] },
    });
    const [row] = printTable('pods', [pod], { now: NOW, resourceVersion: '1' }).rows;
    if (!row) throw new Error('expected one row');
    const metadata = (row.object as { metadata: { labels: Record<string, string> } }).metadata;
    metadata.labels.app = 'changed';
    expect(pod.metadata.labels?.app).toBe('vweb');
  });
});

describe('parseIncludeObject', () => {
  it.each([
    [undefined, 'Metadata'],
    [null, 'Metadata'],
    ['', 'Metadata'],
    ['None', 'None'],
    ['Metadata', 'Metadata'],
    ['Object', 'Object'],
  ])('reads %j as %s', (value, expected) => {
    expect(parseIncludeObject(value)).toBe(expected);
  });

  it('rejects other values the way the API server does, naming the value', () => {
    expect(() => parseIncludeObject('object')).toThrow(UnknownIncludeObjectError);
    expect(() => parseIncludeObject('Everything')).toThrow('unrecognized includeObject value: "Everything"');
  });
});

describe('formatQuantity', () => {
  it.each([
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['10', '10'],
    ['0', '0'],
    ['0Gi', '0'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['2048Mi', '2Gi'],
    ['1.5Gi', '1536Mi'],
    ['512Ki', '512Ki'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['1G', '1G'],
    ['1000M', '1G'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['0.1n', '1n'],
    ['-500m', '-500m'],
    ['12Mi', '12Mi'],
    [undefined, '0'],
    ['', '0'],
    ['lots', 'lots'],
  ])('%j is %s', (input, expected) => {
    expect(formatQuantity(input)).toBe(expected);
  });
});

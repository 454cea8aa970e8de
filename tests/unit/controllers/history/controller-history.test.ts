import { describe, expect, it } from 'vitest';
import { ClusterApi } from '../../../../sandbox/cluster/api/cluster-api.ts';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { createObjectPolicy } from '../../../../sandbox/cluster/api/policy.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import { createManualClock } from '../../../../sandbox/cluster/clock.ts';
import {
  type CollisionCounter,
  controllerRevisionName,
  createControllerRevision,
  equalRevision,
  hashControllerRevision,
  maxRevision,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
} from '../../../../sandbox/cluster/controllers/history/controller-history.ts';
import { canonicalJson, fnv32, utf8 } from '../../../../sandbox/cluster/controllers/history/hash.ts';
import { msUntilPodAvailable } from '../../../../sandbox/cluster/controllers/history/pod-readiness.ts';
import {
  applyRevision,
  getTemplatePatch,
  normalizeTemplate,
  templateFromRevision,
  templateMatchesRevision,
} from '../../../../sandbox/cluster/controllers/history/template-patch.ts';
import { ObjectStore } from '../../../../sandbox/cluster/store/object-store.ts';

const revision = (
  name: string,
  number: number,
  created = '2026-01-01T00:00:00Z',
  data: unknown = { n: number },
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, creationTimestamp: created },
  revision: number,
  data,
});

describe('hash', () => {
  it.each([
    // Go: fnv.New32() over "" is the offset basis; over "a" it is 0x050c5d7e.
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['foobar', 0x31f0b262],
  ])('fnv32 (FNV-1) of %j', (text, expected) => {
    expect(fnv32(utf8(text))).toBe(expected);
  });

  it('canonicalJson sorts keys at every level, keeps array order and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined }, $patch: 'replace' })).toBe(
      '{"$patch":"replace","a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('hashControllerRevision changes with the data and with the collision count, and is spelled safely', () => {
    const a = hashControllerRevision({ spec: { template: { x: 1 } } }, 0);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(hashControllerRevision({ spec: { template: { x: 1 } } }, 0)).toBe(a);
    expect(hashControllerRevision({ spec: { template: { x: 2 } } }, 0)).not.toBe(a);
    expect(hashControllerRevision({ spec: { template: { x: 1 } } }, 1)).not.toBe(a);
  });
});

describe('revision ordering and numbering', () => {
  it.each([
    { name: 'by number', input: [revision('b', 2), revision('a', 1)], expected: ['a', 'b'] },
    {
      name: 'ties by creation time',
      input: [revision('x', 1, '2026-01-01T00:00:05Z'), revision('y', 1, '2026-01-01T00:00:01Z')],
      expected: ['y', 'x'],
    },
    { name: 'then by name', input: [revision('d', 3), revision('c', 3)], expected: ['c', 'd'] },
  ])('sortControllerRevisions $name', ({ input, expected }) => {
    expect(sortControllerRevisions(input).map((r) => r.metadata.name)).toEqual(expected);
  });

  it.each([
    { revisions: [], next: 1, max: 0 },
    { revisions: [revision('a', 1), revision('b', 4)], next: 5, max: 4 },
  ])('nextRevision / maxRevision of $revisions.length revisions', ({ revisions, next, max }) => {
    expect(nextRevision(sortControllerRevisions(revisions))).toBe(next);
    expect(maxRevision(revisions)).toBe(max);
  });

  it('names are cut to leave room for the hash', () => {
    expect(controllerRevisionName('todo-db', '6c4f8d9b7')).toBe('todo-db-6c4f8d9b7');
    expect(controllerRevisionName('x'.repeat(300), 'h').length).toBe(225);
  });

  it('equalRevision compares data regardless of key order', () => {
    expect(
      equalRevision(revision('a', 1, undefined, { a: 1, b: 2 }), revision('b', 2, undefined, { b: 2, a: 1 })),
    ).toBe(true);
    expect(equalRevision(revision('a', 1, undefined, { a: 1 }), revision('b', 2, undefined, { a: 2 }))).toBe(
      false,
    );
  });
});

describe('template patch', () => {
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'todo-proxy', namespace: 'default', uid: 'u1' },
    spec: {
      template: {
        metadata: { labels: { app: 'todo-proxy' }, annotations: {} },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.17-alpine', env: [] }], volumes: [] },
      },
    },
  };

  it('normalises the template the way a Go round trip does', () => {
    expect(normalizeTemplate(ds.spec.template)).toEqual({
      metadata: { creationTimestamp: null, labels: { app: 'todo-proxy' } },
      spec: { containers: [{ image: 'nginx:1.17-alpine', name: 'nginx', resources: {} }] },
    });
  });

  it('stores the template under spec.template with "$patch": "replace" first', () => {
    expect(JSON.stringify(getTemplatePatch(ds))).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"todo-proxy"}},"spec":{"containers":[{"image":"nginx:1.17-alpine","name":"nginx","resources":{}}]}}}}',
    );
  });

  it('matches its own revision, not another template, and applies back to the same template', () => {
    const cr = newControllerRevision(ds, { app: 'todo-proxy' }, getTemplatePatch(ds), 1, 0);
    expect(templateMatchesRevision(ds, cr)).toBe(true);
    const changed = structuredClone(ds) as KubeObject;
    changed.spec.template.spec.containers[0].image = 'nginx:1.18-alpine';
    expect(templateMatchesRevision(changed, cr)).toBe(false);
    expect(templateFromRevision(cr)).not.toHaveProperty('$patch');
    expect(templateMatchesRevision(applyRevision(changed, cr), cr)).toBe(true);
    expect(cr.metadata).toMatchObject({
      name: `todo-proxy-${cr.metadata.labels!['controller.kubernetes.io/hash']}`,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'todo-proxy',
          uid: 'u1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
  });
});

describe('createControllerRevision', () => {
  function api(): ClusterApi {
    const clock = createManualClock();
    const cluster = new ClusterApi({ store: new ObjectStore(), clock, policy: createObjectPolicy() });
    cluster.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default' },
    });
    return cluster;
  }
  const parent: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'todo-db', namespace: 'default', uid: 'p1' },
  };

  it('returns the existing revision when the same data is already stored under its name', () => {
    const cluster = api();
    const cr = newControllerRevision(parent, { app: 'todo-db' }, { spec: { template: { a: 1 } } }, 1, 0);
    const first = createControllerRevision(cluster, parent, cr, { count: 0 });
    const counter: CollisionCounter = { count: 0 };
    expect(createControllerRevision(cluster, parent, cr, counter).metadata.uid).toBe(first.metadata.uid);
    expect(counter.count).toBe(0);
  });

  it('bumps the collision count and takes a new name when another revision holds the name', () => {
    const cluster = api();
    const cr = newControllerRevision(parent, { app: 'todo-db' }, { spec: { template: { a: 1 } } }, 1, 0);
    // Someone else's data under the name our hash gives.
    cluster.create(RESOURCES.controllerrevisions, 'default', {
      ...structuredClone(cr),
      data: { other: true },
    } as KubeObject);
    const counter: CollisionCounter = { count: 0 };
    const created = createControllerRevision(cluster, parent, cr, counter);
    expect(counter.count).toBe(1);
    expect(created.metadata.name).toBe(`todo-db-${hashControllerRevision(cr.data, 1)}`);
  });
});

describe('msUntilPodAvailable', () => {
  const ready = (since: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] },
  });
  const t0 = Date.parse('2026-01-01T10:00:00Z');
  it.each([
    {
      name: 'waits to one ms past minReadySeconds',
      pod: ready('2026-01-01T10:00:00Z'),
      min: 90,
      now: t0 + 30_000,
      expected: 60_001,
    },
    {
      name: 'at the boundary it is not available yet',
      pod: ready('2026-01-01T10:00:00Z'),
      min: 90,
      now: t0 + 90_000,
      expected: 1,
    },
    {
      name: 'already available',
      pod: ready('2026-01-01T10:00:00Z'),
      min: 90,
      now: t0 + 90_001,
      expected: undefined,
    },
    { name: 'no minReadySeconds', pod: ready('2026-01-01T10:00:00Z'), min: 0, now: t0, expected: undefined },
  ])('$name', ({ pod, min, now, expected }) => {
    expect(msUntilPodAvailable(pod, min, now)).toBe(expected);
  });
});

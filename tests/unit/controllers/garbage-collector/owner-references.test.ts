import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import {
  DependencyGraph,
  diffReferences,
  type GraphNode,
} from '../../../../sandbox/cluster/controllers/garbage-collector/dependency-graph.ts';
import {
  classifyReferences,
  decideDependentAction,
  type OwnerLookup,
} from '../../../../sandbox/cluster/controllers/garbage-collector/owner-references.ts';

const ref = (uid: string, block = true): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: `rs-${uid}`,
  uid,
  controller: true,
  blockOwnerDeletion: block,
});
const owner = (uid: string, state: 'live' | 'foreground' | 'background' = 'live'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `rs-${uid}`,
    uid,
    ...(state === 'live' ? {} : { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    ...(state === 'foreground'
      ? { finalizers: ['foregroundDeletion'] }
      : state === 'background'
        ? { finalizers: ['example.com/keep'] }
        : {}),
  },
});
const pod = (finalizers: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', uid: 'p1', finalizers },
});

describe('classifyReferences', () => {
  const world = new Map<string, KubeObject | 'unresolvable'>([
    ['live', owner('live')],
    ['fg', owner('fg', 'foreground')],
    ['bg', owner('bg', 'background')],
    ['renamed', owner('someone-else')],
    ['crd', 'unresolvable'],
  ]);
  const lookup: OwnerLookup = (r) => world.get(r.uid);
  it.each([
    {
      name: 'live owner is solid',
      refs: [ref('live')],
      expected: { solid: ['live'], dangling: [], waiting: [] },
    },
    {
      name: 'missing owner dangles',
      refs: [ref('gone')],
      expected: { solid: [], dangling: ['gone'], waiting: [] },
    },
    {
      name: 'same name, other uid dangles',
      refs: [ref('renamed')],
      expected: { solid: [], dangling: ['renamed'], waiting: [] },
    },
    {
      name: 'foreground owner waits',
      refs: [ref('fg')],
      expected: { solid: [], dangling: [], waiting: ['fg'] },
    },
    {
      name: 'owner deleting without foreground is still solid',
      refs: [ref('bg')],
      expected: { solid: ['bg'], dangling: [], waiting: [] },
    },
    {
      name: 'unknown kinds are never collected',
      refs: [ref('crd')],
      expected: { solid: ['crd'], dangling: [], waiting: [] },
    },
  ])('$name', ({ refs, expected }) => {
    const c = classifyReferences(refs, lookup);
    expect({
      solid: c.solid.map((r) => r.uid),
      dangling: c.dangling.map((r) => r.uid),
      waiting: c.waitingForDependentsDeletion.map((r) => r.uid),
    }).toEqual(expected);
  });
});

describe('decideDependentAction', () => {
  const classified = (solid: string[], dangling: string[], waiting: string[]) => ({
    solid: solid.map((u) => ref(u)),
    dangling: dangling.map((u) => ref(u)),
    waitingForDependentsDeletion: waiting.map((u) => ref(u)),
  });
  it.each([
    {
      name: 'only solid owners: keep',
      c: classified(['a'], [], []),
      deps: false,
      dependent: pod(),
      expected: { kind: 'keep' },
    },
    {
      name: 'solid plus dangling: drop the dangling reference',
      c: classified(['a'], ['b'], []),
      deps: false,
      dependent: pod(),
      expected: { kind: 'removeReferences', uids: ['b'] },
    },
    {
      name: 'all dangling: delete in background',
      c: classified([], ['b'], []),
      deps: false,
      dependent: pod(),
      expected: { kind: 'delete', policy: 'Background', unblockOwnerReferences: false },
    },
    {
      name: 'waiting owner, dependent owns pods: foreground',
      c: classified([], [], ['b']),
      deps: true,
      dependent: pod(),
      expected: { kind: 'delete', policy: 'Foreground', unblockOwnerReferences: false },
    },
    {
      name: 'waiting owner, leaf dependent: background',
      c: classified([], [], ['b']),
      deps: false,
      dependent: pod(),
      expected: { kind: 'delete', policy: 'Background', unblockOwnerReferences: false },
    },
    {
      name: 'dependent asks to orphan its own dependents',
      c: classified([], ['b'], []),
      deps: true,
      dependent: pod(['orphan']),
      expected: { kind: 'delete', policy: 'Orphan', unblockOwnerReferences: false },
    },
  ])('$name', ({ c, deps, dependent, expected }) => {
    expect(decideDependentAction(dependent, c, deps, false)).toEqual(expected);
  });
});

describe('DependencyGraph', () => {
  const node = (uid: string, owners: OwnerReference[]): GraphNode => ({
    identity: { resourceName: 'pods', resource: RESOURCES.pods, namespace: 'default', name: uid, uid },
    owners,
    finalizers: [],
    beingDeleted: false,
    deletingDependents: false,
  });

  it('indexes dependents by owner uid, follows reference changes, and keeps dependents of a removed owner', () => {
    const graph = new DependencyGraph();
    graph.upsert(node('rs', []));
    graph.upsert(node('p1', [ref('rs')]));
    graph.upsert(node('p2', [ref('rs', false)]));
    expect(graph.dependentsOf('rs').map((n) => n.identity.uid)).toEqual(['p1', 'p2']);
    expect(graph.blockingDependentsOf('rs').map((n) => n.identity.uid)).toEqual(['p1']);
    const { diff } = graph.upsert(node('p1', []));
    expect(diff.removed.map((r) => r.uid)).toEqual(['rs']);
    expect(graph.dependentsOf('rs').map((n) => n.identity.uid)).toEqual(['p2']);
    graph.remove('rs');
    expect(graph.get('rs')).toBeUndefined();
    expect(graph.dependentsOf('rs').map((n) => n.identity.uid)).toEqual(['p2']);
  });

  it.each([
    { name: 'added', before: [], after: [ref('a')], expected: { added: ['a'], removed: [], unblocked: [] } },
    {
      name: 'removed',
      before: [ref('a')],
      after: [],
      expected: { added: [], removed: ['a'], unblocked: [] },
    },
    {
      name: 'unblocked',
      before: [ref('a', true)],
      after: [ref('a', false)],
      expected: { added: [], removed: [], unblocked: ['a'] },
    },
  ])('diffReferences $name', ({ before, after, expected }) => {
    const diff = diffReferences(before, after);
    expect({
      added: diff.added.map((r) => r.uid),
      removed: diff.removed.map((r) => r.uid),
      unblocked: diff.unblocked.map((r) => r.uid),
    }).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ObjectStore,
  RevisionTooOldError,
  type StoreEvent,
} from '../../../sandbox/cluster/store/object-store.ts';

const cm = (name: string, data = 'a') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'demo' },
  data: { k: data },
});

describe('ObjectStore', () => {
  it('stamps a growing resourceVersion and freezes what it stores', () => {
    const store = new ObjectStore();
    const a = store.create('configmaps', cm('a'));
    const b = store.create('configmaps', cm('b'));
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(() => {
      (a.metadata as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(store.get('configmaps', 'demo', 'a')?.metadata.name).toBe('a');
  });

  it('replays history after a revision, then streams new changes with the previous state', () => {
    const store = new ObjectStore();
    const first = store.create('configmaps', cm('a'));
    store.update('configmaps', cm('a', 'b'));
    const events: StoreEvent[] = [];
    const stop = store.watch('configmaps', Number(first.metadata.resourceVersion), (e) => events.push(e));
    store.delete('configmaps', 'demo', 'a');
    stop();
    store.create('configmaps', cm('c'));
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(events[0]?.previous?.data).toEqual({ k: 'a' });
  });

  it('refuses a watch from a revision older than the kept history', () => {
    const store = new ObjectStore({ historyLimit: 2 });
    for (const name of ['a', 'b', 'c', 'd']) store.create('configmaps', cm(name));
    expect(() => store.watch('configmaps', 1, () => {})).toThrow(RevisionTooOldError);
  });

  it('lists across namespaces in a stable order', () => {
    const store = new ObjectStore();
    store.create('configmaps', { ...cm('z'), metadata: { name: 'z', namespace: 'b' } });
    store.create('configmaps', { ...cm('y'), metadata: { name: 'y', namespace: 'a' } });
    store.create('configmaps', { ...cm('x'), metadata: { name: 'x', namespace: 'a' } });
    expect(store.list('configmaps').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'a/x',
      'a/y',
      'b/z',
    ]);
  });
});

/**
 * The namespace watcher and its registry against a scripted API (every LIST and WATCH is answered
 * by the test) on a manual clock: sync, debounce, 410 and failure paths, back-off, and that
 * stopping leaves no timer and no open request behind.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { COLLECTIONS } from '../../../sandbox/server/step-checks.ts';
import {
  ListError,
  type ListResult,
  type WatchApi,
  type WatchEnd,
  type WatchEvent,
} from '../../../sandbox/watch/kube-watch.ts';
import {
  type CollectionPaths,
  createNamespaceWatcher,
  WatcherStoppedError,
} from '../../../sandbox/watch/namespace-watcher.ts';
import { createWatcherRegistry } from '../../../sandbox/watch/watcher-registry.ts';

interface PendingList {
  path: string;
  resolve(result: ListResult): void;
  reject(error: Error): void;
}
interface OpenWatch {
  path: string;
  resourceVersion: string;
  emit(event: WatchEvent): void;
  end(result: WatchEnd): void;
  signal: AbortSignal;
}

/** A WatchApi whose answers the test gives, one request at a time. */
class ScriptedApi implements WatchApi {
  lists: PendingList[] = [];
  watches: OpenWatch[] = [];
  closed = false;
  list(path: string, signal: AbortSignal): Promise<ListResult> {
    return new Promise((resolve, reject) => {
      this.lists.push({ path, resolve, reject });
      signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  }
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd> {
    return new Promise((resolve) => {
      this.watches.push({ path, resourceVersion, emit: onEvent, end: resolve, signal });
      signal.addEventListener('abort', () => resolve({ kind: 'failed', message: 'aborted' }));
    });
  }
  close(): void {
    this.closed = true;
  }
  /** Answers every pending list with `items` for `path` (others empty), at version `rv`. */
  answerLists(rv: string, items: Partial<Record<string, KubeObject[]>> = {}): void {
    for (const pending of this.lists.splice(0))
      pending.resolve({ items: items[pending.path] ?? [], resourceVersion: rv });
  }
  /** The open watch of `path` (the last one opened). */
  watchOf(path: string): OpenWatch {
    const found = this.watches.filter((w) => w.path === path).at(-1);
    if (!found) throw new Error(`no watch of ${path}`);
    return found;
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const TWO: CollectionPaths = {
  ...COLLECTIONS,
} as CollectionPaths;
const RS = '/apis/apps/v1/namespaces/rl-a/replicasets';
const PODS = '/api/v1/namespaces/rl-a/pods';

function rs(name: string, rv: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'rl-a', resourceVersion: rv },
    spec: { replicas },
  } as KubeObject;
}

function setup(options: { debounceMs?: number } = {}) {
  const clock = createManualClock();
  const api = new ScriptedApi();
  const log: string[] = [];
  const watcher = createNamespaceWatcher({
    api,
    namespace: 'rl-a',
    collections: TWO,
    clock,
    ...options,
    log: (message) => log.push(message),
  });
  let changes = 0;
  watcher.onChange(() => changes++);
  return { clock, api, watcher, log, changes: () => changes };
}

describe('namespace watcher', () => {
  it('lists every collection of the COLLECTIONS table, then watches each from its list version', async () => {
    const { api, watcher, changes, clock } = setup();
    watcher.start();
    await flush();
    expect(api.lists.map((l) => l.path).sort()).toEqual(
      Object.values(COLLECTIONS)
        .map((p) => p.replace('{ns}', 'rl-a'))
        .sort(),
    );
    expect(watcher.synced).toBe(false);
    api.answerLists('40', { [RS]: [rs('vweb-b', '12'), rs('vweb-a', '11')] });
    await flush();
    expect(watcher.synced).toBe(true);
    await watcher.whenSynced();
    expect(api.watches).toHaveLength(Object.keys(COLLECTIONS).length);
    expect(api.watchOf(RS).resourceVersion).toBe('40');
    // Sorted by name, as the API server lists.
    expect(watcher.snapshot().replicaSets.map((o) => o.metadata.name)).toEqual(['vweb-a', 'vweb-b']);
    expect(watcher.snapshot().pods).toEqual([]);
    // The first sync is announced once, after the debounce.
    expect(changes()).toBe(0);
    clock.advance(100);
    expect(changes()).toBe(1);
  });

  it('reports a burst of changes once, within the debounce window', async () => {
    const { api, watcher, changes, clock } = setup();
    watcher.start();
    await flush();
    api.answerLists('40');
    await flush();
    clock.advance(100);
    expect(changes()).toBe(1);

    const watch = api.watchOf(RS);
    watch.emit({ type: 'ADDED', object: rs('vweb-a', '41', 2) });
    clock.advance(60);
    watch.emit({ type: 'MODIFIED', object: rs('vweb-a', '42', 3) });
    api.watchOf(PODS).emit({
      type: 'ADDED',
      object: { kind: 'Pod', metadata: { name: 'p', resourceVersion: '43' } } as KubeObject,
    });
    expect(changes()).toBe(1);
    clock.advance(39);
    expect(changes()).toBe(1);
    clock.advance(1);
    expect(changes()).toBe(2);
    expect(watcher.snapshot().replicaSets).toEqual([rs('vweb-a', '42', 3)]);
    expect(watcher.snapshot().pods.map((p) => p.metadata.name)).toEqual(['p']);

    watch.emit({ type: 'DELETED', object: rs('vweb-a', '44', 3) });
    clock.advance(100);
    expect(changes()).toBe(3);
    expect(watcher.snapshot().replicaSets).toEqual([]);
    // A bookmark moves the version but changes nothing.
    watch.emit({
      type: 'BOOKMARK',
      object: { kind: 'ReplicaSet', metadata: { resourceVersion: '50' } } as KubeObject,
    });
    clock.advance(100);
    expect(changes()).toBe(3);
  });

  it('watches again from the last version seen when the server closes a watch normally', async () => {
    const { api, watcher, clock } = setup();
    watcher.start();
    await flush();
    api.answerLists('40');
    await flush();
    const first = api.watchOf(RS);
    first.emit({ type: 'ADDED', object: rs('vweb-a', '45') });
    first.emit({
      type: 'BOOKMARK',
      object: { kind: 'ReplicaSet', metadata: { resourceVersion: '47' } } as KubeObject,
    });
    clock.advance(300_000);
    first.end({ kind: 'closed' });
    await flush();
    expect(api.lists).toHaveLength(0);
    expect(api.watchOf(RS)).not.toBe(first);
    expect(api.watchOf(RS).resourceVersion).toBe('47');
    expect(watcher.snapshot().replicaSets.map((o) => o.metadata.name)).toEqual(['vweb-a']);
  });

  it('lists again at once on 410 Gone and replaces the cache with the new list', async () => {
    const { api, watcher, changes, clock } = setup();
    watcher.start();
    await flush();
    api.answerLists('40', { [RS]: [rs('vweb-old', '30')] });
    await flush();
    clock.advance(100);
    api.watchOf(RS).end({ kind: 'expired', message: 'too old resource version: 40 (900)' });
    await flush();
    expect(api.lists.map((l) => l.path)).toEqual([RS]);
    expect(watcher.stats.expired).toBe(1);
    // Until the new list arrives the old cache stays (no flicker to empty).
    expect(watcher.snapshot().replicaSets.map((o) => o.metadata.name)).toEqual(['vweb-old']);
    api.answerLists('901', { [RS]: [rs('vweb-new', '899')] });
    await flush();
    expect(api.watchOf(RS).resourceVersion).toBe('901');
    clock.advance(100);
    expect(changes()).toBe(2);
    expect(watcher.snapshot().replicaSets.map((o) => o.metadata.name)).toEqual(['vweb-new']);
  });

  it('backs off after a lost connection, doubling up to the limit, then lists again', async () => {
    const { api, watcher, clock, log } = setup();
    watcher.start();
    await flush();
    api.answerLists('40');
    await flush();
    api.watchOf(RS).end({ kind: 'failed', message: 'connection reset' });
    await flush();
    expect(api.lists).toHaveLength(0);
    clock.advance(499);
    await flush();
    expect(api.lists).toHaveLength(0);
    clock.advance(1);
    await flush();
    expect(api.lists.map((l) => l.path)).toEqual([RS]);
    expect(log.at(-1)).toContain('connection reset');

    // The list fails too: the next wait is twice as long.
    api.lists.splice(0)[0]!.reject(new Error('503'));
    await flush();
    clock.advance(999);
    await flush();
    expect(api.lists).toHaveLength(0);
    clock.advance(1);
    await flush();
    expect(api.lists).toHaveLength(1);
    expect(watcher.stats.failures).toBe(2);
  });

  it('syncs with a collection the identity may not list (403) as empty, and keeps trying it', async () => {
    const { api, watcher, clock } = setup();
    watcher.start();
    await flush();
    const refused = api.lists.find((l) => l.path === PODS)!;
    api.lists.splice(api.lists.indexOf(refused), 1);
    refused.reject(new ListError('listing pods answered 403: forbidden', 403));
    api.answerLists('40', { [RS]: [rs('vweb-a', '11')] });
    await flush();
    expect(watcher.synced).toBe(true);
    expect(watcher.snapshot().pods).toEqual([]);
    expect(watcher.snapshot().replicaSets).toHaveLength(1);
    clock.advance(500);
    await flush();
    expect(api.lists.map((l) => l.path)).toEqual([PODS]);
  });

  it('does not sync while a collection fails for another reason (500)', async () => {
    const { api, watcher } = setup();
    watcher.start();
    await flush();
    const failing = api.lists.find((l) => l.path === PODS)!;
    api.lists.splice(api.lists.indexOf(failing), 1);
    failing.reject(new ListError('listing pods answered 500', 500));
    api.answerLists('40');
    await flush();
    expect(watcher.synced).toBe(false);
  });

  it('treats a watch the server ends at once, with nothing sent, as a failure', async () => {
    const { api, watcher, clock } = setup();
    watcher.start();
    await flush();
    api.answerLists('40');
    await flush();
    api.watchOf(RS).end({ kind: 'closed' });
    await flush();
    // Not watched again in a loop: it waits, then lists.
    expect(api.watches.filter((w) => w.path === RS)).toHaveLength(1);
    clock.advance(500);
    await flush();
    expect(api.lists.map((l) => l.path)).toEqual([RS]);
  });

  it('stops: aborts requests, cancels every timer, rejects a waiting whenSynced, ignores late answers', async () => {
    const { watcher, clock, changes } = setup();
    watcher.start();
    await flush();
    const waiting = watcher.whenSynced();
    watcher.stop();
    await expect(waiting).rejects.toBeInstanceOf(WatcherStoppedError);
    await flush();
    expect(clock.pendingTimers()).toBe(0);

    const again = setup();
    again.watcher.start();
    await flush();
    again.api.answerLists('40');
    await flush();
    again.api.watchOf(RS).emit({ type: 'ADDED', object: rs('x', '41') });
    again.api.watchOf(PODS).end({ kind: 'failed', message: 'reset' });
    await flush();
    expect(again.clock.pendingTimers()).toBeGreaterThan(0);
    again.watcher.stop();
    await flush();
    expect(again.api.watches.every((w) => w.signal.aborted)).toBe(true);
    expect(again.clock.pendingTimers()).toBe(0);
    again.clock.advance(60_000);
    await flush();
    expect(again.api.lists).toHaveLength(0);
    expect(changes()).toBe(0);
  });
});

describe('watcher registry', () => {
  function registry() {
    const clock = createManualClock();
    const made: { api: ScriptedApi; watcher: ReturnType<typeof createNamespaceWatcher> }[] = [];
    const reg = createWatcherRegistry((sessionId) => {
      const api = new ScriptedApi();
      const watcher = createNamespaceWatcher({ api, namespace: `rl-${sessionId}`, collections: TWO, clock });
      made.push({ api, watcher });
      return watcher;
    });
    return { clock, made, reg };
  }

  it('starts one watcher per session on the first subscriber and stops it when the last leaves', async () => {
    const { clock, made, reg } = registry();
    let a = 0;
    let b = 0;
    const first = reg.subscribe('s1', { onChange: () => a++, onEnd: () => {} });
    const second = reg.subscribe('s1', { onChange: () => b++, onEnd: () => {} });
    expect(made).toHaveLength(1);
    expect(reg.size).toBe(1);
    await flush();
    made[0]!.api.answerLists('5');
    await flush();
    clock.advance(100);
    expect([a, b]).toEqual([1, 1]);
    expect(first.synced).toBe(true);
    first.unsubscribe();
    expect(reg.size).toBe(1);
    second.unsubscribe();
    expect(reg.size).toBe(0);
    await flush();
    expect(made[0]!.api.watches.every((w) => w.signal.aborted)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('restarts under the same subscribers (reset) and ends with a reason (delete, shutdown)', async () => {
    const { clock, made, reg } = registry();
    let changes = 0;
    const ends: string[] = [];
    const sub = reg.subscribe('s1', { onChange: () => changes++, onEnd: (reason) => ends.push(reason) });
    reg.subscribe('s2', { onChange: () => {}, onEnd: (reason) => ends.push(`s2 ${reason}`) });
    await flush();
    reg.restart('s1');
    expect(made).toHaveLength(3);
    await flush();
    await expect(made[0]!.watcher.whenSynced()).rejects.toBeInstanceOf(WatcherStoppedError);
    made[2]!.api.answerLists('9', { '/apis/apps/v1/namespaces/rl-s1/replicasets': [rs('after-reset', '8')] });
    await flush();
    clock.advance(100);
    expect(changes).toBe(1);
    expect(sub.snapshot().replicaSets.map((o) => o.metadata.name)).toEqual(['after-reset']);

    reg.end('s1', 'deleted');
    expect(ends).toEqual(['deleted']);
    expect(sub.synced).toBe(false);
    sub.unsubscribe();
    reg.closeAll();
    expect(ends).toEqual(['deleted', 's2 shutdown']);
    expect(reg.size).toBe(0);
    await flush();
    expect(clock.pendingTimers()).toBe(0);
  });
});

/**
 * A namespace watcher (an "informer"): keeps an in-memory copy of every collection the checks
 * look at in one namespace, and says when it changed, so the server can judge the steps again
 * without listing everything on every question.
 *
 * For each collection of `COLLECTIONS` (sandbox/server/step-checks.ts; a new entry there is
 * watched without touching this file) one loop runs:
 *
 * ```
 * LIST → cache := items, rv := list.metadata.resourceVersion
 * WATCH ?resourceVersion=rv → ADDED/MODIFIED put, DELETED remove, every event (and BOOKMARK) moves rv
 *   stream closed by the server      → WATCH again from rv
 *   410 Gone (too old rv)            → LIST again at once
 *   refused, lost, or closed at once → wait (back-off 0.5 s, 1 s, 2 s … 30 s), then LIST again
 * ```
 *
 * A collection whose LIST is refused with 403 or 404 (the identity may not read it, or the
 * cluster does not serve it) counts as empty for the first sync, so one missing permission
 * cannot keep every step from being judged; it is still retried with back-off.
 *
 * Until every collection has been listed once the watcher is not `synced` and says nothing;
 * after that, changes are coalesced: listeners hear at most once per `debounceMs` (100 ms), so a
 * rollout that touches thirty objects in a burst costs one re-evaluation, and the first change
 * is never more than 100 ms late. Time comes from an injected Clock (tests step it by hand).
 */
import type { NamespaceSnapshot } from '../checks/evaluate.ts';
import type { KubeObject } from '../cluster/api/objects.ts';
import type { Clock } from '../cluster/clock.ts';
import { ListError, type WatchApi, type WatchEnd, type WatchEvent } from './kube-watch.ts';

/** The snapshot's collections by name, each a namespaced path with `{ns}` for the namespace. */
export type CollectionPaths = Readonly<Record<keyof NamespaceSnapshot, string>>;

/** How a watcher behaves. */
export interface NamespaceWatcherOptions {
  api: WatchApi;
  namespace: string;
  collections: CollectionPaths;
  clock: Clock;
  /** Changes within this window are reported once (100 ms by default). */
  debounceMs?: number;
  /** First wait after a failure (500 ms); doubled per failure in a row up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  /** Longest wait between attempts (30 s by default). */
  maxBackoffMs?: number;
  /**
   * A watch that the server closes sooner than this after it opened, having sent nothing, counts
   * as a failure (500 ms by default): a server that ends every watch at once (it has lost the
   * history it would replay) must not be asked again in a tight loop.
   */
  minWatchMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** What a watcher reports about itself (for tests and the health answer). */
export interface WatcherStats {
  lists: number;
  watches: number;
  expired: number;
  failures: number;
}

/** A running namespace watcher. */
export interface NamespaceWatcher {
  readonly namespace: string;
  /** True once every collection has been listed at least once. */
  readonly synced: boolean;
  readonly stats: Readonly<WatcherStats>;
  /** Starts listing and watching (once; later calls do nothing). */
  start(): void;
  /** Stops every loop, aborts open requests and cancels timers. Idempotent. */
  stop(): void;
  /** Resolves once synced; rejects if the watcher is stopped first. */
  whenSynced(): Promise<void>;
  /** The cached namespace now; each collection sorted by name. */
  snapshot(): NamespaceSnapshot;
  /** Calls `listener` (debounced) after the cache changed, and once when it first syncs. */
  onChange(listener: () => void): () => void;
}

/** The watcher was stopped before it synced. */
export class WatcherStoppedError extends Error {
  override name = 'WatcherStoppedError';
}

interface CollectionState {
  key: keyof NamespaceSnapshot;
  path: string;
  items: Map<string, KubeObject>;
  listed: boolean;
  sorted: readonly KubeObject[] | undefined;
}

/** Creates a watcher; call `start()` to begin. */
export function createNamespaceWatcher(options: NamespaceWatcherOptions): NamespaceWatcher {
  const { api, clock, namespace } = options;
  const debounceMs = options.debounceMs ?? 100;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const minWatchMs = options.minWatchMs ?? 500;
  const log = options.log ?? (() => {});
  const abort = new AbortController();
  const ns = encodeURIComponent(namespace);
  const states: CollectionState[] = (Object.keys(options.collections) as (keyof NamespaceSnapshot)[]).map(
    (key) => ({
      key,
      path: options.collections[key].replace('{ns}', ns),
      items: new Map(),
      listed: false,
      sorted: undefined,
    }),
  );
  const listeners = new Set<() => void>();
  const sleepers = new Set<() => void>();
  const stats: WatcherStats = { lists: 0, watches: 0, expired: 0, failures: 0 };
  let started = false;
  let stopped = false;
  let synced = false;
  let cancelDebounce: (() => void) | undefined;
  let syncWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  const notify = (): void => {
    if (!synced || stopped || cancelDebounce) return;
    cancelDebounce = clock.setTimer(() => {
      cancelDebounce = undefined;
      for (const listener of [...listeners]) {
        try {
          listener();
        } catch (error) {
          log(`a listener of namespace ${namespace} failed`, error);
        }
      }
    }, debounceMs);
  };

  const markListed = (state: CollectionState): void => {
    state.listed = true;
    if (synced || !states.every((s) => s.listed)) return;
    synced = true;
    for (const waiter of syncWaiters) waiter.resolve();
    syncWaiters = [];
  };

  /** Waits `ms` on the clock; resolves early (to false) when the watcher stops. */
  const sleep = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (stopped) return resolve(false);
      let cancel: () => void = () => {};
      const wake = (): void => {
        sleepers.delete(wake);
        cancel();
        resolve(!stopped);
      };
      sleepers.add(wake);
      cancel = clock.setTimer(wake, ms);
    });

  const keyOf = (object: KubeObject): string => object.metadata.name ?? object.metadata.uid ?? '';

  const apply = (state: CollectionState, event: WatchEvent): void => {
    if (event.type === 'BOOKMARK') return;
    const key = keyOf(event.object);
    if (event.type === 'DELETED') {
      if (!state.items.delete(key)) return;
    } else {
      state.items.set(key, event.object);
    }
    state.sorted = undefined;
    notify();
  };

  const run = async (state: CollectionState): Promise<void> => {
    let failuresInARow = 0;
    const backOff = async (why: string, error?: unknown): Promise<boolean> => {
      failuresInARow++;
      stats.failures++;
      const wait = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failuresInARow - 1));
      log(`${state.path}: ${why}; trying again in ${wait} ms`, error);
      return sleep(wait);
    };
    while (!stopped) {
      let resourceVersion: string;
      try {
        const list = await api.list(state.path, abort.signal);
        if (stopped) return;
        stats.lists++;
        state.items = new Map(list.items.map((item) => [keyOf(item), item]));
        state.sorted = undefined;
        resourceVersion = list.resourceVersion;
        markListed(state);
        notify();
      } catch (error) {
        if (stopped) return;
        // Refused for good (not allowed, or a resource this cluster does not serve): count the
        // collection as empty so the others still sync and the checks still run; keep trying.
        const status = error instanceof ListError ? error.status : undefined;
        if ((status === 403 || status === 404) && !state.listed) {
          state.items = new Map();
          state.sorted = undefined;
          markListed(state);
          notify();
        }
        if (!(await backOff(`listing failed${status ? ` (${status})` : ''}`, error))) return;
        continue;
      }
      // Watch from the list's version until the history is gone or the connection fails.
      let end: WatchEnd;
      for (;;) {
        const openedAt = clock.now();
        let received = 0;
        stats.watches++;
        end = await api.watch(
          state.path,
          resourceVersion,
          (event) => {
            received++;
            const version = event.object.metadata.resourceVersion;
            if (version) resourceVersion = version;
            apply(state, event);
          },
          abort.signal,
        );
        if (stopped) return;
        if (received > 0 || clock.now() - openedAt >= minWatchMs) failuresInARow = 0;
        if (end.kind === 'closed' && (received > 0 || clock.now() - openedAt >= minWatchMs)) continue;
        break;
      }
      if (end.kind === 'expired') {
        stats.expired++;
        log(`${state.path}: ${end.message}; listing again`);
        continue;
      }
      const why = end.kind === 'failed' ? end.message : 'the server closed the watch at once';
      if (!(await backOff(why))) return;
    }
  };

  return {
    namespace,
    get synced() {
      return synced;
    },
    stats,
    start() {
      if (started || stopped) return;
      started = true;
      for (const state of states)
        run(state).catch((error: unknown) => log(`watching ${state.path} stopped unexpectedly`, error));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      cancelDebounce?.();
      cancelDebounce = undefined;
      for (const wake of [...sleepers]) wake();
      listeners.clear();
      for (const waiter of syncWaiters)
        waiter.reject(new WatcherStoppedError(`the watcher of ${namespace} was stopped`));
      syncWaiters = [];
    },
    whenSynced() {
      if (synced) return Promise.resolve();
      if (stopped) return Promise.reject(new WatcherStoppedError(`the watcher of ${namespace} was stopped`));
      return new Promise((resolve, reject) => syncWaiters.push({ resolve, reject }));
    },
    snapshot() {
      const entries = states.map((state) => {
        state.sorted ??= [...state.items.values()].sort((a, b) =>
          keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
        );
        return [state.key, state.sorted] as const;
      });
      return Object.fromEntries(entries) as unknown as NamespaceSnapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

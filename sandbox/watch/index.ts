/**
 * Watching a session's namespace through the Kubernetes API: the HTTP client (`kube-watch.ts`),
 * the watcher with its cache (`namespace-watcher.ts`) and the per-session registry
 * (`watcher-registry.ts`). The same code runs on every backend.
 */
import type { Clock } from '../cluster/clock.ts';
import { createWatchApi, type WatchApiOptions } from './kube-watch.ts';
import {
  type CollectionPaths,
  createNamespaceWatcher,
  type NamespaceWatcher,
  type NamespaceWatcherOptions,
} from './namespace-watcher.ts';

export { createWatchApi, ListError, type WatchApi, type WatchEnd, type WatchEvent } from './kube-watch.ts';
export {
  type CollectionPaths,
  createNamespaceWatcher,
  type NamespaceWatcher,
  WatcherStoppedError,
} from './namespace-watcher.ts';
export {
  createWatcherRegistry,
  type NamespaceSubscriber,
  type NamespaceSubscription,
  type WatchEndReason,
  type WatcherRegistry,
} from './watcher-registry.ts';

/** What it takes to watch one session's namespace. */
export interface SessionWatcherOptions
  extends Omit<NamespaceWatcherOptions, 'api' | 'namespace' | 'collections' | 'clock'> {
  namespace: string;
  /** The session's kubeconfig as it is now (it changes when the token is renewed). */
  kubeconfig: () => string;
  collections: CollectionPaths;
  clock: Clock;
  api?: WatchApiOptions;
}

/** A watcher of a session's namespace with its own connections, closed when it stops. */
export function createSessionWatcher(options: SessionWatcherOptions): NamespaceWatcher {
  const { kubeconfig, api: apiOptions, ...rest } = options;
  const api = createWatchApi(kubeconfig, apiOptions);
  const watcher = createNamespaceWatcher({ ...rest, api });
  return {
    get namespace() {
      return watcher.namespace;
    },
    get synced() {
      return watcher.synced;
    },
    get stats() {
      return watcher.stats;
    },
    start: () => watcher.start(),
    stop() {
      watcher.stop();
      api.close();
    },
    whenSynced: () => watcher.whenSynced(),
    snapshot: () => watcher.snapshot(),
    onChange: (listener) => watcher.onChange(listener),
  };
}

/**
 * One namespace watcher per session, shared by everything that follows that session (each open
 * page's event stream): started with the first subscriber, stopped when the last one leaves, and
 * when the session is deleted, expires or the server closes. A reset restarts the watcher under
 * the same subscribers, so the pages see the emptied namespace without reconnecting.
 */
import type { NamespaceSnapshot } from '../checks/evaluate.ts';
import type { NamespaceWatcher } from './namespace-watcher.ts';

/** Why a session's watching ended for good. */
export type WatchEndReason = 'deleted' | 'expired' | 'shutdown';

/** What a subscriber hears. */
export interface NamespaceSubscriber {
  /** The namespace changed (debounced), or the watcher synced for the first time. */
  onChange(): void;
  /** The session is gone or the server is closing: no more changes will come. */
  onEnd(reason: WatchEndReason): void;
}

/** A subscriber's view of its session's watcher (it follows a restart). */
export interface NamespaceSubscription {
  readonly synced: boolean;
  snapshot(): NamespaceSnapshot;
  unsubscribe(): void;
}

/** The registry of running watchers. */
export interface WatcherRegistry {
  subscribe(sessionId: string, subscriber: NamespaceSubscriber): NamespaceSubscription;
  /** Replaces the session's watcher with a fresh one (after a reset); subscribers stay. */
  restart(sessionId: string): void;
  /** Stops the session's watcher and tells its subscribers why. */
  end(sessionId: string, reason: WatchEndReason): void;
  /** Ends every watcher (server shutdown). */
  closeAll(): void;
  /** How many watchers run. */
  readonly size: number;
}

interface Entry {
  watcher: NamespaceWatcher;
  subscribers: Map<NamespaceSubscriber, () => void>;
}

/** A registry that makes watchers with `createWatcher` (which must return an unstarted watcher). */
export function createWatcherRegistry(
  createWatcher: (sessionId: string) => NamespaceWatcher,
): WatcherRegistry {
  const entries = new Map<string, Entry>();

  const attach = (entry: Entry, subscriber: NamespaceSubscriber): void => {
    entry.subscribers.set(
      subscriber,
      entry.watcher.onChange(() => subscriber.onChange()),
    );
  };

  return {
    subscribe(sessionId, subscriber) {
      let entry = entries.get(sessionId);
      if (!entry) {
        entry = { watcher: createWatcher(sessionId), subscribers: new Map() };
        entries.set(sessionId, entry);
        entry.watcher.start();
      }
      attach(entry, subscriber);
      let active = true;
      return {
        get synced() {
          return active && (entries.get(sessionId)?.watcher.synced ?? false);
        },
        snapshot() {
          const current = entries.get(sessionId);
          if (!active || !current) throw new Error(`session ${sessionId} is no longer watched`);
          return current.watcher.snapshot();
        },
        unsubscribe() {
          if (!active) return;
          active = false;
          const current = entries.get(sessionId);
          if (!current) return;
          current.subscribers.get(subscriber)?.();
          current.subscribers.delete(subscriber);
          if (current.subscribers.size === 0) {
            current.watcher.stop();
            entries.delete(sessionId);
          }
        },
      };
    },
    restart(sessionId) {
      const entry = entries.get(sessionId);
      if (!entry) return;
      entry.watcher.stop();
      const subscribers = [...entry.subscribers.keys()];
      entry.watcher = createWatcher(sessionId);
      entry.subscribers.clear();
      for (const subscriber of subscribers) attach(entry, subscriber);
      entry.watcher.start();
    },
    end(sessionId, reason) {
      const entry = entries.get(sessionId);
      if (!entry) return;
      entries.delete(sessionId);
      entry.watcher.stop();
      for (const subscriber of entry.subscribers.keys()) subscriber.onEnd(reason);
    },
    closeAll() {
      for (const id of [...entries.keys()]) this.end(id, 'shutdown');
    },
    get size() {
      return entries.size;
    },
  };
}

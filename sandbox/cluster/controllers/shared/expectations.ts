/**
 * Controller expectations (upstream's UIDTrackingControllerExpectations): a controller that has
 * just asked for N pods to be created or deleted remembers it, and does not act on that owner
 * again until the watch has shown those changes (or the expectation expired), so it never creates
 * the same replica twice from a view that is a moment behind.
 */
import type { Clock } from '../../clock.ts';

/** Upstream's ExpectationsTimeout: after five minutes an unmet expectation is given up on. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** Keys (`namespace/name`) of the pods whose deletion is awaited. */
  deletions: Set<string>;
  timestamp: number;
}

/** Pending creations and deletions per controller key. */
export class ControllerExpectations {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #records = new Map<string, Expectation>();

  constructor(clock: Clock, ttlMs = EXPECTATIONS_TTL_MS) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** True when the controller may act: nothing pending, everything observed, or the wait expired. */
  satisfiedExpectations(key: string): boolean {
    const record = this.#records.get(key);
    if (!record) return true;
    if (record.add <= 0 && record.del <= 0) return true;
    return this.#clock.now() - record.timestamp > this.#ttlMs;
  }

  /** Records that `count` pods are about to be created (replacing any earlier record). */
  expectCreations(key: string, count: number): void {
    this.#records.set(key, { add: count, del: 0, deletions: new Set(), timestamp: this.#clock.now() });
  }

  /** Records that the pods with these keys are about to be deleted (replacing any earlier record). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.#records.set(key, {
      add: 0,
      del: podKeys.length,
      deletions: new Set(podKeys),
      timestamp: this.#clock.now(),
    });
  }

  /** A pod the controller created has been seen (or its creation failed and will not be seen). */
  creationObserved(key: string): void {
    const record = this.#records.get(key);
    if (record) record.add--;
  }

  /** A pod the controller deleted has been seen going; counted once per pod. */
  deletionObserved(key: string, podKey: string): void {
    const record = this.#records.get(key);
    if (record?.deletions.delete(podKey)) record.del--;
  }

  /** Forgets a controller (it was deleted). */
  deleteExpectations(key: string): void {
    this.#records.delete(key);
  }

  /** What is still awaited for a key, for tests and debugging. */
  pending(key: string): { add: number; del: number } | undefined {
    const record = this.#records.get(key);
    return record ? { add: record.add, del: record.del } : undefined;
  }
}

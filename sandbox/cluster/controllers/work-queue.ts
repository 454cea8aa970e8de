/**
 * A controller's queue of keys to reconcile, in the manner of client-go's rate-limited work queue:
 * a key is held once however often it is added, a key being processed that is added again is
 * processed once more afterwards, failures come back with exponential back-off, and `addAfter`
 * schedules a key on the injected clock (used for minReadySeconds and progress deadlines).
 */
import type { Clock } from '../clock.ts';

/** The reconcile function of a controller. Throwing requeues the key with back-off. */
export type Reconcile = (key: string) => void | Promise<void>;

export interface WorkQueueOptions {
  name: string;
  clock: Clock;
  reconcile: Reconcile;
  /** First retry delay after a failure, in simulated ms; doubles per failure up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called when reconcile throws, for logging or events. */
  onError?: (key: string, error: unknown) => void;
}

/** A deduplicating work queue processed one key at a time. */
export class WorkQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #reconcile: Reconcile;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirtyWhileProcessing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { due: number; cancel: () => void }>();
  readonly #baseBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #onError: ((key: string, error: unknown) => void) | undefined;
  #scheduled = false;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock;
    this.#reconcile = options.reconcile;
    this.#baseBackoffMs = options.baseBackoffMs ?? 5;
    this.#maxBackoffMs = options.maxBackoffMs ?? 300_000;
    this.#onError = options.onError;
  }

  /** Queues a key now. */
  add(key: string): void {
    if (this.#stopped) return;
    if (this.#processing.has(key)) {
      this.#dirtyWhileProcessing.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#schedule();
  }

  /** Queues a key after `ms` of simulated time; an earlier pending schedule wins. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = this.#clock.now() + ms;
    const pending = this.#timers.get(key);
    if (pending && pending.due <= due) return;
    pending?.cancel();
    const cancel = this.#clock.setTimer(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms);
    this.#timers.set(key, { due, cancel });
  }

  /** Number of keys waiting or running (timers excluded). */
  get length(): number {
    return this.#queue.length + this.#processing.size;
  }

  /** Resolves when nothing is queued or running (timers may still be pending). */
  whenIdle(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops processing and cancels timers. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    this.#queue.length = 0;
    this.#queued.clear();
    this.#notifyIdle();
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    // Process a bounded batch per turn so other queues and sockets get the event loop too.
    for (let budget = 50; budget > 0 && this.#queue.length > 0 && !this.#stopped; budget--) {
      const key = this.#queue.shift()!;
      this.#queued.delete(key);
      this.#processing.add(key);
      try {
        await this.#reconcile(key);
        this.#failures.delete(key);
      } catch (error) {
        const failures = (this.#failures.get(key) ?? 0) + 1;
        this.#failures.set(key, failures);
        this.#onError?.(key, error);
        this.addAfter(key, Math.min(this.#maxBackoffMs, this.#baseBackoffMs * 2 ** (failures - 1)));
      } finally {
        this.#processing.delete(key);
        if (this.#dirtyWhileProcessing.delete(key)) this.add(key);
      }
    }
    if (this.#queue.length > 0) this.#schedule();
    else this.#notifyIdle();
  }

  #notifyIdle(): void {
    if (this.length > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

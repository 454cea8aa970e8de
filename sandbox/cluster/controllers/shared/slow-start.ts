/**
 * The slow-start batching of kube-controller-manager's controller_utils: try one call, then two,
 * then four… doubling while every call in a batch succeeds, so a controller that is refused (by a
 * quota, say) fails once instead of hammering the API server with hundreds of doomed requests.
 */

/** What a slow-start run did: how many calls succeeded and the first error, if any. */
export interface SlowStartResult {
  successes: number;
  error: unknown;
}

/**
 * Calls `fn` up to `count` times in batches of `initialBatchSize`, 2×, 4×… and stops after the
 * first batch that had a failure. Worked example: count 5, every call succeeding → batches of 1, 2
 * and 2 (the remainder); count 5 with the second call failing → batches of 1 and 2, 2 successes.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): SlowStartResult {
  let remaining = count;
  let successes = 0;
  let batchSize = Math.min(remaining, initialBatchSize);
  while (batchSize > 0) {
    let failed = false;
    let firstError: unknown;
    for (let i = 0; i < batchSize; i++) {
      try {
        fn();
        successes++;
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
    if (failed) return { successes, error: firstError };
    remaining -= batchSize;
    batchSize = Math.min(2 * batchSize, remaining);
  }
  return { successes, error: undefined };
}

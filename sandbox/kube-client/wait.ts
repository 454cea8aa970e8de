/**
 * Waiting for the API to reach a state by polling: namespace deletion finishes asynchronously (the
 * namespace controller empties it first), and callers often want to wait only a little.
 */
import { KubeApiError, type KubeClient } from './client.ts';

/** How long and how often to poll. */
export interface WaitOptions {
  /** Give up after this many milliseconds; 30 s by default. */
  timeoutMs?: number;
  /** First pause between polls; doubles up to 1 s. 25 ms by default. */
  intervalMs?: number;
}

/**
 * Resolves true once `GET /api/v1/namespaces/NAME` answers 404, or false when it still exists after
 * the timeout. Other errors are thrown.
 */
export async function waitForNamespaceGone(
  client: KubeClient,
  name: string,
  options: WaitOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let pause = options.intervalMs ?? 25;
  for (;;) {
    try {
      await client.get(`/api/v1/namespaces/${encodeURIComponent(name)}`);
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) return true;
      throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 1000);
  }
}

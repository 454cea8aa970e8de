/**
 * The kubelet's back-off arithmetic and the Go duration format its messages use.
 */
import type { BackOffPolicy } from './config.ts';

/**
 * The delay before the n-th retry (n ≥ 1): initial × 2^(n−1), capped.
 * With 10 s and a 5 min cap: n = 1 → 10 s, 2 → 20 s, 3 → 40 s, 4 → 80 s, 5 → 160 s, 6 → 300 s
 * (320 s capped), and 300 s from then on.
 */
export function backOffDelayMs(policy: BackOffPolicy, attempt: number): number {
  if (attempt < 1) return 0;
  // 2^(attempt-1) overflows nothing below attempt 1000; cap the exponent anyway.
  const factor = 2 ** Math.min(attempt - 1, 40);
  return Math.min(policy.maxMs, policy.initialMs * factor);
}

/**
 * A duration in Go's `time.Duration.String()` form, as the kubelet prints back-offs:
 * 10000 → `10s`, 80000 → `1m20s`, 300000 → `5m0s`, 2345 → `2.345s`, 450 → `450ms`.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  // Go prints seconds with as many decimals as needed, none when whole.
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/**
 * The JSON spelling of the few Kubernetes types whose JSON is not their protobuf message: a decoded
 * body must look exactly like the JSON kubectl 1.31 sends, because everything downstream of the
 * body reader (defaults, validation, storage, last-applied annotations) was written against it.
 */

/** Seconds from 0001-01-01T00:00:00Z to the Unix epoch: what Go's zero time.Time is as Unix time. */
export const GO_ZERO_TIME_UNIX_SECONDS = -62_135_596_800;

/**
 * metav1.Time as JSON: RFC 3339 in UTC to the second (the API drops nanoseconds, on the wire and
 * in JSON), or null for the zero time. An empty message is the zero time: Go writes nothing for it.
 * Example: 1700000000 → "2023-11-14T22:13:20Z".
 */
export function formatKubeTime(seconds: number | undefined): string | null {
  if (seconds === undefined || seconds === GO_ZERO_TIME_UNIX_SECONDS) return null;
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  // Outside years 0..9999 RFC 3339 has no spelling (and Date none past ±8.64e15 ms).
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new RangeError(`time ${seconds}s since the epoch has no RFC 3339 spelling`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Digits of `value` (0 ≤ value < 10^width) after a decimal point, trailing zeros dropped. */
function fractionDigits(value: bigint, width: number): string {
  return value.toString().padStart(width, '0').replace(/0+$/, '');
}

/** `whole` plus an optional fraction, e.g. (1, 500000, 6) → "1.5". */
function withFraction(whole: bigint, fraction: bigint, width: number): string {
  const digits = fraction === 0n ? '' : fractionDigits(fraction, width);
  return digits ? `${whole}.${digits}` : `${whole}`;
}

/**
 * metav1.Duration as JSON: Go's time.Duration string of a nanosecond count. Under a second it uses
 * the smallest fitting unit (1500 → "1.5µs", 2500000 → "2.5ms"); from a second up it writes
 * hours, minutes and seconds, leading units only when non-zero (5400e9 → "1h30m0s", 90e9 →
 * "1m30s", 1.5e9 → "1.5s"); zero is "0s".
 */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const n = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (n < 1000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${withFraction(n / 1000n, n % 1000n, 3)}µs`;
  if (n < 1_000_000_000n) return `${sign}${withFraction(n / 1_000_000n, n % 1_000_000n, 6)}ms`;
  const totalSeconds = n / 1_000_000_000n;
  const seconds = withFraction(totalSeconds % 60n, n % 1_000_000_000n, 9);
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = totalMinutes % 60n;
  return hours === 0n ? `${sign}${minutes}m${seconds}s` : `${sign}${hours}h${minutes}m${seconds}s`;
}

/** []byte as JSON: standard base64 with padding, as Go's encoding/json writes it. */
export function formatGoBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

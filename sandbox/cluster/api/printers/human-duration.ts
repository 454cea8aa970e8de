/**
 * Ages as Kubernetes prints them: short, two or three significant figures, coarser the older a thing
 * is. kubectl shows the server's strings untouched, so these must agree with kube-apiserver to the
 * character (`9s`, `6m48s`, `3h10m`, `2d3h`, `400d`, `2y1d`).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** Whole units in `ms`, truncated toward zero the way Go's integer division of durations does. */
function countWhole(ms: number, unit: number): number {
  return Math.trunc(ms / unit);
}

/**
 * Formats an elapsed time in milliseconds the way Kubernetes' HumanDuration does.
 *
 * Precision shrinks as the duration grows: seconds up to 2 minutes (`119s`), minutes and seconds up
 * to 10 minutes (`6m48s`), minutes up to 3 hours (`179m`), hours and minutes up to 8 hours (`3h10m`),
 * hours up to 2 days (`47h`), days and hours up to 8 days (`2d3h`), days up to 2 years (`400d`), years
 * and days up to 8 years (`2y1d`), then years. A clock skew of less than two seconds into the future
 * reads as `0s`; anything further in the future is `<invalid>`.
 *
 * Worked example: 408 000 ms is 6 whole minutes (360 000 ms) and 48 seconds left over, so `6m48s`.
 */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = countWhole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;

  const minutes = countWhole(ms, MINUTE);
  if (minutes < 10) {
    const leftSeconds = seconds % 60;
    return leftSeconds === 0 ? `${minutes}m` : `${minutes}m${leftSeconds}s`;
  }
  if (minutes < 180) return `${minutes}m`;

  const hours = countWhole(ms, HOUR);
  if (hours < 8) {
    const leftMinutes = minutes % 60;
    return leftMinutes === 0 ? `${hours}h` : `${hours}h${leftMinutes}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = countWhole(ms, DAY);
  if (hours < 8 * 24) {
    const leftHours = hours % 24;
    return leftHours === 0 ? `${days}d` : `${days}d${leftHours}h`;
  }
  if (days < 2 * 365) return `${days}d`;

  const years = countWhole(ms, YEAR);
  if (days < 8 * 365) {
    const leftDays = days % 365;
    return leftDays === 0 ? `${years}y` : `${years}y${leftDays}d`;
  }
  return `${years}y`;
}

/**
 * The age of something stamped at `timestamp` (RFC 3339), seen at simulated time `now` (ms).
 * A missing timestamp prints `<unknown>`, as upstream does for the zero time; one that cannot be
 * parsed is treated the same way, since no real API object carries such a value.
 */
export function formatTimestampSince(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return '<unknown>';
  return formatAge(now - at);
}

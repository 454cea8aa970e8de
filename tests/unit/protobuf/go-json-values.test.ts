import { describe, expect, it } from 'vitest';
import {
  formatGoBytes,
  formatGoDuration,
  formatKubeTime,
  GO_ZERO_TIME_UNIX_SECONDS,
} from '../../../sandbox/cluster/api/protobuf/go-json-values.ts';

describe('formatKubeTime (metav1.Time)', () => {
  it.each([
    { seconds: undefined, json: null },
    { seconds: GO_ZERO_TIME_UNIX_SECONDS, json: null },
    { seconds: 0, json: '1970-01-01T00:00:00Z' },
    { seconds: 1_700_000_000, json: '2023-11-14T22:13:20Z' },
    { seconds: -1, json: '1969-12-31T23:59:59Z' },
    { seconds: GO_ZERO_TIME_UNIX_SECONDS + 1, json: '0001-01-01T00:00:01Z' },
    { seconds: 253_402_300_799, json: '9999-12-31T23:59:59Z' },
  ])('$seconds s → $json', ({ seconds, json }) => {
    expect(formatKubeTime(seconds)).toBe(json);
  });

  it.each([253_402_300_800, -62_167_219_201, 1e300])('refuses %s s (no RFC 3339 year)', (seconds) => {
    expect(() => formatKubeTime(seconds)).toThrow(RangeError);
  });
});

describe('formatGoDuration (metav1.Duration, as Go time.Duration.String)', () => {
  it.each([
    { ns: 0n, text: '0s' },
    { ns: 1n, text: '1ns' },
    { ns: 999n, text: '999ns' },
    { ns: 1_000n, text: '1µs' },
    { ns: 1_500n, text: '1.5µs' },
    { ns: 2_500_000n, text: '2.5ms' },
    { ns: 1_000_000_000n, text: '1s' },
    { ns: 1_500_000_000n, text: '1.5s' },
    { ns: 90_000_000_000n, text: '1m30s' },
    { ns: 3_600_000_000_000n, text: '1h0m0s' },
    { ns: 5_400_000_000_000n, text: '1h30m0s' },
    { ns: 3_661_000_000_001n, text: '1h1m1.000000001s' },
    { ns: -90_000_000_000n, text: '-1m30s' },
    { ns: -(2n ** 63n), text: '-2562047h47m16.854775808s' },
  ])('$ns ns → $text', ({ ns, text }) => {
    expect(formatGoDuration(ns)).toBe(text);
  });
});

describe('formatGoBytes ([]byte)', () => {
  it.each([
    { bytes: [], text: '' },
    { bytes: [0x71], text: 'cQ==' },
    { bytes: [0x78, 0x00, 0xff, 0xfe], text: 'eAD//g==' },
  ])('$bytes → "$text"', ({ bytes, text }) => {
    expect(formatGoBytes(Uint8Array.from(bytes))).toBe(text);
  });

  it('encodes only the view, not the whole underlying buffer', () => {
    const buffer = Uint8Array.from([1, 2, 0x71, 3]);
    expect(formatGoBytes(buffer.subarray(2, 3))).toBe('cQ==');
  });
});

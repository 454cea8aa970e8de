import { describe, expect, it } from 'vitest';
import { dropLeadingBytes, Scrollback } from '../../../sandbox/server/scrollback.ts';

describe('dropLeadingBytes', () => {
  const cases: [string, number, string][] = [
    ['abc', 0, 'abc'],
    ['abc', 1, 'bc'],
    ['abc', 5, ''],
    // é is two bytes: dropping 2 bytes of "aé b" cuts inside é, which goes whole.
    ['aé b', 2, ' b'],
    ['aé b', 3, ' b'],
    // 한 is three bytes.
    ['한글', 1, '글'],
    ['한글', 3, '글'],
    ['한글', 4, ''],
    // An emoji is four bytes and two UTF-16 units: never split into a lone surrogate.
    ['😀x', 1, 'x'],
  ];
  it.each(cases)('drops %j by %d bytes → %j', (text, bytes, expected) => {
    expect(dropLeadingBytes(text, bytes)).toBe(expected);
  });
});

describe('Scrollback', () => {
  it('replays everything while under the limit', () => {
    const s = new Scrollback(100);
    s.append('\x1b[?2004h');
    s.append('ch09 $ ');
    s.append('kubectl get rs\r\n');
    expect(s.replay()).toEqual({ data: '\x1b[?2004hch09 $ kubectl get rs\r\n', truncated: false });
    expect(s.size).toBe(Buffer.byteLength('\x1b[?2004hch09 $ kubectl get rs\r\n'));
  });

  it('keeps only the newest bytes and restarts the replay at a line start', () => {
    const s = new Scrollback(20);
    for (let i = 0; i < 10; i++) s.append(`line ${i}\r\n`);
    expect(s.size).toBeLessThanOrEqual(20);
    const replay = s.replay();
    expect(replay.truncated).toBe(true);
    // Bracketed paste is switched back on, then whole lines follow.
    expect(replay.data).toBe('\x1b[?2004hline 8\r\nline 9\r\n');
  });

  it('trims inside one huge chunk on a character boundary', () => {
    const s = new Scrollback(10);
    s.append('한'.repeat(10));
    expect(s.size).toBeLessThanOrEqual(10);
    const { data } = s.replay();
    expect(data.replace('\x1b[?2004h', '')).toBe('한'.repeat(3));
    expect(data).not.toContain('\ufffd');
  });

  it('stays bounded under a stream of output', () => {
    const s = new Scrollback(256 * 1024);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 20_000; i++) s.append(line);
    expect(s.size).toBeLessThanOrEqual(256 * 1024);
    expect(s.size).toBeGreaterThan(256 * 1024 - 100);
  });

  it('forgets everything on clear', () => {
    const s = new Scrollback(10);
    s.append('0123456789abc');
    s.clear();
    expect(s.replay()).toEqual({ data: '', truncated: false });
    expect(s.size).toBe(0);
  });
});

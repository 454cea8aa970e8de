/**
 * The page's step feed with a fake EventSource and fake timers: stored progress first, verdicts
 * pushed by the stream, a new stream for a new session, silence on a brief drop, back-off and a
 * slow poll only when the stream cannot be opened, and Check now.
 */
import { describe, expect, it } from 'vitest';
import {
  FAILURES_BEFORE_POLLING,
  FALLBACK_POLL_MS,
  StepFeed,
  type StepVerdict,
  type StreamLike,
} from '../../../src/scripts/step-feed.ts';

class FakeStream implements StreamLike {
  readyState = 0;
  closed = false;
  readonly listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

function setup(session: string | null = 's1') {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const streams: FakeStream[] = [];
  const requests: string[] = [];
  const verdicts: Record<string, StepVerdict>[] = [];
  const passed: string[][] = [];
  const answers = new Map<string, unknown>([['/api/progress', { steps: { 'old-step': { passedAt: 'x' } } }]]);
  const state = { session };
  const feed = new StepFeed(
    {
      sessionId: () => state.session,
      openStream: (url) => {
        const stream = new FakeStream(url);
        streams.push(stream);
        return stream;
      },
      getJson: async (url) => {
        requests.push(url);
        const key = [...answers.keys()].find((k) => url.startsWith(k));
        return key ? { ok: true, body: answers.get(key) } : { ok: false, body: undefined };
      },
      setTimer: (fn, ms) => {
        const id = nextTimer++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimer: (handle) => {
        timers.delete(handle as number);
      },
      random: () => 1,
    },
    { onVerdicts: (v) => verdicts.push({ ...v }), onPassed: (ids) => passed.push([...ids]) },
    { stepIds: ['scale-is-not-a-rollout', 'set-image-rollout'], locale: 'ko' },
  );
  const advance = (ms: number): void => {
    const target = now + ms;
    for (;;) {
      const due = [...timers.entries()]
        .filter(([, t]) => t.at <= target)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = target;
  };
  return { feed, streams, requests, verdicts, passed, answers, state, timers, advance };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const checks = (status: StepVerdict['status']) =>
  JSON.stringify({ steps: { 'scale-is-not-a-rollout': { status, results: [] } } });

describe('step feed', () => {
  it('loads stored progress, then follows the checks topic of the session stream', async () => {
    const { feed, streams, requests, verdicts, passed } = setup();
    feed.start();
    await flush();
    expect(requests).toEqual(['/api/progress']);
    expect(passed).toEqual([['old-step']]);
    expect(streams).toHaveLength(1);
    expect(streams[0]!.url).toBe(
      '/api/sessions/s1/events?topics=checks&steps=scale-is-not-a-rollout%2Cset-image-rollout&locale=ko',
    );
    streams[0]!.emit('open');
    streams[0]!.emit('checks', checks('failed'));
    streams[0]!.emit('checks', checks('passed'));
    streams[0]!.emit('checks', 'not json');
    expect(verdicts.map((v) => v['scale-is-not-a-rollout']!.status)).toEqual(['failed', 'passed']);
    expect(passed.at(-1)).toEqual(['scale-is-not-a-rollout']);
  });

  it('waits for a session, and opens a new stream when the session changes', () => {
    const { feed, streams, state } = setup(null);
    feed.start();
    expect(streams).toHaveLength(0);
    state.session = 's1';
    feed.follow();
    feed.follow();
    expect(streams).toHaveLength(1);
    state.session = 's2';
    feed.follow();
    expect(streams).toHaveLength(2);
    expect(streams[0]!.closed).toBe(true);
    expect(streams[1]!.url).toContain('/api/sessions/s2/events');
  });

  it('stays quiet on a brief drop (EventSource reconnects by itself)', () => {
    const { feed, streams, timers, requests } = setup();
    feed.start();
    streams[0]!.emit('open');
    streams[0]!.readyState = 0; // CONNECTING again
    streams[0]!.emit('error');
    expect(streams).toHaveLength(1);
    expect(timers.size).toBe(0);
    expect(feed.polling).toBe(false);
    expect(requests.filter((r) => r.includes('/checks'))).toEqual([]);
  });

  it('retries a refused stream with back-off and polls slowly after repeated failures, until it opens', async () => {
    const { feed, streams, requests, advance, answers } = setup();
    answers.set('/api/sessions/s1/checks', JSON.parse(checks('failed')));
    feed.start();
    for (let i = 1; i < FAILURES_BEFORE_POLLING; i++) {
      streams.at(-1)!.readyState = 2;
      streams.at(-1)!.emit('error');
      expect(feed.polling).toBe(false);
      advance(16_000);
      expect(streams).toHaveLength(i + 1);
    }
    streams.at(-1)!.readyState = 2;
    streams.at(-1)!.emit('error');
    expect(feed.polling).toBe(true);
    await flush();
    const polls = () => requests.filter((r) => r.includes('/checks')).length;
    expect(polls()).toBe(1);
    advance(FALLBACK_POLL_MS);
    await flush();
    expect(polls()).toBeGreaterThanOrEqual(2);
    // The retry opens a stream that works: polling stops.
    advance(16_000);
    streams.at(-1)!.emit('open');
    expect(feed.polling).toBe(false);
    const before = polls();
    advance(FALLBACK_POLL_MS * 3);
    await flush();
    expect(polls()).toBe(before);
  });

  it('does not come back to an ended session', () => {
    const { feed, streams, timers } = setup();
    feed.start();
    streams[0]!.emit('ended', '{"reason":"deleted"}');
    expect(streams[0]!.closed).toBe(true);
    expect(timers.size).toBe(0);
  });

  it('checks now with one GET of the checks route', async () => {
    const { feed, requests, verdicts, answers } = setup();
    answers.set('/api/sessions/s1/checks', JSON.parse(checks('pending')));
    await feed.checkNow();
    expect(requests.at(-1)).toBe(
      '/api/sessions/s1/checks?steps=scale-is-not-a-rollout%2Cset-image-rollout&locale=ko',
    );
    expect(verdicts.at(-1)!['scale-is-not-a-rollout']!.status).toBe('pending');
  });
});

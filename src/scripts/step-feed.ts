/**
 * Where a lesson page's step verdicts come from, apart from the DOM (so it is tested with a fake
 * stream and fake timers):
 *
 * 1. On start, `GET /api/progress`: the steps this browser has passed before, on any session,
 *    before or after a server restart. They are passed for good.
 * 2. The session's event stream, `GET /api/sessions/:id/events?topics=checks&steps=…&locale=…`
 *    (EventSource): a `checks` event whenever the namespace changes, about a tenth of a second
 *    after the cluster does. EventSource reconnects by itself after a drop; nothing is shown for
 *    that. When the stream cannot be opened at all (the session is gone, a server without the
 *    route), it is tried again with back-off, and after three failures in a row the verdicts are
 *    also asked for every 15 s (`GET …/checks`) until the stream works again.
 * 3. "Check now": one `GET /api/sessions/:id/checks`, on demand.
 *
 * The session id is read from the terminal's store each time; `follow()` is called when it may
 * have changed (terminal output, the tab shown again) and reopens the stream for a new session.
 */
import { computeReconnectDelay } from './terminal/backoff.ts';

/** One step's verdict as the server sends it. */
export interface StepVerdict {
  status: 'passed' | 'failed' | 'pending';
  results: { passed: boolean; message: string }[];
}

/** The part of EventSource the feed uses. */
export interface StreamLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}

/** What the feed needs from the page. */
export interface StepFeedDeps {
  /** The current session id, or null before the terminal made one. */
  sessionId(): string | null;
  openStream(url: string): StreamLike;
  /** GET a JSON answer; rejects on network failure. */
  getJson(url: string): Promise<{ ok: boolean; body: unknown }>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  random(): number;
}

/** What the feed tells the page. */
export interface StepFeedHandlers {
  /** Verdicts for some steps (from the stream or a check). */
  onVerdicts(steps: Readonly<Record<string, StepVerdict>>): void;
  /** Steps the server has recorded as passed for this browser. */
  onPassed(stepIds: readonly string[]): void;
}

/** EventSource.CLOSED, without needing the global in tests. */
const CLOSED = 2;
/** Polling while the stream cannot be opened. */
export const FALLBACK_POLL_MS = 15_000;
/** Failed opens in a row before polling starts. */
export const FAILURES_BEFORE_POLLING = 3;

function readVerdicts(body: unknown): Record<string, StepVerdict> | undefined {
  const steps = (body as { steps?: unknown } | null)?.steps;
  if (steps === null || typeof steps !== 'object') return undefined;
  const out: Record<string, StepVerdict> = {};
  for (const [id, value] of Object.entries(steps as Record<string, unknown>)) {
    const verdict = value as Partial<StepVerdict> | null;
    if (
      verdict &&
      (verdict.status === 'passed' || verdict.status === 'failed' || verdict.status === 'pending') &&
      Array.isArray(verdict.results)
    )
      out[id] = { status: verdict.status, results: verdict.results };
  }
  return out;
}

/** The passed step ids of a `GET /api/progress` answer. */
export function readProgress(body: unknown): string[] {
  const steps = (body as { steps?: unknown } | null)?.steps;
  return steps !== null && typeof steps === 'object' ? Object.keys(steps as object) : [];
}

/** A page's feed of step verdicts. */
export class StepFeed {
  readonly #deps: StepFeedDeps;
  readonly #handlers: StepFeedHandlers;
  readonly #query: string;
  #stream: StreamLike | undefined;
  #streamSession: string | undefined;
  #failures = 0;
  #retry: unknown;
  #poll: unknown;
  #stopped = false;

  constructor(
    deps: StepFeedDeps,
    handlers: StepFeedHandlers,
    options: { stepIds: readonly string[]; locale: 'en' | 'ko' },
  ) {
    this.#deps = deps;
    this.#handlers = handlers;
    this.#query = `steps=${encodeURIComponent(options.stepIds.join(','))}&locale=${options.locale}`;
  }

  /** Loads the stored progress and opens the stream (if there is a session yet). */
  start(): void {
    void this.#loadProgress();
    this.follow();
  }

  /** Opens the stream for the current session if it is not open for it already. */
  follow(): void {
    if (this.#stopped) return;
    const id = this.#deps.sessionId();
    if (!id) return;
    if (this.#stream && this.#streamSession === id && this.#stream.readyState !== CLOSED) return;
    if (this.#streamSession !== id) this.#failures = 0;
    this.#open(id);
  }

  /** Asks for the verdicts now (the "Check now" button). */
  async checkNow(): Promise<void> {
    const id = this.#deps.sessionId();
    if (!id || this.#stopped) return;
    try {
      const answer = await this.#deps.getJson(
        `/api/sessions/${encodeURIComponent(id)}/checks?${this.#query}`,
      );
      const verdicts = answer.ok ? readVerdicts(answer.body) : undefined;
      if (verdicts) this.#handlers.onVerdicts(verdicts);
    } catch {
      // Offline for a moment: the stream (or the next press) brings the verdicts.
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#stream?.close();
    this.#stream = undefined;
    this.#deps.clearTimer(this.#retry);
    this.#deps.clearTimer(this.#poll);
  }

  async #loadProgress(): Promise<void> {
    try {
      const answer = await this.#deps.getJson('/api/progress');
      if (answer.ok) {
        const passed = readProgress(answer.body);
        if (passed.length > 0) this.#handlers.onPassed(passed);
      }
    } catch {
      // No progress to show now; the stream's verdicts still mark steps as they pass.
    }
  }

  #open(id: string): void {
    this.#stream?.close();
    this.#deps.clearTimer(this.#retry);
    this.#retry = undefined;
    const stream = this.#deps.openStream(
      `/api/sessions/${encodeURIComponent(id)}/events?topics=checks&${this.#query}`,
    );
    this.#stream = stream;
    this.#streamSession = id;
    stream.addEventListener('open', () => {
      if (stream !== this.#stream) return;
      this.#failures = 0;
      this.#stopPolling();
    });
    stream.addEventListener('checks', (event) => {
      if (stream !== this.#stream || typeof event.data !== 'string') return;
      let body: unknown;
      try {
        body = JSON.parse(event.data);
      } catch {
        return;
      }
      const verdicts = readVerdicts(body);
      if (!verdicts) return;
      const passed = Object.entries(verdicts)
        .filter(([, v]) => v.status === 'passed')
        .map(([stepId]) => stepId);
      this.#handlers.onVerdicts(verdicts);
      if (passed.length > 0) this.#handlers.onPassed(passed);
    });
    stream.addEventListener('ended', () => {
      // The session is gone: do not come back to it. The terminal makes a new one; follow() finds it.
      if (stream !== this.#stream) return;
      stream.close();
      this.#stream = undefined;
      this.#streamSession = undefined;
    });
    stream.addEventListener('error', () => {
      if (stream !== this.#stream) return;
      // Still CONNECTING: a brief drop that EventSource is already retrying. Say nothing.
      if (stream.readyState !== CLOSED) return;
      // Refused (the session is gone, the route is missing): try again later, maybe with a new session.
      this.#failures++;
      if (this.#failures >= FAILURES_BEFORE_POLLING) this.#startPolling();
      this.#retry = this.#deps.setTimer(
        () => {
          this.#retry = undefined;
          this.#stream = undefined;
          this.follow();
        },
        computeReconnectDelay(this.#failures, this.#deps.random),
      );
    });
  }

  #startPolling(): void {
    if (this.#poll !== undefined || this.#stopped) return;
    const tick = (): void => {
      void this.checkNow();
      this.#poll = this.#deps.setTimer(tick, FALLBACK_POLL_MS);
    };
    tick();
  }

  #stopPolling(): void {
    this.#deps.clearTimer(this.#poll);
    this.#poll = undefined;
  }

  /** True while verdicts are being polled because the stream does not open (for tests). */
  get polling(): boolean {
    return this.#poll !== undefined;
  }
}

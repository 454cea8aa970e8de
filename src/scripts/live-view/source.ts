/**
 * Where the live view's data comes from: the `workloads` topic of the session's events stream
 * (`GET /api/sessions/:id/events`, server-sent events, a new payload whenever the namespace
 * changes). If that stream cannot be opened at all (a server without it), the view asks
 * `GET /api/sessions/:id/workloads` every couple of seconds instead. Payloads are checked with
 * the protocol's schema; one that does not match is dropped rather than drawn half.
 */
import { WorkloadsView } from '../../protocol/live-view.ts';

/** What the view shows about its connection. */
export type SourceState = 'connecting' | 'live' | 'offline';

export interface SourceHandlers {
  onView(view: WorkloadsView): void;
  onState(state: SourceState): void;
}

/** A running source; `close()` ends its stream or polling. */
export interface WorkloadsSource {
  close(): void;
}

/** The SSE event name (the topic) that carries the view. */
export const WORKLOADS_TOPIC = 'workloads';
const POLL_MS = 2000;
const RETRY_MS = 3000;

function parseView(text: string): WorkloadsView | undefined {
  try {
    const parsed = WorkloadsView.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Streams the session's workloads; falls back to polling when the stream is refused before any event. */
export function openWorkloadsSource(
  sessionId: string,
  locale: string,
  handlers: SourceHandlers,
): WorkloadsSource {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  let closed = false;
  let poller: ReturnType<typeof setTimeout> | undefined;
  let received = false;
  handlers.onState('connecting');

  const poll = async (): Promise<void> => {
    if (closed) return;
    try {
      const response = await fetch(`${base}/workloads`, { credentials: 'same-origin', cache: 'no-store' });
      const view = response.ok ? parseView(await response.text()) : undefined;
      if (view) {
        handlers.onState('live');
        handlers.onView(view);
      } else handlers.onState('offline');
    } catch {
      handlers.onState('offline');
    }
    if (!closed) poller = setTimeout(() => void poll(), POLL_MS);
  };

  let events: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const openStream = (): void => {
    const stream = new EventSource(
      `${base}/events?locale=${encodeURIComponent(locale)}&topics=${WORKLOADS_TOPIC}`,
      { withCredentials: true },
    );
    events = stream;
    stream.addEventListener(WORKLOADS_TOPIC, (event) => {
      const view = parseView((event as MessageEvent<string>).data);
      if (!view) return;
      received = true;
      handlers.onState('live');
      handlers.onView(view);
    });
    stream.addEventListener('ended', () => {
      // The session is gone (deleted, expired, server shut down): the stream must not come back.
      // The terminal opens a new session and the element follows it.
      stream.close();
      handlers.onState('offline');
    });
    stream.addEventListener('error', () => {
      if (closed) return;
      if (stream.readyState !== EventSource.CLOSED) {
        // The browser reconnects by itself.
        handlers.onState(received ? 'offline' : 'connecting');
        return;
      }
      // CLOSED: the server refused the stream. Never having heard from it, this server has no
      // stream: poll instead. Having heard from it, try the stream again in a while.
      if (!received) void poll();
      else {
        handlers.onState('offline');
        retry = setTimeout(openStream, RETRY_MS);
      }
    });
  };
  openStream();

  return {
    close() {
      closed = true;
      events?.close();
      clearTimeout(poller);
      clearTimeout(retry);
    },
  };
}

/**
 * Where the live view's data comes from: the `workloads` topic of the session's events stream
 * (`GET /api/sessions/:id/events?topics=workloads`, server-sent events; see
 * sandbox/server/session-events.ts), a new payload whenever the namespace changes. Payloads are
 * checked with the protocol's schema; one that does not match is dropped rather than drawn half.
 *
 * EventSource reconnects by itself after a dropped connection. When the server refuses the stream
 * (an error answer closes it for good) the source opens it again after a back-off, 2 s doubling
 * to 30 s; after `ended` (the session is gone) it stops: the terminal opens a new session and the
 * element follows that one.
 */
import { WorkloadsView } from '../../protocol/live-view.ts';

/** What the view shows about its connection. */
export type SourceState = 'connecting' | 'live' | 'offline';

export interface SourceHandlers {
  onView(view: WorkloadsView): void;
  onState(state: SourceState): void;
}

/** A running source; `close()` ends its stream and timers. */
export interface WorkloadsSource {
  close(): void;
}

/** The SSE event name (the topic) that carries the view. */
export const WORKLOADS_TOPIC = 'workloads';
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

function parseView(text: string): WorkloadsView | undefined {
  try {
    const parsed = WorkloadsView.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Streams the session's workloads until `close()` or the session ends. */
export function openWorkloadsSource(
  sessionId: string,
  locale: string,
  handlers: SourceHandlers,
): WorkloadsSource {
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/events?topics=${WORKLOADS_TOPIC}&locale=${encodeURIComponent(locale)}`;
  let closed = false;
  let events: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = FIRST_RETRY_MS;
  handlers.onState('connecting');

  const openStream = (): void => {
    const stream = new EventSource(url, { withCredentials: true });
    events = stream;
    stream.addEventListener(WORKLOADS_TOPIC, (event) => {
      const view = parseView((event as MessageEvent<string>).data);
      if (!view) return;
      retryMs = FIRST_RETRY_MS;
      handlers.onState('live');
      handlers.onView(view);
    });
    stream.addEventListener('ended', () => {
      stream.close();
      handlers.onState('offline');
    });
    stream.addEventListener('error', () => {
      if (closed || stream.readyState === EventSource.CLOSED) {
        if (closed || retry !== undefined) return;
        // Refused (an error answer): EventSource gives up, so try again later ourselves.
        handlers.onState('offline');
        retry = setTimeout(() => {
          retry = undefined;
          if (!closed) openStream();
        }, retryMs);
        retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
        return;
      }
      // A dropped connection: the browser is already reconnecting.
      handlers.onState('connecting');
    });
  };
  openStream();

  return {
    close() {
      closed = true;
      events?.close();
      clearTimeout(retry);
    },
  };
}

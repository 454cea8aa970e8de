/**
 * `GET /api/sessions/:id/events`: the session's server-sent event stream (`text/event-stream`,
 * schema and wire format in `src/protocol/session-events.ts`). The page opens it with
 * `EventSource`; the server pushes whenever the namespace changes, so steps turn `passed`
 * about a tenth of a second after the cluster gets there, with nobody pressing anything.
 *
 * The stream is a list of TOPICS. A topic has a name (the SSE event name) and builds its payload
 * from the namespace snapshot of the session's shared watcher (`sandbox/watch/`):
 *
 * ```ts
 * const topics: EventTopic[] = [
 *   createChecksTopic({ onJudged: … }),                                       // event: checks
 *   { name: 'workloads', build: (snapshot) => buildWorkloadsView(snapshot) }, // event: workloads
 * ];
 * ```
 *
 * Adding a feature to the stream is one entry in the topic list given to the server (the wiring
 * in `app.ts`) plus its payload schema in `SESSION_EVENT_SCHEMAS`; nothing here changes. Each
 * topic is sent once the watcher has synced, then only when its JSON differs from what this
 * stream last sent. A client may ask for some topics only with `?topics=checks,workloads`.
 *
 * Heartbeats (`: heartbeat`, every 15 s) keep proxies from cutting an idle stream. When the
 * session is deleted, expires or the server stops, `event: ended` is sent and the stream closed.
 */
import type http from 'node:http';
import {
  Locale as LocaleSchema,
  type SessionEndedReason,
  STEP_QUERY_LIMITS,
  type StepChecksResponse,
  StepId,
} from '../../src/protocol/index.ts';
import type { Locale, NamespaceSnapshot } from '../checks/evaluate.ts';
import type { Clock } from '../cluster/clock.ts';
import type { NamespaceSubscription, WatcherRegistry } from '../watch/index.ts';
import { API_HEADERS, ApiError } from './http-utils.ts';
import { judgeSteps } from './step-checks.ts';

/** What a topic knows about the stream it builds for. */
export interface TopicContext {
  sessionId: string;
  namespace: string;
  /** The `steps` the page asked for (validated, deduplicated; may be empty). */
  stepIds: readonly string[];
  locale: Locale;
  /** The learner the session belongs to, for topics that record progress. */
  learnerId: string | undefined;
  /** The request's query, for a topic's own parameters. */
  query: URLSearchParams;
}

/** One named part of the stream. `build` must not throw for any snapshot; if it does, it is skipped. */
export interface EventTopic {
  /** The SSE event name; a key of `SESSION_EVENT_SCHEMAS`. */
  name: string;
  build(snapshot: NamespaceSnapshot, context: TopicContext): unknown;
}

/** The `checks` topic: `StepChecksResponse` for the asked steps, in the asked language. */
export function createChecksTopic(
  options: { onJudged?: (context: TopicContext, verdicts: StepChecksResponse) => void } = {},
): EventTopic {
  return {
    name: 'checks',
    build(snapshot, context) {
      const verdicts = judgeSteps(context.stepIds, snapshot, context.locale);
      options.onJudged?.(context, verdicts);
      return verdicts;
    },
  };
}

/** Longest `steps` parameter read: every step id at its longest, with commas. */
const MAX_STEPS_PARAM = STEP_QUERY_LIMITS.maxSteps * (STEP_QUERY_LIMITS.maxIdLength + 1);

/** The asked steps and language of a checks or events request. */
export interface StepQuery {
  stepIds: string[];
  locale: Locale;
}

/**
 * Reads `?steps=a,b&locale=ko|en`: trimmed, deduplicated, each id a kebab-case step id, at most
 * 64. Anything else is refused with 400 and a message naming the problem (a page never sends it).
 */
export function readStepQuery(query: URLSearchParams, options: { requireSteps: boolean }): StepQuery {
  const text = query.get('steps') ?? '';
  const refuse = (message: string): ApiError =>
    new ApiError(400, 'bad-request', message, 'Name the lesson step ids as ?steps=a,b,c (kebab-case).');
  if (text.length > MAX_STEPS_PARAM)
    throw refuse(`The steps parameter is longer than ${MAX_STEPS_PARAM} characters.`);
  const stepIds = [
    ...new Set(
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  if (stepIds.length > STEP_QUERY_LIMITS.maxSteps || (options.requireSteps && stepIds.length === 0))
    throw refuse(`Ask for ${options.requireSteps ? 1 : 0} to ${STEP_QUERY_LIMITS.maxSteps} steps.`);
  const bad = stepIds.find((id) => !StepId.safeParse(id).success);
  if (bad !== undefined)
    throw refuse(`${JSON.stringify(bad.slice(0, STEP_QUERY_LIMITS.maxIdLength))} is not a step id.`);
  const locale = LocaleSchema.safeParse(query.get('locale') ?? 'en');
  if (!locale.success)
    throw new ApiError(400, 'bad-request', 'Unknown locale.', 'Use ?locale=en or ?locale=ko.');
  return { stepIds, locale: locale.data };
}

/** How the streams behave. */
export interface SessionEventStreamsOptions {
  watchers: WatcherRegistry;
  topics: readonly EventTopic[];
  clock: Clock;
  /** A comment line this often (15 s by default). */
  heartbeatMs?: number;
  /** The reconnection delay the stream asks EventSource for (2 s by default). */
  retryMs?: number;
  /** A client this far behind (bytes not yet sent) is dropped; it reconnects and resyncs. */
  maxBufferedBytes?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The open event streams of the server. */
export interface SessionEventStreams {
  /** Answers an authorized events request with a stream that lasts until either side ends it. */
  serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    stream: { sessionId: string; namespace: string; learnerId: string | undefined },
  ): void;
  /** How many streams are open. */
  readonly size: number;
  /** Ends every stream with `event: ended` (server shutdown). */
  closeAll(): void;
}

/** Formats one SSE event; JSON has no raw line breaks, so `data` is one line. */
export function formatSseEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The event streams of a server. */
export function createSessionEventStreams(options: SessionEventStreamsOptions): SessionEventStreams {
  const { watchers, clock } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = options.retryMs ?? 2000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const log = options.log ?? (() => {});
  const open = new Set<(reason: SessionEndedReason) => void>();
  const topicNames = new Set(options.topics.map((t) => t.name));

  return {
    serve(req, res, stream) {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const { stepIds, locale } = readStepQuery(query, { requireSteps: false });
      const asked = query.get('topics');
      let topics = options.topics;
      if (asked !== null) {
        const names = asked.split(',').map((n) => n.trim());
        const unknown = names.find((n) => !topicNames.has(n));
        if (unknown !== undefined)
          throw new ApiError(
            400,
            'bad-request',
            `There is no topic ${JSON.stringify(unknown.slice(0, 40))}.`,
            `Ask for some of: ${[...topicNames].join(', ')} (or leave out ?topics for all).`,
          );
        topics = options.topics.filter((t) => names.includes(t.name));
      }
      const context: TopicContext = {
        sessionId: stream.sessionId,
        namespace: stream.namespace,
        stepIds,
        locale,
        learnerId: stream.learnerId,
        query,
      };

      res.writeHead(200, {
        ...API_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
        // Tell buffering proxies (nginx) to pass events through at once.
        'X-Accel-Buffering': 'no',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.write(`retry: ${retryMs}\n: connected\n\n`);

      const sent = new Map<string, string>();
      let finished = false;
      let cancelHeartbeat: (() => void) | undefined;
      let subscription: NamespaceSubscription | undefined;

      const write = (text: string): void => {
        if (finished || res.writableEnded) return;
        res.write(text);
        // A client that does not read falls behind without bound: drop it; it reconnects fresh.
        if (res.writableLength > maxBufferedBytes) {
          log(`event stream of session ${stream.sessionId} dropped: the client is not reading`);
          finish();
          res.destroy();
        }
      };
      const publish = (): void => {
        if (finished || !subscription?.synced) return;
        const snapshot = subscription.snapshot();
        for (const topic of topics) {
          let text: string;
          try {
            text = JSON.stringify(topic.build(snapshot, context));
          } catch (error) {
            log(`topic ${topic.name} of session ${stream.sessionId} failed`, error);
            continue;
          }
          if (sent.get(topic.name) === text) continue;
          sent.set(topic.name, text);
          write(`event: ${topic.name}\ndata: ${text}\n\n`);
        }
      };
      const heartbeat = (): void => {
        cancelHeartbeat = clock.setTimer(() => {
          write(': heartbeat\n\n');
          if (!finished) heartbeat();
        }, heartbeatMs);
      };
      const end = (reason: SessionEndedReason): void => {
        if (finished) return;
        write(formatSseEvent('ended', { reason }));
        finish();
        res.end();
      };
      function finish(): void {
        if (finished) return;
        finished = true;
        open.delete(end);
        cancelHeartbeat?.();
        subscription?.unsubscribe();
      }

      open.add(end);
      res.on('close', finish);
      subscription = watchers.subscribe(stream.sessionId, { onChange: publish, onEnd: end });
      heartbeat();
      publish();
    },
    get size() {
      return open.size;
    },
    closeAll() {
      for (const end of [...open]) end('shutdown');
    },
  };
}

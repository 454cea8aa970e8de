/**
 * The session's event stream, `GET /api/sessions/:id/events?steps=a,b&locale=ko|en`: server-sent
 * events (`text/event-stream`) that the server pushes whenever the session's namespace changes, so
 * a page never polls. Each event is a named topic with one JSON payload:
 *
 * ```
 * retry: 2000
 *
 * event: checks
 * data: {"steps":{"scale-is-not-a-rollout":{"status":"passed","results":[…]}}}
 *
 * : heartbeat
 *
 * event: ended
 * data: {"reason":"deleted"}
 * ```
 *
 * A topic is sent once the server has read the namespace, then again only when its payload
 * differs from the last one sent. Comment lines (`: heartbeat`, every 15 s) keep proxies from
 * closing an idle stream. After `ended` the server closes the stream and the client must not
 * reconnect: the session is gone. Any other close is a brief drop; EventSource reconnects itself.
 *
 * `checks` reuses the answer of `GET /api/sessions/:id/checks` (`StepChecksResponse`), read lazily
 * because that schema lives in `index.ts`, which re-exports this module.
 */
import { z } from 'zod';
import { StepChecksResponse } from './index.ts';
import { WorkloadsView } from './live-view.ts';

/** The `steps` query parameter's limits (also those of `GET /api/sessions/:id/checks`). */
export const STEP_QUERY_LIMITS = {
  /** Most step ids in one request. */
  maxSteps: 64,
  /** Longest step id. */
  maxIdLength: 80,
} as const;

/** A step id as lessons write them: kebab-case letters and digits. */
export const StepId = z
  .string()
  .max(STEP_QUERY_LIMITS.maxIdLength)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a step id is lower-case letters and digits joined by dashes');

/** Why a session's stream ended for good. */
export const SessionEndedReason = z.enum(['deleted', 'expired', 'shutdown']);
export type SessionEndedReason = z.infer<typeof SessionEndedReason>;

/** Payload of `event: ended`: the session is gone, do not reconnect. */
export const SessionEndedEvent = z.object({ reason: SessionEndedReason });
export type SessionEndedEvent = z.infer<typeof SessionEndedEvent>;

/** Payload of `event: checks`: the verdict of each asked step that has checks. */
export const ChecksEvent = z.lazy(() => StepChecksResponse);
export type ChecksEvent = z.infer<typeof StepChecksResponse>;

/**
 * Every named event of the stream and its payload's schema. A topic added on the server adds its
 * entry here (for example `workloads` for the live view).
 */
export const SESSION_EVENT_SCHEMAS = {
  checks: ChecksEvent,
  ended: SessionEndedEvent,
  workloads: WorkloadsView,
} as const;

/** The name of an event the client understands. */
export type SessionEventName = keyof typeof SESSION_EVENT_SCHEMAS;

/** One decoded event. */
export type SessionEvent = {
  [K in SessionEventName]: { name: K; payload: z.infer<(typeof SESSION_EVENT_SCHEMAS)[K]> };
}[SessionEventName];

/**
 * Reads one event of the stream (its name and `data` text) through its schema; undefined for an
 * unknown name or a payload that does not fit (a newer server: ignore, do not fail).
 */
export function decodeSessionEvent(name: string, data: string): SessionEvent | undefined {
  if (!Object.hasOwn(SESSION_EVENT_SCHEMAS, name)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = SESSION_EVENT_SCHEMAS[name as SessionEventName].safeParse(value);
  return parsed.success ? ({ name, payload: parsed.data } as SessionEvent) : undefined;
}

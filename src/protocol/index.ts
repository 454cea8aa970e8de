/**
 * The one schema module for what crosses the boundary between the browser (or any client) and
 * the sandbox server: the terminal's WebSocket messages, the HTTP API's request bodies and the
 * shapes of its answers. The server validates everything that enters with these schemas; code
 * behind them trusts the types. No Node-only imports here: the site's client scripts use the
 * same module.
 *
 * Terminal, in short:
 *
 * ```
 * client → server  {"type":"input","data":"kubectl get rs\r"}   {"type":"resize","cols":120,"rows":30}
 * server → client  {"type":"output","data":"..."}   {"type":"status","state":"attached",...}
 *                  {"type":"error","code":"invalid-message","message":"...","hint":"..."}
 *                  {"type":"edit",...}   {"type":"edit-ended","editId":"..."}   (kubectl edit, edits.ts)
 * ```
 */
import { z } from 'zod';
import { EditEndedMessage, EditMessage } from './edits.ts';

export * from './edits.ts';
export * from './files.ts';

/** Largest `input` a client may send at once: a generous paste of manifests, as UTF-16 units. */
export const MAX_INPUT_LENGTH = 64 * 1024;

/** Largest WebSocket frame the server reads; bigger frames close the socket (1009, message too big). */
export const MAX_FRAME_BYTES = 256 * 1024;

/** Terminal sizes outside these bounds are refused; xterm never reports such sizes for a real window. */
export const TERMINAL_LIMITS = { minCols: 2, maxCols: 1000, minRows: 1, maxRows: 500 } as const;

// ---------------------------------------------------------------------------------------------
// Terminal: client → server

/** Keystrokes and pastes exactly as xterm's `onData` gives them (`\r` for Enter, `\x03` for Ctrl-C). */
export const InputMessage = z.object({
  type: z.literal('input'),
  /** What the learner typed or pasted; at most MAX_INPUT_LENGTH characters. */
  data: z.string().max(MAX_INPUT_LENGTH, `input is limited to ${MAX_INPUT_LENGTH} characters per message`),
});

/** The terminal's new size in character cells, sent after opening and whenever the window changes. */
export const ResizeMessage = z.object({
  type: z.literal('resize'),
  /** Columns, as xterm's `cols`. */
  cols: z.int().min(TERMINAL_LIMITS.minCols).max(TERMINAL_LIMITS.maxCols),
  /** Rows, as xterm's `rows`. */
  rows: z.int().min(TERMINAL_LIMITS.minRows).max(TERMINAL_LIMITS.maxRows),
});

/** Every message a terminal client may send. Unknown extra fields are ignored (for newer clients). */
export const ClientMessage = z.discriminatedUnion('type', [InputMessage, ResizeMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// ---------------------------------------------------------------------------------------------
// Terminal: server → client

/** Bytes for the terminal, ready for `xterm.write` (line ends already `\r\n`). */
export const OutputMessage = z.object({
  type: z.literal('output'),
  data: z.string(),
});

/**
 * What happened to the terminal's connection or its session:
 *
 * - `attached`: this socket now drives the session's shell; `replayed` characters of earlier
 *   output follow at once (the scrollback kept on the server, so a reload restores the screen),
 *   `truncated` when older output no longer fit.
 * - `taken-over`: another tab or window attached to the same session; this socket closes next.
 * - `reset`: the session was reset (namespace emptied, files restored); a fresh shell follows.
 * - `ended`: the session is gone (`deleted`, `expired` after idling, or the server is `shutdown`).
 */
export const StatusMessage = z.discriminatedUnion('state', [
  z.object({
    type: z.literal('status'),
    state: z.literal('attached'),
    session: z.object({ id: z.string(), namespace: z.string() }),
    replayed: z.int().min(0),
    truncated: z.boolean(),
  }),
  z.object({ type: z.literal('status'), state: z.literal('taken-over') }),
  z.object({ type: z.literal('status'), state: z.literal('reset') }),
  z.object({
    type: z.literal('status'),
    state: z.literal('ended'),
    reason: z.enum(['deleted', 'expired', 'shutdown']),
  }),
]);
export type StatusMessage = z.infer<typeof StatusMessage>;

/** Why the server could not act on a message or keep the terminal going. */
export const TerminalErrorCode = z.enum(['invalid-message', 'shell-unavailable', 'internal']);
export type TerminalErrorCode = z.infer<typeof TerminalErrorCode>;

/** A message the server refused, or a failure of the terminal; the socket stays open unless it says otherwise. */
export const TerminalErrorMessage = z.object({
  type: z.literal('error'),
  code: TerminalErrorCode,
  /** What went wrong, for a person. */
  message: z.string(),
  /** What to do about it. */
  hint: z.string(),
});

/**
 * Every message the server sends on the terminal socket. `edit` and `edit-ended` carry a
 * `kubectl edit` to the page's editor and back (see `edits.ts`); a client without an editor may
 * ignore them, and the learner stops such an edit with Ctrl-C.
 */
export const ServerMessage = z.union([
  OutputMessage,
  StatusMessage,
  TerminalErrorMessage,
  EditMessage,
  EditEndedMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/**
 * WebSocket close codes the server uses beyond the standard ones (1001 going away at shutdown,
 * 1009 frame too big): the client should not reconnect after these.
 */
export const CLOSE_CODES = {
  /** Another tab attached to the session's terminal. */
  takenOver: 4001,
  /** The session was deleted or expired. */
  sessionEnded: 4004,
  /** The socket could not keep up with the output (the client may reconnect and get the scrollback). */
  tooSlow: 4008,
} as const;

/** The outcome of reading one WebSocket text frame. */
export type DecodedClientMessage =
  | { ok: true; message: ClientMessage }
  | { ok: false; error: z.infer<typeof TerminalErrorMessage> };

/**
 * Reads one text frame from a terminal client: JSON, then the schema. Never throws; a frame that
 * is not a valid message becomes the `error` message to send back.
 */
export function decodeClientMessage(text: string): DecodedClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('the message is not JSON');
  }
  const parsed = ClientMessage.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  return invalid(describeIssues(parsed.error));
}

/**
 * One line naming each problem and where it is, e.g.
 * `cols: Too small: expected number to be >=2; rows: Invalid input: expected int, received string`.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

function invalid(message: string): DecodedClientMessage {
  return {
    ok: false,
    error: {
      type: 'error',
      code: 'invalid-message',
      message: `Message refused: ${message}`,
      hint: 'Send {"type":"input","data":"..."} or {"type":"resize","cols":N,"rows":N} as JSON text.',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP API

/** Languages of the lessons; the shell greets in the session's language. */
export const Locale = z.enum(['en', 'ko']);
export type Locale = z.infer<typeof Locale>;

/** Body of `POST /api/sessions` (an empty body means all defaults). */
export const CreateSessionRequest = z.strictObject({
  /** Language of the shell's greeting; English by default. */
  locale: Locale.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

/** Body of `POST /api/sessions/:id/reset` (empty: reset has no options yet). */
export const ResetSessionRequest = z.strictObject({});
export type ResetSessionRequest = z.infer<typeof ResetSessionRequest>;

/** A session as the API describes it. Times are RFC 3339. */
export const SessionInfo = z.object({
  id: z.string(),
  /** The learner's namespace; kubectl in the terminal defaults to it. */
  namespace: z.string(),
  /** Which backend gives the cluster: `embedded`, `kind` or `kubeconfig`. */
  backend: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** When the session is deleted if nothing happens in it before then. */
  expiresAt: z.string(),
  /** Where to reach the session's parts, relative to the server. */
  links: z.object({
    self: z.string(),
    terminal: z.string(),
    kubeconfig: z.string(),
  }),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * Answer of `POST /api/sessions`: the session plus `token` (`<id>.<secret>`) for clients without
 * cookies, to send as `Authorization: Bearer <token>` or `?token=<token>` on the terminal socket.
 */
export const CreatedSession = SessionInfo.extend({ token: z.string() });
export type CreatedSession = z.infer<typeof CreatedSession>;

/** Stable error codes of the HTTP API. */
export const ApiErrorCode = z.enum([
  'bad-request',
  'unauthorized',
  'not-found',
  'method-not-allowed',
  'payload-too-large',
  'unsupported-media-type',
  'precondition-failed',
  'precondition-required',
  'session-limit',
  'backend-unavailable',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** Every HTTP API error: `{"error":{"code":"session-limit","message":"...","hint":"..."}}`. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    hint: z.string(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** One check's verdict, as `GET /api/sessions/:id/checks` reports it. */
export const CheckResultInfo = z.object({
  passed: z.boolean(),
  /** What the check wants, in short. */
  expected: z.string(),
  /** What the namespace has, in short. */
  actual: z.string(),
  /** Sentences for the learner in the requested language. */
  message: z.string(),
});
export type CheckResultInfo = z.infer<typeof CheckResultInfo>;

/** A step's verdict: `pending` while the namespace holds nothing the step looks at. */
export const StepCheckInfo = z.object({
  status: z.enum(['passed', 'failed', 'pending']),
  results: z.array(CheckResultInfo),
});
export type StepCheckInfo = z.infer<typeof StepCheckInfo>;

/**
 * Answer of `GET /api/sessions/:id/checks?steps=a,b&locale=ko|en`: the verdict of each asked step
 * that has checks (unknown ids are left out).
 */
export const StepChecksResponse = z.object({
  steps: z.record(z.string(), StepCheckInfo),
});
export type StepChecksResponse = z.infer<typeof StepChecksResponse>;

/** The live view's payload (the `workloads` topic of the events stream). */
export * from './live-view.ts';

/** The session's event stream (`GET /api/sessions/:id/events`) and the learner's progress. */
export * from './progress.ts';
export * from './session-events.ts';

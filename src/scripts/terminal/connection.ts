/**
 * Keeps one terminal attached to the learner's session: opens (or reuses) the session, connects
 * the WebSocket, reads the server's messages with the protocol schema, and reconnects with
 * back-off when the connection drops. It knows nothing of xterm: output goes to `onOutput`, and
 * input and sizes come in through `sendInput` and `resize` (tutorialkit's small terminal
 * interface). Timers, randomness and the socket are injected so tests drive it by hand.
 */

import { CLOSE_CODES, type ClientMessage, type EditMessage, ServerMessage } from '../../protocol/index.ts';
import { computeReconnectDelay } from './backoff.ts';
import { type OpenedSession, SessionUnavailableError } from './session.ts';

/** The part of the browser's WebSocket the connection uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

/** `WebSocket.OPEN`, spelled out so tests need no browser. */
const OPEN = 1;

/** Where the connection is; the terminal shows it and styles itself by `kind`. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; namespace: string }
  | { kind: 'waiting'; reason: 'disconnected' | 'unreachable'; retryInMs: number; attempt: number }
  | { kind: 'stopped'; reason: 'taken-over' | 'refused' | 'disposed'; message: string; hint: string };

/** Something the learner should be told once, apart from the connection state. */
export type ConnectionNotice =
  | { kind: 'new-session'; namespace: string }
  | { kind: 'reset' }
  | { kind: 'session-ended'; reason: string }
  | { kind: 'error'; message: string; hint: string };

/** What the connection needs from the page. */
export interface ConnectionDeps {
  openSession(): Promise<OpenedSession>;
  forgetSession(): void;
  terminalUrl(sessionId: string): string;
  createSocket(url: string): SocketLike;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  random(): number;
}

/** Where the connection reports. */
export interface ConnectionEvents {
  onOutput(data: string): void;
  onState(state: ConnectionState): void;
  onNotice(notice: ConnectionNotice): void;
  /** `kubectl edit` opened an object for the page's editor, in the session `sessionId`. */
  onEdit?(edit: EditMessage, sessionId: string): void;
  /** That edit is over (saved, cancelled, Ctrl-C, timed out, session ended). */
  onEditEnded?(editId: string): void;
}

/** One terminal's link to its session; see the module comment. */
export class TerminalConnection {
  readonly #deps: ConnectionDeps;
  readonly #events: ConnectionEvents;
  #socket: SocketLike | undefined;
  #timer: unknown;
  #attempt = 0;
  #size: { cols: number; rows: number } | undefined;
  #state: ConnectionState = { kind: 'connecting' };
  #generation = 0;
  /** Set when the server said the session ended, so the next session is announced as new. */
  #sessionLost = false;
  /** The session the socket attached to, for the edits it carries. */
  #sessionId = '';

  constructor(deps: ConnectionDeps, events: ConnectionEvents) {
    this.#deps = deps;
    this.#events = events;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Opens the session and connects. Call once; `reconnectNow` retries. */
  start(): void {
    void this.#connect();
  }

  /** Sends keystrokes or a paste; false (nothing sent) while not connected. */
  sendInput(data: string): boolean {
    return this.#send({ type: 'input', data });
  }

  /** Remembers the terminal's size and tells the server when connected (again after every reconnect). */
  resize(cols: number, rows: number): void {
    this.#size = { cols, rows };
    this.#send({ type: 'resize', cols, rows });
  }

  /** Connects now, skipping any wait; after a take-over this takes the session back. */
  reconnectNow(): void {
    if (this.#state.kind === 'stopped' && this.#state.reason === 'disposed') return;
    this.#deps.clearTimer(this.#timer);
    this.#attempt = 0;
    this.#dropSocket();
    void this.#connect();
  }

  /** Closes the socket and stops reconnecting. */
  dispose(): void {
    this.#deps.clearTimer(this.#timer);
    this.#dropSocket();
    this.#setState({ kind: 'stopped', reason: 'disposed', message: '', hint: '' });
  }

  #send(message: ClientMessage): boolean {
    if (this.#state.kind !== 'connected' || this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#events.onState(state);
  }

  /** Detaches the current socket's handlers before closing it, so its close event is not a drop. */
  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#generation++;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    socket.close(1000, 'reconnecting');
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#setState({ kind: 'connecting' });
    let session: OpenedSession;
    try {
      session = await this.#deps.openSession();
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof SessionUnavailableError && error.kind === 'refused') {
        this.#setState({ kind: 'stopped', reason: 'refused', message: error.message, hint: error.hint });
      } else {
        this.#scheduleRetry('unreachable');
      }
      return;
    }
    if (generation !== this.#generation) return;
    if (session.replaced || (this.#sessionLost && session.created)) {
      this.#events.onNotice({ kind: 'new-session', namespace: session.namespace });
    }
    this.#sessionLost = false;
    const socket = this.#deps.createSocket(this.#deps.terminalUrl(session.id));
    this.#socket = socket;
    // Connected means attached: the server sends `status: attached` once the session's shell
    // takes input, and input sent before that could be lost.
    socket.onopen = null;
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onerror = () => {
      // The close event that always follows carries the code; nothing to do here.
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#closed(event.code, event.reason);
    };
  }

  #receive(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(value);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'output') {
      this.#events.onOutput(message.data);
      return;
    }
    if (message.type === 'error') {
      this.#events.onNotice({ kind: 'error', message: message.message, hint: message.hint });
      return;
    }
    if (message.type === 'edit') {
      this.#events.onEdit?.(message, this.#sessionId);
      return;
    }
    if (message.type === 'edit-ended') {
      this.#events.onEditEnded?.(message.editId);
      return;
    }
    switch (message.state) {
      case 'attached':
        this.#sessionId = message.session.id;
        // A working connection: the next drop starts the back-off from the beginning again.
        this.#attempt = 0;
        // The size goes first so that anything the page sends on `connected` lays out right.
        this.#state = { kind: 'connected', namespace: message.session.namespace };
        if (this.#size) this.#send({ type: 'resize', ...this.#size });
        this.#events.onState(this.#state);
        break;
      case 'reset':
        this.#events.onNotice({ kind: 'reset' });
        break;
      case 'ended':
        this.#events.onNotice({ kind: 'session-ended', reason: message.reason });
        break;
      case 'taken-over':
        break;
    }
  }

  #closed(code: number, reason: string): void {
    if (code === CLOSE_CODES.takenOver) {
      this.#setState({ kind: 'stopped', reason: 'taken-over', message: reason, hint: '' });
      return;
    }
    if (code === CLOSE_CODES.sessionEnded) {
      // The session is gone for good: the next attempt opens a new one at once.
      this.#deps.forgetSession();
      this.#sessionLost = true;
      this.#attempt = 0;
    }
    this.#scheduleRetry('disconnected');
  }

  #scheduleRetry(reason: 'disconnected' | 'unreachable'): void {
    const attempt = this.#attempt++;
    const retryInMs = computeReconnectDelay(attempt, this.#deps.random);
    this.#setState({ kind: 'waiting', reason, retryInMs, attempt });
    this.#deps.clearTimer(this.#timer);
    this.#timer = this.#deps.setTimer(() => void this.#connect(), retryInMs);
  }
}

/**
 * One shell per session, living on the server independently of any socket. A browser attaches
 * to it, types, detaches (closed tab, lost network, reload); the shell keeps running and its
 * output goes on into the session's scrollback, which is replayed to the next socket that
 * attaches, so a reload shows the screen as it was.
 *
 * A second tab that attaches takes the terminal over: the first socket gets
 * `{"type":"status","state":"taken-over"}` and is closed. Taking over rather than mirroring keeps
 * one keyboard per shell (two people's typing would interleave inside one command line) and lets a
 * reconnecting browser replace its own half-open socket, which the server may not have noticed
 * is dead yet.
 *
 * The hub knows nothing of WebSockets: a socket is a TerminalPeer (send, close). `socket.ts` wraps
 * a `ws` connection into one.
 */
import { CLOSE_CODES, type ClientMessage, type ServerMessage } from '../../src/protocol/index.ts';
import type { Shell } from '../shell/index.ts';
import { Scrollback } from './scrollback.ts';

/** One end of a terminal connection. */
export interface TerminalPeer {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

/** The parts of a session a terminal needs. */
export interface TerminalSession {
  id: string;
  namespace: string;
  workdir: string;
  kubeconfig: string;
  kubeconfigPath: string;
}

/** A shell for a session and how to free what it holds (connections to the API server). */
export interface SessionShell {
  shell: Shell;
  dispose(): void;
}

/** Builds a session's shell writing to `write`, at the terminal's size. */
export type SessionShellFactory = (
  session: TerminalSession,
  io: { write(data: string): void; columns: number; rows: number },
) => Promise<SessionShell>;

/** Why a terminal ended. */
export type TerminalEndReason = 'deleted' | 'expired' | 'shutdown';

/** How the hub behaves. */
export interface TerminalHubOptions {
  createShell: SessionShellFactory;
  /** Scrollback per session in bytes (256 KiB by default). */
  scrollbackBytes?: number;
  /** Called on every input message: the session is in use (idle expiry). */
  onActivity?: (sessionId: string) => void;
  /** Defers an output flush; setImmediate by default. Output written in one turn goes as one message. */
  defer?: (fn: () => void) => void;
  /** Messages a socket gets after the scrollback when it attaches: the session's open `kubectl edit`s. */
  replayOnAttach?: (sessionId: string) => ServerMessage[];
}

/** An attached socket's handle on its terminal. */
export interface TerminalAttachment {
  /** Handles a validated client message. Ignored once another socket took over. */
  receive(message: ClientMessage): void;
  /** The socket closed. The shell keeps running. */
  detach(): void;
}

interface TerminalState {
  session: TerminalSession;
  scrollback: Scrollback;
  current: SessionShell | undefined;
  starting: Promise<SessionShell> | undefined;
  peer: TerminalPeer | undefined;
  pending: string;
  flushScheduled: boolean;
  columns: number;
  rows: number;
  ended: boolean;
  generation: number;
}

/** Every session's terminal. */
export class TerminalHub {
  readonly #options: TerminalHubOptions;
  readonly #terminals = new Map<string, TerminalState>();
  readonly #defer: (fn: () => void) => void;

  constructor(options: TerminalHubOptions) {
    this.#options = options;
    this.#defer = options.defer ?? ((fn) => setImmediate(fn));
  }

  /** Sessions with a terminal (attached or running detached). */
  get size(): number {
    return this.#terminals.size;
  }

  /** Sockets attached now. */
  get attachedCount(): number {
    let count = 0;
    for (const state of this.#terminals.values()) if (state.peer) count++;
    return count;
  }

  /**
   * Attaches a socket to the session's terminal, starting the shell on first use. The socket
   * gets `status: attached`, then the scrollback, then live output. A socket attached before is
   * taken over.
   */
  async attach(session: TerminalSession, peer: TerminalPeer): Promise<TerminalAttachment> {
    let state = this.#terminals.get(session.id);
    if (!state) {
      state = {
        session,
        scrollback: new Scrollback(this.#options.scrollbackBytes),
        current: undefined,
        starting: undefined,
        peer: undefined,
        pending: '',
        flushScheduled: false,
        columns: 80,
        rows: 24,
        ended: false,
        generation: 0,
      };
      this.#terminals.set(session.id, state);
    }
    const detached: TerminalAttachment = { receive: () => {}, detach: () => {} };
    try {
      await this.#ensureShell(state);
    } catch (error) {
      peer.send({
        type: 'error',
        code: 'shell-unavailable',
        message: `The terminal could not start: ${(error as Error).message}`,
        hint: 'Reload the page; if it keeps failing, reset the session.',
      });
      peer.close(1011, 'shell unavailable');
      return detached;
    }
    if (state.ended || this.#terminals.get(session.id) !== state) {
      peer.close(CLOSE_CODES.sessionEnded, 'session ended');
      return detached;
    }
    const previous = state.peer;
    if (previous && previous !== peer) {
      previous.send({ type: 'status', state: 'taken-over' });
      previous.close(CLOSE_CODES.takenOver, 'attached elsewhere');
    }
    state.peer = peer;
    // Whatever waited for a flush is already in the scrollback, which goes out now in one piece.
    state.pending = '';
    const replay = state.scrollback.replay();
    peer.send({
      type: 'status',
      state: 'attached',
      session: { id: session.id, namespace: session.namespace },
      replayed: replay.data.length,
      truncated: replay.truncated,
    });
    if (replay.data !== '') peer.send({ type: 'output', data: replay.data });
    for (const message of this.#options.replayOnAttach?.(session.id) ?? []) peer.send(message);
    const owned = state;
    return {
      receive: (message) => {
        if (owned.peer !== peer || owned.ended) return;
        this.#receive(owned, message);
      },
      detach: () => {
        if (owned.peer === peer) owned.peer = undefined;
      },
    };
  }

  /**
   * Restarts a session's terminal after a reset: the old shell stops (a running kubectl is
   * interrupted), the scrollback is cleared, the attached socket gets `status: reset` and the new
   * shell's prompt.
   */
  async reset(session: TerminalSession): Promise<void> {
    const state = this.#terminals.get(session.id);
    if (!state || state.ended) return;
    await state.starting?.catch(() => undefined);
    state.generation++;
    state.current?.dispose();
    state.current = undefined;
    state.session = session;
    state.scrollback.clear();
    state.pending = '';
    state.peer?.send({ type: 'status', state: 'reset' });
    await this.#ensureShell(state);
  }

  /** Ends a session's terminal: the socket is told why and closed, the shell stopped. */
  end(sessionId: string, reason: TerminalEndReason): void {
    const state = this.#terminals.get(sessionId);
    if (!state) return;
    this.#terminals.delete(sessionId);
    state.ended = true;
    this.#flush(state);
    if (state.peer) {
      state.peer.send({ type: 'status', state: 'ended', reason });
      state.peer.close(reason === 'shutdown' ? 1001 : CLOSE_CODES.sessionEnded, `session ${reason}`);
      state.peer = undefined;
    }
    // A shell still starting is disposed as soon as it is ready (see #ensureShell).
    state.current?.dispose();
    state.current = undefined;
  }

  /** Ends every terminal (server shutdown). */
  endAll(reason: TerminalEndReason): void {
    for (const id of [...this.#terminals.keys()]) this.end(id, reason);
  }

  /**
   * Sends a message to the session's attached socket, after the output written before it. False
   * when no socket is attached (the message is not kept: `replayOnAttach` covers what must be).
   */
  send(sessionId: string, message: ServerMessage): boolean {
    const state = this.#terminals.get(sessionId);
    if (!state?.peer || state.ended) return false;
    this.#flush(state);
    state.peer.send(message);
    return true;
  }

  /** The running shell of a session, for tests and benchmarks that wait for it to be idle. */
  shellOf(sessionId: string): Shell | undefined {
    return this.#terminals.get(sessionId)?.current?.shell;
  }

  #ensureShell(state: TerminalState): Promise<SessionShell> {
    if (state.current) return Promise.resolve(state.current);
    if (!state.starting) {
      // Each shell writes under its own generation: a shell replaced by a reset may still print
      // while it stops, and that output must not reach the new screen.
      const generation = ++state.generation;
      const write = (data: string): void => {
        if (state.generation === generation && !state.ended) this.#write(state, data);
      };
      const started: Promise<SessionShell> = this.#options
        .createShell(state.session, { write, columns: state.columns, rows: state.rows })
        .then(
          (created) => {
            if (state.starting === started) state.starting = undefined;
            if (state.ended || state.generation !== generation) {
              created.dispose();
              throw new Error('the session ended');
            }
            state.current = created;
            return created;
          },
          (error: unknown) => {
            if (state.starting === started) state.starting = undefined;
            throw error;
          },
        );
      state.starting = started;
    }
    return state.starting;
  }

  #write(state: TerminalState, data: string): void {
    state.scrollback.append(data);
    if (!state.peer) return;
    state.pending += data;
    if (state.flushScheduled) return;
    state.flushScheduled = true;
    this.#defer(() => {
      state.flushScheduled = false;
      this.#flush(state);
    });
  }

  #flush(state: TerminalState): void {
    if (state.pending === '' || !state.peer) {
      state.pending = '';
      return;
    }
    const data = state.pending;
    state.pending = '';
    state.peer.send({ type: 'output', data });
  }

  #receive(state: TerminalState, message: ClientMessage): void {
    const shell = state.current?.shell;
    if (message.type === 'resize') {
      state.columns = message.cols;
      state.rows = message.rows;
      shell?.resize(message.cols, message.rows);
      return;
    }
    this.#options.onActivity?.(state.session.id);
    shell?.input(message.data);
  }
}

/**
 * The edits a session's `kubectl edit` has open in the browser. kubectl waits for its editor;
 * the editor program waits for the broker; the broker waits for the learner to press Save or
 * Cancel in the page (`POST /api/sessions/:id/edits/:editId`), for Ctrl-C in the terminal, or for
 * the idle timeout. Each open edit is pushed to the attached terminal socket as an `edit`
 * message and again to every socket that attaches later, so a reload or a second tab finds it;
 * every end, whatever its cause, is announced with `edit-ended`.
 *
 * No I/O here besides the injected `send` and clock, so the whole life of an edit is tested with
 * a manual clock.
 */
import { randomBytes } from 'node:crypto';
import type { EditActionRequest, EditMessage, ServerMessage } from '../../src/protocol/index.ts';
import type { Clock } from '../cluster/clock.ts';

/** An edit nobody answers is given up after this long: kubectl would otherwise wait forever. */
export const DEFAULT_EDIT_TIMEOUT_MS = 30 * 60_000;

/** How an open edit ended, as the editor program needs to know it. */
export type EditOutcome =
  | { kind: 'save'; content: string }
  | { kind: 'cancel' }
  /** Nobody answered within the timeout. */
  | { kind: 'timeout' }
  /** Stopped from the server's side: Ctrl-C, the kubectl run ended, the session ended. */
  | { kind: 'stopped' };

/** What kubectl wants edited. */
export interface OpenEditRequest {
  title: string;
  fileName: string;
  content: string;
  reopened: boolean;
}

/** An edit the broker holds until it is answered. */
export interface OpenedEdit {
  editId: string;
  /** Settles once, with the first of: the learner's answer, a stop, the timeout. */
  outcome: Promise<EditOutcome>;
}

/** How a broker behaves. */
export interface EditBrokerOptions {
  clock: Clock;
  /** Sends a message to the session's attached terminal socket, if any. */
  send(message: ServerMessage): void;
  /** DEFAULT_EDIT_TIMEOUT_MS unless given. */
  timeoutMs?: number;
  /** Random edit ids by default (128 bits, URL-safe); tests may give their own. */
  newId?: () => string;
}

interface PendingEdit {
  message: EditMessage;
  finish(outcome: EditOutcome): void;
}

/** A random edit id: 22 URL-safe characters, too many to guess. */
export function newEditId(): string {
  return randomBytes(16).toString('base64url');
}

/** One session's open edits. */
export class EditBroker {
  readonly #options: EditBrokerOptions;
  readonly #pending = new Map<string, PendingEdit>();

  constructor(options: EditBrokerOptions) {
    this.#options = options;
  }

  /** Edits open now. */
  get size(): number {
    return this.#pending.size;
  }

  /** Opens an edit and tells the attached socket. */
  open(request: OpenEditRequest): OpenedEdit {
    const editId = (this.#options.newId ?? newEditId)();
    const message: EditMessage = { type: 'edit', editId, ...request };
    let resolve!: (outcome: EditOutcome) => void;
    const outcome = new Promise<EditOutcome>((r) => {
      resolve = r;
    });
    const cancelTimer = this.#options.clock.setTimer(
      () => this.#end(editId, { kind: 'timeout' }),
      this.#options.timeoutMs ?? DEFAULT_EDIT_TIMEOUT_MS,
    );
    this.#pending.set(editId, {
      message,
      finish: (result) => {
        cancelTimer();
        resolve(result);
      },
    });
    this.#options.send(message);
    return { editId, outcome };
  }

  /** The learner's Save or Cancel. False when no such edit is open (unknown, or already ended). */
  answer(editId: string, action: EditActionRequest): boolean {
    return this.#end(
      editId,
      action.action === 'save' ? { kind: 'save', content: action.content } : { kind: 'cancel' },
    );
  }

  /** Ends an edit from the server's side (Ctrl-C, kubectl gone). False when it was not open. */
  stop(editId: string): boolean {
    return this.#end(editId, { kind: 'stopped' });
  }

  /** Ends every open edit (the session ended). */
  stopAll(): void {
    for (const editId of [...this.#pending.keys()]) this.stop(editId);
  }

  /** The `edit` messages of the open edits, oldest first, for a socket that just attached. */
  pending(): EditMessage[] {
    return [...this.#pending.values()].map((edit) => edit.message);
  }

  #end(editId: string, outcome: EditOutcome): boolean {
    const edit = this.#pending.get(editId);
    if (!edit) return false;
    this.#pending.delete(editId);
    edit.finish(outcome);
    this.#options.send({ type: 'edit-ended', editId });
    return true;
  }
}

/** Every session's broker, created on first use. */
export class EditBrokers {
  readonly #brokers = new Map<string, EditBroker>();
  readonly #options: Omit<EditBrokerOptions, 'send'> & {
    send(sessionId: string, message: ServerMessage): void;
  };

  constructor(
    options: Omit<EditBrokerOptions, 'send'> & { send(sessionId: string, message: ServerMessage): void },
  ) {
    this.#options = options;
  }

  /** The session's broker. */
  of(sessionId: string): EditBroker {
    let broker = this.#brokers.get(sessionId);
    if (!broker) {
      const { send, ...rest } = this.#options;
      broker = new EditBroker({ ...rest, send: (message) => send(sessionId, message) });
      this.#brokers.set(sessionId, broker);
    }
    return broker;
  }

  /** Answers an edit of the session; false for an edit id the session does not have open. */
  answer(sessionId: string, editId: string, action: EditActionRequest): boolean {
    return this.#brokers.get(sessionId)?.answer(editId, action) ?? false;
  }

  /** The session's open edits, for a socket that just attached. */
  pending(sessionId: string): EditMessage[] {
    return this.#brokers.get(sessionId)?.pending() ?? [];
  }

  /** The session ended: stop its edits and forget it. */
  end(sessionId: string): void {
    this.#brokers.get(sessionId)?.stopAll();
    this.#brokers.delete(sessionId);
  }
}

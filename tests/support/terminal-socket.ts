/**
 * A test client of the terminal WebSocket (`/api/sessions/:id/terminal`): keeps every message
 * the server sends, and waits for conditions on them (a prompt, some output) with a timeout that
 * names what it waited for and shows the output so far. Test files extend it with their own ways
 * of typing.
 */
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/protocol/index.ts';

export class TerminalSocket {
  readonly messages: ServerMessage[] = [];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  readonly ws: WebSocket;
  #waiters = new Set<() => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      for (const waiter of this.#waiters) waiter();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  /** Opens the terminal of session `id` on the server at `baseUrl` (http://…); rejects with `HTTP <status>` when refused. */
  static open<T extends TerminalSocket>(
    this: new (
      ws: WebSocket,
    ) => T,
    baseUrl: string,
    id: string,
    headers: Record<string, string>,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace('http:', 'ws:')}/api/sessions/${id}/terminal`, { headers });
      const client = new this(ws);
      ws.on('open', () => resolve(client));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  /** Everything the terminal printed so far. */
  get output(): string {
    return this.messages.map((m) => (m.type === 'output' ? m.data : '')).join('');
  }

  /** Sends a message object as JSON, or a string as it is (to send malformed frames). */
  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends keystrokes as one `input` message. */
  input(data: string): void {
    this.send({ type: 'input', data });
  }

  until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) return resolve();
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; output so far:\n${this.output}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** True when the output from position `from` ends with the shell's coloured prompt. */
  atPrompt(from: number): boolean {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the prompt is coloured with escape sequences
    return /\(\S+\)\x1b\[0m \$ $/.test(this.output.slice(from));
  }
}

/**
 * A small server-sent events client for tests: fetch with a streaming body, split into events as
 * the EventSource specification does (blank line ends an event; `event:`, `data:`, `retry:` fields;
 * lines starting with `:` are comments).
 */

/** One event as received. */
export interface SseEvent {
  name: string;
  data: string;
}

/** A stream being read. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  readonly status: number;
  readonly headers: Headers;
  /** Resolves when the server ends the stream (or the client closes it). */
  readonly ended: Promise<void>;
  readonly #abort: AbortController;
  #waiters = new Set<() => void>();
  #ended = false;

  private constructor(response: Response, abort: AbortController) {
    this.status = response.status;
    this.headers = response.headers;
    this.#abort = abort;
    this.ended = this.#read(response).finally(() => {
      this.#ended = true;
      this.#wake();
    });
  }

  /** Opens `url`; resolves once the answer's headers arrive (whatever the status). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    return new SseClient(response, abort);
  }

  get isEnded(): boolean {
    return this.#ended;
  }

  /** The payloads of the events named `name`, parsed as JSON. */
  payloads<T = unknown>(name: string): T[] {
    return this.events.filter((e) => e.name === name).map((e) => JSON.parse(e.data) as T);
  }

  /** Waits until `predicate` holds (checked after every event and at the end of the stream). */
  until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!predicate()) return false;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve();
        return true;
      };
      const waiter = (): void => {
        if (!check() && this.#ended) {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          reject(new Error(`the stream ended before ${what}; events: ${this.#describe()}`));
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; events: ${this.#describe()}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
      waiter();
    });
  }

  close(): void {
    this.#abort.abort();
  }

  #describe(): string {
    return JSON.stringify(this.events.map((e) => `${e.name} ${e.data.slice(0, 300)}`)).slice(0, 2000);
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  async #read(response: Response): Promise<void> {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let name = 'message';
    let data: string[] = [];
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) this.events.push({ name, data: data.join('\n') });
            name = 'message';
            data = [];
            this.#wake();
          } else if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
            this.#wake();
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') name = value;
            else if (field === 'data') data.push(value);
            else if (field === 'retry') this.retry = Number(value);
          }
        }
      }
    } catch {
      // Aborted by close(), or the connection was cut: the stream has ended either way.
    }
  }
}

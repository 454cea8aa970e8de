/**
 * The last stretch of a terminal's output, kept on the server so that a browser that reloads or
 * reconnects gets its screen back. Bounded: a `kubectl get -w` left running overnight keeps only
 * the newest output.
 */

/** Default size of a session's scrollback: 256 KiB of UTF-8. */
export const DEFAULT_SCROLLBACK_BYTES = 256 * 1024;

/**
 * Turns bracketed paste back on after a trimmed replay: the shell enables it once at start, and
 * that start may have fallen out of the scrollback.
 */
const RESTORE_MODES = '\x1b[?2004h';

/** What a replay sends. */
export interface Replay {
  data: string;
  /** True when older output was dropped. */
  truncated: boolean;
}

/** A bounded scrollback of terminal output. */
export class Scrollback {
  readonly #limit: number;
  #chunks: { text: string; bytes: number }[] = [];
  #bytes = 0;
  #truncated = false;

  constructor(limitBytes = DEFAULT_SCROLLBACK_BYTES) {
    this.#limit = limitBytes;
  }

  /** Bytes held now. */
  get size(): number {
    return this.#bytes;
  }

  /** Appends output, dropping the oldest when over the limit. */
  append(text: string): void {
    if (text === '') return;
    const bytes = Buffer.byteLength(text);
    this.#chunks.push({ text, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.#limit && this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      const excess = this.#bytes - this.#limit;
      this.#truncated = true;
      if (first.bytes <= excess) {
        this.#chunks.shift();
        this.#bytes -= first.bytes;
        continue;
      }
      const kept = dropLeadingBytes(first.text, excess);
      const keptBytes = Buffer.byteLength(kept);
      this.#bytes -= first.bytes - keptBytes;
      first.text = kept;
      first.bytes = keptBytes;
    }
  }

  /**
   * Everything held, ready to write into a fresh terminal. After a trim the replay starts at the
   * first line break, so it never begins inside an escape sequence or a line's middle (a trim
   * within a line with no break at all keeps the cut as it is).
   */
  replay(): Replay {
    const data = this.#chunks.map((c) => c.text).join('');
    if (!this.#truncated) return { data, truncated: false };
    const newline = data.indexOf('\n');
    const start = newline >= 0 ? newline + 1 : 0;
    return { data: RESTORE_MODES + data.slice(start), truncated: true };
  }

  /** Forgets everything (after a reset). */
  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
    this.#truncated = false;
  }
}

/**
 * The text without its first `bytes` bytes of UTF-8, cut on a character boundary (a character
 * straddling the cut is dropped whole). For example dropping 2 bytes of `"aé b"` (a=1, é=2 bytes)
 * drops `a` and the whole `é` and keeps `" b"`.
 */
export function dropLeadingBytes(text: string, bytes: number): string {
  let dropped = 0;
  let index = 0;
  while (index < text.length && dropped < bytes) {
    const code = text.codePointAt(index)!;
    dropped += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code >= 0x10000 ? 2 : 1;
  }
  return text.slice(index);
}

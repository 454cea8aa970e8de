/**
 * The line discipline of the learner's terminal: what a tty plus readline do for bash, as a pure
 * object. Feed it the strings xterm sends (printable text, `\r`, `\x7f`, arrow and home/end
 * sequences, Ctrl keys, bracketed paste) and it returns the bytes to echo, with the cursor
 * movement that keeps a long line drawn correctly as it wraps, and events: `submit` a line,
 * `interrupt` (Ctrl-C), `clear` (Ctrl-L), `complete` (Tab).
 *
 * After `submit` and `complete` the editor pauses: input that arrives meanwhile (the rest of a
 * multi-line paste, keys typed ahead) waits until the shell calls `start` with the next prompt or
 * `applyCompletion`, so pasted lines run one by one, each after the previous has finished.
 *
 * Drawing model: the editor knows the prompt's width and the terminal's columns, computes where
 * each character lands (wide Hangul takes two cells and wraps early at the last column), and
 * remembers on which row below the prompt's first row the terminal cursor is. Typing at the end
 * of the line just echoes; any other change moves to the prompt's start, redraws prompt and line,
 * erases what is below, and moves the cursor back into place.
 */

import type { History } from './history.ts';
import { isControl, layoutColumns, measureCodePoint, measureText, showControl } from './text.ts';

/** What the editor asks of the shell, in order, together with the output to write. */
export type EditorEvent =
  | { type: 'output'; data: string }
  | { type: 'submit'; line: string }
  | { type: 'interrupt' }
  | { type: 'clear' }
  | { type: 'complete'; line: string; cursor: number };

/** One completion the shell offers for the word at the cursor. */
export interface CompletionCandidate {
  /** The whole word that replaces the typed one, e.g. `vweb/update/`. */
  value: string;
  /** What a list of several candidates shows, e.g. `update/`. */
  display: string;
  /** Added after `value` when it is the only candidate: a space after a word, nothing after a folder. */
  suffix: string;
}

/** The answer to a `complete` event: candidates for the text between `from` and `to`. */
export interface Completion {
  from: number;
  to: number;
  candidates: CompletionCandidate[];
}

/** Settings of a line editor. */
export interface LineEditorOptions {
  history: History;
  /** Terminal width in cells; 80 until `resize` says otherwise. */
  columns?: number;
  /** Longest line kept, in UTF-16 units; input beyond it is dropped with a bell. */
  maxLineLength?: number;
}

const PASTE_END = '\x1b[201~';
const BELL = '\x07';
/** Most input queued while a command runs: type-ahead, or the rest of a long paste. */
const MAX_PENDING = 256 * 1024;
/** Longest escape sequence waited for; anything longer is garbage and dropped. */
const MAX_ESCAPE_LENGTH = 32;

/** Cells a character takes as the editor draws it (control characters in caret form). */
function cellsOf(ch: string): number {
  const cp = ch.codePointAt(0)!;
  return isControl(cp) ? showControl(cp).length : measureCodePoint(cp);
}

/** How the editor draws text: control characters in caret form, everything else as itself. */
function drawText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isControl(cp) ? showControl(cp) : ch;
  }
  return out;
}

/** A cell position relative to the prompt's first row. */
interface Position {
  row: number;
  col: number;
}

/** The line editor of one terminal. */
export class LineEditor {
  private readonly history: History;
  private readonly maxLineLength: number;
  private columns: number;
  private prompt = '';
  private promptWidth = 0;
  private buffer = '';
  /** UTF-16 index into `buffer`, always on a code point boundary. */
  private cursor = 0;
  /** Row of the terminal cursor, counted from the prompt's first row. */
  private cursorRow = 0;
  /** Input not handled yet, from `offset` on. */
  private pending = '';
  private offset = 0;
  /** The bell for a full line rings once, not once per dropped character. */
  private rangFull = false;
  private paused = true;
  private pasting = false;
  private historyIndex = 0;
  private draft = '';
  private events: EditorEvent[] = [];

  constructor(options: LineEditorOptions) {
    this.history = options.history;
    this.columns = Math.max(1, options.columns ?? 80);
    this.maxLineLength = options.maxLineLength ?? 4097;
  }

  /** True while waiting for `start` (a command runs) or `applyCompletion`. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** The line being edited and the cursor in it (UTF-16 index). */
  get state(): { line: string; cursor: number } {
    return { line: this.buffer, cursor: this.cursor };
  }

  /** Draws `prompt`, starts an empty line, and handles input that waited meanwhile. */
  start(prompt: string): EditorEvent[] {
    this.prompt = prompt;
    this.promptWidth = measureText(prompt);
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = this.history.size;
    this.draft = '';
    this.rangFull = false;
    this.paused = false;
    let out = prompt;
    const end = this.positionOf(0);
    if (this.promptWidth > 0 && this.promptWidth % this.columns === 0) out += '\r\n';
    this.cursorRow = end.row;
    this.emit(out);
    return this.drain();
  }

  /** Input from the terminal. While paused it is only queued (up to a limit: the rest is dropped). */
  feed(data: string): EditorEvent[] {
    const room = MAX_PENDING - (this.pending.length - this.offset);
    this.pending += room >= data.length ? data : data.slice(0, Math.max(0, room));
    return this.drain();
  }

  /** Drops queued input (Ctrl-C during a command flushes type-ahead, as a tty does). */
  discardPending(): void {
    this.pending = '';
    this.offset = 0;
    this.pasting = false;
  }

  /** A new terminal width. xterm reflows the wrapped line, so only the bookkeeping changes. */
  resize(columns: number): void {
    this.columns = Math.max(1, columns);
    if (!this.paused) this.cursorRow = this.positionOf(this.cursor).row;
  }

  /** Applies the shell's answer to a `complete` event and goes on with queued input. */
  applyCompletion(completion: Completion | undefined): EditorEvent[] {
    this.paused = false;
    const candidates = completion?.candidates ?? [];
    if (!completion || candidates.length === 0) {
      this.emit(BELL);
      return this.drain();
    }
    const typed = this.buffer.slice(completion.from, completion.to);
    if (candidates.length === 1) {
      const only = candidates[0]!;
      this.replaceWord(completion, typed, only.value + only.suffix);
      return this.drain();
    }
    const common = commonPrefix(candidates.map((c) => c.value));
    if (common.length > typed.length && common.startsWith(typed)) {
      this.replaceWord(completion, typed, common);
      return this.drain();
    }
    // Nothing to add: list the candidates under the line, then draw the prompt and line again.
    const cursor = this.cursor;
    let out = this.moveToEnd();
    out += '\r\n';
    out += layoutColumns(
      candidates.map((c) => c.display),
      this.columns,
    ).join('\r\n');
    out += '\r\n';
    this.cursorRow = 0;
    this.cursor = cursor;
    out += this.drawFromPromptStart();
    this.emit(out);
    return this.drain();
  }

  /** Puts a completed word in place: appended when it extends what was typed at the end, else redrawn. */
  private replaceWord(completion: Completion, typed: string, replacement: string): void {
    const atEnd = completion.to === this.buffer.length && this.cursor === this.buffer.length;
    if (atEnd && replacement.startsWith(typed)) this.insert(replacement.slice(typed.length));
    else this.replaceRange(completion.from, completion.to, replacement);
  }

  private emit(data: string): void {
    if (data === '') return;
    const last = this.events.at(-1);
    if (last?.type === 'output') last.data += data;
    else this.events.push({ type: 'output', data });
  }

  private drain(): EditorEvent[] {
    while (!this.paused && this.offset < this.pending.length) {
      if (!this.step()) break;
    }
    // Drop what was consumed once per call: slicing per key would cost O(n²) on a long paste.
    if (this.offset > 0) {
      this.pending = this.pending.slice(this.offset);
      this.offset = 0;
    }
    const events = this.events;
    this.events = [];
    return events;
  }

  /** The next code point of `pending`, or undefined at its end. */
  private peekChar(at = this.offset): string | undefined {
    const cp = this.pending.codePointAt(at);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  /** Index after the run of printable characters starting at `from` (stopping at `\t` too when asked). */
  private printableRunEnd(from: number, stopAtAnyControl: boolean): number {
    let i = from;
    const p = this.pending;
    while (i < p.length) {
      const unit = p.charCodeAt(i);
      const control = unit < 0x20 || (unit >= 0x7f && unit <= 0x9f);
      if (control && (stopAtAnyControl || unit === 0x0d || unit === 0x0a || unit === 0x1b || unit === 0x09))
        break;
      i++;
    }
    return i;
  }

  /** Handles the next key, sequence or run of text in `pending`. Returns false to wait for more input. */
  private step(): boolean {
    if (this.pasting) return this.stepPaste();
    if (this.pending.charCodeAt(this.offset) === 0x1b) return this.stepEscape();
    const runEnd = this.printableRunEnd(this.offset, true);
    if (runEnd > this.offset) {
      const run = this.pending.slice(this.offset, runEnd);
      this.offset = runEnd;
      this.insert(run);
      return true;
    }
    const ch = this.peekChar()!;
    this.offset += ch.length;
    switch (ch) {
      case '\r':
      case '\n':
        if (ch === '\r' && this.pending[this.offset] === '\n') this.offset++;
        this.submit();
        return true;
      case '\x03':
        this.interrupt();
        return true;
      case '\x0c':
        this.clearScreen();
        return true;
      case '\t':
        this.paused = true;
        this.events.push({ type: 'complete', line: this.buffer, cursor: this.cursor });
        return true;
      case '\x7f':
      case '\x08':
        this.deleteBackward();
        return true;
      case '\x04':
        if (this.buffer === '') this.emit(BELL);
        else this.deleteForward();
        return true;
      case '\x01':
        this.setCursor(0);
        return true;
      case '\x05':
        this.setCursor(this.buffer.length);
        return true;
      case '\x02':
        this.setCursor(previousBoundary(this.buffer, this.cursor));
        return true;
      case '\x06':
        this.setCursor(nextBoundary(this.buffer, this.cursor));
        return true;
      case '\x10':
        this.historyUp();
        return true;
      case '\x0e':
        this.historyDown();
        return true;
      case '\x15':
        this.replaceRange(0, this.cursor, '');
        return true;
      case '\x0b':
        this.replaceRange(this.cursor, this.buffer.length, '');
        return true;
      case '\x17':
        this.replaceRange(wordStartBefore(this.buffer, this.cursor, /\s/), this.cursor, '');
        return true;
      case '\x1a':
      case '\x1c':
      case '\x07':
        // Ctrl-Z, Ctrl-\ and a bell mean nothing at the prompt.
        return true;
      default:
        // Control characters no key is bound to are kept, drawn as ^X, so that the shell refuses
        // the line naming them instead of silently losing them.
        this.insert(ch);
        return true;
    }
  }

  private stepPaste(): boolean {
    const p = this.pending;
    if (p.startsWith(PASTE_END, this.offset)) {
      this.offset += PASTE_END.length;
      this.pasting = false;
      return true;
    }
    if (PASTE_END.startsWith(p.slice(this.offset))) return false;
    const runEnd = this.printableRunEnd(this.offset, false);
    if (runEnd > this.offset) {
      const run = p.slice(this.offset, runEnd);
      this.offset = runEnd;
      this.insert(run);
      return true;
    }
    const ch = this.peekChar()!;
    this.offset += ch.length;
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && p[this.offset] === '\n') this.offset++;
      this.submit();
    } else {
      // Pasted text is text: Ctrl-C or ESC inside it are characters, not keys; a tab is a space.
      this.insert(ch === '\t' ? ' ' : ch);
    }
    return true;
  }

  private stepEscape(): boolean {
    const p = this.pending;
    const o = this.offset;
    if (p.length - o === 1) return false;
    const second = p[o + 1]!;
    if (second === '[') {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal input and output are made of control characters
      const csi = /\x1b\[([0-9;?]*)([ -/]*)([@-~])/y;
      csi.lastIndex = o;
      const m = csi.exec(p);
      if (!m) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal input and output are made of control characters
        const broken = /\x1b\[[0-9;?]*[ -/]*[^0-9;? -/@-~]/y;
        broken.lastIndex = o;
        if (p.length - o > MAX_ESCAPE_LENGTH || broken.test(p)) {
          this.offset += 2;
          return true;
        }
        return false;
      }
      this.offset += m[0].length;
      if (m[1] === '200' && m[3] === '~') this.pasting = true;
      else this.handleCsi(m[1]!, m[3]!);
      return true;
    }
    if (second === 'O') {
      if (p.length - o < 3) return false;
      this.offset += 3;
      this.handleCsi('', p[o + 2]!);
      return true;
    }
    // Alt+key arrives as ESC then the key. Only printable keys and backspace are taken with the
    // ESC; before anything else (Esc then Enter) the ESC alone is dropped and the key still counts.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal input and output are made of control characters
    if (!/^[\x20-\x7e\x7f\x08]$/.test(second)) {
      this.offset += 1;
      return true;
    }
    this.offset += 2;
    if (second === '\x7f' || second === '\x08')
      this.replaceRange(wordStartBefore(this.buffer, this.cursor, /[^\p{L}\p{N}_]/u), this.cursor, '');
    else if (second === 'b') this.setCursor(wordStartBefore(this.buffer, this.cursor, /[^\p{L}\p{N}_]/u));
    else if (second === 'f') this.setCursor(wordEndAfter(this.buffer, this.cursor));
    else if (second === 'd') this.replaceRange(this.cursor, wordEndAfter(this.buffer, this.cursor), '');
    return true;
  }

  private handleCsi(params: string, final: string): void {
    const modified = params.includes(';');
    switch (final) {
      case 'A':
        this.historyUp();
        return;
      case 'B':
        this.historyDown();
        return;
      case 'C':
        this.setCursor(
          modified ? wordEndAfter(this.buffer, this.cursor) : nextBoundary(this.buffer, this.cursor),
        );
        return;
      case 'D':
        this.setCursor(
          modified
            ? wordStartBefore(this.buffer, this.cursor, /[^\p{L}\p{N}_]/u)
            : previousBoundary(this.buffer, this.cursor),
        );
        return;
      case 'H':
        this.setCursor(0);
        return;
      case 'F':
        this.setCursor(this.buffer.length);
        return;
      case '~':
        if (params === '1' || params === '7') this.setCursor(0);
        else if (params === '4' || params === '8') this.setCursor(this.buffer.length);
        else if (params === '3') this.deleteForward();
        return;
      default:
        // Function keys, focus reports, mouse: nothing to do at a prompt.
        return;
    }
  }

  private submit(): void {
    const line = this.buffer;
    let out = this.moveToEnd();
    out += '\r\n';
    this.emit(out);
    this.history.add(line);
    this.buffer = '';
    this.cursor = 0;
    this.paused = true;
    this.events.push({ type: 'submit', line });
  }

  private interrupt(): void {
    let out = this.moveToEnd();
    out += '^C\r\n';
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = this.history.size;
    this.draft = '';
    this.cursorRow = 0;
    this.emit(out);
    this.events.push({ type: 'interrupt' });
    this.emit(this.drawFromPromptStart());
  }

  private clearScreen(): void {
    this.events.push({ type: 'clear' });
    this.cursorRow = 0;
    this.emit(`\x1b[H\x1b[2J${this.drawFromPromptStart()}`);
  }

  private insert(text: string): void {
    const room = this.maxLineLength - this.buffer.length;
    if (text.length > room) {
      if (!this.rangFull) this.emit(BELL);
      this.rangFull = true;
      let cut = Math.max(0, room);
      // Never split a surrogate pair: an emoji is kept whole or not at all.
      const last = text.charCodeAt(cut - 1);
      if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
      text = text.slice(0, cut);
      if (text === '') return;
    }
    const atEnd = this.cursor === this.buffer.length;
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    if (!atEnd) {
      this.redraw();
      return;
    }
    // Typing at the end: echo the text. If it fills the last column exactly, move to the next
    // row now, so the terminal is never left in its "pending wrap" state.
    const end = this.rawPositionOf(this.buffer.length);
    let out = drawText(text);
    if (end.col === this.columns) out += '\r\n';
    this.cursorRow = this.positionOf(this.buffer.length).row;
    this.emit(out);
  }

  private deleteBackward(): void {
    if (this.cursor === 0) return;
    this.replaceRange(previousBoundary(this.buffer, this.cursor), this.cursor, '');
  }

  private deleteForward(): void {
    if (this.cursor >= this.buffer.length) return;
    this.replaceRange(this.cursor, nextBoundary(this.buffer, this.cursor), '');
  }

  private replaceRange(from: number, to: number, text: string): void {
    const next = this.buffer.slice(0, from) + text + this.buffer.slice(to);
    if (next.length > this.maxLineLength) {
      this.emit(BELL);
      return;
    }
    this.buffer = next;
    this.cursor = from + text.length;
    this.redraw();
  }

  private setCursor(index: number): void {
    const target = Math.max(0, Math.min(this.buffer.length, index));
    if (target === this.cursor) return;
    this.cursor = target;
    this.emit(this.moveTo(this.positionOf(target)));
  }

  private historyUp(): void {
    if (this.historyIndex === 0) return;
    if (this.historyIndex === this.history.size) this.draft = this.buffer;
    this.historyIndex--;
    this.showLine(this.history.at(this.historyIndex) ?? '');
  }

  private historyDown(): void {
    if (this.historyIndex >= this.history.size) return;
    this.historyIndex++;
    this.showLine(
      this.historyIndex === this.history.size ? this.draft : (this.history.at(this.historyIndex) ?? ''),
    );
  }

  private showLine(line: string): void {
    this.buffer = line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) : line;
    this.cursor = this.buffer.length;
    this.redraw();
  }

  /** Redraws prompt and line from the prompt's first row and puts the cursor back. */
  private redraw(): void {
    let out = this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : '';
    out += '\r';
    this.cursorRow = 0;
    out += this.drawFromPromptStart();
    this.emit(out);
  }

  /**
   * Draws prompt and line from column 0 of the prompt's first row (where the cursor must be),
   * erases anything below, and leaves the cursor at `this.cursor`.
   */
  private drawFromPromptStart(): string {
    let out = this.prompt + drawText(this.buffer);
    const end = this.rawPositionOf(this.buffer.length);
    if (end.col === this.columns) out += '\r\n';
    out += '\x1b[J';
    this.cursorRow = this.positionOf(this.buffer.length).row;
    // Drawing left the cursor after the line; move only if it belongs elsewhere.
    if (this.cursor !== this.buffer.length) out += this.moveTo(this.positionOf(this.cursor));
    return out;
  }

  /** Moves the terminal cursor after the last character of the line (nothing to do if it is there). */
  private moveToEnd(): string {
    if (this.cursor === this.buffer.length) return '';
    this.cursor = this.buffer.length;
    return this.moveTo(this.positionOf(this.buffer.length));
  }

  /** Escape sequence that moves the terminal cursor from row `cursorRow` to `target`. */
  private moveTo(target: Position): string {
    let out = '';
    const rows = target.row - this.cursorRow;
    if (rows < 0) out += `\x1b[${-rows}A`;
    if (rows > 0) out += `\x1b[${rows}B`;
    out += '\r';
    if (target.col > 0) out += `\x1b[${target.col}C`;
    this.cursorRow = target.row;
    return out;
  }

  /**
   * Where drawing stands after the prompt and the first `index` UTF-16 units of the line, before
   * any wrap: `col` may equal the width, meaning the row is full and the next cell starts a new one.
   *
   * Example, 10 columns, prompt `$ ` (2 cells), line `abcdefgh`: after 8 characters col = 10
   * (row 0 full). A Hangul syllable typed at col 9 does not fit in the one cell left, so the
   * terminal draws it at row 1, cols 0-1.
   */
  private rawPositionOf(index: number): Position {
    let row = Math.floor(this.promptWidth / this.columns);
    let col = this.promptWidth % this.columns;
    if (this.promptWidth > 0 && col === 0) {
      row--;
      col = this.columns;
    }
    let k = 0;
    for (const ch of this.buffer) {
      if (k >= index) break;
      k += ch.length;
      const w = cellsOf(ch);
      if (w === 0) continue;
      if (col >= this.columns || (w === 2 && col === this.columns - 1 && this.columns > 1)) {
        row++;
        col = 0;
      }
      col += Math.min(w, this.columns);
    }
    return { row, col };
  }

  /** Where the cursor stands before the character at `index`: a full row moves on to the next. */
  private positionOf(index: number): Position {
    const raw = this.rawPositionOf(index);
    const next = this.buffer.codePointAt(index);
    const w = next === undefined ? 1 : cellsOf(String.fromCodePoint(next));
    if (raw.col >= this.columns || (w === 2 && raw.col === this.columns - 1 && this.columns > 1))
      return { row: raw.row + 1, col: 0 };
    return raw;
  }
}

function previousBoundary(text: string, index: number): number {
  if (index <= 0) return 0;
  const low = text.charCodeAt(index - 1);
  return low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
}

function nextBoundary(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const high = text.charCodeAt(index);
  return high >= 0xd800 && high <= 0xdbff && index + 1 < text.length ? index + 2 : index + 1;
}

/** Start of the word before `index`, words separated by characters matching `separator`. */
function wordStartBefore(text: string, index: number, separator: RegExp): number {
  let i = index;
  while (i > 0 && separator.test(text[i - 1]!)) i--;
  while (i > 0 && !separator.test(text[i - 1]!)) i--;
  return i;
}

/** End of the word at or after `index` (letters, digits and `_`). */
function wordEndAfter(text: string, index: number): number {
  const separator = /[^\p{L}\p{N}_]/u;
  let i = index;
  while (i < text.length && separator.test(text[i]!)) i++;
  while (i < text.length && !separator.test(text[i]!)) i++;
  return i;
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const v of values.slice(1)) {
    let k = 0;
    while (k < prefix.length && k < v.length && prefix[k] === v[k]) k++;
    prefix = prefix.slice(0, k);
  }
  return prefix;
}

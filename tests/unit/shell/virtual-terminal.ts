/**
 * A tiny terminal for tests: it interprets the bytes the shell writes the way xterm does for the
 * sequences the shell uses (printable text with auto-wrap and the "pending wrap" state, wide
 * characters that wrap early, CR, LF, cursor up/down/forward/back, erase below, clear, home), so
 * a test can assert what the learner would see and where the cursor is.
 */

import { measureCodePoint } from '../../../sandbox/shell/text.ts';

/** Screen contents and cursor of a virtual terminal. */
export class VirtualTerminal {
  readonly columns: number;
  /** Rows of cells; a wide character's second cell holds ''. Grows downwards, never scrolls away. */
  private rows: string[][] = [];
  row = 0;
  col = 0;
  /** xterm's "pending wrap": the last column was written, the next character wraps first. */
  private pendingWrap = false;

  constructor(columns: number) {
    this.columns = columns;
  }

  /** Interprets output bytes. Unknown escape sequences are ignored. */
  write(data: string): void {
    for (let i = 0; i < data.length; ) {
      const c = data[i]!;
      if (c === '\x1b') {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: a terminal reads escape sequences
        const csi = /^\x1b\[([0-9;?]*)([@-~])/.exec(data.slice(i));
        if (csi) {
          this.csi(csi[1]!, csi[2]!);
          i += csi[0].length;
          continue;
        }
        i += 2;
        continue;
      }
      if (c === '\r') {
        this.col = 0;
        this.pendingWrap = false;
        i++;
        continue;
      }
      if (c === '\n') {
        this.row++;
        this.pendingWrap = false;
        i++;
        continue;
      }
      if (c === '\x07') {
        i++;
        continue;
      }
      const ch = String.fromCodePoint(data.codePointAt(i)!);
      this.put(ch);
      i += ch.length;
    }
  }

  private put(ch: string): void {
    const w = measureCodePoint(ch.codePointAt(0)!);
    if (w === 0) return;
    if (this.pendingWrap || (w === 2 && this.col === this.columns - 1)) {
      this.row++;
      this.col = 0;
      this.pendingWrap = false;
    }
    const line = this.line(this.row);
    line[this.col] = ch;
    if (w === 2) line[this.col + 1] = '';
    this.col += w;
    if (this.col >= this.columns) {
      this.col = this.columns - 1;
      this.pendingWrap = true;
    }
  }

  private csi(params: string, final: string): void {
    const n = Math.max(1, Number(params.split(';')[0]) || 1);
    this.pendingWrap = false;
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row += n;
        break;
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'H':
        this.row = 0;
        this.col = 0;
        break;
      case 'J':
        if (params === '2' || params === '3') this.rows = [];
        else {
          this.rows = this.rows.slice(0, this.row + 1);
          this.line(this.row).length = this.col;
        }
        break;
      default:
        break;
    }
  }

  private line(row: number): string[] {
    while (this.rows.length <= row) this.rows.push([]);
    return this.rows[row]!;
  }

  /** The screen as text lines, trailing spaces removed. */
  lines(): string[] {
    return this.rows.map((cells) =>
      Array.from(cells, (c) => c ?? ' ')
        .join('')
        .trimEnd(),
    );
  }
}

/**
 * Text helpers for a terminal that shows Korean and English side by side: how many columns a
 * character takes, how to show a control character without sending it to the terminal, and the
 * line endings xterm needs (there is no kernel tty here to turn `\n` into `\r\n`).
 */

/** Matches CSI, OSC and two-byte escape sequences, so text can be measured without its colours. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal input and output are made of control characters
const ANSI_SEQUENCE = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** Removes ANSI escape sequences (colours, cursor movement) from terminal text. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}

/**
 * Columns one code point takes in a terminal: 0 for combining marks and zero-width characters,
 * 2 for East Asian wide and fullwidth characters (Hangul syllables, CJK, most emoji), 1 otherwise.
 * Control characters are not measured here: the line editor draws them as two-column `^X`.
 */
export function measureCodePoint(cp: number): 0 | 1 | 2 {
  if (cp === 0) return 0;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x0483 && cp <= 0x0489) ||
    (cp >= 0x0591 && cp <= 0x05bd) ||
    (cp >= 0x0610 && cp <= 0x061a) ||
    (cp >= 0x064b && cp <= 0x065f) ||
    // Hangul jungseong and jongseong: they combine with the leading consonant before them.
    (cp >= 0x1160 && cp <= 0x11ff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xd7b0 && cp <= 0xd7ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0xfeff
  );
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x231a && cp <= 0x231b) ||
    (cp >= 0x2329 && cp <= 0x232a) ||
    (cp >= 0x23e9 && cp <= 0x23ec) ||
    (cp >= 0x25fd && cp <= 0x25fe) ||
    (cp >= 0x2614 && cp <= 0x2615) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** True for C0 and C1 control characters and DEL: they must never be echoed raw. */
export function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/**
 * How a control character is drawn in caret notation: NUL is `^@`, ESC is `^[`, DEL is `^?`;
 * C1 controls (U+0080..U+009F), which have no caret form, as `<U+0085>`.
 */
export function showControl(cp: number): string {
  if (cp < 0x20) return `^${String.fromCharCode(cp + 0x40)}`;
  if (cp === 0x7f) return '^?';
  return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Replaces every control character (tab and newline too) with its visible caret form. */
export function makeVisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isControl(cp) ? showControl(cp) : ch;
  }
  return out;
}

/** Columns the text takes on one terminal row, colours ignored, control characters as `^X`. */
export function measureText(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) {
    const cp = ch.codePointAt(0)!;
    width += isControl(cp) ? showControl(cp).length : measureCodePoint(cp);
  }
  return width;
}

/** Pads with spaces on the right to `width` columns, measuring wide characters as two. */
export function padEndColumns(text: string, width: number): string {
  const gap = width - measureText(text);
  return gap > 0 ? text + ' '.repeat(gap) : text;
}

/** Bytes the text takes as UTF-8 (a Hangul syllable is 3, an emoji 4). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Turns program output (`\n` line ends) into what xterm needs (`\r\n`): without a tty in between,
 * a bare `\n` moves down without returning to the first column, so lines would staircase.
 * `\r\n` already present is kept as is.
 */
export function toTerminalNewlines(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Splits text into lines, dropping the empty string after a final newline (`"a\nb\n"` → a, b). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Lays out words in columns as `ls` and tab completion do on a terminal `cols` wide: filled down
 * then across, each column as wide as its longest word plus two spaces, using the fewest rows
 * that fit. Returns the rows, without line ends.
 *
 * Example, 40 columns, words `history pause restart resume status undo`: one row needs
 * 7+2 + 5+2 + 7+2 + 6+2 + 6+2 + 4 = 45 columns, too wide; two rows give three columns
 * (history/pause, restart/resume, status/undo) of 7+2 + 7+2 + 6 = 24 columns.
 */
export function layoutColumns(words: readonly string[], cols: number): string[] {
  if (words.length === 0) return [];
  const widths = words.map(measureText);
  for (let rows = 1; rows <= words.length; rows++) {
    const across = Math.ceil(words.length / rows);
    const columnWidths: number[] = [];
    for (let c = 0; c < across; c++) {
      columnWidths.push(Math.max(...widths.slice(c * rows, (c + 1) * rows)));
    }
    const total = columnWidths.reduce((sum, w) => sum + w, 0) + 2 * (across - 1);
    if (total > cols && rows < words.length) continue;
    const out: string[] = [];
    for (let r = 0; r < rows; r++) {
      let line = '';
      for (let c = 0; c < across && c * rows + r < words.length; c++) {
        const word = words[c * rows + r]!;
        const isLast = c === across - 1 || (c + 1) * rows + r >= words.length;
        line += isLast ? word : padEndColumns(word, columnWidths[c]! + 2);
      }
      out.push(line);
    }
    return out;
  }
  return [...words];
}

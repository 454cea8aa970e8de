/**
 * The lines a learner has run in one session, oldest first, bounded so a session that runs for a
 * day keeps only its recent past. Shared by the line editor (arrows) and the `history` command.
 */

/** Lines kept when no limit is given. */
export const DEFAULT_HISTORY_LIMIT = 500;

/** A bounded list of submitted lines. */
export class History {
  private readonly lines: string[] = [];
  private readonly limit: number;
  /** How many lines were dropped from the front: keeps `history` numbers stable as it scrolls. */
  private dropped = 0;

  constructor(limit = DEFAULT_HISTORY_LIMIT) {
    if (!(limit >= 1)) throw new RangeError(`history limit must be at least 1, got ${limit}`);
    this.limit = limit;
  }

  /**
   * Records a submitted line. Blank lines and a repeat of the line just before are not recorded,
   * as bash does with `HISTCONTROL=ignoredups`, so the up arrow does not step through duplicates.
   */
  add(line: string): void {
    if (line.trim() === '' || this.lines.at(-1) === line) return;
    this.lines.push(line);
    if (this.lines.length > this.limit) {
      this.lines.shift();
      this.dropped++;
    }
  }

  /** Number of lines kept. */
  get size(): number {
    return this.lines.length;
  }

  /** The line at `index` (0 is the oldest kept), or undefined. */
  at(index: number): string | undefined {
    return this.lines[index];
  }

  /** Kept lines with the numbers `history` shows (1 for the first line of the session). */
  entries(): { number: number; line: string }[] {
    return this.lines.map((line, i) => ({ number: this.dropped + i + 1, line }));
  }

  /** Forgets every line (`history -c`). */
  clear(): void {
    this.dropped += this.lines.length;
    this.lines.length = 0;
  }
}

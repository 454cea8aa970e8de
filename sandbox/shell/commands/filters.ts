/**
 * The commands that read what comes out of a pipe: grep, head, tail, wc, sort, uniq and cat.
 * Line-by-line filters (grep, head, uniq, cat) write as input arrives, so
 * `kubectl get rs -l app=vweb --watch | grep vweb` shows lines live; the others must see all of
 * their input and write at the end. Input is bounded so that `sort` on an endless watch cannot
 * exhaust the server's memory.
 */

import { compileGrepPattern } from './grep-pattern.ts';
import { parseCount, parseOptions } from './options.ts';
import type { Filter, FilterFactory } from './types.ts';

/** Most input a filter that waits for the end (sort, tail, wc) keeps, in UTF-16 units. */
export const MAX_BUFFERED_INPUT = 8 * 1024 * 1024;

/** Splits chunked input into whole lines; the last partial line waits for more input or the end. */
class LineSplitter {
  private partial = '';

  /** The complete lines in this chunk, without their `\n`. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    return lines;
  }

  /** The last line if the input did not end with a newline. */
  flush(): string | undefined {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? undefined : rest;
  }
}

/** A filter that handles each line on its own as it arrives. */
function lineFilter(
  onLine: (line: string) => void,
  onEnd: () => number,
  isSatisfied: () => boolean = () => false,
): Filter {
  const splitter = new LineSplitter();
  return {
    write(chunk) {
      for (const line of splitter.push(chunk)) {
        if (isSatisfied()) return;
        onLine(line);
      }
    },
    end() {
      const last = splitter.flush();
      if (last !== undefined && !isSatisfied()) onLine(last);
      return onEnd();
    },
    get satisfied() {
      return isSatisfied();
    },
  };
}

/** A filter that needs all of its input before it can write anything. */
function bufferingFilter(
  command: string,
  err: (text: string) => void,
  onEnd: (text: string) => number,
): Filter {
  let text = '';
  let overflowed = false;
  return {
    write(chunk) {
      if (overflowed) return;
      if (text.length + chunk.length > MAX_BUFFERED_INPUT) {
        overflowed = true;
        text = '';
        return;
      }
      text += chunk;
    },
    end() {
      if (overflowed) {
        err(
          `${command}: input larger than ${MAX_BUFFERED_INPUT / 1024 / 1024} MiB; narrow it first, e.g. with grep or head\n`,
        );
        return 2;
      }
      return onEnd(text);
    },
    satisfied: false,
  };
}

const MATCH_COLOUR = '\x1b[01;31m\x1b[K';
const COLOUR_END = '\x1b[m\x1b[K';

/** `grep [-icvEFnw] PATTERN [FILE...]`: prints the lines that match (or, with -v, do not). */
export const createGrep: FilterFactory = (args, out, options) => {
  const parsed = parseOptions('grep', args, [
    { name: 'ignoreCase', short: 'i', long: 'ignore-case' },
    { name: 'invert', short: 'v', long: 'invert-match' },
    { name: 'count', short: 'c', long: 'count' },
    { name: 'extended', short: 'E', long: 'extended-regexp' },
    { name: 'basic', short: 'G', long: 'basic-regexp' },
    { name: 'fixed', short: 'F', long: 'fixed-strings' },
    { name: 'lineNumber', short: 'n', long: 'line-number' },
    { name: 'wholeWord', short: 'w', long: 'word-regexp' },
    { name: 'pattern', short: 'e', long: 'regexp', value: true },
    { name: 'colour', long: 'color', value: true },
    { name: 'colourUk', long: 'colour', value: true },
  ]);
  if (typeof parsed === 'string') return `${parsed}\nUsage: grep [-icvEFnw] PATTERN [FILE]...`;
  const o = parsed.options;
  const operands = [...parsed.operands];
  const pattern = typeof o.get('pattern') === 'string' ? (o.get('pattern') as string) : operands.shift();
  if (pattern === undefined) return 'Usage: grep [-icvEFnw] PATTERN [FILE]...';
  const regex = compileGrepPattern(pattern, {
    syntax: o.has('fixed') ? 'fixed' : o.has('extended') ? 'extended' : 'basic',
    ignoreCase: o.has('ignoreCase'),
    wholeWord: o.has('wholeWord'),
  });
  if (typeof regex === 'string') return regex;
  const colourSetting = (o.get('colour') ?? o.get('colourUk') ?? 'auto') as string;
  const colour = colourSetting === 'always' || (colourSetting === 'auto' && options.toTerminal);
  const invert = o.has('invert');
  const count = o.has('count');
  const numbered = o.has('lineNumber');
  let lineNumber = 0;
  let selected = 0;

  const matches = (line: string): boolean => {
    regex.lastIndex = 0;
    return regex.test(line);
  };
  const highlight = (line: string): string => {
    if (!colour || invert) return line;
    regex.lastIndex = 0;
    return line.replace(regex, (m) => (m === '' ? m : `${MATCH_COLOUR}${m}${COLOUR_END}`));
  };

  const filter = lineFilter(
    (line) => {
      lineNumber++;
      if (matches(line) === invert) return;
      selected++;
      if (!count) out(`${numbered ? `${lineNumber}:` : ''}${highlight(line)}\n`);
    },
    () => {
      if (count) out(`${selected}\n`);
      return selected > 0 ? 0 : 1;
    },
  );
  return { filter, files: operands };
};

/** Reads `-n N`, `--lines=N` or the old `-N` form shared by head and tail. */
function readLineCount(
  command: string,
  args: readonly string[],
): { count: number; fromStart: boolean; files: string[] } | string {
  const rewritten = args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const parsed = parseOptions(command, rewritten, [
    { name: 'lines', short: 'n', long: 'lines', value: true },
    { name: 'quiet', short: 'q', long: 'quiet' },
  ]);
  if (typeof parsed === 'string') return `${parsed}\nUsage: ${command} [-n N] [FILE]...`;
  const raw = parsed.options.get('lines');
  if (raw === undefined) return { count: 10, fromStart: false, files: parsed.operands };
  const text = String(raw);
  const fromStart = command === 'tail' && text.startsWith('+');
  const count = parseCount(text.replace(/^[+]/, ''));
  if (count === undefined) return `${command}: invalid number of lines: '${text}'`;
  return { count, fromStart, files: parsed.operands };
}

/** `head [-n N] [FILE...]`: the first N lines (10 by default); then it needs no more input. */
export const createHead: FilterFactory = (args, out) => {
  const setting = readLineCount('head', args);
  if (typeof setting === 'string') return setting;
  let written = 0;
  const filter = lineFilter(
    (line) => {
      written++;
      out(`${line}\n`);
    },
    () => 0,
    () => written >= setting.count,
  );
  return { filter, files: setting.files };
};

/** `tail [-n N | -n +N] [FILE...]`: the last N lines, or everything from line N. */
export const createTail: FilterFactory = (args, out) => {
  const setting = readLineCount('tail', args);
  if (typeof setting === 'string') return setting;
  if (setting.fromStart) {
    let seen = 0;
    const filter = lineFilter(
      (line) => {
        seen++;
        if (seen >= setting.count) out(`${line}\n`);
      },
      () => 0,
    );
    return { filter, files: setting.files };
  }
  const kept: string[] = [];
  let keptLength = 0;
  const filter = lineFilter(
    (line) => {
      if (setting.count === 0) return;
      kept.push(line);
      keptLength += line.length;
      // Bounded by lines asked for and by memory: a huge -n on an endless watch keeps the newest 8 MiB.
      while (kept.length > setting.count || keptLength > MAX_BUFFERED_INPUT)
        keptLength -= kept.shift()!.length;
    },
    () => {
      for (const line of kept) out(`${line}\n`);
      return 0;
    },
  );
  return { filter, files: setting.files };
};

/** `wc [-lwc] [FILE...]`: counts lines, words and bytes of the input. */
export const createWc: FilterFactory = (args, out) => {
  const parsed = parseOptions('wc', args, [
    { name: 'lines', short: 'l', long: 'lines' },
    { name: 'words', short: 'w', long: 'words' },
    { name: 'bytes', short: 'c', long: 'bytes' },
    { name: 'chars', short: 'm', long: 'chars' },
  ]);
  if (typeof parsed === 'string') return `${parsed}\nUsage: wc [-lwc] [FILE]...`;
  const o = parsed.options;
  const all = !o.has('lines') && !o.has('words') && !o.has('bytes') && !o.has('chars');
  let lines = 0;
  let words = 0;
  let bytes = 0;
  let chars = 0;
  let inWord = false;
  const filter: Filter = {
    write(chunk) {
      for (const ch of chunk) {
        chars++;
        bytes += Buffer.byteLength(ch);
        if (ch === '\n') lines++;
        const space = /\s/.test(ch);
        if (!space && !inWord) words++;
        inWord = !space;
      }
    },
    end() {
      const counts: number[] = [];
      if (all || o.has('lines')) counts.push(lines);
      if (all || o.has('words')) counts.push(words);
      if (o.has('chars')) counts.push(chars);
      if (all || o.has('bytes')) counts.push(bytes);
      // GNU wc reading a pipe: one count bare, several right-aligned in 7 columns.
      out(
        `${counts.length === 1 ? String(counts[0]) : counts.map((n) => String(n).padStart(7)).join(' ')}\n`,
      );
      return 0;
    },
    satisfied: false,
  };
  return { filter, files: parsed.operands };
};

/**
 * The number `sort -n` sees at the start of a line: optional blanks, a sign, digits and a
 * fraction; anything else counts as 0 (so `abc` sorts with `0`).
 */
function leadingNumber(line: string): number {
  const m = /^\s*(-?\d*\.?\d+)/.exec(line);
  return m ? Number(m[1]) : 0;
}

/** `sort [-rnuf] [FILE...]`: sorts lines by code point (the C locale), or numerically. */
export const createSort: FilterFactory = (args, out, options) => {
  const parsed = parseOptions('sort', args, [
    { name: 'reverse', short: 'r', long: 'reverse' },
    { name: 'numeric', short: 'n', long: 'numeric-sort' },
    { name: 'unique', short: 'u', long: 'unique' },
    { name: 'foldCase', short: 'f', long: 'ignore-case' },
  ]);
  if (typeof parsed === 'string') return `${parsed}\nUsage: sort [-rnuf] [FILE]...`;
  const o = parsed.options;
  const byText = (a: string, b: string): number => {
    const x = o.has('foldCase') ? a.toUpperCase() : a;
    const y = o.has('foldCase') ? b.toUpperCase() : b;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const compare = (a: string, b: string): number => {
    if (o.has('numeric')) {
      const d = leadingNumber(a) - leadingNumber(b);
      if (d !== 0) return d;
      // Equal numbers: GNU sort falls back to comparing whole lines.
      if (o.has('unique')) return 0;
    }
    return byText(a, b);
  };
  const filter = bufferingFilter('sort', options.err, (text) => {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.sort(compare);
    if (o.has('reverse')) lines.reverse();
    const kept = o.has('unique')
      ? lines.filter((line, i) => i === 0 || compare(lines[i - 1]!, line) !== 0)
      : lines;
    for (const line of kept) out(`${line}\n`);
    return 0;
  });
  return { filter, files: parsed.operands };
};

/** `uniq [-cdu] [FILE]`: collapses runs of equal adjacent lines (sort first to count all). */
export const createUniq: FilterFactory = (args, out) => {
  const parsed = parseOptions('uniq', args, [
    { name: 'count', short: 'c', long: 'count' },
    { name: 'repeated', short: 'd', long: 'repeated' },
    { name: 'unique', short: 'u', long: 'unique' },
    { name: 'ignoreCase', short: 'i', long: 'ignore-case' },
  ]);
  if (typeof parsed === 'string') return `${parsed}\nUsage: uniq [-cdu] [FILE]`;
  const o = parsed.options;
  let current: string | undefined;
  let run = 0;
  const same = (a: string, b: string): boolean =>
    o.has('ignoreCase') ? a.toLowerCase() === b.toLowerCase() : a === b;
  const emit = (): void => {
    if (current === undefined) return;
    if (o.has('repeated') && run < 2) return;
    if (o.has('unique') && run > 1) return;
    out(o.has('count') ? `${String(run).padStart(7)} ${current}\n` : `${current}\n`);
  };
  const filter = lineFilter(
    (line) => {
      if (current !== undefined && same(current, line)) {
        run++;
        return;
      }
      emit();
      current = line;
      run = 1;
    },
    () => {
      emit();
      return 0;
    },
  );
  return { filter, files: parsed.operands };
};

/** `cat` after a pipe passes its input through unchanged. */
export const createCatFilter: FilterFactory = (args, out) => {
  const files = args.filter((a) => a !== '-');
  if (args.some((a) => a.startsWith('-') && a !== '-'))
    return 'cat: options are not available here\nUsage: cat [FILE]...';
  return { filter: { write: out, end: () => 0, satisfied: false }, files };
};

/** The filters by name, with the one-line help `help` prints. */
export const FILTERS: ReadonlyMap<string, { create: FilterFactory; usage: string; summary: string }> =
  new Map([
    [
      'grep',
      {
        create: createGrep,
        usage: 'grep [-icvEFnw] PATTERN [FILE]...',
        summary: 'lines that match a pattern',
      },
    ],
    ['head', { create: createHead, usage: 'head [-n N] [FILE]...', summary: 'the first lines' }],
    ['tail', { create: createTail, usage: 'tail [-n N|+N] [FILE]...', summary: 'the last lines' }],
    ['wc', { create: createWc, usage: 'wc [-lwc] [FILE]...', summary: 'count lines, words, bytes' }],
    ['sort', { create: createSort, usage: 'sort [-rnu] [FILE]...', summary: 'sort lines' }],
    ['uniq', { create: createUniq, usage: 'uniq [-cdu] [FILE]', summary: 'collapse repeated lines' }],
    ['cat', { create: createCatFilter, usage: 'cat [FILE]...', summary: 'show files' }],
  ]);

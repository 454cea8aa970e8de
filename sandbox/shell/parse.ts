/**
 * The command language of the learner's terminal: a small, strict subset of what bash accepts.
 *
 * Accepted: words with '…' and "…" quotes and backslash escapes, `#` comments, `|` pipes, `&&`
 * and `;` lists, and the chapter's loop `for i in {1..10}; do curl …; done` (numeric brace ranges,
 * `$i` / `${i}` inside the loop's body). Globs (`* ? [ ]`) are literal text, as bash leaves a
 * pattern that matches nothing, so `-o=custom-columns=...containers[0].image` reaches kubectl intact.
 *
 * Everything else a real shell gives meaning to is refused with a `ShellSyntaxError` that names
 * it: `$(…)`, backticks, redirections, `&`, `||`, `( )`, `{ }`, assignments, other variables,
 * `~`, history `!`, brace lists. Nothing refused is ever passed on as literal text, so a learner
 * who types `> out.txt` learns that it did not happen instead of getting an argument `>`.
 *
 * One deliberate difference from bash: outside quotes, a backslash before a character that means
 * nothing to a shell (a letter, a digit, `.`, `/`, `:` ...) is kept. The book writes
 * `REVISION:.metadata.annotations.deployment\.kubernetes\.io/revision` for kubectl's
 * custom-columns; bash would drop the backslashes and kubectl would print `<none>`, here it
 * reaches kubectl as the book means it. Before characters a shell does treat specially (space,
 * quotes, `$`, `|`, `-`, ...), the backslash makes them literal as in bash.
 */

import { ShellSyntaxError } from './errors.ts';
import { utf8Length } from './text.ts';

/** Longest line accepted, in UTF-8 bytes. */
export const MAX_LINE_BYTES = 4096;

/** Most values a brace range `{1..N}` may produce. */
export const MAX_RANGE_VALUES = 100;

/** Literal text inside a word; `quoted` when it came from quotes or an escape (never special). */
export interface TextPart {
  kind: 'text';
  value: string;
  quoted: boolean;
}

/** `$i` or `${i}`: the loop variable, replaced when the loop body runs. */
export interface VariablePart {
  kind: 'variable';
  name: string;
  position: number;
  length: number;
}

/** One piece of a word. */
export type WordPart = TextPart | VariablePart;

/** A word of the line, e.g. `--selector=app=vweb` or `"v$i"`; positions are UTF-16 indexes. */
export interface Word {
  parts: WordPart[];
  start: number;
  end: number;
  /** Set when the whole word is a numeric brace range such as `{1..10}`. */
  range?: { from: number; to: number };
}

/** A command and its arguments, e.g. `kubectl get rs -l app=vweb`. */
export interface SimpleCommand {
  kind: 'simple';
  words: Word[];
  start: number;
  end: number;
}

/** `for NAME in VALUES; do BODY; done`. Values are already expanded (ranges spelled out). */
export interface ForLoop {
  kind: 'for';
  variable: string;
  values: string[];
  body: CommandList;
  start: number;
  end: number;
}

/** Anything that can stand between pipes. */
export type Command = SimpleCommand | ForLoop;

/** Commands joined by `|`; the output of each feeds the next. */
export interface Pipeline {
  commands: Command[];
  start: number;
  end: number;
}

/** A pipeline and how it joins the one before: `;` always runs it, `&&` only after success. */
export interface ListEntry {
  connector: ';' | '&&';
  pipeline: Pipeline;
}

/** A whole line: pipelines joined by `;` and `&&`. Empty for a blank or comment-only line. */
export interface CommandList {
  entries: ListEntry[];
}

type Operator = '|' | '&&' | ';';

type Token = { kind: 'word'; word: Word } | { kind: 'operator'; op: Operator; start: number; end: number };

/**
 * Parses one line. Throws `ShellSyntaxError` for anything outside the language above, with the
 * position of the first offending character.
 */
export function parseLine(line: string): CommandList {
  checkLineText(line);
  const tokens = tokenize(line);
  return new Parser(tokens, line).parseLine();
}

/** Expands words into arguments: ranges become several, variables take their loop values. */
export function expandWords(words: readonly Word[], variables: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (word.range) out.push(...spellRange(word.range));
    else out.push(expandWord(word, variables));
  }
  return out;
}

/** One word as a single argument. Unknown variables cannot occur: the parser refuses them. */
export function expandWord(word: Word, variables: ReadonlyMap<string, string>): string {
  let out = '';
  for (const part of word.parts) out += part.kind === 'text' ? part.value : (variables.get(part.name) ?? '');
  return out;
}

/** The word's text if it is plain unquoted text without variables (how keywords must be written). */
export function readBareWord(word: Word): string | undefined {
  if (word.parts.length !== 1) return undefined;
  const part = word.parts[0]!;
  return part.kind === 'text' && !part.quoted ? part.value : undefined;
}

function spellRange(range: { from: number; to: number }): string[] {
  const step = range.from <= range.to ? 1 : -1;
  const out: string[] = [];
  for (let n = range.from; step > 0 ? n <= range.to : n >= range.to; n += step) out.push(String(n));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Characters that are not plain text

const DASH_LOOKALIKES = new Set([
  0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d,
]);

/** Whitespace that looks like a space but is not one to a shell: copied from PDFs and web pages. */
const ODD_SPACES = new Set([0x00a0, 0x1680, 0x202f, 0x205f, 0x3000, ...range(0x2000, 0x200a)]);

/** Characters that draw nothing or reorder what is drawn: the line would not read as it runs. */
const INVISIBLES = new Set([
  0x00ad,
  0x061c,
  0x180e,
  ...range(0x200b, 0x200f),
  ...range(0x202a, 0x202e),
  ...range(0x2060, 0x2064),
  ...range(0x2066, 0x2069),
  0xfeff,
]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True for dashes that look like `-` but are not: `—kubeconfig` pasted from a book or a slide. */
export function isDashLookalike(cp: number): boolean {
  return DASH_LOOKALIKES.has(cp);
}

/** Refuses lines that are not a reasonable line of text, before looking at their meaning. */
function checkLineText(line: string): void {
  const bytes = utf8Length(line);
  if (bytes > MAX_LINE_BYTES) {
    throw new ShellSyntaxError({
      reason: 'line-too-long',
      message: `the line is longer than ${MAX_LINE_BYTES} bytes, the most this terminal accepts`,
      position: 0,
      construct: 'long line',
      suggestion:
        'Split the work into several shorter commands, or put long content in a file and use kubectl apply -f FILE.',
    });
  }
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = line.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) throw invalidText(i, `an unpaired surrogate (${hex(unit)})`);
    if (unit === 0xfffd)
      throw invalidText(i, 'a replacement character (U+FFFD), the mark of bytes that were not UTF-8');
    if (unit === 0xfffe || unit === 0xffff) throw invalidText(i, `a noncharacter (${hex(unit)})`);
    if ((unit < 0x20 && unit !== 0x09) || (unit >= 0x7f && unit <= 0x9f)) {
      throw new ShellSyntaxError({
        reason: 'control-character',
        message: `the line contains a control character (${hex(unit)}) at column ${i + 1}`,
        position: i,
        construct: hex(unit),
        suggestion:
          'Type the command as plain text; control keys such as Ctrl-C act on the terminal and are not part of a command.',
      });
    }
    if (INVISIBLES.has(unit)) {
      throw new ShellSyntaxError({
        reason: 'invisible-character',
        message: `the line contains an invisible character (${hex(unit)}) at column ${i + 1}`,
        position: i,
        construct: hex(unit),
        suggestion:
          'Text copied from a web page or PDF can carry hidden characters: type the command by hand.',
      });
    }
  }
}

function invalidText(position: number, what: string): ShellSyntaxError {
  return new ShellSyntaxError({
    reason: 'invalid-text',
    message: `the line is not valid UTF-8 text: it contains ${what}`,
    position,
    construct: 'invalid text',
    suggestion: 'Type the command as text; binary data cannot be a command.',
  });
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

/**
 * Characters a backslash makes literal outside quotes. A backslash before anything else is kept
 * as typed (see the note at the top of this file). `-` is here so that `\--kubeconfig` means
 * `--kubeconfig`, as in bash, and is refused as such rather than slipping by as a strange word.
 */
const ESCAPABLE = new Set(' \t\'"\\$`|&;<>(){}[]*?~!#=-'.split(''));

/** Inside double quotes, bash lets a backslash escape only these. */
const ESCAPABLE_IN_DOUBLE_QUOTES = new Set(['$', '`', '"', '\\']);

// biome-ignore lint/suspicious/noTemplateCurlyInString: this is the shell's syntax, named in messages
const PARAMETER_EXPANSION = '${…}';
const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_REST = /[A-Za-z0-9_]/;
const SPECIAL_PARAMETER = /[0-9?$#@*!-]/;

/** Collects one word's characters, remembering which were literal and where each came from. */
class WordBuilder {
  readonly start: number;
  readonly parts: WordPart[] = [];
  /** Per UTF-16 unit of the word's text: the character, whether unquoted, and its line index. */
  readonly units: { ch: string; bare: boolean; position: number }[] = [];

  constructor(start: number) {
    this.start = start;
  }

  addText(text: string, quoted: boolean, position: number): void {
    const last = this.parts.at(-1);
    if (last?.kind === 'text' && last.quoted === quoted) last.value += text;
    else this.parts.push({ kind: 'text', value: text, quoted });
    for (let k = 0; k < text.length; k++) this.units.push({ ch: text[k]!, bare: !quoted, position });
  }

  /** An empty quoted string still makes a word: `kubectl annotate deploy/vweb note=""`. */
  markQuoted(): void {
    if (this.parts.length === 0) this.parts.push({ kind: 'text', value: '', quoted: true });
  }

  addVariable(name: string, position: number, length: number): void {
    this.parts.push({ kind: 'variable', name, position, length });
    this.units.push({ ch: '\0', bare: false, position });
  }
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let word: WordBuilder | undefined;
  let i = 0;

  const ensureWord = (at: number): WordBuilder => {
    word ??= new WordBuilder(at);
    return word;
  };
  const finishWord = (end: number): void => {
    if (!word) return;
    tokens.push({ kind: 'word', word: finishBuilder(word, end, line) });
    word = undefined;
  };
  const pushOperator = (op: Operator, start: number, end: number): void => {
    finishWord(start);
    tokens.push({ kind: 'operator', op, start, end });
  };

  while (i < line.length) {
    const c = line[i]!;
    const cp = line.codePointAt(i)!;
    if (c === ' ' || c === '\t') {
      finishWord(i);
      i++;
      continue;
    }
    if (ODD_SPACES.has(cp)) {
      throw new ShellSyntaxError({
        reason: 'odd-space',
        message: `a space-like character (${hex(cp)}) separates words here, not a plain space`,
        position: i,
        construct: hex(cp),
        suggestion:
          'Retype the spaces in the command with the space bar; text copied from documents often carries non-breaking spaces.',
      });
    }
    if (!word && c === '#') break;
    switch (c) {
      case "'": {
        const close = line.indexOf("'", i + 1);
        if (close < 0) throw unterminated(i, "'");
        const w = ensureWord(i);
        w.markQuoted();
        if (close > i + 1) w.addText(line.slice(i + 1, close), true, i + 1);
        i = close + 1;
        continue;
      }
      case '"':
        i = readDoubleQuoted(line, i, ensureWord(i));
        continue;
      case '\\': {
        const next = line.codePointAt(i + 1);
        if (next === undefined) {
          // `.\vweb\` is how PowerShell (and the learner's notes) write a folder: say so.
          const windowsPath = word?.parts.some((p) => p.kind === 'text' && p.value.includes('\\')) ?? false;
          throw new ShellSyntaxError({
            reason: 'line-continuation',
            message: windowsPath
              ? 'this looks like a Windows path: here folders are separated by /, not \\'
              : 'a backslash at the end of the line would continue the command on the next line, which this terminal does not do',
            position: i,
            construct: '\\',
            suggestion: windowsPath
              ? 'Write the path with slashes, e.g. kubectl apply -f vweb/'
              : 'Type the whole command on one line.',
          });
        }
        const ch = String.fromCodePoint(next);
        const w = ensureWord(i);
        if (ESCAPABLE.has(ch)) w.addText(ch, true, i + 1);
        else w.addText(`\\${ch}`, true, i);
        i += 1 + ch.length;
        continue;
      }
      case '$':
        i = readDollar(line, i, ensureWord(i), false);
        continue;
      case '`':
        throw backtick(line, i);
      case '|':
        if (line[i + 1] === '|') throw refuseOrList(i);
        if (line[i + 1] === '&') throw refuseRedirection(line, i, i, '|&');
        pushOperator('|', i, i + 1);
        i++;
        continue;
      case '&':
        if (line[i + 1] === '&') {
          pushOperator('&&', i, i + 2);
          i += 2;
          continue;
        }
        if (line[i + 1] === '>') throw refuseRedirection(line, i, i);
        throw new ShellSyntaxError({
          reason: 'background',
          message: 'running a command in the background with & is not available in this terminal',
          position: i,
          construct: '&',
          suggestion:
            'Run commands one after another (;), or only after success (&&). Long-running kubectl commands stop with Ctrl-C.',
        });
      case ';':
        if (line[i + 1] === ';') throw unexpected(i, ';;', 2);
        pushOperator(';', i, i + 1);
        i++;
        continue;
      case '<':
      case '>': {
        // `2>&1`: the digits typed before the operator belong to the redirection.
        const digitsOnly =
          word?.parts.length === 1 &&
          word.parts[0]!.kind === 'text' &&
          !word.parts[0]!.quoted &&
          /^\d+$/.test(word.parts[0]!.value);
        throw refuseRedirection(line, digitsOnly ? word!.start : i, i);
      }
      case '(':
      case ')':
        throw new ShellSyntaxError({
          reason: 'subshell',
          message: `parentheses ${c === '(' ? '(' : ')'} (subshells and functions) are not available in this terminal`,
          position: i,
          construct: c,
          suggestion:
            "Run the commands directly, without parentheses. Put text that contains parentheses in quotes: -l 'app in (vweb)'.",
        });
      case '!': {
        const next = line[i + 1];
        if (next === undefined || next === ' ' || next === '\t' || next === '=' || next === '(') {
          ensureWord(i).addText('!', false, i);
          i++;
          continue;
        }
        throw historyExpansion(line, i);
      }
      case '~':
        if (!word) {
          throw new ShellSyntaxError({
            reason: 'tilde',
            message:
              '~ (your home folder) is not available in this terminal: there is only the exercise folder',
            position: i,
            construct: '~',
            suggestion:
              'Use a path relative to the exercise folder, e.g. vweb/vweb-v1.yaml; `cd` with no argument goes back to its top.',
          });
        }
        word.addText('~', false, i);
        i++;
        continue;
      default: {
        const ch = String.fromCodePoint(cp);
        ensureWord(i).addText(ch, false, i);
        i += ch.length;
      }
    }
  }
  finishWord(i);
  return tokens;
}

/** Reads `"…"` starting at the opening quote; returns the index after the closing quote. */
function readDoubleQuoted(line: string, open: number, word: WordBuilder): number {
  word.markQuoted();
  let i = open + 1;
  for (;;) {
    if (i >= line.length) throw unterminated(open, '"');
    const c = line[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') {
      const next = line[i + 1];
      if (next !== undefined && ESCAPABLE_IN_DOUBLE_QUOTES.has(next)) {
        word.addText(next, true, i + 1);
        i += 2;
      } else {
        word.addText('\\', true, i);
        i++;
      }
      continue;
    }
    if (c === '$') {
      i = readDollar(line, i, word, true);
      continue;
    }
    if (c === '`') throw backtick(line, i);
    if (c === '!') {
      const next = line[i + 1];
      if (
        !(next === undefined || next === ' ' || next === '\t' || next === '=' || next === '(' || next === '"')
      )
        throw historyExpansion(line, i);
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    word.addText(ch, true, i);
    i += ch.length;
  }
}

/** Reads what follows a `$`; returns the index after it. Only plain `$name` and `${name}` pass. */
function readDollar(line: string, i: number, word: WordBuilder, inDoubleQuotes: boolean): number {
  const next = line[i + 1];
  if (next === '(') {
    if (line[i + 2] === '(') {
      throw new ShellSyntaxError({
        reason: 'arithmetic',
        message: 'arithmetic expansion $((…)) is not available in this terminal',
        position: i,
        length: 3,
        construct: '$((…))',
        suggestion: 'Work the number out and type it.',
      });
    }
    throw new ShellSyntaxError({
      reason: 'command-substitution',
      message: 'command substitution $(…) is not available in this terminal',
      position: i,
      length: spanToClose(line, i, ')'),
      construct: '$(…)',
      suggestion: 'Run the inner command on its own, then type its result into the next command.',
    });
  }
  if (next === '{') {
    let j = i + 2;
    if (j < line.length && IDENTIFIER_START.test(line[j]!)) {
      j++;
      while (j < line.length && IDENTIFIER_REST.test(line[j]!)) j++;
      if (line[j] === '}') {
        word.addVariable(line.slice(i + 2, j), i, j + 1 - i);
        return j + 1;
      }
    }
    throw new ShellSyntaxError({
      reason: 'parameter-expansion',
      message: `parameter expansion ${PARAMETER_EXPANSION} is not available in this terminal`,
      position: i,
      length: spanToClose(line, i, '}'),
      construct: PARAMETER_EXPANSION,
      suggestion: 'Type the value itself. Inside a for loop, $i gives the loop value.',
    });
  }
  if (!inDoubleQuotes && (next === "'" || next === '"')) {
    throw new ShellSyntaxError({
      reason: 'ansi-quote',
      message: `${next === "'" ? "$'…' quoting" : '$"…" translated strings'} are not available in this terminal`,
      position: i,
      length: 2,
      construct: `$${next}…${next}`,
      suggestion: 'Use plain single quotes \'…\' or double quotes "…".',
    });
  }
  if (next !== undefined && IDENTIFIER_START.test(next)) {
    let j = i + 1;
    while (j < line.length && IDENTIFIER_REST.test(line[j]!)) j++;
    word.addVariable(line.slice(i + 1, j), i, j - i);
    return j;
  }
  if (next !== undefined && SPECIAL_PARAMETER.test(next)) {
    throw new ShellSyntaxError({
      reason: 'special-parameter',
      message: `the special parameter $${next} is not available in this terminal`,
      position: i,
      length: 2,
      construct: `$${next}`,
      suggestion: 'Type the value itself; this terminal keeps no shell variables.',
    });
  }
  // A `$` before a space, a slash, the end of the line...: bash keeps it as a dollar sign.
  word.addText('$', inDoubleQuotes, i);
  return i + 1;
}

/** Length from `start` to the matching `close` (or the end), to underline a whole construct. */
function spanToClose(line: string, start: number, close: string): number {
  const at = line.indexOf(close, start);
  return (at < 0 ? line.length : at + 1) - start;
}

function finishBuilder(builder: WordBuilder, end: number, line: string): Word {
  const word: Word = { parts: builder.parts, start: builder.start, end };
  const range = checkBraces(builder, line);
  if (range) word.range = range;
  const first = [...builder.units.map((u) => u.ch).join('')];
  const cp0 = first[0]?.codePointAt(0);
  const cp1 = first[1]?.codePointAt(0);
  if (
    (cp0 !== undefined && isDashLookalike(cp0)) ||
    (first[0] === '-' && cp1 !== undefined && isDashLookalike(cp1))
  ) {
    const dash = cp0 !== undefined && isDashLookalike(cp0) ? cp0 : cp1!;
    throw new ShellSyntaxError({
      reason: 'lookalike-dash',
      message: `this word starts with a typographic dash (${String.fromCodePoint(dash)} ${hex(dash)}) where an option needs ASCII hyphens`,
      position: builder.start,
      construct: String.fromCodePoint(dash),
      suggestion:
        'Type options with the minus key: --selector, not —selector (documents often turn -- into a long dash).',
    });
  }
  return word;
}

const SEQUENCE = /^(-?\d+)\.\.(-?\d+)(\.\.-?\d+)?$|^[A-Za-z]\.\.[A-Za-z]$/;

/**
 * Looks for brace expansion in the unquoted text of a word. Returns the range when the whole word
 * is `{N..M}`; refuses `{a,b}` lists and ranges inside a larger word; leaves every other brace
 * alone, as bash does, so `jsonpath={.spec.replicas}` stays literal.
 */
function checkBraces(builder: WordBuilder, line: string): { from: number; to: number } | undefined {
  const units = builder.units;
  for (let a = 0; a < units.length; a++) {
    if (units[a]!.ch !== '{' || !units[a]!.bare) continue;
    let depth = 0;
    let b = -1;
    let hasComma = false;
    for (let k = a; k < units.length; k++) {
      const u = units[k]!;
      if (!u.bare) continue;
      if (u.ch === '{') depth++;
      else if (u.ch === '}') {
        depth--;
        if (depth === 0) {
          b = k;
          break;
        }
      } else if (u.ch === ',' && depth === 1) hasComma = true;
    }
    if (b < 0) return undefined;
    const inner = units.slice(a + 1, b);
    const innerText = inner.map((u) => u.ch).join('');
    const innerBare = inner.every((u) => u.bare);
    const position = units[a]!.position;
    const length = units[b]!.position - position + 1;
    const construct = line.slice(position, position + length);
    if (hasComma) {
      throw new ShellSyntaxError({
        reason: 'brace-expansion',
        message: `brace expansion ${construct} is not available in this terminal`,
        position,
        length,
        construct,
        suggestion:
          'Write the words out one by one, or put the braces in quotes if they are meant literally.',
      });
    }
    if (innerBare && SEQUENCE.test(innerText)) {
      const numeric = /^(-?\d+)\.\.(-?\d+)$/.exec(innerText);
      const whole = a === 0 && b === units.length - 1;
      if (!numeric || !whole) {
        throw new ShellSyntaxError({
          reason: 'brace-expansion',
          message: numeric
            ? `a brace range inside a longer word (${construct}) is not available in this terminal`
            : `the brace sequence ${construct} is not available in this terminal; only number ranges such as {1..10} are`,
          position,
          length,
          construct,
          suggestion:
            'Use a number range as a word of its own: for i in {1..10}; do curl http://localhost:8090/v.txt; done',
        });
      }
      const from = Number(numeric[1]);
      const to = Number(numeric[2]);
      if (Math.abs(to - from) + 1 > MAX_RANGE_VALUES) {
        throw new ShellSyntaxError({
          reason: 'range-too-large',
          message: `the range ${construct} has ${Math.abs(to - from) + 1} values; this terminal allows up to ${MAX_RANGE_VALUES}`,
          position,
          length,
          construct,
          suggestion: 'Use a smaller range, such as {1..10}.',
        });
      }
      return { from, to };
    }
    a = b;
  }
  return undefined;
}

function unterminated(position: number, quote: string): ShellSyntaxError {
  return new ShellSyntaxError({
    reason: 'unterminated-quote',
    message: `the ${quote === "'" ? 'single' : 'double'} quote ${quote} is never closed`,
    position,
    construct: quote,
    suggestion: `Close it with another ${quote} on the same line.`,
  });
}

function backtick(line: string, position: number): ShellSyntaxError {
  const close = line.indexOf('`', position + 1);
  return new ShellSyntaxError({
    reason: 'backtick',
    message: 'command substitution with backticks `…` is not available in this terminal',
    position,
    length: close < 0 ? 1 : close - position + 1,
    construct: '`…`',
    suggestion: 'Run the inner command on its own, then type its result into the next command.',
  });
}

function refuseOrList(position: number): ShellSyntaxError {
  return new ShellSyntaxError({
    reason: 'or-list',
    message: '|| (run the next command if this one fails) is not available in this terminal',
    position,
    length: 2,
    construct: '||',
    suggestion: 'Use ; to run the next command anyway, or && to run it only after success.',
  });
}

function refuseRedirection(line: string, start: number, operatorAt: number, name?: string): ShellSyntaxError {
  let end = operatorAt;
  while (end < line.length && /[<>&|0-9-]/.test(line[end]!) && end - operatorAt < 4) end++;
  const construct = name ?? line.slice(start, end);
  return new ShellSyntaxError({
    reason: 'redirection',
    message: `redirection ${construct} is not available in this terminal: commands cannot read or write files through the shell`,
    position: start,
    length: end - start,
    construct,
    suggestion:
      'Output is shown in the terminal; filter it with a pipe such as | grep vweb. To change a manifest, edit it in the editor and run kubectl apply -f FILE.',
  });
}

function historyExpansion(line: string, position: number): ShellSyntaxError {
  return new ShellSyntaxError({
    reason: 'history-expansion',
    message: `history expansion ${line.slice(position, position + 2)} is not available in this terminal`,
    position,
    length: 2,
    construct: '!',
    suggestion:
      "Press the up arrow to bring back an earlier command. Put a literal ! in single quotes: 'app!=vweb'.",
  });
}

function unexpected(position: number, text: string, length = text.length): ShellSyntaxError {
  return new ShellSyntaxError({
    reason: 'unexpected-token',
    message: `syntax error near ${text}`,
    position,
    length,
    construct: text,
    suggestion: 'Commands are joined with ;, && or |, each with a command on both sides.',
  });
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Words that start a shell construct this terminal does not have. */
const UNSUPPORTED_KEYWORDS = new Map<string, string>([
  ['if', 'conditionals (if … fi) are'],
  ['then', 'conditionals (if … then … fi) are'],
  ['else', 'conditionals (if … else … fi) are'],
  ['elif', 'conditionals (if … elif … fi) are'],
  ['fi', 'conditionals (if … fi) are'],
  ['case', 'case … esac is'],
  ['esac', 'case … esac is'],
  ['while', 'while loops are'],
  ['until', 'until loops are'],
  ['select', 'select menus are'],
  ['function', 'shell functions are'],
  ['time', 'the time keyword is'],
  ['coproc', 'coprocesses are'],
  ['[[', 'the [[ … ]] test is'],
  [']]', 'the [[ … ]] test is'],
  ['!', 'negating a pipeline with ! is'],
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

class Parser {
  private readonly tokens: Token[];
  private readonly line: string;
  private index = 0;
  /** Loop variables in scope, innermost last. */
  private readonly scope: string[] = [];

  constructor(tokens: Token[], line: string) {
    this.tokens = tokens;
    this.line = line;
  }

  parseLine(): CommandList {
    if (this.tokens.length === 0) return { entries: [] };
    const list = this.parseList(false);
    const extra = this.peek();
    if (extra) throw this.unexpectedToken(extra);
    return list;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private peekKeyword(): string | undefined {
    const t = this.peek();
    return t?.kind === 'word' ? readBareWord(t.word) : undefined;
  }

  /** Pipelines joined by `;` and `&&`. In a loop body, stops before a `done` in command position. */
  private parseList(inLoopBody: boolean): CommandList {
    const entries: ListEntry[] = [];
    let connector: ';' | '&&' = ';';
    for (;;) {
      entries.push({ connector, pipeline: this.parsePipeline() });
      const t = this.peek();
      if (!t) return { entries };
      if (t.kind !== 'operator' || t.op === '|') throw this.unexpectedToken(t);
      this.index++;
      const after = this.peek();
      if (t.op === '&&') {
        if (!after) throw this.missingCommand(t.end, '&&');
        connector = '&&';
        continue;
      }
      if (!after) return { entries };
      if (inLoopBody && this.peekKeyword() === 'done') return { entries };
      connector = ';';
    }
  }

  private parsePipeline(): Pipeline {
    const commands: Command[] = [this.parseCommand()];
    for (let bar = this.peek(); bar?.kind === 'operator' && bar.op === '|'; bar = this.peek()) {
      this.index++;
      if (!this.peek() || this.peek()!.kind === 'operator') throw this.missingCommand(bar.end, '|');
      commands.push(this.parseCommand());
    }
    return { commands, start: commands[0]!.start, end: commands.at(-1)!.end };
  }

  private parseCommand(): Command {
    const t = this.peek();
    if (!t) throw this.missingCommand(this.line.length, 'the end of the line');
    if (t.kind === 'operator') throw this.unexpectedToken(t);
    const keyword = readBareWord(t.word);
    if (keyword === 'for') return this.parseFor();
    if (keyword === 'do' || keyword === 'done' || keyword === 'in') {
      throw new ShellSyntaxError({
        reason: 'unexpected-token',
        message: `syntax error: ${keyword} without a for loop before it`,
        position: t.word.start,
        length: keyword.length,
        construct: keyword,
        suggestion: 'A loop is written: for i in {1..10}; do curl http://localhost:8090/v.txt; done',
      });
    }
    if (keyword === '{' || keyword === '}') {
      throw new ShellSyntaxError({
        reason: 'group',
        message: 'command groups { …; } are not available in this terminal',
        position: t.word.start,
        construct: keyword,
        suggestion: 'Run the commands directly, joined with ; or &&.',
      });
    }
    if (keyword !== undefined && UNSUPPORTED_KEYWORDS.has(keyword)) {
      throw new ShellSyntaxError({
        reason: 'keyword',
        message: `${UNSUPPORTED_KEYWORDS.get(keyword)} not available in this terminal`,
        position: t.word.start,
        length: keyword.length,
        construct: keyword,
        suggestion: 'Run the commands one at a time; the only loop is for i in {1..10}; do …; done.',
      });
    }
    const first = t.word.parts[0];
    if (first?.kind === 'text' && !first.quoted && ASSIGNMENT.test(first.value)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(first.value)![0];
      throw new ShellSyntaxError({
        reason: 'assignment',
        message: `setting a variable (${name}=…) is not available in this terminal`,
        position: t.word.start,
        length: name.length + 1,
        construct: `${name}=`,
        suggestion:
          name === 'KUBECONFIG'
            ? 'kubectl here always talks to your own sandbox; there is no other cluster to choose.'
            : 'Type values directly into the command; this terminal keeps no variables.',
      });
    }
    return this.parseSimple();
  }

  private parseSimple(): SimpleCommand {
    const words: Word[] = [];
    while (this.peek()?.kind === 'word') {
      const word = (this.peek() as { word: Word }).word;
      this.checkVariables(word);
      words.push(word);
      this.index++;
    }
    return { kind: 'simple', words, start: words[0]!.start, end: words.at(-1)!.end };
  }

  /** `for NAME in WORDS; do LIST; done` */
  private parseFor(): ForLoop {
    const forWord = (this.peek() as { word: Word }).word;
    this.index++;
    const nameToken = this.peek();
    const name = nameToken?.kind === 'word' ? readBareWord(nameToken.word) : undefined;
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw this.badLoop(
        nameToken ? tokenStart(nameToken) : this.line.length,
        'for needs a variable name after it',
      );
    }
    this.index++;
    if (this.peekKeyword() !== 'in') {
      const t = this.peek();
      throw this.badLoop(t ? tokenStart(t) : this.line.length, `for ${name} needs "in" and a list of values`);
    }
    this.index++;
    const values: string[] = [];
    while (this.peek()?.kind === 'word') {
      const word = (this.peek() as { word: Word }).word;
      if (readBareWord(word) === 'do')
        throw this.badLoop(word.start, 'the list of values needs a ; before do');
      const variable = word.parts.find((p): p is VariablePart => p.kind === 'variable');
      if (variable) throw this.unknownVariable(variable);
      values.push(...expandWords([word], new Map()));
      this.index++;
    }
    const semi = this.peek();
    if (semi?.kind !== 'operator' || semi.op !== ';') {
      throw this.badLoop(semi ? tokenStart(semi) : this.line.length, 'the list of values needs a ; after it');
    }
    this.index++;
    if (this.peekKeyword() !== 'do') {
      const t = this.peek();
      throw this.badLoop(t ? tokenStart(t) : this.line.length, 'the loop body must start with do');
    }
    this.index++;
    if (!this.peek() || this.peekKeyword() === 'done') {
      const t = this.peek();
      throw this.badLoop(t ? tokenStart(t) : this.line.length, 'the loop body is empty');
    }
    this.scope.push(name);
    const body = this.parseList(true);
    this.scope.pop();
    const done = this.peek();
    if (this.peekKeyword() !== 'done' || !done || done.kind !== 'word') {
      throw this.badLoop(done ? tokenStart(done) : this.line.length, 'the loop must end with ; done');
    }
    this.index++;
    return { kind: 'for', variable: name, values, body, start: forWord.start, end: done.word.end };
  }

  private checkVariables(word: Word): void {
    for (const part of word.parts) {
      if (part.kind === 'variable' && !this.scope.includes(part.name)) throw this.unknownVariable(part);
    }
  }

  private unknownVariable(part: VariablePart): ShellSyntaxError {
    const construct = this.line.slice(part.position, part.position + part.length);
    const loopVariable = this.scope.at(-1);
    return new ShellSyntaxError({
      reason: 'variable',
      message: loopVariable
        ? `only the loop variable $${loopVariable} can be used here, not ${construct}`
        : `variables such as ${construct} are not available in this terminal`,
      position: part.position,
      length: part.length,
      construct,
      suggestion: loopVariable
        ? `Use $${loopVariable} or type the value itself.`
        : 'Type the value itself. The only variable is the one a loop sets: for i in {1..10}; do echo $i; done',
    });
  }

  private badLoop(position: number, problem: string): ShellSyntaxError {
    return new ShellSyntaxError({
      reason: 'bad-for-loop',
      message: `syntax error in the for loop: ${problem}`,
      position: Math.min(position, Math.max(0, this.line.length - 1)),
      construct: 'for',
      suggestion: 'A loop is written: for i in {1..10}; do curl http://localhost:8090/v.txt; done',
    });
  }

  private unexpectedToken(t: Token): ShellSyntaxError {
    if (t.kind === 'operator') return unexpected(t.start, t.op);
    return unexpected(t.word.start, this.line.slice(t.word.start, t.word.end));
  }

  private missingCommand(position: number, after: string): ShellSyntaxError {
    return new ShellSyntaxError({
      reason: 'missing-command',
      message: `a command is missing after ${after}`,
      position: Math.min(position, Math.max(0, this.line.length - 1)),
      construct: after,
      suggestion:
        after === '&&' || after === '|' ? `Put a command after ${after}, or remove it.` : 'Type a command.',
    });
  }
}

function tokenStart(t: Token): number {
  return t.kind === 'word' ? t.word.start : t.start;
}

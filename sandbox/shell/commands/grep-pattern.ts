/**
 * grep's patterns as JavaScript regular expressions. POSIX basic syntax (the default) and extended
 * syntax (`-E`) differ mostly in which of `( ) { } | + ?` need a backslash to be special; bracket
 * classes such as `[[:digit:]]` become JavaScript classes.
 *
 * The server runs every learner's grep on one event loop, and JavaScript's backtracking engine can
 * take exponential time on patterns such as `(a+)+$`. Patterns that nest a repeated group inside
 * another repetition or repeat a group of alternatives (`(a|aa)+`), and back-references, are
 * refused: none is needed to filter kubectl output.
 */

/** Longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 256;

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
};

/** How to read the pattern. */
export interface PatternOptions {
  syntax: 'basic' | 'extended' | 'fixed';
  ignoreCase: boolean;
  wholeWord: boolean;
}

/** Compiles a grep pattern; returns an error message (`grep: ...`) instead when it is not accepted. */
export function compileGrepPattern(pattern: string, options: PatternOptions): RegExp | string {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `grep: the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  let source: string;
  if (options.syntax === 'fixed') source = escapeRegExp(pattern);
  else {
    const translated = translatePattern(pattern, options.syntax === 'extended');
    if (typeof translated !== 'string') return translated.error;
    source = translated;
  }
  const danger = findNestedRepetition(source);
  if (danger)
    return `grep: ${danger}; write a simpler pattern (this terminal refuses patterns that could take very long to match)`;
  if (options.wholeWord) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  try {
    return new RegExp(source, options.ignoreCase ? 'gi' : 'g');
  } catch (error) {
    return `grep: invalid pattern: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Rewrites POSIX syntax as JavaScript syntax. */
function translatePattern(pattern: string, extended: boolean): string | { error: string } {
  let out = '';
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { error: 'grep: trailing backslash (\\)' };
      i++;
      if (/[1-9]/.test(next)) return { error: 'grep: back-references (\\1) are not available here' };
      if (!extended && '(){}|+?'.includes(next)) out += next;
      else if (next === '<') out += '(?<![A-Za-z0-9_])(?=[A-Za-z0-9_])';
      else if (next === '>') out += '(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])';
      else out += `\\${next}`;
      atStart = next === '(' && !extended;
      continue;
    }
    if (c === '[') {
      const bracket = translateBracket(pattern, i);
      if (typeof bracket !== 'object' || 'error' in bracket) return bracket as { error: string };
      out += bracket.source;
      i = bracket.end;
      atStart = false;
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      out += `\\${c}`;
      atStart = false;
      continue;
    }
    if (c === '*' && atStart) {
      // A leading `*` is literal in POSIX patterns.
      out += '\\*';
      atStart = false;
      continue;
    }
    if (c === '/') out += '\\/';
    else out += c;
    atStart = c === '^' || (extended && (c === '(' || c === '|'));
  }
  return out;
}

/** Translates `[...]` starting at `start`; returns the JavaScript class and the index of `]`. */
function translateBracket(
  pattern: string,
  start: number,
): { source: string; end: number } | { error: string } {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  if (pattern[i] === ']') {
    out += '\\]';
    i++;
  }
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ']') return { source: `${out}]`, end: i };
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close < 0) return { error: 'grep: unterminated character class [:' };
      const name = pattern.slice(i + 2, close);
      const cls = POSIX_CLASSES[name];
      if (cls === undefined) return { error: `grep: invalid character class [:${name}:]` };
      out += cls;
      i = close + 1;
      continue;
    }
    // Inside brackets a backslash is literal in POSIX.
    if (c === '\\' || c === '[') out += `\\${c}`;
    else out += c;
  }
  return { error: 'grep: unmatched [, [^, [:, [., or [=' };
}

/**
 * Finds a repeated group that contains a repetition, such as `(a+)+` or `(x*)*`, the shape that
 * makes backtracking explode. Returns a description, or undefined when the pattern is safe.
 */
export function findNestedRepetition(source: string): string | undefined {
  const groups: { hasRepetition: boolean; hasAlternation: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      groups.push({ hasRepetition: false, hasAlternation: false });
      continue;
    }
    const isRepetition = c === '*' || c === '+' || (c === '{' && /^\{\d*,?\d*\}/.test(source.slice(i)));
    if (c === ')') {
      const group = groups.pop();
      const next = source[i + 1];
      const repeated =
        next === '*' || next === '+' || (next === '{' && /^\{\d*,?\d*\}/.test(source.slice(i + 1)));
      if (group?.hasRepetition && repeated) return 'a repeated group inside another repetition';
      if (group?.hasAlternation && repeated) return 'a repeated group of alternatives';
      if (group?.hasRepetition || repeated) {
        const parent = groups.at(-1);
        if (parent) parent.hasRepetition = true;
      }
      continue;
    }
    if (c === '|') {
      const current = groups.at(-1);
      if (current) current.hasAlternation = true;
      continue;
    }
    if (isRepetition) {
      const current = groups.at(-1);
      if (current) current.hasRepetition = true;
    }
  }
  return undefined;
}

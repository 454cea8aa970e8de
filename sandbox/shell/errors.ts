/**
 * The ways a typed line can be turned away before anything runs, and the errors of the injected
 * services. Each carries what a learner needs to see: what was refused, where, and what to type
 * instead. Reasons are stable codes so that the page can translate the message later.
 */

import { makeVisible, measureText } from './text.ts';

/** Why the parser turned a line away. */
export type ShellSyntaxReason =
  // input that is not a line of text
  | 'line-too-long'
  | 'control-character'
  | 'invalid-text'
  | 'invisible-character'
  | 'lookalike-dash'
  | 'odd-space'
  // shell features this terminal does not have
  | 'command-substitution'
  | 'arithmetic'
  | 'backtick'
  | 'redirection'
  | 'background'
  | 'or-list'
  | 'subshell'
  | 'group'
  | 'assignment'
  | 'variable'
  | 'special-parameter'
  | 'parameter-expansion'
  | 'ansi-quote'
  | 'brace-expansion'
  | 'tilde'
  | 'history-expansion'
  | 'keyword'
  | 'line-continuation'
  // malformed lines
  | 'unterminated-quote'
  | 'unexpected-token'
  | 'missing-command'
  | 'bad-for-loop'
  | 'range-too-large';

/**
 * A line the shell will not run, with the position (a UTF-16 index into the line) and length of
 * the offending text, the construct as the learner would name it (`$(…)`, `>`), and a suggestion.
 */
export class ShellSyntaxError extends Error {
  readonly reason: ShellSyntaxReason;
  readonly position: number;
  readonly length: number;
  /** The construct that was refused, as typed or as a short name, e.g. `$(…)` or `2>&1`. */
  readonly construct: string;
  /** What to do instead, one sentence. */
  readonly suggestion: string;

  constructor(fields: {
    reason: ShellSyntaxReason;
    message: string;
    position: number;
    length?: number;
    construct: string;
    suggestion: string;
  }) {
    super(fields.message);
    this.name = 'ShellSyntaxError';
    this.reason = fields.reason;
    this.position = fields.position;
    this.length = Math.max(1, fields.length ?? 1);
    this.construct = fields.construct;
    this.suggestion = fields.suggestion;
  }
}

/** Longest line shown under an error with a caret; longer lines are described, not echoed. */
const MAX_ECHOED_LINE = 160;

/**
 * The learner-facing text of a syntax error, lines ending in `\n`:
 *
 * ```
 * rollout-lab: command substitution $(…) is not available in this terminal
 *   kubectl get po $(id)
 *                  ^^^^^
 * Type the value itself instead of a command that produces it.
 * ```
 *
 * Control characters in the line are shown in caret form, never sent to the terminal raw.
 */
export function formatShellSyntaxError(error: ShellSyntaxError, line: string): string {
  let out = `rollout-lab: ${error.message}\n`;
  if (line.length <= MAX_ECHOED_LINE && error.reason !== 'line-too-long') {
    const before = makeVisible(line.slice(0, error.position));
    const marked = makeVisible(line.slice(error.position, error.position + error.length));
    out += `  ${makeVisible(line)}\n`;
    out += `  ${' '.repeat(measureText(before))}${'^'.repeat(Math.max(1, measureText(marked)))}\n`;
  }
  out += `${error.suggestion}\n`;
  return out;
}

/** What went wrong in a Workspace call, in errno terms plus `EOUTSIDE` for paths out of the workdir. */
export type WorkspaceErrorCode =
  | 'ENOENT'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'EACCES'
  | 'ELOOP'
  | 'EFBIG'
  | 'EOUTSIDE'
  | 'EIO';

/** A failed file system call of the Workspace; `path` is the path the shell asked about. */
export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;
  readonly path: string;
  constructor(code: WorkspaceErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkspaceError';
    this.code = code;
    this.path = path;
  }
}

/**
 * A request the HttpProxy could not complete, with the number curl uses for the same failure so
 * the shell can print `curl: (7) Failed to connect to localhost port 8090 ...` like the book:
 * 6 could not resolve host, 7 could not connect, 28 timed out, 52 empty reply, 56 receive error.
 */
export class HttpProxyError extends Error {
  readonly curlCode: number;
  constructor(curlCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpProxyError';
    this.curlCode = curlCode;
  }
}

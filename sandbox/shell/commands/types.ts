/**
 * What a command sees while it runs: its arguments, where its output goes, the Ctrl-C signal,
 * and the session's services and state. Commands never reach the terminal directly: their output
 * goes through `CommandIO`, which is the terminal, a pipe into a filter, or `watch`'s buffer.
 */

import type { Clock } from '../../cluster/clock.ts';
import type { History } from '../history.ts';
import type { HttpProxy, KubectlRunner, OpenEditor, Workspace } from '../services.ts';

/** Where a command writes. Text uses `\n` line ends; the shell converts for xterm. */
export interface CommandIO {
  /** Standard output: the terminal, or the next command of a pipe. */
  out(text: string): void;
  /** Standard error: always the terminal (or `watch`'s screen), never a pipe. */
  err(text: string): void;
  /** True when standard output is the terminal itself: `ls` lays out columns, `grep` colours matches. */
  readonly toTerminal: boolean;
}

/** The session as commands see it. */
export interface ShellEnvironment {
  readonly workspace: Workspace;
  readonly kubectl: KubectlRunner;
  readonly http: HttpProxy;
  readonly clock: Clock;
  /** The session namespace. */
  readonly namespace: string;
  /** What the prompt calls the workdir, e.g. `ch09`. */
  readonly homeName: string;
  readonly history: History;
  readonly openEditor: OpenEditor | undefined;
  /** Absolute working folder, always inside `workspace.root`. */
  cwd: string;
  /** The folder before the last `cd`, for `cd -`. */
  previousCwd: string | undefined;
  columns: number;
  rows: number;
  /** Parses and runs a line as if typed (for `watch`), with the same rules as a typed line. */
  runLine(line: string, io: CommandIO, signal: AbortSignal): Promise<number>;
}

/** One run of a built-in command. */
export interface CommandContext {
  /** The name it was called by, e.g. `ls`. */
  name: string;
  /** Arguments after the name, expanded. */
  args: string[];
  io: CommandIO;
  /** Aborted on Ctrl-C, or when the reader of a pipe has had enough. */
  signal: AbortSignal;
  env: ShellEnvironment;
}

/** A built-in command; resolves to its exit status. */
export type Builtin = (context: CommandContext) => Promise<number>;

/**
 * A command after `|`: it receives the output of the command before it in chunks and writes its
 * own as it goes (grep, head, uniq) or at the end (sort, tail, wc).
 */
export interface Filter {
  /** A chunk of the input. */
  write(chunk: string): void;
  /** The input has ended; writes what is left and returns the exit status. */
  end(): number;
  /** True once the filter needs no more input (`head -n 3` after three lines): the writer may stop. */
  readonly satisfied: boolean;
}

/** A filter set up from its arguments, plus the files it was told to read instead of its input. */
export interface FilterSetup {
  filter: Filter;
  files: string[];
}

/**
 * Builds a filter from its arguments. Returns an error message (usage) instead when the
 * arguments make no sense; the caller prints it and exits with status 2.
 */
export type FilterFactory = (
  args: string[],
  out: (text: string) => void,
  options: { toTerminal: boolean; err: (text: string) => void },
) => FilterSetup | string;

/** Exit statuses the shell uses, as bash does. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  refused: 126,
  notFound: 127,
  interrupted: 130,
} as const;

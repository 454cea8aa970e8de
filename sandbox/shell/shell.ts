/**
 * The learner's shell: line editor, parser, kubectl rules and commands put together behind two
 * calls, `input(data)` for what xterm sends and `resize(cols, rows)`, with output through the
 * injected `write`. It knows nothing of WebSockets or sessions; the server wires those.
 *
 * One command line runs at a time. While it runs, Ctrl-C aborts its signal (kubectl is stopped,
 * watch and loops end) and drops type-ahead; other input waits in the line editor and is handled
 * after the next prompt, so a pasted block of lines runs line by line.
 */

import type { Clock } from '../cluster/clock.ts';
import type { CommandIO, ShellEnvironment } from './commands/types.ts';
import { EXIT } from './commands/types.ts';
import { type CompletionSources, completeLine, type FolderEntry } from './complete.ts';
import { formatShellSyntaxError, ShellSyntaxError } from './errors.ts';
import { runCommandList } from './execute.ts';
import { History } from './history.ts';
import { type Completion, type EditorEvent, LineEditor } from './line-editor.ts';
import { parseLine } from './parse.ts';
import { displayCwd, resolveInsideWorkdir } from './paths.ts';
import type { HttpProxy, KubectlRunner, ListNames, OpenEditor, Workspace } from './services.ts';
import { toTerminalNewlines } from './text.ts';

/** Everything a shell needs from the session. */
export interface ShellOptions {
  /** The session workdir; the shell starts at its root. */
  workspace: Workspace;
  /** Runs the real kubectl with the session kubeconfig. */
  kubectl: KubectlRunner;
  /** Sends curl's requests through the API server's service proxy. */
  http: HttpProxy;
  /** Time for watch's interval, curl's timeout and completion's patience. */
  clock: Clock;
  /** The session namespace, shown in the prompt. */
  namespace: string;
  /** Receives every byte for the terminal (already with `\r\n` line ends). */
  write(data: string): void;
  /** What the prompt calls the workdir; `ch09` by default. */
  homeName?: string;
  /** Object names for tab completion; without it only types and files complete. */
  listNames?: ListNames;
  /** Opens `kubectl edit` in the page's editor; without it the shell explains the alternative. */
  openEditor?: OpenEditor;
  columns?: number;
  rows?: number;
  /** Lines of history kept; 500 by default. */
  historyLimit?: number;
  /** Printed once before the first prompt, e.g. a welcome line. */
  banner?: string;
}

/** A running shell. */
export interface Shell {
  /** Data from the terminal, as xterm sends it (`onData`). */
  input(data: string): void;
  /** The terminal's new size. */
  resize(columns: number, rows: number): void;
  /** Resolves once no command or completion is running and no queued input is left to handle. */
  whenIdle(): Promise<void>;
  /** Stops what runs and writes nothing more. */
  dispose(): void;
  /** Absolute working folder. */
  readonly cwd: string;
  /** Exit status of the last command line. */
  readonly lastStatus: number;
  /** True while a command line runs. */
  readonly busy: boolean;
}

/** How long tab completion may wait for object names before giving up. */
export const COMPLETION_TIMEOUT_MS = 2000;

/** Turns on xterm's bracketed paste, so pasted text arrives marked and is never taken for keys. */
const ENABLE_BRACKETED_PASTE = '\x1b[?2004h';

/** A line ending that leaves the cursor at the start of a row (so the prompt is never drawn mid-line). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal input and output are made of control characters
const ENDS_AT_LINE_START = /(\n|\x1b\[[0-9;]*[HJ]|\x1b\[\?1049[hl])$/;

/** Starts a shell and draws its first prompt. */
export function createShell(options: ShellOptions): Shell {
  const homeName = options.homeName ?? 'ch09';
  const history = new History(options.historyLimit);
  const editor = new LineEditor({ history, columns: options.columns ?? 80 });
  let disposed = false;
  let running: AbortController | undefined;
  let work: Promise<void> | undefined;
  let atLineStart = true;
  let lastStatus: number = EXIT.ok;

  const write = (data: string): void => {
    if (disposed || data === '') return;
    options.write(data);
  };
  const writeOutput = (text: string): void => {
    if (text === '') return;
    atLineStart = ENDS_AT_LINE_START.test(text);
    write(toTerminalNewlines(text));
  };

  const env: ShellEnvironment = {
    workspace: options.workspace,
    kubectl: options.kubectl,
    http: options.http,
    clock: options.clock,
    namespace: options.namespace,
    homeName,
    history,
    openEditor: options.openEditor,
    cwd: options.workspace.root,
    previousCwd: undefined,
    columns: options.columns ?? 80,
    rows: options.rows ?? 24,
    runLine,
  };

  async function runLine(line: string, io: CommandIO, signal: AbortSignal): Promise<number> {
    let list: ReturnType<typeof parseLine>;
    try {
      list = parseLine(line);
    } catch (error) {
      if (error instanceof ShellSyntaxError) {
        io.err(formatShellSyntaxError(error, line));
        return EXIT.usage;
      }
      throw error;
    }
    if (list.entries.length === 0) return lastStatus;
    return runCommandList(list, env, io, signal);
  }

  const prompt = (): string =>
    `\x1b[1;32m${displayCwd(env.workspace.root, env.cwd, homeName)}\x1b[0m \x1b[36m(${options.namespace})\x1b[0m $ `;

  const handle = (events: EditorEvent[]): void => {
    for (const event of events) {
      if (event.type === 'output') write(event.data);
      else if (event.type === 'submit') track(runSubmitted(event.line));
      else if (event.type === 'complete') track(runCompletion(event.line, event.cursor));
    }
  };

  const track = (promise: Promise<void>): void => {
    const current = promise.finally(() => {
      if (work === current) work = undefined;
    });
    work = current;
  };

  async function runSubmitted(line: string): Promise<void> {
    const controller = new AbortController();
    running = controller;
    const io: CommandIO = { out: writeOutput, err: writeOutput, toTerminal: true };
    try {
      lastStatus = await runLine(line, io, controller.signal);
    } catch (error) {
      writeOutput(`rollout-lab: internal error: ${(error as Error).message}\n`);
      lastStatus = EXIT.failure;
    } finally {
      running = undefined;
    }
    if (disposed) return;
    if (!atLineStart) write('\r\n');
    atLineStart = true;
    handle(editor.start(prompt()));
  }

  async function runCompletion(line: string, cursor: number): Promise<void> {
    const controller = new AbortController();
    const cancelTimer = options.clock.setTimer(() => controller.abort(), COMPLETION_TIMEOUT_MS);
    const sources: CompletionSources = {
      namespace: options.namespace,
      listNames: (resource) =>
        options.listNames ? options.listNames(resource, { signal: controller.signal }) : Promise.resolve([]),
      listFolder,
    };
    const aborted = new Promise<undefined>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    let result: Completion | undefined;
    try {
      result = await Promise.race([completeLine(line, cursor, sources), aborted]);
    } catch {
      result = undefined;
    } finally {
      cancelTimer();
    }
    if (!disposed) handle(editor.applyCompletion(result));
  }

  async function listFolder(typedFolder: string): Promise<FolderEntry[]> {
    const resolved = await resolveInsideWorkdir(
      env.workspace,
      env.cwd,
      typedFolder === '' ? '.' : typedFolder,
    );
    if (!resolved.ok) return [];
    const entries = await env.workspace.readdir(resolved.real);
    const out: FolderEntry[] = [];
    for (const entry of entries) {
      let isDirectory = entry.kind === 'directory';
      if (entry.kind === 'symlink') {
        isDirectory = await env.workspace.stat(`${resolved.real}/${entry.name}`).then(
          (s) => s.kind === 'directory',
          () => false,
        );
      }
      out.push({ name: entry.name, isDirectory });
    }
    return out;
  }

  write(ENABLE_BRACKETED_PASTE);
  if (options.banner) writeOutput(options.banner.endsWith('\n') ? options.banner : `${options.banner}\n`);
  handle(editor.start(prompt()));

  return {
    input(data: string): void {
      if (disposed) return;
      if (running) {
        // Ctrl-C (or Ctrl-\) stops the command and drops what was typed ahead, as a tty does.
        if (data.includes('\x03') || data.includes('\x1c')) {
          running.abort();
          editor.discardPending();
          writeOutput('^C');
          return;
        }
      }
      handle(editor.feed(data));
    },
    resize(columns: number, rows: number): void {
      if (!(columns >= 1 && rows >= 1)) return;
      env.columns = Math.floor(columns);
      env.rows = Math.floor(rows);
      editor.resize(env.columns);
    },
    async whenIdle(): Promise<void> {
      while (work) await work;
    },
    dispose(): void {
      disposed = true;
      running?.abort();
    },
    get cwd(): string {
      return env.cwd;
    },
    get lastStatus(): number {
      return lastStatus;
    },
    get busy(): boolean {
      return running !== undefined;
    },
  };
}

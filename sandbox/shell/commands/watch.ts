/**
 * `watch -n N COMMAND`: reruns a command every N seconds on a screen of its own until Ctrl-C, as
 * procps watch does (on the terminal's alternate screen, so the learner's scrollback comes back
 * afterwards). Time comes from the injected clock, so tests step it by hand.
 *
 * Like the real watch, the command's words are joined with spaces and read again as a line; here
 * that line goes through the same parser and kubectl rules as a typed one, so `watch` is no way
 * around them.
 */

import { formatShellSyntaxError, ShellSyntaxError } from '../errors.ts';
import { parseLine } from '../parse.ts';
import { measureText, stripAnsi } from '../text.ts';
import { type Builtin, EXIT } from './types.ts';

/** Seconds between runs when `-n` is not given. */
export const DEFAULT_INTERVAL_SECONDS = 2;

/** Shortest interval accepted: faster would start kubectl many times a second for every learner. */
export const MIN_INTERVAL_SECONDS = 0.5;

const ENTER_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_SCREEN = '\x1b[?1049l';
const HOME_AND_CLEAR = '\x1b[H\x1b[2J';

/** Reads watch's options, which end at the first word that is not one. */
export function parseWatchArguments(
  args: readonly string[],
): { intervalSeconds: number; title: boolean; command: string[] } | string {
  let intervalSeconds = DEFAULT_INTERVAL_SECONDS;
  let title = true;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    let value: string | undefined;
    if (arg === '-n' || arg === '--interval') value = args[++i];
    else if (arg.startsWith('--interval=')) value = arg.slice('--interval='.length);
    else if (/^-n./.test(arg)) value = arg.slice(2).replace(/^=/, '');
    else if (arg === '-t' || arg === '--no-title') {
      title = false;
      continue;
    } else return `watch: option ${arg} is not available here\nUsage: watch [-n SECONDS] [-t] COMMAND`;
    const seconds = Number(value?.replace(',', '.'));
    if (value === undefined || !Number.isFinite(seconds) || seconds < 0)
      return `watch: failed to parse argument: '${value ?? ''}'`;
    intervalSeconds = Math.max(MIN_INTERVAL_SECONDS, seconds);
  }
  const command = args.slice(i);
  if (command.length === 0) return 'Usage: watch [-n SECONDS] [-t] COMMAND';
  return { intervalSeconds, title, command };
}

/** Cuts the output to the screen: at most `rows` lines, each at most `columns` wide. */
function fitToScreen(text: string, columns: number, rows: number): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines
    .slice(0, Math.max(0, rows))
    .map((line) => (measureText(line) > columns ? cutToColumns(stripAnsi(line), columns) : line))
    .join('\n');
}

function cutToColumns(line: string, columns: number): string {
  let out = '';
  for (const ch of line) {
    if (measureText(out + ch) > columns) break;
    out += ch;
  }
  return out;
}

/** `Thu Jan  1 00:00:00 2026`, the date watch shows in its title (UTC). */
function formatTitleDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${time} ${d.getUTCFullYear()}`;
}

/** Resolves after `ms` of clock time, or at once when the signal aborts. */
function sleep(
  clock: { setTimer(fn: () => void, ms: number): () => void },
  ms: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const cancel = clock.setTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `watch [-n SECONDS] [-t] COMMAND`. */
export const watch: Builtin = async ({ args, io, signal, env }) => {
  const parsed = parseWatchArguments(args);
  if (typeof parsed === 'string') {
    io.err(`${parsed}\n`);
    return EXIT.usage;
  }
  if (!io.toTerminal) {
    io.err('watch: it draws the whole screen, so it cannot feed a pipe\n');
    return EXIT.usage;
  }
  if (parsed.command[0] === 'watch') {
    io.err('watch: one watch at a time\n');
    return EXIT.usage;
  }
  const line = parsed.command.join(' ');
  try {
    parseLine(line);
  } catch (error) {
    if (error instanceof ShellSyntaxError) {
      io.err(formatShellSyntaxError(error, line));
      return EXIT.usage;
    }
    throw error;
  }

  const runOnce = async (): Promise<{ status: number; screen: string }> => {
    let screen = '';
    const capture = {
      out: (t: string) => (screen += t),
      err: (t: string) => (screen += t),
      toTerminal: false,
    };
    const status = await env.runLine(line, capture, signal);
    return { status, screen };
  };
  // A command refused or unknown would be refused every round: say so once, on the normal screen.
  let round = await runOnce();
  if (signal.aborted) return EXIT.interrupted;
  if (round.status === EXIT.refused || round.status === EXIT.notFound || round.status === EXIT.usage) {
    io.err(round.screen);
    return round.status;
  }
  io.out(ENTER_SCREEN);
  try {
    for (;;) {
      let title = '';
      if (parsed.title) {
        const left = `Every ${parsed.intervalSeconds.toFixed(1)}s: ${line}`;
        const right = `rollout-lab: ${formatTitleDate(env.clock.now())}`;
        const gap = env.columns - measureText(left) - measureText(right);
        title = `${gap >= 1 ? left + ' '.repeat(gap) + right : cutToColumns(left, env.columns)}\n\n`;
      }
      const bodyRows = env.rows - (parsed.title ? 2 : 0);
      io.out(`${HOME_AND_CLEAR}${title}${fitToScreen(round.screen, env.columns, bodyRows)}`);
      await sleep(env.clock, parsed.intervalSeconds * 1000, signal);
      if (signal.aborted) break;
      round = await runOnce();
      if (signal.aborted) break;
    }
  } finally {
    io.out(LEAVE_SCREEN);
  }
  return EXIT.interrupted;
};

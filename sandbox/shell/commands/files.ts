/**
 * Looking around the exercise folder: `ls`, `cd`, `pwd`, and reading files for `cat`, `grep` and
 * the other filters. Every path goes through `resolveInsideWorkdir` first, so `/etc`, `..` above
 * the workdir and links that lead out are refused before the workspace is asked about them.
 */

import { WorkspaceError } from '../errors.ts';
import { resolveInsideWorkdir } from '../paths.ts';
import type { DirEntry, EntryStat } from '../services.ts';
import { layoutColumns } from '../text.ts';
import { parseOptions } from './options.ts';
import { type Builtin, type CommandContext, EXIT, type ShellEnvironment } from './types.ts';

/** Largest file `cat` and the filters will read. */
export const MAX_READ_BYTES = 1024 * 1024;

const DIRECTORY_COLOUR = '\x1b[01;34m';
const LINK_COLOUR = '\x1b[01;36m';
const RESET = '\x1b[0m';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `pwd`: the absolute working folder. */
export const pwd: Builtin = async ({ io, env }) => {
  io.out(`${env.cwd}\n`);
  return EXIT.ok;
};

/** `cd [FOLDER | -]`: changes the working folder; with no argument, back to the top of the workdir. */
export const cd: Builtin = async ({ args, io, env }) => {
  if (args.length > 1) {
    io.err('cd: too many arguments\n');
    return EXIT.failure;
  }
  const target = args[0];
  if (target === undefined || target === '') {
    moveTo(env, env.workspace.root);
    return EXIT.ok;
  }
  if (target === '-') {
    if (env.previousCwd === undefined) {
      io.err('cd: OLDPWD not set\n');
      return EXIT.failure;
    }
    const back = env.previousCwd;
    moveTo(env, back);
    io.out(`${back}\n`);
    return EXIT.ok;
  }
  const resolved = await resolveInsideWorkdir(env.workspace, env.cwd, target);
  if (!resolved.ok) {
    if (
      resolved.problem === 'outside' &&
      env.cwd === env.workspace.root &&
      target.replace(/\/+$/, '') === '..'
    ) {
      io.err('cd: ..: already at the top of the exercise folder\n');
    } else {
      io.err(
        `cd: ${resolved.message}${resolved.problem === 'outside' ? '; cd alone goes back to its top' : ''}\n`,
      );
    }
    return EXIT.failure;
  }
  const stat = await statOrUndefined(env, resolved.real);
  if (stat?.kind !== 'directory') {
    io.err(`cd: ${target}: Not a directory\n`);
    return EXIT.failure;
  }
  moveTo(env, resolved.real);
  return EXIT.ok;
};

function moveTo(env: ShellEnvironment, folder: string): void {
  if (folder !== env.cwd) env.previousCwd = env.cwd;
  env.cwd = folder;
}

async function statOrUndefined(env: ShellEnvironment, path: string): Promise<EntryStat | undefined> {
  try {
    return await env.workspace.stat(path);
  } catch {
    return undefined;
  }
}

interface Listed {
  name: string;
  kind: DirEntry['kind'];
  stat: EntryStat | undefined;
}

/** `ls [-laA1F] [PATH...]`: lists folders (in columns on the terminal) or shows files. */
export const ls: Builtin = async (context) => {
  const { args, io, env } = context;
  const parsed = parseOptions('ls', args, [
    { name: 'long', short: 'l' },
    { name: 'all', short: 'a', long: 'all' },
    { name: 'almostAll', short: 'A', long: 'almost-all' },
    { name: 'one', short: '1' },
    { name: 'classify', short: 'F', long: 'classify' },
    { name: 'human', short: 'h', long: 'human-readable' },
  ]);
  if (typeof parsed === 'string') {
    io.err(`${parsed}\nUsage: ls [-laA1F] [PATH]...\n`);
    return EXIT.usage;
  }
  const o = parsed.options;
  const targets = parsed.operands.length > 0 ? parsed.operands : ['.'];
  let status: number = EXIT.ok;
  const files: Listed[] = [];
  const folders: { typed: string; real: string }[] = [];
  for (const typed of targets) {
    const resolved = await resolveInsideWorkdir(env.workspace, env.cwd, typed);
    if (!resolved.ok) {
      io.err(`ls: cannot access '${typed}': ${resolved.message.slice(typed.length + 2)}\n`);
      status = EXIT.usage;
      continue;
    }
    const stat = await statOrUndefined(env, resolved.real);
    if (stat?.kind === 'directory') folders.push({ typed, real: resolved.real });
    else files.push({ name: typed, kind: stat?.kind ?? 'other', stat });
  }
  const blocks: string[] = [];
  if (files.length > 0) blocks.push(formatListing(files, context, o.has('long'), o.has('classify')));
  for (const folder of folders) {
    let entries: DirEntry[];
    try {
      entries = await env.workspace.readdir(folder.real);
    } catch (error) {
      io.err(
        `ls: cannot open directory '${folder.typed}': ${error instanceof WorkspaceError ? error.code : 'error'}\n`,
      );
      status = EXIT.usage;
      continue;
    }
    const visible = entries.filter((e) => o.has('all') || o.has('almostAll') || !e.name.startsWith('.'));
    const listed: Listed[] = [];
    if (o.has('all'))
      listed.push(
        { name: '.', kind: 'directory', stat: undefined },
        { name: '..', kind: 'directory', stat: undefined },
      );
    for (const entry of visible.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const stat =
        o.has('long') || entry.kind === 'symlink'
          ? await statOrUndefined(env, `${folder.real}/${entry.name}`)
          : undefined;
      listed.push({ name: entry.name, kind: entry.kind, stat });
    }
    const header = targets.length > 1 ? `${folder.typed}:\n` : '';
    blocks.push(header + formatListing(listed, context, o.has('long'), o.has('classify'), o.has('one')));
  }
  io.out(blocks.filter((b) => b !== '').join('\n'));
  return status;
};

function formatListing(
  items: Listed[],
  { io, env }: CommandContext,
  long: boolean,
  classify: boolean,
  onePerLine = false,
): string {
  if (items.length === 0) return '';
  const decorate = (item: Listed): string => {
    const linkedKind = item.kind === 'symlink' ? item.stat?.kind : item.kind;
    const suffix = classify ? (item.kind === 'symlink' ? '@' : linkedKind === 'directory' ? '/' : '') : '';
    if (!io.toTerminal) return item.name + suffix;
    if (item.kind === 'symlink') return `${LINK_COLOUR}${item.name}${RESET}${suffix}`;
    if (item.kind === 'directory') return `${DIRECTORY_COLOUR}${item.name}${RESET}${suffix}`;
    return item.name + suffix;
  };
  if (long) {
    const sizes = items.map((i) => String(i.kind === 'directory' ? 4096 : (i.stat?.size ?? 0)));
    const width = Math.max(...sizes.map((s) => s.length));
    return items
      .map((item, k) => {
        const mode =
          item.kind === 'symlink' ? 'lrwxrwxrwx' : item.kind === 'directory' ? 'drwxr-xr-x' : '-rw-r--r--';
        const when = formatModified(item.stat?.mtimeMs ?? env.clock.now(), env.clock.now());
        return `${mode} 1 learner learner ${sizes[k]!.padStart(width)} ${when} ${decorate(item)}\n`;
      })
      .join('');
  }
  const names = items.map(decorate);
  if (!io.toTerminal || onePerLine) return names.map((n) => `${n}\n`).join('');
  return layoutColumns(names, env.columns)
    .map((row) => `${row}\n`)
    .join('');
}

/**
 * The date column of `ls -l`: `Mon DD HH:MM` for the last six months, `Mon DD  YYYY` otherwise
 * (in UTC: the server's zone means nothing to the learner).
 */
export function formatModified(mtimeMs: number, nowMs: number): string {
  const d = new Date(mtimeMs);
  const day = String(d.getUTCDate()).padStart(2);
  const recent = Math.abs(nowMs - mtimeMs) < 182 * 24 * 3600 * 1000;
  const tail = recent
    ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${tail}`;
}

/**
 * Reads a file for `cat` and the filters, confined to the workdir. Returns its text, or the
 * message to print (`cat: vweb: Is a directory`).
 */
export async function readWorkdirFile(
  env: ShellEnvironment,
  command: string,
  typed: string,
): Promise<{ text: string } | { error: string }> {
  const resolved = await resolveInsideWorkdir(env.workspace, env.cwd, typed);
  if (!resolved.ok) return { error: `${command}: ${resolved.message}` };
  try {
    return { text: await env.workspace.readFile(resolved.real, MAX_READ_BYTES) };
  } catch (error) {
    if (error instanceof WorkspaceError) {
      if (error.code === 'EISDIR') return { error: `${command}: ${typed}: Is a directory` };
      if (error.code === 'EFBIG')
        return {
          error: `${command}: ${typed}: larger than ${MAX_READ_BYTES / 1024 / 1024} MiB, too large to show here`,
        };
      if (error.code === 'EOUTSIDE') return { error: `${command}: ${typed}: outside the exercise folder` };
      if (error.code === 'ENOENT') return { error: `${command}: ${typed}: No such file or directory` };
    }
    return { error: `${command}: ${typed}: cannot be read` };
  }
}

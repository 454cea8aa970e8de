/**
 * Tab completion: command names, kubectl's commands, sub-commands and flags, resource types,
 * object names (through an injected lookup), and paths in the workdir (`vweb/upd` → `vweb/update/`).
 * Pure apart from the two lookups it is given, so it is tested with tables.
 *
 * It reads the line up to the cursor tolerantly (an open quote is fine, nothing is refused: a
 * half-typed line is not a command yet), finds the command the cursor is in (after the last `|`,
 * `;`, `&&` or `do`), and the word being typed.
 */

import { COMMAND_NAMES, FILTERS } from './commands/index.ts';
import {
  findResourceType,
  GLOBAL_FLAGS_FOR_COMPLETION,
  KUBECTL_COMMANDS,
  OUTPUT_FORMATS,
  RESOURCE_TYPES,
  ROLLOUT_RESOURCES,
} from './kubectl-commands.ts';
import type { Completion, CompletionCandidate } from './line-editor.ts';

/** An entry of a workdir folder, for path completion. */
export interface FolderEntry {
  name: string;
  isDirectory: boolean;
}

/** The lookups completion may use. Both may fail; a failure just means no candidates. */
export interface CompletionSources {
  /** Names of the objects of a resource (`deployments`) in the session namespace. */
  listNames(resource: string): Promise<string[]>;
  /** Entries of a folder given as typed (`''` for the working folder, `vweb/`, `../`). */
  listFolder(typedFolder: string): Promise<FolderEntry[]>;
  /** The session namespace, offered after `-n`. */
  namespace: string;
}

interface LexedWord {
  start: number;
  /** The word as typed, quotes included. */
  raw: string;
  /** The word's value, quotes and escapes removed. */
  value: string;
}

/** The command around the cursor: its finished words and the word being typed. */
interface CursorContext {
  words: string[];
  current: LexedWord;
  afterPipe: boolean;
}

/** Kubectl flags whose value is the next word (when written without `=`). */
const KUBECTL_VALUE_FLAGS = new Set([
  '-f',
  '--filename',
  '-k',
  '--kustomize',
  '-o',
  '--output',
  '-n',
  '--namespace',
  '-l',
  '--selector',
  '-c',
  '--container',
  '-L',
  '--label-columns',
  '-p',
  '--patch',
  '--sort-by',
  '--field-selector',
  '--template',
  '--timeout',
  '--to-revision',
  '--revision',
  '--replicas',
  '--image',
  '--type',
  '--since',
  '--tail',
  '--for',
  '--from-file',
  '--from-env-file',
  '--patch-file',
]);

const KUBECTL_COMMAND_NAMES = [...KUBECTL_COMMANDS.entries()]
  .filter(([, info]) => info.policy.kind !== 'refuse')
  .map(([name]) => name);

const CURL_FLAGS = [
  '--silent',
  '--show-error',
  '--include',
  '--verbose',
  '--fail',
  '--location',
  '--max-time',
  '--write-out',
  '--output',
];

/** Completes the word at `cursor` (a UTF-16 index into `line`). */
export async function completeLine(
  line: string,
  cursor: number,
  sources: CompletionSources,
): Promise<Completion> {
  const context = readCursorContext(line.slice(0, cursor));
  const { current } = context;
  const candidates = await findCandidates(context, sources).catch(() => [] as CompletionCandidate[]);
  const matching = candidates.filter((c) => c.value.startsWith(current.value));
  const unique = [...new Map(matching.map((c) => [c.value, c])).values()].sort((a, b) =>
    a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
  );
  return {
    from: current.start,
    to: cursor,
    candidates: unique.map((c) => ({ ...c, value: escapeForShell(c.value) })),
  };
}

/** Splits the text before the cursor into words, restarting at `|`, `;`, `&&` and `do`. */
function readCursorContext(text: string): CursorContext {
  let words: LexedWord[] = [];
  let afterPipe = false;
  let word: LexedWord | undefined;
  let quote: '"' | "'" | undefined;
  const finish = (): void => {
    if (!word) return;
    words.push(word);
    word = undefined;
    if (words.length === 1 && words[0]!.raw === 'do') words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      word!.raw += c;
      if (c === quote) quote = undefined;
      else word!.value += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      finish();
      continue;
    }
    if (c === '|' || c === ';' || c === '&') {
      finish();
      words = [];
      afterPipe = c === '|';
      continue;
    }
    word ??= { start: i, raw: '', value: '' };
    word.raw += c;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < text.length) {
      word.raw += text[++i]!;
      word.value += text[i]!;
    } else word.value += c;
  }
  const current = word ?? { start: text.length, raw: '', value: '' };
  return { words: words.map((w) => w.value), current, afterPipe };
}

function plain(values: readonly string[], suffix = ' '): CompletionCandidate[] {
  return values.map((value) => ({
    value,
    display: value,
    suffix: value.endsWith('=') || value.endsWith('/') ? '' : suffix,
  }));
}

async function findCandidates(
  context: CursorContext,
  sources: CompletionSources,
): Promise<CompletionCandidate[]> {
  const { words, current, afterPipe } = context;
  if (words.length === 0) return plain(afterPipe ? [...FILTERS.keys()] : COMMAND_NAMES);
  const command = words[0]!;
  const rest = words.slice(1);
  switch (command) {
    case 'kubectl':
      return completeKubectl(rest, current.value, sources);
    case 'watch': {
      // watch [-n N] COMMAND...: complete the command after watch's own options.
      let i = 0;
      while (i < rest.length && rest[i]!.startsWith('-'))
        i += rest[i] === '-n' || rest[i] === '--interval' ? 2 : 1;
      return findCandidates({ words: rest.slice(i), current, afterPipe: false }, sources);
    }
    case 'cd':
      return completePath(current.value, sources, true);
    case 'help':
      return rest.length === 0 ? plain(COMMAND_NAMES) : [];
    case 'curl':
      return current.value.startsWith('-') ? plain(CURL_FLAGS) : [];
    case 'ls':
    case 'cat':
      return completePath(current.value, sources, false);
    default:
      if (FILTERS.has(command) && !current.value.startsWith('-'))
        return completePath(current.value, sources, false);
      return [];
  }
}

/** True when `flag` takes the next word as its value; `logs -f` and `logs -p` are switches. */
function takesValue(flag: string, command: string | undefined): boolean {
  if (command === 'logs' && (flag === '-f' || flag === '-p')) return false;
  return KUBECTL_VALUE_FLAGS.has(flag);
}

/** Which of kubectl's words are positional (not flags or their values). */
function kubectlPositionals(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (!a.includes('=') && takesValue(a, out[0])) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

async function completeKubectl(
  args: readonly string[],
  current: string,
  sources: CompletionSources,
): Promise<CompletionCandidate[]> {
  const previous = args.at(-1);
  const positionals = kubectlPositionals(args);
  const sub = positionals[0];
  // The value of the flag before: -f PATH, -o FORMAT, -n NAMESPACE.
  if (previous !== undefined && takesValue(previous, sub))
    return completeFlagValue(previous, current, sources);
  const eq = current.indexOf('=');
  if (current.startsWith('-') && eq > 0) {
    const flag = current.slice(0, eq);
    const values = await completeFlagValue(flag, current.slice(eq + 1), sources);
    return values.map((c) => ({ ...c, value: `${flag}=${c.value}` }));
  }
  const info = sub === undefined ? undefined : KUBECTL_COMMANDS.get(sub);
  if (current.startsWith('-')) return plain([...(info?.flags ?? []), ...GLOBAL_FLAGS_FOR_COMPLETION]);
  if (sub === undefined) return plain(KUBECTL_COMMAND_NAMES);
  if (!info || info.policy.kind === 'refuse') return [];
  let operands = positionals.slice(1);
  if (info.children) {
    if (operands.length === 0) return plain(info.children);
    operands = operands.slice(1);
    if (sub === 'create' || sub === 'config' || sub === 'auth' || sub === 'top' || sub === 'completion')
      return [];
  }
  switch (info.operands) {
    case 'resources':
      return completeResources(operands, current, sources, undefined);
    case 'workloads':
      return completeResources(operands, current, sources, ROLLOUT_RESOURCES);
    case 'pods':
      if (operands.length > 0) return [];
      if (current.includes('/')) return completeResources([], current, sources, undefined);
      return plain(await sources.listNames('pods'));
    case 'types':
      return operands.length === 0
        ? plain(RESOURCE_TYPES.filter((t) => t.resource !== 'all').map((t) => t.names[0]!))
        : [];
    default:
      return [];
  }
}

async function completeFlagValue(
  flag: string,
  current: string,
  sources: CompletionSources,
): Promise<CompletionCandidate[]> {
  switch (flag) {
    case '-f':
    case '--filename':
    case '--from-file':
    case '--from-env-file':
    case '--patch-file':
      return completePath(current, sources, false);
    case '-k':
    case '--kustomize':
      return completePath(current, sources, true);
    case '-o':
    case '--output':
      return plain(OUTPUT_FORMATS);
    case '-n':
    case '--namespace':
      return plain([sources.namespace]);
    default:
      return [];
  }
}

/**
 * Resource operands: `TYPE [NAME...]` or `TYPE/NAME...`. With `allowed`, only those resources
 * (rollout works on Deployments, DaemonSets, StatefulSets).
 */
async function completeResources(
  operands: readonly string[],
  current: string,
  sources: CompletionSources,
  allowed: ReadonlySet<string> | undefined,
): Promise<CompletionCandidate[]> {
  const slash = current.indexOf('/');
  if (slash >= 0) {
    const typed = current.slice(0, slash);
    const type = findResourceType(typed);
    if (!type || (allowed && !allowed.has(type.resource))) return [];
    const names = await sources.listNames(type.resource);
    return names.map((name) => ({ value: `${typed}/${name}`, display: name, suffix: ' ' }));
  }
  const first = operands[0];
  if (first === undefined) {
    const types = RESOURCE_TYPES.filter((t) => !allowed || allowed.has(t.resource));
    if (allowed) {
      // rollout wants TYPE/NAME: offer the types with their slash so Tab goes on to the names.
      return types.flatMap((t) =>
        t.names
          .filter((n) => n !== t.resource)
          .map((n) => ({ value: `${n}/`, display: `${n}/`, suffix: '' })),
      );
    }
    return plain(types.flatMap((t) => t.names));
  }
  if (first.includes('/') || first.includes(',')) return [];
  const type = findResourceType(first);
  if (!type || type.resource === 'all' || (allowed && !allowed.has(type.resource))) return [];
  return plain(await sources.listNames(type.resource));
}

/** Paths under the folder typed so far: `vweb/upd` → `vweb/update/`. */
async function completePath(
  current: string,
  sources: CompletionSources,
  foldersOnly: boolean,
): Promise<CompletionCandidate[]> {
  const slash = current.lastIndexOf('/');
  const folder = current.slice(0, slash + 1);
  const base = current.slice(slash + 1);
  const entries = await sources.listFolder(folder);
  return entries
    .filter((e) => (!foldersOnly || e.isDirectory) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => ({
      value: `${folder}${e.name}${e.isDirectory ? '/' : ''}`,
      display: `${e.name}${e.isDirectory ? '/' : ''}`,
      suffix: e.isDirectory ? '' : ' ',
    }));
}

/** Backslash-escapes the characters the parser would read specially, so a completed name parses back. */
function escapeForShell(value: string): string {
  return value.replace(/[ \t'"\\$`|&;<>(){}*?~!#]/g, '\\$&');
}

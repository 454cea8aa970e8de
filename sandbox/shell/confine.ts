/**
 * Rules for kubectl's arguments. The real kubectl runs with the session kubeconfig; these rules
 * keep a learner from pointing it elsewhere, acting as someone else, reaching the host, or making
 * it read files outside the session workdir.
 *
 * kubectl parses flags with pflag, which accepts one flag in many spellings: `--kubeconfig=x`,
 * `--kubeconfig x`, `--kube_config`-style underscores (normalised to dashes with a warning),
 * shorthands `-s x`, `-sx`, `-s=x`, and shorthands bundled after boolean ones (`-As x`). And flags
 * may come before or after the command name. So the checks do not try to parse exactly as kubectl
 * does; each one looks at every word on its own and errs towards refusing:
 *
 * - forbidden long flags are refused wherever they appear, even where they would be a value or
 *   come after `--` (a container command's `--token` is refused too: the price of simplicity);
 * - a bundle of shorthands is walked letter by letter, and stops only at a letter that certainly
 *   takes a value for this command (`-n`, `-o`, `-l`...), so `-ns` is a namespace called `s` but
 *   `-Rs` and `-cs` are refused as `-s`;
 * - every word that looks like a file flag has its value checked, whether or not kubectl would
 *   read it as a flag there;
 * - the command name is the first word that is not a flag, and only the few global flags whose
 *   arity is certain may come before it. Otherwise kubectl's own command lookup, which assumes an
 *   unknown flag takes a value, could find a different command (`kubectl --x get proxy`).
 *
 * File arguments must exist inside the workdir: no absolute path elsewhere, no `..` escape, no
 * symbolic link that resolves outside (for a folder, anywhere below it, since `-f DIR` reads its
 * files and `-k DIR` reads what its kustomization names), no URL, no standard input.
 */

import { WorkspaceError } from './errors.ts';
import { CREATE_KINDS, GLOBAL_FLAGS_BEFORE_COMMAND, KUBECTL_COMMANDS } from './kubectl-commands.ts';
import { isDashLookalike } from './parse.ts';
import { isInsideRoot, resolveInsideWorkdir } from './paths.ts';
import type { Workspace } from './services.ts';

/** Why kubectl was not run; stable codes for tests and translation. */
export type RefusalRule =
  | 'target-flag'
  | 'identity-flag'
  | 'host-file-flag'
  | 'editor-flag'
  | 'interactive'
  | 'privileged'
  | 'lookalike-dash'
  | 'flag-before-command'
  | 'unknown-command'
  | 'host-command'
  | 'config'
  | 'kustomize-option'
  | 'file-outside'
  | 'file-missing'
  | 'file-url'
  | 'file-stdin'
  | 'file-name'
  | 'symlink-outside'
  | 'too-many-files';

/** What to do with a kubectl command line. */
export type KubectlVerdict =
  | { kind: 'run'; args: string[] }
  /** `kubectl edit ...`: hand it to the page's editor instead of running it. */
  | { kind: 'edit'; args: string[] }
  | { kind: 'refuse'; rule: RefusalRule; message: string; instead: string };

/** What confinement may look at: the workdir (through `realpath`, `stat`, `readdir`) and the working folder. */
export interface ConfineContext {
  workspace: Pick<Workspace, 'root' | 'realpath' | 'stat' | 'readdir'>;
  /** Absolute working folder, inside the workdir. */
  cwd: string;
}

interface ForbiddenFlag {
  rule: RefusalRule;
  why: string;
}

const TARGET = (why: string): ForbiddenFlag => ({ rule: 'target-flag', why });
const IDENTITY = (why: string): ForbiddenFlag => ({ rule: 'identity-flag', why });
const HOST_FILE = (why: string): ForbiddenFlag => ({ rule: 'host-file-flag', why });

/** Long flags (normalised: underscores as dashes) that are never passed to kubectl. */
const FORBIDDEN_LONG_FLAGS = new Map<string, ForbiddenFlag>([
  ['kubeconfig', TARGET('it makes kubectl read another kubeconfig file')],
  ['kuberc', TARGET('it makes kubectl read a preferences file from the server')],
  ['server', TARGET('it points kubectl at another API server')],
  ['context', TARGET('it switches kubectl to another context')],
  ['cluster', TARGET('it switches kubectl to another cluster')],
  ['tls-server-name', TARGET('it changes which server certificate kubectl accepts')],
  ['insecure-skip-tls-verify', TARGET('it turns off the check that kubectl talks to the real server')],
  ['certificate-authority', TARGET('it changes which server certificates kubectl trusts')],
  ['token', IDENTITY('it makes kubectl act with another token')],
  ['user', IDENTITY('it makes kubectl act as another user')],
  ['username', IDENTITY('it makes kubectl act as another user')],
  ['password', IDENTITY('it makes kubectl act as another user')],
  ['as', IDENTITY('it makes kubectl impersonate another user')],
  ['as-group', IDENTITY('it makes kubectl impersonate another group')],
  ['as-uid', IDENTITY('it makes kubectl impersonate another user')],
  ['as-user-extra', IDENTITY('it makes kubectl impersonate another user')],
  ['client-certificate', IDENTITY('it makes kubectl present another certificate')],
  ['client-key', IDENTITY('it makes kubectl present another key')],
  ['cache-dir', HOST_FILE("it makes kubectl write its cache to another folder of the server's disk")],
  ['profile', HOST_FILE("it makes kubectl write a profile to the server's disk")],
  ['profile-output', HOST_FILE("it makes kubectl write a profile to the server's disk")],
  ['log-file', HOST_FILE("it makes kubectl write a log file to the server's disk")],
  ['log-dir', HOST_FILE("it makes kubectl write log files to the server's disk")],
  ['log-file-max-size', HOST_FILE("it configures log files on the server's disk")],
]);

/** Long flags that read a file, with whether their value is a comma-separated list (pflag slices). */
const FILE_FLAGS = new Map<string, { list: boolean; keyed: boolean }>([
  ['filename', { list: true, keyed: false }],
  ['kustomize', { list: false, keyed: false }],
  ['from-file', { list: true, keyed: true }],
  ['from-env-file', { list: true, keyed: false }],
  ['patch-file', { list: false, keyed: false }],
  ['cert', { list: false, keyed: false }],
  ['key', { list: false, keyed: false }],
  ['env-file', { list: true, keyed: false }],
]);

/** `-o` formats whose value after `=` (or `--template`) is a file to read. */
const FILE_OUTPUT_FORMATS = new Set([
  'go-template-file',
  'templatefile',
  'jsonpath-file',
  'custom-columns-file',
]);

/** Commands that stream stdin or a tty with `-i` / `-t`. */
const INTERACTIVE_COMMANDS = new Set(['exec', 'run', 'attach', 'debug']);

/** Commands whose words after `--` are a container's command line, not kubectl's. */
const PASSTHROUGH_COMMANDS = new Set(['exec', 'run']);

/** Most entries looked at below one folder argument. */
const MAX_SCANNED_ENTRIES = 2000;
const MAX_SCAN_DEPTH = 12;

/**
 * Decides whether `kubectl <args>` may run. Never runs anything; looks at the workdir only
 * through the context's workspace.
 */
export async function confineKubectl(
  args: readonly string[],
  context: ConfineContext,
): Promise<KubectlVerdict> {
  const dashed = args.find((a) => [...a].some((ch) => isDashLookalike(ch.codePointAt(0)!)));
  if (dashed !== undefined) {
    return refuse(
      'lookalike-dash',
      `"${dashed}" contains a typographic dash, not the ASCII hyphen kubectl options are written with`,
      'Retype the dashes with the minus key, e.g. --selector=app=vweb (documents often turn -- into a long dash).',
    );
  }

  const located = locateCommand(args);
  const command = located.kind === 'command' ? located.name : undefined;

  const flagProblem = checkFlags(args, command, located.kind === 'command' ? located.index : -1);
  if (flagProblem) return flagProblem;

  if (located.kind === 'misplaced-flag') {
    return refuse(
      'flag-before-command',
      `the option ${located.flag} must come after the command name here`,
      'Write the command first, then its options: kubectl get pods -o wide. Before the command, only -n/--namespace, -v and --request-timeout are accepted.',
    );
  }
  if (command === undefined) return { kind: 'run', args: [...args] };

  const info = KUBECTL_COMMANDS.get(command);
  if (!info) {
    return refuse(
      'unknown-command',
      `"${command}" is not a kubectl command available here`,
      'kubectl help lists the commands; the lessons use get, apply, rollout, set image, scale, describe, logs and delete.',
    );
  }
  if (info.policy.kind === 'refuse') return refuse('host-command', `${info.policy.why}`, info.policy.instead);

  const rest = args.slice(located.kind === 'command' ? located.index + 1 : 0);
  const commandProblem = checkSubcommands(command, rest);
  if (commandProblem) return commandProblem;

  const fileProblem = await checkFileArguments(
    args,
    command,
    located.kind === 'command' ? located.index : -1,
    context,
  );
  if (fileProblem) return fileProblem;

  if (info.policy.kind === 'edit') return { kind: 'edit', args: rest };
  return { kind: 'run', args: [...args] };
}

function refuse(rule: RefusalRule, message: string, instead: string): KubectlVerdict {
  return { kind: 'refuse', rule, message, instead };
}

/** The flag's name without dashes and value, with pflag's underscore normalisation applied. */
function longFlagName(word: string): string {
  const body = word.slice(2);
  const eq = body.indexOf('=');
  return (eq < 0 ? body : body.slice(0, eq)).replaceAll('_', '-');
}

type Located =
  | { kind: 'command'; name: string; index: number }
  | { kind: 'none' }
  | { kind: 'misplaced-flag'; flag: string };

/** Finds the command name, allowing only global flags of certain arity before it. */
function locateCommand(args: readonly string[]): Located {
  const globals = GLOBAL_FLAGS_BEFORE_COMMAND;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') return { kind: 'misplaced-flag', flag: '--' };
    if (word.startsWith('--')) {
      const name = longFlagName(word);
      if (globals.longWithValue.has(name)) {
        if (!word.includes('=')) i++;
        continue;
      }
      if (globals.longBoolean.has(name)) continue;
      return { kind: 'misplaced-flag', flag: word.split('=')[0]! };
    }
    if (word.startsWith('-') && word.length > 1) {
      const letter = word[1]!;
      if (globals.shortWithValue.has(letter)) {
        if (word.length === 2) i++;
        continue;
      }
      if (globals.shortBoolean.has(letter) && word.length === 2) continue;
      return { kind: 'misplaced-flag', flag: word.slice(0, 2) };
    }
    return { kind: 'command', name: word, index: i };
  }
  return { kind: 'none' };
}

/** True when the shorthand certainly takes a value for this command, so the rest of a bundle is that value. */
function takesValueForSure(letter: string, command: string | undefined): boolean {
  switch (letter) {
    case 'n':
    case 'o':
    case 'l':
    case 'L':
    case 'k':
    case 'v':
      return true;
    case 'f':
      // `logs -f` is --follow; elsewhere -f is --filename.
      return command !== undefined && command !== 'logs';
    case 'p':
      return command === 'patch';
    default:
      return false;
  }
}

/** Refuses forbidden flags in any spelling, interactive flags, `--edit` and `--privileged`. */
function checkFlags(
  args: readonly string[],
  command: string | undefined,
  commandIndex: number,
): KubectlVerdict | undefined {
  let passthrough = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (
      word === '--' &&
      i > commandIndex &&
      commandIndex >= 0 &&
      command !== undefined &&
      PASSTHROUGH_COMMANDS.has(command)
    ) {
      passthrough = true;
      continue;
    }
    if (word.startsWith('--') && word.length > 2) {
      const name = longFlagName(word);
      const forbidden = FORBIDDEN_LONG_FLAGS.get(name);
      if (forbidden) return refuseFlag(`--${name}`, forbidden);
      if (passthrough) continue;
      if (name === 'edit') {
        return refuse(
          'editor-flag',
          '--edit would open a text editor on the server',
          'Change the manifest in the editor, then run kubectl apply -f FILE.',
        );
      }
      if ((name === 'stdin' || name === 'tty') && command !== undefined && INTERACTIVE_COMMANDS.has(command))
        return refuseInteractive(`--${name}`);
      if (name === 'interactive' && command === 'delete') return refuseInteractive('--interactive');
      if (name === 'privileged') {
        return refuse(
          'privileged',
          'privileged containers are not available in this sandbox',
          'Run the pod without --privileged.',
        );
      }
      continue;
    }
    if (passthrough) continue;
    if (word.startsWith('-') && word.length > 1 && word !== '--') {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k]!;
        if (letter === '=') break;
        if (letter === 's') return refuseFlag('-s', FORBIDDEN_LONG_FLAGS.get('server')!);
        if ((letter === 'i' || letter === 't') && command !== undefined && INTERACTIVE_COMMANDS.has(command))
          return refuseInteractive(`-${letter}`);
        if (letter === 'i' && command === 'delete') return refuseInteractive('-i');
        if (takesValueForSure(letter, command)) break;
      }
    }
  }
  return undefined;
}

function refuseFlag(flag: string, forbidden: ForbiddenFlag): KubectlVerdict {
  const instead =
    forbidden.rule === 'host-file-flag'
      ? 'Leave it out; kubectl here keeps its own cache and prints its messages in the terminal (add -v=6 to see its requests).'
      : 'Leave it out: kubectl here always talks to your own sandbox as your session user. To use your own kubectl, download the session kubeconfig from the page.';
  return refuse(forbidden.rule, `${flag} is not available here: ${forbidden.why}`, instead);
}

function refuseInteractive(flag: string): KubectlVerdict {
  return refuse(
    'interactive',
    `${flag} needs an interactive stream (keyboard input or a terminal inside the pod) that this terminal does not provide`,
    'Run one command at a time instead: kubectl exec POD -- cat /usr/share/nginx/html/v.txt',
  );
}

/** Rules that depend on which sub-command runs. */
function checkSubcommands(command: string, rest: readonly string[]): KubectlVerdict | undefined {
  const positionals = rest.filter((w) => !w.startsWith('-'));
  if (
    command === 'create' &&
    rest[0] !== undefined &&
    !rest[0].startsWith('-') &&
    !CREATE_KINDS.includes(rest[0])
  ) {
    return refuse(
      'unknown-command',
      `"${rest[0]}" is not something kubectl create makes here`,
      `kubectl create makes: ${CREATE_KINDS.filter((k) => k.length > 3).join(', ')}; or use kubectl apply -f FILE.`,
    );
  }
  if (command === 'config') {
    const CONFIG_CHANGERS =
      /^(use-context|use|set|set-context|set-cluster|set-credentials|unset|delete-context|delete-cluster|delete-user|rename-context|current-context|get-contexts|get-clusters|get-users)$/;
    if (positionals[0] !== 'view' || positionals.some((w) => CONFIG_CHANGERS.test(w))) {
      return refuse(
        'config',
        'kubectl config can only show the settings here (kubectl config view); switching contexts, clusters or users is not available',
        'kubectl here always talks to your own sandbox. To use your own kubectl, download the session kubeconfig from the page.',
      );
    }
  }
  if (command === 'apply' && rest.includes('edit-last-applied')) {
    return refuse(
      'editor-flag',
      'kubectl apply edit-last-applied would open a text editor on the server',
      'Change the manifest in the editor, then run kubectl apply -f FILE; kubectl apply view-last-applied shows what was applied.',
    );
  }
  if (command === 'cluster-info' && rest.includes('dump')) {
    return refuse(
      'host-command',
      "kubectl cluster-info dump writes large dumps, possibly to the server's disk",
      'Use kubectl cluster-info, or kubectl get and kubectl describe for the objects you want to see.',
    );
  }
  if (command === 'kustomize') {
    const flag = rest.find((w) => w.startsWith('-') && w !== '-h' && w !== '--help');
    if (flag !== undefined) {
      return refuse(
        'kustomize-option',
        `kubectl kustomize options such as ${flag.split('=')[0]} are not available here: they run plugins or programs, or write files on the server`,
        'Use kubectl kustomize FOLDER, or kubectl apply -k FOLDER, with a folder of the exercise.',
      );
    }
  }
  return undefined;
}

interface FileArgument {
  /** The flag as the learner wrote it, for messages. */
  flag: string;
  value: string;
  /** `-k` and `kubectl kustomize` want a folder. */
  folder: boolean;
  list: boolean;
  keyed: boolean;
}

/** Collects the values of every word that looks like a file flag, then checks each. */
async function checkFileArguments(
  args: readonly string[],
  command: string,
  commandIndex: number,
  context: ConfineContext,
): Promise<KubectlVerdict | undefined> {
  const found: FileArgument[] = [];
  let kustomizeFolders = 0;
  let usesFileOutput = false;
  const templates: string[] = [];
  let afterDoubleDash = false;

  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      afterDoubleDash = true;
      if (PASSTHROUGH_COMMANDS.has(command)) break;
      continue;
    }
    const next = args[i + 1];
    if (word.startsWith('--') && word.length > 2) {
      const name = longFlagName(word);
      const eq = word.indexOf('=');
      const value = eq >= 0 ? word.slice(eq + 1) : next;
      const fileFlag = FILE_FLAGS.get(name);
      if (fileFlag && value !== undefined)
        found.push({ flag: `--${name}`, value, folder: name === 'kustomize', ...fileFlag });
      if (name === 'output' && value !== undefined)
        usesFileOutput ||= readsOutputFile(value, found, `--${name}`);
      if (name === 'template' && value !== undefined) templates.push(value);
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let k = 1; k < word.length; k++) {
        const letter = word[k]!;
        const isFile = (letter === 'f' && command !== 'logs') || letter === 'k';
        if (isFile || letter === 'o') {
          let value: string | undefined = word.slice(k + 1);
          if (value.startsWith('=')) value = value.slice(1);
          if (value === '' && k === word.length - 1) value = next;
          if (value === undefined) break;
          if (isFile)
            found.push({
              flag: `-${letter}`,
              value,
              folder: letter === 'k',
              list: letter === 'f',
              keyed: false,
            });
          else usesFileOutput ||= readsOutputFile(value, found, '-o');
          break;
        }
        if (takesValueForSure(letter, command)) break;
      }
      continue;
    }
    if (command === 'kustomize' && !afterDoubleDash && i > commandIndex) {
      found.push({ flag: 'kubectl kustomize', value: word, folder: true, list: false, keyed: false });
      kustomizeFolders++;
    }
  }
  // `kubectl kustomize` with no folder builds the working folder.
  if (command === 'kustomize' && kustomizeFolders === 0)
    found.push({ flag: 'kubectl kustomize', value: '.', folder: true, list: false, keyed: false });
  if (usesFileOutput)
    for (const t of templates)
      found.push({ flag: '--template', value: t, folder: false, list: false, keyed: false });

  for (const argument of found) {
    const problem = await checkFileArgument(argument, context);
    if (problem) return problem;
  }
  return undefined;
}

/** Records the file inside `-o jsonpath-file=PATH` and says whether the format reads a file. */
function readsOutputFile(value: string, found: FileArgument[], flag: string): boolean {
  const eq = value.indexOf('=');
  const format = eq < 0 ? value : value.slice(0, eq);
  if (!FILE_OUTPUT_FORMATS.has(format)) return false;
  if (eq >= 0)
    found.push({
      flag: `${flag} ${format}`,
      value: value.slice(eq + 1),
      folder: false,
      list: false,
      keyed: false,
    });
  return true;
}

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^git@|^(github\.com|gitlab\.com|bitbucket\.org)\//i;

async function checkFileArgument(
  argument: FileArgument,
  context: ConfineContext,
): Promise<KubectlVerdict | undefined> {
  if (argument.value.includes('"')) {
    return refuse(
      'file-name',
      `${argument.flag} "${argument.value}": quotes inside a file name are not accepted here`,
      'Give the path without quotes inside it, e.g. -f vweb/vweb-v1.yaml',
    );
  }
  const pieces = argument.list ? argument.value.split(',') : [argument.value];
  for (let piece of pieces) {
    if (argument.keyed) {
      // --from-file=[key=]source: the file is what follows the first '='.
      const eq = piece.indexOf('=');
      if (eq > 0) piece = piece.slice(eq + 1);
    }
    if (piece === '-') {
      return refuse(
        'file-stdin',
        `${argument.flag} - would read the manifest from the keyboard, which this terminal does not pass to kubectl`,
        'Use a file of the exercise: kubectl apply -f vweb/vweb-v1.yaml',
      );
    }
    if (URL_LIKE.test(piece)) {
      return refuse(
        'file-url',
        `${argument.flag} ${piece}: files from the internet are not available here`,
        'Use the exercise files (ls shows them), or change one in the editor and apply it.',
      );
    }
    const resolved = await resolveInsideWorkdir(context.workspace, context.cwd, piece);
    if (!resolved.ok) {
      if (resolved.problem === 'outside') {
        return refuse(
          'file-outside',
          `${argument.flag} ${resolved.message}`,
          'Use a path inside the exercise folder, such as vweb/ or vweb/update/vweb-v2.yaml; ls shows what is there.',
        );
      }
      return refuse(
        'file-missing',
        `error: the path "${piece}" does not exist`,
        piece.includes('\\')
          ? `Folders are separated by / here, not \\ as in Windows: ${piece.replace(/^\.\\/, '').replaceAll('\\', '/')}`
          : 'Check the name with ls; Tab completes file names.',
      );
    }
    const kind = await statKind(context, resolved.real);
    if (argument.folder && kind !== 'directory') {
      return refuse(
        'file-missing',
        `error: ${argument.flag} needs a folder, and "${piece}" is not one`,
        'Give the folder that holds kustomization.yaml.',
      );
    }
    if (kind === 'directory') {
      const problem = await scanFolder(context, resolved.real, piece);
      if (problem) return problem;
    }
  }
  return undefined;
}

async function statKind(context: ConfineContext, real: string): Promise<string> {
  try {
    return (await context.workspace.stat(real)).kind;
  } catch {
    return 'other';
  }
}

/**
 * Looks at everything below a folder argument: a symbolic link anywhere in it that leads out of
 * the workdir is refused, because kubectl reads the files of `-f DIR` and kustomize follows its
 * kustomization's references.
 */
async function scanFolder(
  context: ConfineContext,
  folder: string,
  typed: string,
): Promise<KubectlVerdict | undefined> {
  let seen = 0;
  const pending: { path: string; depth: number }[] = [{ path: folder, depth: 0 }];
  while (pending.length > 0) {
    const { path, depth } = pending.pop()!;
    let entries: Awaited<ReturnType<Workspace['readdir']>>;
    try {
      entries = await context.workspace.readdir(path);
    } catch (error) {
      if (error instanceof WorkspaceError && error.code === 'EOUTSIDE')
        return symlinkOutside(typed, path, folder);
      continue;
    }
    for (const entry of entries) {
      if (++seen > MAX_SCANNED_ENTRIES) {
        return refuse(
          'too-many-files',
          `${typed} holds more than ${MAX_SCANNED_ENTRIES} entries`,
          'Give a smaller folder or a single file.',
        );
      }
      const child = `${path}/${entry.name}`;
      if (entry.kind === 'symlink') {
        let real: string | undefined;
        try {
          real = await context.workspace.realpath(child);
        } catch (error) {
          if (error instanceof WorkspaceError && error.code === 'EOUTSIDE')
            return symlinkOutside(typed, child, folder);
          continue; // a dangling link: kubectl cannot read through it either
        }
        if (!isInsideRoot(context.workspace.root, real)) return symlinkOutside(typed, child, folder);
      } else if (entry.kind === 'directory' && depth < MAX_SCAN_DEPTH) {
        pending.push({ path: child, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function symlinkOutside(typed: string, linkPath: string, folder: string): KubectlVerdict {
  const inside = linkPath.slice(folder.length).replace(/^\//, '');
  const shown = inside === '' ? typed : `${typed.replace(/\/+$/, '')}/${inside}`;
  return refuse(
    'symlink-outside',
    `${shown} is a link that leads outside the exercise folder, so kubectl may not read it`,
    'Use the files of the exercise themselves; Reset restores them if they were changed.',
  );
}

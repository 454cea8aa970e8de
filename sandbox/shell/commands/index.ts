/**
 * Every command the learner can type, and what the shell says about any other. There is no PATH
 * and no program lookup: a name is in these tables or it does not run.
 */

import { curl } from './curl.ts';
import { cd, ls, pwd } from './files.ts';
import { FILTERS } from './filters.ts';
import { kubectl } from './kubectl.ts';
import { type Builtin, EXIT } from './types.ts';
import { watch } from './watch.ts';

export { FILTERS } from './filters.ts';

/** Clears the screen and the scrollback, as `clear` does in xterm. */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/** `echo [-neE] WORDS...` */
export const echo: Builtin = async ({ args, io }) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  // GNU echo: leading words made only of n, e, E flags are options; anything else is text.
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const flag of args[i]!.slice(1)) {
      if (flag === 'n') newline = false;
      else if (flag === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes)
    text = text.replace(/\\([ntr\\])/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]!);
  io.out(newline ? `${text}\n` : text);
  return EXIT.ok;
};

/** `clear` */
export const clear: Builtin = async ({ io }) => {
  io.out(CLEAR_SCREEN);
  return EXIT.ok;
};

/** `history [N] | history -c` */
export const history: Builtin = async ({ args, io, env }) => {
  if (args[0] === '-c') {
    env.history.clear();
    return EXIT.ok;
  }
  let entries = env.history.entries();
  if (args[0] !== undefined) {
    if (!/^\d+$/.test(args[0])) {
      io.err(`history: ${args[0]}: numeric argument required\n`);
      return EXIT.usage;
    }
    entries = entries.slice(-Number(args[0]));
  }
  io.out(entries.map((e) => `${String(e.number).padStart(5)}  ${e.line}\n`).join(''));
  return EXIT.ok;
};

/** The built-in commands, each with the usage and summary `help` prints. */
export const BUILTINS: ReadonlyMap<string, { run: Builtin; usage: string; summary: string }> = new Map([
  [
    'kubectl',
    {
      run: kubectl,
      usage: 'kubectl COMMAND [ARGS]...',
      summary: 'talk to your sandbox cluster (kubectl help lists its commands)',
    },
  ],
  [
    'curl',
    {
      run: curl,
      usage: 'curl [-sivf] [-w FMT] URL',
      summary: 'GET a Service: curl http://vweb:8090/v.txt, curl http://localhost:8090/v.txt',
    },
  ],
  [
    'watch',
    {
      run: watch,
      usage: 'watch [-n SECONDS] COMMAND',
      summary: 'rerun a command every few seconds (Ctrl-C stops)',
    },
  ],
  ['ls', { run: ls, usage: 'ls [-la] [PATH]...', summary: 'list the exercise files' }],
  ['cd', { run: cd, usage: 'cd [FOLDER]', summary: 'change folder (cd alone: back to the top)' }],
  ['pwd', { run: pwd, usage: 'pwd', summary: 'show the current folder' }],
  ['echo', { run: echo, usage: 'echo [-n] TEXT...', summary: 'print text' }],
  ['clear', { run: clear, usage: 'clear', summary: 'clear the screen (also Ctrl-L)' }],
  [
    'history',
    { run: history, usage: 'history [N]', summary: 'commands typed in this session (up arrow recalls them)' },
  ],
  ['help', { run: async (context) => help(context), usage: 'help [COMMAND]', summary: 'this list' }],
]);

/** Every name that runs something, for completion and messages. */
export const COMMAND_NAMES: readonly string[] = [...new Set([...BUILTINS.keys(), ...FILTERS.keys()])].sort();

const HELP_FOOTER = `
Join commands with ; (run the next anyway) or && (only after success); filter output with |,
e.g. kubectl get rs | grep vweb. One loop is available:
  for i in {1..10}; do curl -s http://localhost:8090/v.txt; echo; done
Keys: Tab completes, up/down recall history, Ctrl-C stops a command, Ctrl-L clears.
This is not bash: there are no variables, redirections (>) or other programs.
`;

const help: Builtin = async ({ args, io }) => {
  const topic = args[0];
  if (topic !== undefined) {
    const entry = BUILTINS.get(topic) ?? FILTERS.get(topic);
    if (!entry) {
      io.err(`help: no help topics match '${topic}'\n`);
      return EXIT.failure;
    }
    io.out(`${entry.usage}\n  ${entry.summary}\n`);
    return EXIT.ok;
  }
  const rows = [...BUILTINS.entries(), ...[...FILTERS.entries()].filter(([name]) => !BUILTINS.has(name))];
  const width = Math.max(...rows.map(([, e]) => e.usage.length));
  io.out(
    `Commands available in this terminal:\n${rows.map(([, e]) => `  ${e.usage.padEnd(width)}  ${e.summary}\n`).join('')}${HELP_FOOTER}`,
  );
  return EXIT.ok;
};

const HINTS: [RegExp, string][] = [
  [
    /^(bash|sh|zsh|dash|ksh|fish|csh|tcsh|exec|eval|source|\.|busybox|script)$/,
    'there is no system shell behind this terminal; it runs kubectl and a few commands of its own',
  ],
  [
    /^(sudo|su|doas|chroot|nsenter|unshare)$/,
    'there is nothing to become here: kubectl already acts as your session user',
  ],
  [
    /^(env|export|set|unset|alias|unalias|declare|typeset|local|readonly|printenv)$/,
    'this terminal keeps no environment variables or aliases; kubectl always uses your sandbox',
  ],
  [
    /^(vi|vim|nvim|nano|emacs|ed|pico|code)$/,
    'use the editor panel next to the terminal to change files, then kubectl apply -f FILE',
  ],
  [/^(less|more|most|pg)$/, 'output stays in the terminal: scroll up, or narrow it with | grep or | head'],
  [
    /^(exit|logout|quit)$/,
    'this terminal stays open with the lesson; the page has a Reset button to start again',
  ],
  [
    /^(docker|podman|kind|minikube|k3d|helm|kustomize|crictl|ctr|nerdctl)$/,
    'only kubectl is available; it talks to your own sandbox cluster',
  ],
  [
    /^(python\d*(\.\d+)?|node|nodejs|perl|ruby|php|lua|go|java|deno|bun|awk|gawk|sed|jq|yq|xargs|find|tee|cut|tr)$/,
    'only the commands listed by help are available here',
  ],
  [
    /^(wget|nc|ncat|netcat|telnet|ssh|scp|ftp|ping|dig|nslookup|host)$/,
    'to reach a Service use curl: curl http://vweb:8090/v.txt',
  ],
  [
    /^(rm|mv|cp|mkdir|rmdir|touch|chmod|chown|ln|dd|truncate|tar|unzip|gzip)$/,
    'files can only be changed in the editor panel; the page has a Reset button to restore them',
  ],
  [/^(k|kc|kube|kubecl|kubctl|kubeclt|kubect|kuebctl)$/, 'type kubectl in full'],
  [
    /^(ps|top|kill|killall|pkill|jobs|fg|bg|nohup|disown|wait|sleep|time|timeout)$/,
    'Ctrl-C stops the running command; watch -n N reruns one',
  ],
];

/**
 * What the shell prints for a name it does not know, bash-style
 * (`foo: command not found`), plus why and what is available.
 */
export function describeUnknownCommand(name: string): string {
  if (name.includes('/')) {
    const base = name.split('/').pop() ?? '';
    const known = BUILTINS.has(base) || FILTERS.has(base);
    return `${name}: programs cannot be run by path here${known ? `; type ${base} by its name` : ''}\nAvailable: ${COMMAND_NAMES.join(', ')}. Type help for details.\n`;
  }
  const hint = HINTS.find(([pattern]) => pattern.test(name))?.[1];
  return `${name}: command not found${hint ? ` (${hint})` : ''}\nAvailable: ${COMMAND_NAMES.join(', ')}. Type help for details.\n`;
}

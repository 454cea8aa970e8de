/**
 * Runs a parsed line: `;` and `&&` lists, pipelines into filters, and for loops. Commands never
 * throw out of here: an unexpected error becomes a message and exit status 1, and the shell goes
 * on to the next prompt.
 *
 * Pipes are not processes: the command on the left writes into the first filter's `write`, which
 * writes into the next, and the last writes to the terminal. When a filter has all it needs
 * (`head -n 3`), the left side's signal is aborted, as SIGPIPE would stop it.
 */

import { readWorkdirFile } from './commands/files.ts';
import { BUILTINS, describeUnknownCommand, FILTERS } from './commands/index.ts';
import {
  type CommandIO,
  EXIT,
  type FilterFactory,
  type FilterSetup,
  type ShellEnvironment,
} from './commands/types.ts';
import { type Command, type CommandList, expandWords, type Pipeline } from './parse.ts';

/** Loop variables in scope while a loop body runs. */
export type Variables = ReadonlyMap<string, string>;

/** Runs a whole line; resolves to the status of the last pipeline that ran (130 after Ctrl-C). */
export async function runCommandList(
  list: CommandList,
  env: ShellEnvironment,
  io: CommandIO,
  signal: AbortSignal,
  variables: Variables = new Map(),
): Promise<number> {
  let status: number = EXIT.ok;
  for (const entry of list.entries) {
    if (signal.aborted) return EXIT.interrupted;
    if (entry.connector === '&&' && status !== EXIT.ok) continue;
    status = await runPipeline(entry.pipeline, env, io, signal, variables);
  }
  return signal.aborted ? EXIT.interrupted : status;
}

const FILTER_NAMES = [...FILTERS.keys()].join(', ');

async function runPipeline(
  pipeline: Pipeline,
  env: ShellEnvironment,
  io: CommandIO,
  signal: AbortSignal,
  variables: Variables,
): Promise<number> {
  const [producer, ...readers] = pipeline.commands;
  if (readers.length === 0) return runCommand(producer!, env, io, signal, variables);

  // Set the filters up from the right, each writing into the next, before anything runs.
  const setups: FilterSetup[] = [];
  const names: string[] = [];
  let sink = io.out;
  for (let i = readers.length - 1; i >= 0; i--) {
    const reader = readers[i]!;
    if (reader.kind !== 'simple') {
      io.err(`rollout-lab: a for loop cannot read from a pipe; after | use ${FILTER_NAMES}\n`);
      return EXIT.usage;
    }
    const [name = '', ...args] = expandWords(reader.words, variables);
    const entry = FILTERS.get(name);
    if (!entry) {
      const known = BUILTINS.has(name);
      io.err(
        known
          ? `${name}: cannot read from a pipe here; after | use ${FILTER_NAMES}\n`
          : describeUnknownCommand(name).replace('\n', `; after | use ${FILTER_NAMES}\n`),
      );
      return known ? EXIT.usage : EXIT.notFound;
    }
    const setup = entry.create(args, sink, {
      toTerminal: io.toTerminal && i === readers.length - 1,
      err: io.err,
    });
    if (typeof setup === 'string') {
      io.err(`${setup}\n`);
      return EXIT.usage;
    }
    setups.unshift(setup);
    names.unshift(name);
    sink = setup.filter.write.bind(setup.filter);
  }

  // A filter given files reads them and ignores its input, as the real ones do.
  let fileStatus: number = EXIT.ok;
  for (let i = 0; i < setups.length; i++) {
    const setup = setups[i]!;
    if (setup.files.length === 0) continue;
    fileStatus = Math.max(fileStatus, await feedFiles(names[i]!, setup, env, io));
  }

  const first = setups[0]!;
  const upstream = new AbortController();
  const stopUpstream = (): void => upstream.abort();
  signal.addEventListener('abort', stopUpstream, { once: true });
  const producerIo: CommandIO = {
    out: (text) => {
      if (upstream.signal.aborted || first.files.length > 0) return;
      first.filter.write(text);
      if (setups.some((s) => s.filter.satisfied)) upstream.abort();
    },
    err: io.err,
    toTerminal: false,
  };
  try {
    await runCommand(producer!, env, producerIo, upstream.signal, variables);
  } finally {
    signal.removeEventListener('abort', stopUpstream);
  }
  // Ctrl-C stops the whole pipeline: what sort or tail held is dropped, as when bash kills them.
  if (signal.aborted) return EXIT.interrupted;
  let status: number = EXIT.ok;
  for (const setup of setups) status = setup.filter.end();
  return status === EXIT.ok && fileStatus !== EXIT.ok ? fileStatus : status;
}

/** Reads a filter's file operands into it; returns 0, or the status its read errors warrant. */
async function feedFiles(
  name: string,
  setup: FilterSetup,
  env: ShellEnvironment,
  io: CommandIO,
): Promise<number> {
  let status: number = EXIT.ok;
  for (const file of setup.files) {
    const read = await readWorkdirFile(env, name, file);
    if ('error' in read) {
      io.err(`${read.error}\n`);
      status = name === 'grep' ? EXIT.usage : EXIT.failure;
      continue;
    }
    setup.filter.write(read.text);
  }
  return status;
}

async function runCommand(
  command: Command,
  env: ShellEnvironment,
  io: CommandIO,
  signal: AbortSignal,
  variables: Variables,
): Promise<number> {
  if (command.kind === 'for') {
    let status: number = EXIT.ok;
    for (const value of command.values) {
      if (signal.aborted) return EXIT.interrupted;
      const inner = new Map(variables).set(command.variable, value);
      status = await runCommandList(command.body, env, io, signal, inner);
    }
    return signal.aborted ? EXIT.interrupted : status;
  }
  const [name = '', ...args] = expandWords(command.words, variables);
  try {
    const builtin = BUILTINS.get(name);
    if (builtin) return await builtin.run({ name, args, io, signal, env });
    const filter = FILTERS.get(name);
    if (filter) return await runFilterAlone(name, args, filter.create, env, io);
    io.err(describeUnknownCommand(name));
    return EXIT.notFound;
  } catch (error) {
    io.err(`${name}: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
}

/** `grep PATTERN FILE`, `head -n 5 FILE`, `cat FILE`: a filter at the start of a line reads files. */
async function runFilterAlone(
  name: string,
  args: string[],
  create: FilterFactory,
  env: ShellEnvironment,
  io: CommandIO,
): Promise<number> {
  const setup = create(args, io.out, { toTerminal: io.toTerminal, err: io.err });
  if (typeof setup === 'string') {
    io.err(`${setup}\n`);
    return EXIT.usage;
  }
  if (setup.files.length === 0) {
    io.err(
      `${name}: there is nothing to read: give a file (${name} ... vweb/vweb-v1.yaml) or pipe a command into it (kubectl get pods | ${name} ...)\n`,
    );
    return EXIT.usage;
  }
  const fileStatus = await feedFiles(name, setup, env, io);
  const status = setup.filter.end();
  return status === EXIT.ok && fileStatus !== EXIT.ok ? fileStatus : status;
}

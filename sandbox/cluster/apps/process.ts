/**
 * What a container's main process does, from its image and the pod spec's `command`/`args`.
 * The image decides by default (nginx serves, ch09-vweb:v3 exits 127); a command the spec sets
 * can change that (`sleep 3600` sleeps an hour, an init container's script runs and exits 0).
 */
import type { AppKind, CatalogImage, ListeningPort, ProcessBehaviour, StopBehaviour } from './catalog.ts';

/** The process a container runs once started. */
export interface ContainerProcess {
  app: AppKind;
  run: ProcessBehaviour;
  /** Ports it listens on while running (none unless it serves). */
  ports: readonly ListeningPort[];
  stop: StopBehaviour;
}

/** The parts of a container spec that decide its process. */
export interface ProcessSpec {
  command?: readonly string[];
  args?: readonly string[];
}

/** Whether a container is an init container (runs to completion before the app starts). */
export type ContainerRole = 'init' | 'app';

/** How long a command without a recognisable duration runs, in simulated ms. */
export interface CommandTiming {
  /** An init container's script (waiting for a service, preparing files). */
  initRunMs: readonly [number, number];
  /** Any other short command (`echo hello`). */
  commandRunMs: readonly [number, number];
}

const SLEEP = /\bsleep\s+(infinity|inf|\d+(?:\.\d+)?)(s|m|h)?\b/;
const FOREVER = /\btail\s+-f\b|\bwhile\s+true\b|\bwhile\s*:|\bsleep\s+infinity\b/;

/** The command line the spec sets, joined: `sh -c sleep 3600`; empty when the image's own runs. */
export function commandLineOf(spec: ProcessSpec): string {
  return [...(spec.command ?? []), ...(spec.args ?? [])].join(' ').trim();
}

/**
 * What the `echo` statements of a command line print, one line each, quotes removed:
 * `echo hi` → ['hi']; `sh -c echo "starting"; sleep 5` → ['starting']. Anything else prints nothing.
 */
export function echoedLines(commandLine: string): string[] {
  const lines: string[] = [];
  for (const statement of commandLine.split(/;|&&|\|\|/)) {
    const match = /(?:^|\s)echo\s+(?:-[ne]+\s+)?(.*)$/.exec(statement.trim());
    if (!match) continue;
    lines.push(match[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  return lines;
}

/**
 * How long a command line runs before exiting, in ms: `sleep 30` → 30000, `sleep 2m` → 120000,
 * `sleep infinity` or `tail -f /dev/null` → Infinity; undefined when the line says nothing about it.
 */
export function commandDurationMs(commandLine: string): number | undefined {
  if (FOREVER.test(commandLine)) return Number.POSITIVE_INFINITY;
  const match = SLEEP.exec(commandLine);
  if (!match) return undefined;
  if (match[1] === 'infinity' || match[1] === 'inf') return Number.POSITIVE_INFINITY;
  const unit = match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1_000;
  return Number(match[1]) * unit;
}

/**
 * Resolves what a container does. Rules, in order:
 * 1. an image whose command does not exist fails whatever the spec says;
 * 2. a serving image keeps serving under its own command override (postgres started by a script);
 * 3. a command that sleeps or loops forever sleeps; `sleep N` exits 0 after N seconds;
 * 4. any other command runs briefly and exits 0 (an init container's script, `echo hello`);
 * 5. without a command, the image's default runs (nginx serves, busybox's `sh` exits at once).
 */
export function resolveContainerProcess(
  image: CatalogImage,
  spec: ProcessSpec,
  role: ContainerRole,
  timing: CommandTiming,
): ContainerProcess {
  const behaviour = image.behaviour;
  const base = { app: image.app, stop: behaviour.stop };
  if (image.app === 'command-not-found') return { ...base, run: behaviour.process, ports: [] };
  const line = commandLineOf(spec);
  if (!line) {
    const ports = behaviour.process.kind === 'serve' ? behaviour.ports : [];
    return { ...base, run: behaviour.process, ports };
  }
  if (behaviour.process.kind === 'serve' && role === 'app')
    return { ...base, run: behaviour.process, ports: behaviour.ports };
  const duration = commandDurationMs(line);
  // A shell running a loop or sleep is PID 1 without a SIGTERM handler: it only dies at SIGKILL.
  const stop: StopBehaviour = behaviour.hasShell ? { kind: 'ignores-sigterm' } : behaviour.stop;
  if (duration === Number.POSITIVE_INFINITY)
    return { app: image.app, run: { kind: 'sleep' }, ports: [], stop };
  if (duration !== undefined)
    return {
      app: image.app,
      run: { kind: 'exit', exitCode: 0, runMs: [duration, duration], output: echoedLines(line) },
      ports: [],
      stop,
    };
  const runMs = role === 'init' ? timing.initRunMs : timing.commandRunMs;
  return {
    app: image.app,
    run: { kind: 'exit', exitCode: 0, runMs, output: echoedLines(line) },
    ports: [],
    stop: behaviour.stop,
  };
}

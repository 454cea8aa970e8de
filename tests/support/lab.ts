/**
 * A conformance lab: an embedded cluster on a manual clock, served over real HTTPS, and the real
 * kubectl pointed at it from the chapter's exercise folder. Tests run kubectl, then move simulated
 * time forward until the cluster reaches the state they want to look at.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createManualClock, type ManualClock } from '../../sandbox/cluster/clock.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../sandbox/cluster/embedded-cluster.ts';
import { chooseKubectl, type KubectlResult, runKubectl } from './kubectl.ts';

/** The chapter's exercise folder, where the book's commands run. */
export const EXERCISES_DIR = resolve(import.meta.dirname, '../../content/exercises/ch09');

export interface Lab {
  cluster: EmbeddedCluster;
  clock: ManualClock;
  kubectlVersion: string;
  /** The kubectl binary and the environment it runs with, for tests that spawn it themselves. */
  kubectlPath: string;
  env: Record<string, string>;
  /** Runs kubectl with a command line split on spaces (or an argument array). */
  kubectl(command: string | string[], options?: { cwd?: string }): Promise<KubectlResult>;
  /** Moves simulated time forward in steps, letting controllers settle after each. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances time until the predicate holds; throws with `what` when it does not within maxMs. */
  until(what: string, predicate: () => boolean, maxMs?: number, stepMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Splits a command line on spaces, keeping single-quoted parts together (enough for the book's commands). */
export function splitCommand(command: string): string[] {
  const args: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of command.matchAll(pattern)) args.push(match[1] ?? match[2] ?? match[3]!);
  return args;
}

/** Starts a lab; skip the calling test when no kubectl is installed. */
export async function startLab(options: { kubectlVersion?: string; namespace?: string } = {}): Promise<Lab> {
  const kubectl = chooseKubectl(options.kubectlVersion);
  if (!kubectl)
    throw new Error(
      `kubectl ${options.kubectlVersion ?? ''} is not installed: the conformance suite needs the real binary`,
    );
  const clock = createManualClock();
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const cluster = await startEmbeddedCluster({ clock, random });
  const home = mkdtempSync(join(tmpdir(), 'rollout-lab-kubectl-'));
  const kubeconfig = join(home, 'config');
  writeFileSync(kubeconfig, cluster.adminKubeconfig(options.namespace ?? 'default'));
  const env = {
    KUBECONFIG: kubeconfig,
    HOME: home,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    KUBECACHEDIR: join(home, 'cache'),
  };
  const settle = () => cluster.controlPlane.settle();
  const advance = async (ms: number, stepMs = 250): Promise<void> => {
    for (let left = ms; left > 0; left -= stepMs) {
      clock.advance(Math.min(stepMs, left));
      await settle();
    }
  };
  return {
    cluster,
    clock,
    kubectlVersion: kubectl.version,
    kubectlPath: kubectl.path,
    env,
    async kubectl(command, opts = {}) {
      const split = Array.isArray(command) ? command : splitCommand(command);
      // Commands may be written as the book writes them, with the leading `kubectl`.
      const args = split[0] === 'kubectl' ? split.slice(1) : split;
      const result = await runKubectl(kubectl.path, args, { env, cwd: opts.cwd ?? EXERCISES_DIR });
      await settle();
      return result;
    },
    advance,
    async until(what, predicate, maxMs = 600_000, stepMs = 250) {
      await settle();
      for (let elapsed = 0; !predicate(); elapsed += stepMs) {
        if (elapsed > maxMs)
          throw new Error(`timed out after ${maxMs / 1000}s of simulated time waiting for: ${what}`);
        await advance(stepMs, stepMs);
      }
    },
    async stop() {
      await cluster.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Normalizes kubectl output for comparison with a transcript from a real cluster: generated name
 * suffixes and ages become placeholders, and column padding (which depends on name lengths)
 * collapses to one separator.
 */
export function normalizeOutput(text: string): string[] {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '$1-<hash>-<id>')
        .replace(/\b([a-z][a-z0-9-]*?)-(?=[a-z0-9]*\d)[a-z0-9]{8,10}\b/g, '$1-<hash>')
        .replace(
          /(^|\s)(\d+d)?(\d+h)?(\d+m)?(\d+s)?(?=\s|$)/g,
          (match, lead: string, ...parts: (string | undefined)[]) =>
            parts.slice(0, 4).some(Boolean) ? `${lead}<age>` : match,
        )
        .trim()
        .split(/\s{2,}/)
        .join(' | '),
    )
    .filter((line) => line !== '');
}

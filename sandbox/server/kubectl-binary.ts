/**
 * Which kubectl binary the terminal runs. The machine image carries one binary per minor version
 * (`/usr/lib/google-cloud-sdk/bin/kubectl.1.27` … `kubectl.1.33`); the server picks the one that
 * matches the cluster's version, as `/usr/bin/kubectl` would, but once at start and without a
 * dispatcher in between. Elsewhere, `kubectl` on PATH.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the versioned binaries live on the machine image. */
export const VERSIONED_KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

/** One kubectl binary and its minor version (undefined for a plain `kubectl` of unknown version). */
export interface KubectlBinary {
  path: string;
  minor: number | undefined;
}

/** No kubectl anywhere: what to install. */
export class MissingKubectlError extends Error {
  readonly hint: string;
  constructor() {
    super('kubectl is not installed: the terminal runs the real kubectl binary');
    this.name = 'MissingKubectlError';
    this.hint =
      'Install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/, or `apt-get install kubectl` / `gcloud components install kubectl`), make sure `kubectl version --client` works, then run npm start again.';
  }
}

/** The versioned binaries in a folder, oldest first: `kubectl.1.32` → minor 32. */
export function listVersionedKubectls(dir: string, names: readonly string[]): KubectlBinary[] {
  return names
    .map((name) => /^kubectl\.1\.(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: join(dir, m[0]), minor: Number(m[1]) }))
    .sort((a, b) => (a.minor ?? 0) - (b.minor ?? 0));
}

/**
 * The binary for a server of minor version `serverMinor`: the same minor if installed, else the
 * nearest within kubectl's supported skew of one minor (newer first), else the newest installed,
 * else `onPath`. For example with 1.27…1.33 installed, a 1.32 server gets kubectl.1.32 and a
 * 1.35 server gets kubectl.1.33.
 */
export function chooseKubectlBinary(
  versioned: readonly KubectlBinary[],
  serverMinor: number | undefined,
  onPath: string | undefined,
): KubectlBinary | undefined {
  if (serverMinor !== undefined) {
    for (const minor of [serverMinor, serverMinor + 1, serverMinor - 1]) {
      const found = versioned.find((k) => k.minor === minor);
      if (found) return found;
    }
  }
  const newest = versioned.at(-1);
  if (newest) return newest;
  return onPath ? { path: onPath, minor: undefined } : undefined;
}

/** The first executable `kubectl` on a PATH string. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The installed kubectl binaries of this machine, in the versioned folder and on PATH. */
export function discoverKubectls(env: NodeJS.ProcessEnv): {
  versioned: KubectlBinary[];
  onPath: string | undefined;
} {
  let names: string[] = [];
  try {
    names = readdirSync(VERSIONED_KUBECTL_DIR);
  } catch {
    names = [];
  }
  return {
    versioned: listVersionedKubectls(VERSIONED_KUBECTL_DIR, names),
    onPath: findOnPath('kubectl', env.PATH),
  };
}

/** Reads the minor version from a `/version` answer (`{"major":"1","minor":"32+"}` → 32). */
export function parseServerMinor(versionJson: string): number | undefined {
  try {
    const value = JSON.parse(versionJson) as { major?: unknown; minor?: unknown };
    if (value.major !== '1' || typeof value.minor !== 'string') return undefined;
    const minor = Number.parseInt(value.minor, 10);
    return Number.isFinite(minor) ? minor : undefined;
  } catch {
    return undefined;
  }
}

/** Plugin executables (`kubectl-*`) in the folders of the terminal's PATH: none should be there. */
export function findKubectlPlugins(pathVariable: string): string[] {
  const found: string[] = [];
  for (const dir of pathVariable.split(delimiter)) {
    try {
      for (const name of readdirSync(dir)) if (name.startsWith('kubectl-')) found.push(join(dir, name));
    } catch {
      // a missing folder has no plugins
    }
  }
  return found;
}

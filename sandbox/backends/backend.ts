/**
 * Choosing and building the sandbox backend. Nothing above `sandbox/backends/` knows which one
 * runs: they all give a ClusterAccess, and sessions are provisioned through the Kubernetes API.
 *
 * Environment (see backendConfigFromEnv):
 *   SANDBOX_BACKEND            embedded (default) | kind | kubeconfig
 *   SANDBOX_TIME_SCALE         embedded: simulated time runs this many times faster (default 1)
 *   SANDBOX_NODES              embedded: simulated nodes (default 1, as the book's cluster);
 *                              kind: nodes of the cluster (default 1)
 *   SANDBOX_PODS_PER_NODE      embedded: a node's maxPods (default from SANDBOX_MAX_SESSIONS)
 *   SANDBOX_MAX_SESSIONS       the session cap the embedded node is sized for (default 200)
 *   SANDBOX_API_HOST/PORT      embedded: where its API listens (loopback, a free port)
 *   KIND_CLUSTER_NAME          kind: cluster to create or reuse (default rollout-lab)
 *   KIND_NODE_IMAGE            kind: kindest/node image (kind's default when unset)
 *   KIND_DELETE_ON_STOP=1      kind: delete the cluster when the server stops
 *   KIND_LOAD_IMAGES=0         kind: do not load the chapter's images from the host
 *   KIND_DRY_RUN=1             kind: print the commands instead of running them
 *   KUBECONFIG_PATH (or SANDBOX_KUBECONFIG) and SANDBOX_CONTEXT: kubeconfig backend
 */
import { resolve } from 'node:path';
import { createEmbeddedBackend, podsForSessions } from './embedded/embedded-backend.ts';
import { createKindBackend } from './kind/kind-backend.ts';
import { createDryRunHost, createExecaHost, type KindHost } from './kind/kind-cli.ts';
import { DEFAULT_KIND_CLUSTER_NAME } from './kind/kind-config.ts';
import { createKubeconfigBackend } from './kubeconfig/kubeconfig-backend.ts';
import {
  BACKEND_NAMES,
  type BackendConfig,
  BackendError,
  type BackendName,
  type SandboxBackend,
} from './types.ts';

export { podsForSessions } from './embedded/embedded-backend.ts';
export { DEFAULT_KIND_CLUSTER_NAME } from './kind/kind-config.ts';
export {
  BACKEND_NAMES,
  type BackendConfig,
  BackendError,
  type BackendName,
  type ClusterAccess,
  type EmbeddedBackendConfig,
  type KindBackendConfig,
  type KubeconfigBackendConfig,
  type SandboxBackend,
} from './types.ts';

/** The chapter's exercise folder (the kind backend loads the images its manifests name). */
export const DEFAULT_EXERCISES_DIR = resolve(import.meta.dirname, '../../content/exercises/ch09');

/** The default session cap, which sizes the embedded cluster. */
export const DEFAULT_MAX_SESSIONS = 200;

function fixHint(variable: string, expected: string): string {
  return `set ${variable} to ${expected}, or unset it for the default`;
}

function readNumber(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!valid(value)) throw new BackendError(`${variable} is "${raw}"`, fixHint(variable, expected));
  return value;
}

function readFlag(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new BackendError(`${variable} is "${env[variable]}"`, fixHint(variable, '1 or 0'));
}

const isWhole = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;

/**
 * Reads the backend configuration from the environment; throws BackendError for a value that makes
 * no sense, naming the variable. Example: `{ SANDBOX_BACKEND: 'kind' }` gives
 * `{ backend: 'kind', clusterName: 'rollout-lab', nodes: 1, … }`.
 */
export function backendConfigFromEnv(env: NodeJS.ProcessEnv): BackendConfig {
  const raw = (env.SANDBOX_BACKEND ?? '').trim() || 'embedded';
  if (!(BACKEND_NAMES as readonly string[]).includes(raw))
    throw new BackendError(
      `SANDBOX_BACKEND is "${raw}"`,
      fixHint('SANDBOX_BACKEND', BACKEND_NAMES.join(', ')),
    );
  const backend = raw as BackendName;
  switch (backend) {
    case 'embedded': {
      const maxSessions = readNumber(
        env,
        'SANDBOX_MAX_SESSIONS',
        DEFAULT_MAX_SESSIONS,
        isWhole(1, 100_000),
        'a whole number of sessions',
      );
      const config: BackendConfig = {
        backend,
        timeScale: readNumber(
          env,
          'SANDBOX_TIME_SCALE',
          1,
          (n) => n > 0 && n <= 1000,
          'a number from 0.1 to 1000',
        ),
        nodes: readNumber(env, 'SANDBOX_NODES', 1, isWhole(1, 250), 'a whole number from 1 to 250'),
        podsPerNode: readNumber(
          env,
          'SANDBOX_PODS_PER_NODE',
          podsForSessions(maxSessions),
          isWhole(1, 1_000_000),
          'a whole number of pods',
        ),
      };
      const host = env.SANDBOX_API_HOST?.trim();
      if (host) config.host = host;
      const port = readNumber(env, 'SANDBOX_API_PORT', 0, isWhole(0, 65535), 'a port number');
      if (port) config.port = port;
      return config;
    }
    case 'kind': {
      const clusterName = env.KIND_CLUSTER_NAME?.trim() || DEFAULT_KIND_CLUSTER_NAME;
      // kind names containers and the kubeconfig context after the cluster: a DNS label.
      if (!/^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/.test(clusterName))
        throw new BackendError(
          `KIND_CLUSTER_NAME is "${clusterName}"`,
          fixHint('KIND_CLUSTER_NAME', 'lowercase letters, digits and dashes (for example rollout-lab)'),
        );
      const config: BackendConfig = {
        backend,
        clusterName,
        nodes: readNumber(env, 'SANDBOX_NODES', 1, isWhole(1, 10), 'a whole number from 1 to 10'),
        deleteOnStop: readFlag(env, 'KIND_DELETE_ON_STOP', false),
        loadImages: readFlag(env, 'KIND_LOAD_IMAGES', true),
        waitSeconds: 60,
        dryRun: readFlag(env, 'KIND_DRY_RUN', false),
      };
      const nodeImage = env.KIND_NODE_IMAGE?.trim();
      if (nodeImage) config.nodeImage = nodeImage;
      return config;
    }
    case 'kubeconfig': {
      const path = (env.KUBECONFIG_PATH ?? env.SANDBOX_KUBECONFIG ?? '').trim();
      if (!path)
        throw new BackendError(
          'SANDBOX_BACKEND=kubeconfig needs a kubeconfig file',
          'set KUBECONFIG_PATH=/path/to/kubeconfig (and SANDBOX_CONTEXT=<context> to pick one of its contexts)',
        );
      const config: BackendConfig = { backend, path };
      const context = env.SANDBOX_CONTEXT?.trim();
      if (context) config.context = context;
      return config;
    }
  }
}

/** What createBackend may be given besides the configuration. */
export interface BackendDeps {
  /** Runs kind and docker; the real programs (or a recording dry run) by default. */
  kindHost?: KindHost;
  /** Environment for kind and docker (PATH…), added to this process's. */
  env?: NodeJS.ProcessEnv;
  exercisesDir?: string;
  /** Progress lines (kind's create and image loading). */
  log?: (line: string) => void;
}

/** Builds the backend a configuration names. Starting it is a separate step (start()). */
export function createBackend(config: BackendConfig, deps: BackendDeps = {}): SandboxBackend {
  switch (config.backend) {
    case 'embedded':
      return createEmbeddedBackend(config);
    case 'kind':
      return createKindBackend(config, {
        host:
          deps.kindHost ??
          (config.dryRun
            ? createDryRunHost({}, (line) => (deps.log ?? console.log)(`[dry run] ${line}`))
            : createExecaHost({ env: deps.env })),
        exercisesDir: deps.exercisesDir ?? DEFAULT_EXERCISES_DIR,
        log: deps.log,
      });
    case 'kubeconfig':
      return createKubeconfigBackend(config);
  }
}

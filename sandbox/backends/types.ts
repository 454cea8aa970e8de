/**
 * What every sandbox backend is: something that gives the server an admin kubeconfig for a
 * Kubernetes API. Kept apart from `backend.ts` so the backends can import these without a cycle.
 */

/** The three ways to get a cluster. */
export type BackendName = 'embedded' | 'kind' | 'kubeconfig';

/** The backend names, for validating configuration. */
export const BACKEND_NAMES: readonly BackendName[] = ['embedded', 'kind', 'kubeconfig'];

/** How the server reaches the cluster a backend gives. */
export interface ClusterAccess {
  /** The API server's URL. */
  server: string;
  /** A kubeconfig (YAML) with one current context that may create namespaces and RBAC objects. */
  adminKubeconfig: string;
  /**
   * How many times faster than real time the cluster's clock runs (the embedded backend's time
   * scale; 1 elsewhere). Token lifetimes are simulated time, so sessions ask for longer ones.
   */
  timeScale?: number;
  /** One line for the server's start-up message: which cluster this is. */
  description?: string;
}

/** A backend: start or connect once, stop when the server exits. */
export interface SandboxBackend {
  readonly name: BackendName;
  /** Starts or connects; throws BackendError with a message saying what to install or fix. */
  start(): Promise<ClusterAccess>;
  /** Releases what start() made (embedded: stops the control plane; kind: nothing unless configured to delete). */
  stop(): Promise<void>;
}

/**
 * A backend cannot start. `message` is the whole sentence for a terminal (problem and what to do);
 * `hint` is the what-to-do part alone.
 */
export class BackendError extends Error {
  readonly hint: string;
  constructor(problem: string, hint: string, options?: { cause?: unknown }) {
    super(`${problem}: ${hint}`, options);
    this.name = 'BackendError';
    this.hint = hint;
  }
}

/** The embedded control plane, in the server's process. */
export interface EmbeddedBackendConfig {
  backend: 'embedded';
  /** Simulated time runs this many times faster than real time. */
  timeScale: number;
  /** Simulated nodes. */
  nodes: number;
  /** Pods each simulated node holds (its kubelet's `maxPods`); 110 when not given. */
  podsPerNode?: number;
  /** Where the API listens (loopback and a free port by default). */
  host?: string;
  port?: number;
}

/** A kind cluster that the server creates or reuses. */
export interface KindBackendConfig {
  backend: 'kind';
  /** `kind create cluster --name`; `rollout-lab` by default. */
  clusterName: string;
  /** Nodes of the cluster: one control plane plus `nodes - 1` workers. */
  nodes: number;
  /** kindest/node image to pin the Kubernetes version; kind's default when absent. */
  nodeImage?: string;
  /** Delete the cluster when the server stops (otherwise it is reused next time). */
  deleteOnStop: boolean;
  /** Load the chapter's images from the host's Docker into the nodes when the host has them. */
  loadImages: boolean;
  /** Seconds `kind create cluster --wait` waits for the control plane. */
  waitSeconds: number;
  /** Record the commands instead of running them (see kind-cli.ts). */
  dryRun: boolean;
}

/** An existing cluster, from a kubeconfig file and a context. */
export interface KubeconfigBackendConfig {
  backend: 'kubeconfig';
  path: string;
  /** The context to use; the file's current-context when absent. */
  context?: string;
}

/** Configuration for createBackend: one of the three. */
export type BackendConfig = EmbeddedBackendConfig | KindBackendConfig | KubeconfigBackendConfig;

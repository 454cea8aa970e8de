/**
 * The embedded backend: the project's own control plane, in the server's process. No Docker.
 */
import {
  type EmbeddedCluster,
  type EmbeddedClusterOptions,
  startEmbeddedCluster,
} from '../../cluster/embedded-cluster.ts';
import type { ClusterAccess, EmbeddedBackendConfig, SandboxBackend } from '../types.ts';

/** Simulated pods a node holds, as a kubelet's default `maxPods`. */
export const PODS_PER_NODE = 110;

/** Pods one learner has at the busiest moment of the chapter (a rollout of vweb beside the to-do app). */
export const PODS_PER_SESSION = 12;

/**
 * Room on the one simulated node for `maxSessions` learners: 12 pods each, never less than the
 * kubelet's default 110 (200 sessions → 2,400). The sandbox is one node, as the book's single-node
 * cluster: a DaemonSet then runs one pod per learner, as the lessons say, instead of one per node
 * (24 nodes once put 24 to-do proxies in every namespace, past the learner's quota of 20 pods).
 * A kubelet's `maxPods` is a setting, so one big node is a real cluster's shape too.
 */
export function podsForSessions(maxSessions: number): number {
  return Math.max(PODS_PER_NODE, maxSessions * PODS_PER_SESSION);
}

/** The embedded backend, with the running cluster exposed for the server's diagnostics. */
export interface EmbeddedBackend extends SandboxBackend {
  /** The running cluster between start() and stop(). */
  readonly cluster: EmbeddedCluster | undefined;
}

/** Creates the embedded backend; `start` is injectable for tests. */
export function createEmbeddedBackend(
  config: Omit<EmbeddedBackendConfig, 'backend'>,
  start: (options: EmbeddedClusterOptions) => Promise<EmbeddedCluster> = startEmbeddedCluster,
): EmbeddedBackend {
  let cluster: EmbeddedCluster | undefined;
  let access: ClusterAccess | undefined;
  return {
    name: 'embedded',
    get cluster() {
      return cluster;
    },
    async start() {
      if (access) return access;
      const options: EmbeddedClusterOptions = { timeScale: config.timeScale, nodes: config.nodes };
      if (config.podsPerNode !== undefined) options.podsPerNode = config.podsPerNode;
      if (config.host !== undefined) options.host = config.host;
      if (config.port !== undefined) options.port = config.port;
      cluster = await start(options);
      access = {
        server: cluster.url,
        adminKubeconfig: cluster.adminKubeconfig(),
        timeScale: config.timeScale,
        description: `embedded control plane at ${cluster.url} (${config.nodes} simulated node${config.nodes === 1 ? '' : 's'} of ${config.podsPerNode ?? PODS_PER_NODE} pods, time ×${config.timeScale})`,
      };
      return access;
    },
    async stop() {
      const running = cluster;
      cluster = undefined;
      access = undefined;
      await running?.stop();
    },
  };
}

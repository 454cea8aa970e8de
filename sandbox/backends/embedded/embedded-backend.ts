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

/**
 * Nodes enough for `maxSessions` learners. A learner who follows the chapter has about a dozen
 * pods at the busiest moment (a rolling update of vweb beside the to-do app), so the default cap of
 * 200 sessions gives ceil(200 × 12 / 100) = 24 nodes; 100 rather than 110 leaves some headroom.
 */
export function nodesForSessions(maxSessions: number): number {
  return Math.max(1, Math.ceil((maxSessions * 12) / 100));
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
      if (config.host !== undefined) options.host = config.host;
      if (config.port !== undefined) options.port = config.port;
      cluster = await start(options);
      access = {
        server: cluster.url,
        adminKubeconfig: cluster.adminKubeconfig(),
        timeScale: config.timeScale,
        description: `embedded control plane at ${cluster.url} (${config.nodes} simulated node${config.nodes === 1 ? '' : 's'}, time ×${config.timeScale})`,
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

/**
 * The kind backend: creates (or reuses) a kind cluster named by configuration, loads the chapter's
 * images from the host when it has them, and hands the server the cluster's admin kubeconfig.
 */
import { join } from 'node:path';
import { resolveKubeconfig } from '../../kube-client/kubeconfig.ts';
import { BackendError, type ClusterAccess, type KindBackendConfig, type SandboxBackend } from '../types.ts';
import { verifyClusterAccess } from '../verify.ts';
import { KindCli, type KindHost } from './kind-cli.ts';
import { listChapterImages, renderKindConfig } from './kind-config.ts';

/** What the kind backend needs besides its configuration. */
export interface KindBackendDeps {
  /** Runs kind and docker (the real programs, or a dry run). */
  host: KindHost;
  /** The chapter's exercise folder, to find the images to load. */
  exercisesDir: string;
  /** Checks the admin kubeconfig reaches a cluster it may provision on; skipped in a dry run. */
  verify?: (access: ClusterAccess) => Promise<void>;
  /** Progress lines for the server's console. */
  log?: (line: string) => void;
}

/** Loads the images the host has into the cluster; returns those loaded. */
export async function loadHostImages(cli: KindCli, clusterName: string, images: string[]): Promise<string[]> {
  // Ask Docker about every image at once (cheap); load one by one (each copies an image archive).
  const present = await Promise.all(images.map((image) => cli.hostHasImage(image)));
  const toLoad = images.filter((_, i) => present[i]);
  for (const image of toLoad) await cli.loadDockerImage(image, clusterName);
  return toLoad;
}

/** Creates the kind backend. */
export function createKindBackend(config: KindBackendConfig, deps: KindBackendDeps): SandboxBackend {
  const cli = new KindCli(deps.host);
  const log = deps.log ?? (() => {});
  const verify = config.dryRun ? async () => {} : (deps.verify ?? verifyClusterAccess);
  return {
    name: 'kind',
    async start() {
      await cli.detect();
      const name = config.clusterName;
      const existing = await cli.getClusters();
      if (existing.includes(name)) {
        log(`Reusing kind cluster "${name}"`);
      } else {
        log(`Creating kind cluster "${name}" (the first time takes a minute or two)`);
        const dir = await deps.host.makeTempDir('rollout-lab-kind-');
        try {
          const configPath = join(dir, 'kind-config.yaml');
          await deps.host.writeFile(
            configPath,
            renderKindConfig({ nodes: config.nodes, nodeImage: config.nodeImage }),
          );
          await cli.createCluster(name, configPath, config.waitSeconds, join(dir, 'kubeconfig'));
        } finally {
          await deps.host.removeDir(dir);
        }
      }
      const adminKubeconfig = await cli.getKubeconfig(name);
      let server: string;
      try {
        server = resolveKubeconfig(adminKubeconfig).cluster.server;
      } catch (error) {
        throw new BackendError(
          `kind gave an unusable kubeconfig for "${name}" (${(error as Error).message})`,
          'delete the cluster with `npm run kind:down` and start again',
        );
      }
      if (config.loadImages) {
        const loaded = await loadHostImages(cli, name, listChapterImages(deps.exercisesDir));
        if (loaded.length > 0)
          log(`Loaded ${loaded.length} image(s) from the host into "${name}": ${loaded.join(', ')}`);
      }
      const access: ClusterAccess = {
        server,
        adminKubeconfig,
        timeScale: 1,
        description: `kind cluster "${name}" at ${server}`,
      };
      await verify(access);
      return access;
    },
    async stop() {
      if (config.deleteOnStop) await cli.deleteCluster(config.clusterName);
    },
  };
}

/**
 * The kubeconfig backend: an existing cluster, from a kubeconfig file and a context. The chosen
 * context is flattened into a self-contained kubeconfig (file references inlined), so sessions do
 * not depend on the files next to the original.
 */
import { existsSync } from 'node:fs';
import {
  KubeconfigError,
  renderResolvedKubeconfig,
  resolveKubeconfigFile,
} from '../../kube-client/kubeconfig.ts';
import {
  BackendError,
  type ClusterAccess,
  type KubeconfigBackendConfig,
  type SandboxBackend,
} from '../types.ts';
import { verifyClusterAccess } from '../verify.ts';

/** Reads the file and flattens the chosen context; throws BackendError saying what to fix. */
export function readClusterAccess(config: Omit<KubeconfigBackendConfig, 'backend'>): ClusterAccess {
  if (!existsSync(config.path))
    throw new BackendError(
      `the kubeconfig ${config.path} does not exist`,
      'set KUBECONFIG_PATH to a kubeconfig file (and SANDBOX_CONTEXT to one of its contexts), or use SANDBOX_BACKEND=embedded',
    );
  try {
    const resolved = resolveKubeconfigFile(config.path, config.context);
    return {
      server: resolved.cluster.server,
      adminKubeconfig: renderResolvedKubeconfig(resolved),
      timeScale: 1,
      description: `context "${resolved.contextName}" of ${config.path} (${resolved.cluster.server})`,
    };
  } catch (error) {
    if (error instanceof KubeconfigError)
      throw new BackendError(
        `cannot use ${config.path}: ${error.message}`,
        'fix the kubeconfig or choose another context with SANDBOX_CONTEXT',
        { cause: error },
      );
    throw error;
  }
}

/** Creates the kubeconfig backend; `verify` is injectable (tests skip the cluster check). */
export function createKubeconfigBackend(
  config: Omit<KubeconfigBackendConfig, 'backend'>,
  verify: (access: ClusterAccess) => Promise<void> = verifyClusterAccess,
): SandboxBackend {
  return {
    name: 'kubeconfig',
    async start() {
      const access = readClusterAccess(config);
      await verify(access);
      return access;
    },
    // The cluster is not ours: nothing to release. Sessions delete their own namespaces.
    async stop() {},
  };
}

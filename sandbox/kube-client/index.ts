/**
 * The sandbox's Kubernetes REST client: one way to talk to any backend's cluster.
 */
export {
  createKubeClient,
  KubeApiError,
  type KubeClient,
  type KubeClientOptions,
  KubeConnectionError,
  type KubeList,
  type KubeRequestOptions,
  parseErrorBody,
  withQuery,
} from './client.ts';
export {
  KubeconfigError,
  type ResolvedCluster,
  type ResolvedKubeconfig,
  type ResolvedUser,
  type ResolveOptions,
  renderResolvedKubeconfig,
  resolveKubeconfig,
  resolveKubeconfigFile,
} from './kubeconfig.ts';
export { type WaitOptions, waitForNamespaceGone } from './wait.ts';

/**
 * Kubeconfig files: what kubectl needs to reach a cluster as someone. Used for the admin
 * kubeconfig of `npm run cluster` and for learner sessions.
 */
import { stringify } from 'yaml';

/** What a kubeconfig names. */
export interface KubeconfigSpec {
  server: string;
  token: string;
  clusterName: string;
  userName: string;
  contextName: string;
  namespace?: string;
  /** PEM of the CA that signed the server's certificate, when the server speaks HTTPS. */
  certificateAuthority?: string;
}

/** Renders a kubeconfig as YAML with one cluster, one user and one current context. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster: Record<string, string> = { server: spec.server };
  if (spec.certificateAuthority)
    cluster['certificate-authority-data'] = Buffer.from(spec.certificateAuthority).toString('base64');
  const context: Record<string, string> = { cluster: spec.clusterName, user: spec.userName };
  if (spec.namespace) context.namespace = spec.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: spec.clusterName, cluster }],
    users: [{ name: spec.userName, user: { token: spec.token } }],
    contexts: [{ name: spec.contextName, context }],
    'current-context': spec.contextName,
    preferences: {},
  });
}

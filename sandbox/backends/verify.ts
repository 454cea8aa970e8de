/**
 * A first look at an external cluster before any learner arrives: is it reachable, and may this
 * identity create namespaces? Failing here gives one clear message instead of a failed session later.
 */
import { createKubeClient, KubeApiError, KubeConnectionError } from '../kube-client/client.ts';
import { BackendError, type ClusterAccess } from './types.ts';

/** Throws BackendError when the cluster cannot be reached or the identity may not provision sessions. */
export async function verifyClusterAccess(access: ClusterAccess): Promise<void> {
  const client = createKubeClient(access.adminKubeconfig, { timeoutMs: 10_000 });
  try {
    await client.get('/version');
    const review = await client.create<{ status?: { allowed?: boolean } }>(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'create', resource: 'namespaces' } },
      },
    );
    if (review.status?.allowed !== true)
      throw new BackendError(
        `the kubeconfig's user may not create namespaces on ${access.server}`,
        'use an identity bound to cluster-admin: the sandbox creates a namespace, a Role and a RoleBinding per learner',
      );
  } catch (error) {
    if (error instanceof BackendError) throw error;
    if (error instanceof KubeConnectionError)
      throw new BackendError(
        error.message,
        'check that the cluster is running and its server address is reachable from here',
        {
          cause: error,
        },
      );
    if (error instanceof KubeApiError && (error.statusCode === 401 || error.statusCode === 403))
      throw new BackendError(
        `the cluster at ${access.server} refused the kubeconfig's credentials (${error.statusCode} ${error.reason})`,
        'refresh the token or certificate in the kubeconfig',
        { cause: error },
      );
    throw error;
  } finally {
    client.close();
  }
}

/**
 * Provisioning a session's corner of the cluster through the Kubernetes API, with the same calls
 * on every backend: namespace, ServiceAccount, Role, RoleBinding, ResourceQuota, then a token.
 * Also emptying a namespace for a reset and deleting it when the session ends.
 */
import type { KubeObject } from '../cluster/api/objects.ts';
import { KubeApiError, type KubeClient } from '../kube-client/client.ts';
import { type ResolvedCluster, renderResolvedKubeconfig } from '../kube-client/kubeconfig.ts';
import { waitForNamespaceGone } from '../kube-client/wait.ts';
import {
  LEARNER_NAME,
  namespaceManifest,
  quotaManifest,
  roleBindingManifest,
  roleManifest,
  serviceAccountManifest,
  tokenRequestManifest,
} from './learner-access.ts';

/** The characters of generated names, as the API server's generateName uses (no vowels: no words). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `lab-` and 8 characters from `random` (values in [0, 1)). Example: always 0 gives `lab-bbbbbbbb`. */
export function generateNamespaceName(random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 8; i++)
    suffix += NAME_ALPHABET[Math.min(NAME_ALPHABET.length - 1, Math.floor(random() * NAME_ALPHABET.length))];
  return `lab-${suffix}`;
}

/**
 * The token lifetime to ask for, in the cluster's (simulated) seconds: twice the idle timeout in
 * real time, at least an hour, times the cluster's time scale, at most 48 hours. Example: a
 * 60-minute idle timeout on a cluster running 10× fast asks for 2 h × 10 = 72 000 s.
 */
export function tokenSecondsFor(idleTimeoutMs: number, timeScale: number): number {
  const realSeconds = Math.max(3600, Math.ceil((2 * idleTimeoutMs) / 1000));
  return Math.min(48 * 3600, Math.ceil(realSeconds * timeScale));
}

/** A token and how long the API server granted it for. */
export interface IssuedToken {
  token: string;
  /** Granted lifetime in the cluster's seconds. */
  expirationSeconds: number;
}

/** What provisioning made. */
export interface ProvisionedNamespace extends IssuedToken {
  namespace: string;
}

const namespacedPath = (group: string, namespace: string, plural: string): string =>
  `${group ? `/apis/${group}` : '/api/v1'}/namespaces/${namespace}/${plural}`;

/** Asks the TokenRequest subresource of the learner's ServiceAccount for a token. */
export async function requestLearnerToken(
  admin: KubeClient,
  namespace: string,
  seconds: number,
): Promise<IssuedToken> {
  const answer = await admin.create(
    `/api/v1/namespaces/${namespace}/serviceaccounts/${LEARNER_NAME}/token`,
    tokenRequestManifest(seconds),
  );
  const token = answer.status?.token;
  if (typeof token !== 'string' || token === '')
    throw new Error(`the TokenRequest for ${namespace}/${LEARNER_NAME} came back without a token`);
  const granted = Number(answer.spec?.expirationSeconds);
  return { token, expirationSeconds: Number.isFinite(granted) && granted > 0 ? granted : seconds };
}

/**
 * Creates the namespace (retrying on a name clash) and everything in it. The objects inside go in
 * parallel after the namespace exists; the token waits only for its ServiceAccount.
 */
export async function provisionNamespace(
  admin: KubeClient,
  options: {
    sessionId: string;
    random: () => number;
    quota: Readonly<Record<string, string>>;
    tokenSeconds: number;
  },
): Promise<ProvisionedNamespace> {
  let namespace = '';
  for (let attempt = 0; ; attempt++) {
    namespace = generateNamespaceName(options.random);
    try {
      await admin.create('/api/v1/namespaces', namespaceManifest(namespace, options.sessionId));
      break;
    } catch (error) {
      const clash = error instanceof KubeApiError && error.statusCode === 409;
      if (!clash || attempt >= 4) throw error;
    }
  }
  const create = (group: string, plural: string, object: KubeObject) =>
    admin.create(namespacedPath(group, namespace, plural), object);
  try {
    const [issued] = await Promise.all([
      create('', 'serviceaccounts', serviceAccountManifest(namespace)).then(() =>
        requestLearnerToken(admin, namespace, options.tokenSeconds),
      ),
      create('rbac.authorization.k8s.io/v1', 'roles', roleManifest(namespace)),
      create('rbac.authorization.k8s.io/v1', 'rolebindings', roleBindingManifest(namespace)),
      create('', 'resourcequotas', quotaManifest(namespace, options.quota)),
    ]);
    return { namespace, ...issued };
  } catch (error) {
    // Half a session is worse than none: take the namespace back before reporting.
    await deleteNamespace(admin, namespace, 0).catch(() => {});
    throw error;
  }
}

/** The learner's kubeconfig: the admin's cluster entry, the learner's token, their namespace. */
export function renderSessionKubeconfig(cluster: ResolvedCluster, namespace: string, token: string): string {
  return renderResolvedKubeconfig({
    contextName: 'rollout-lab',
    clusterName: 'rollout-lab',
    userName: LEARNER_NAME,
    namespace,
    cluster,
    user: { token },
  });
}

/** One kind of object a reset removes, and how. */
export interface ResetTarget {
  group: string;
  plural: string;
  query?: Record<string, string>;
}

/**
 * What a reset deletes, in order: the controllers first (their Pods go with them in the background),
 * then the rest at once. Pods go without a grace period so the learner sees an empty namespace
 * at once; the root CA ConfigMap that real clusters put in every namespace stays.
 */
export const RESET_STAGES: readonly (readonly ResetTarget[])[] = [
  [
    { group: 'apps/v1', plural: 'deployments', query: { propagationPolicy: 'Background' } },
    { group: 'apps/v1', plural: 'statefulsets', query: { propagationPolicy: 'Background' } },
    { group: 'apps/v1', plural: 'daemonsets', query: { propagationPolicy: 'Background' } },
  ],
  [
    { group: 'apps/v1', plural: 'replicasets', query: { propagationPolicy: 'Background' } },
    { group: '', plural: 'pods', query: { gracePeriodSeconds: '0' } },
    { group: '', plural: 'services' },
    { group: '', plural: 'configmaps', query: { fieldSelector: 'metadata.name!=kube-root-ca.crt' } },
    { group: '', plural: 'secrets' },
    { group: '', plural: 'persistentvolumeclaims' },
    { group: '', plural: 'events' },
  ],
];

/**
 * Deletes every object of one kind in a namespace: DELETE on the collection, or, where the server
 * does not offer that (405), a list and one DELETE per object. A kind the cluster does not serve
 * (404) has nothing to delete.
 */
export async function deleteAllOf(admin: KubeClient, namespace: string, target: ResetTarget): Promise<void> {
  const path = namespacedPath(target.group, namespace, target.plural);
  try {
    await admin.delete(path, target.query);
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    if (error.statusCode === 404) return;
    if (error.statusCode !== 405) throw error;
    const { fieldSelector, ...deleteQuery } = target.query ?? {};
    const list = await admin.list(path, fieldSelector ? { fieldSelector } : undefined);
    await Promise.all(
      list.items.map((item) =>
        admin.delete(`${path}/${item.metadata.name}`, deleteQuery).catch((e: unknown) => {
          if (!(e instanceof KubeApiError && e.statusCode === 404)) throw e;
        }),
      ),
    );
  }
}

/** Empties a namespace of what a learner can create (and its events); keeps the learner's access. */
export async function emptyNamespace(admin: KubeClient, namespace: string): Promise<void> {
  for (const stage of RESET_STAGES)
    await Promise.all(stage.map((target) => deleteAllOf(admin, namespace, target)));
}

/**
 * Deletes a namespace (the cluster's namespace controller removes its content) and waits up to
 * `waitMs` for it to be gone. Resolves whether it is gone; a namespace already gone counts as gone.
 */
export async function deleteNamespace(
  admin: KubeClient,
  namespace: string,
  waitMs: number,
): Promise<boolean> {
  try {
    await admin.delete(`/api/v1/namespaces/${namespace}`, { propagationPolicy: 'Background' });
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 404) return true;
    throw error;
  }
  return waitMs > 0 ? waitForNamespaceGone(admin, namespace, { timeoutMs: waitMs }) : false;
}

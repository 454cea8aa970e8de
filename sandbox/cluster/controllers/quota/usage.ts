/**
 * What a ResourceQuota has used (upstream `pkg/quota/v1/evaluator/core`): object counts, pod
 * compute requests and limits, claim storage, per StorageClass, and service node ports and load
 * balancers, only for the keys the quota sets in `hard`. Pure functions over the namespace's
 * objects; quantities use the API's exact arithmetic and print in canonical form (`1500m`, `128Mi`).
 */
import type { KubeObject } from '../../api/objects.ts';
import { formatQuantity, parseQuantity, type Quantity } from '../../api/validation/quantity.ts';

/** Suffix of per-StorageClass quota keys: `standard.storageclass.storage.k8s.io/requests.storage`. */
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

const ZERO: Quantity = { negative: false, mantissa: 0n, scale: 0, format: 'DecimalSI' };

/**
 * a + b exactly. The result prints in a's format, or b's when a is zero (as Go's Quantity.Add), so
 * 250m + 250m = 500m and 64Mi + 64Mi = 128Mi.
 */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.min(a.scale, b.scale);
  const signed = (q: Quantity): bigint =>
    q.mantissa * 10n ** BigInt(q.scale - scale) * (q.negative ? -1n : 1n);
  const sum = signed(a) + signed(b);
  const format = a.mantissa === 0n ? b.format : a.format;
  return { negative: sum < 0n, mantissa: sum < 0n ? -sum : sum, scale, format };
}

/** The larger of two quantities (a on ties). */
function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return compare(a, b) >= 0 ? a : b;
}

function compare(a: Quantity, b: Quantity): number {
  const diff = addQuantities(a, { ...b, negative: !b.negative });
  return diff.mantissa === 0n ? 0 : diff.negative ? -1 : 1;
}

function quantityOf(value: unknown): Quantity {
  return parseQuantity(value) ?? ZERO;
}

/** A resource list as a map of parsed quantities. */
type ResourceList = Map<string, Quantity>;

function addInto(target: ResourceList, source: ResourceList): void {
  for (const [name, value] of source) target.set(name, addQuantities(target.get(name) ?? ZERO, value));
}

interface Container {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  restartPolicy?: string;
}

/** A container's requests, taking limits where a request is missing (as API defaulting does). */
function containerList(container: Container, which: 'requests' | 'limits'): ResourceList {
  const list: ResourceList = new Map();
  const limits = container.resources?.limits ?? {};
  const source = which === 'limits' ? limits : { ...limits, ...(container.resources?.requests ?? {}) };
  for (const [name, value] of Object.entries(source)) list.set(name, quantityOf(value));
  return list;
}

/**
 * A pod's effective requests or limits: the sum over its containers, or the largest init
 * container where that is larger (init containers run one at a time, before the others), plus
 * spec.overhead. Worked example: containers 100m + 200m, init container 500m → 500m.
 */
export function podResourceList(pod: KubeObject, which: 'requests' | 'limits'): ResourceList {
  const spec = pod.spec ?? {};
  const total: ResourceList = new Map();
  for (const container of (spec.containers ?? []) as Container[])
    addInto(total, containerList(container, which));
  for (const init of (spec.initContainers ?? []) as Container[]) {
    for (const [name, value] of containerList(init, which))
      total.set(name, maxQuantity(total.get(name) ?? ZERO, value));
  }
  for (const [name, value] of Object.entries((spec.overhead ?? {}) as Record<string, unknown>))
    total.set(name, addQuantities(total.get(name) ?? ZERO, quantityOf(value)));
  return total;
}

/**
 * Whether a pod counts against quota (upstream `QuotaV1Pod`): not finished, and not past its
 * deletion plus grace period. Returns also when it stops counting, for a timer.
 */
export function podCountsAgainstQuota(pod: KubeObject, nowMs: number): { counts: boolean; untilMs?: number } {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return { counts: false };
  const deletion = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined) {
    const until = Date.parse(deletion) + grace * 1000;
    if (nowMs > until) return { counts: false };
    return { counts: true, untilMs: until };
  }
  return { counts: true };
}

/** Whether a pod falls within quota scopes (BestEffort, NotBestEffort, Terminating, NotTerminating). */
export function podMatchesScopes(pod: KubeObject, scopes: readonly string[]): boolean {
  const requests = podResourceList(pod, 'requests');
  const limits = podResourceList(pod, 'limits');
  const bestEffort = ['cpu', 'memory'].every((r) => !requests.has(r) && !limits.has(r));
  const terminating =
    pod.spec?.activeDeadlineSeconds !== undefined && pod.spec?.activeDeadlineSeconds !== null;
  return scopes.every((scope) => {
    switch (scope) {
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      default:
        return true;
    }
  });
}

/** The namespace content a quota is computed from. */
export interface NamespaceContent {
  pods: readonly KubeObject[];
  services: readonly KubeObject[];
  claims: readonly KubeObject[];
  /** Object count per qualified resource name (`pods`, `deployments.apps`), for `count/…` keys. */
  counts: ReadonlyMap<string, number>;
}

const COMPUTE_KEYS: Record<string, { list: 'requests' | 'limits'; resource: string }> = {
  cpu: { list: 'requests', resource: 'cpu' },
  memory: { list: 'requests', resource: 'memory' },
  'ephemeral-storage': { list: 'requests', resource: 'ephemeral-storage' },
  'requests.cpu': { list: 'requests', resource: 'cpu' },
  'requests.memory': { list: 'requests', resource: 'memory' },
  'requests.ephemeral-storage': { list: 'requests', resource: 'ephemeral-storage' },
  'limits.cpu': { list: 'limits', resource: 'cpu' },
  'limits.memory': { list: 'limits', resource: 'memory' },
  'limits.ephemeral-storage': { list: 'limits', resource: 'ephemeral-storage' },
};

const SHORT_COUNT_KEYS = new Set([
  'pods',
  'services',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'resourcequotas',
]);

function count(n: number): Quantity {
  return { negative: false, mantissa: BigInt(n), scale: 0, format: 'DecimalSI' };
}

function nodePortsOf(service: KubeObject): number {
  const type = service.spec?.type;
  if (type !== 'NodePort' && type !== 'LoadBalancer') return 0;
  return ((service.spec?.ports ?? []) as unknown[]).length;
}

/**
 * `status.used` for a quota: one canonical quantity per key of `hard` this evaluator knows.
 * Pods are filtered by scopes and by podCountsAgainstQuota; claims by StorageClass for the
 * per-class keys (a claim without a class counts under `defaultClass`).
 */
export function calculateUsage(
  hard: Record<string, unknown>,
  scopes: readonly string[],
  content: NamespaceContent,
  nowMs: number,
  defaultClass = 'standard',
): Record<string, string> {
  const pods = content.pods.filter(
    (p) => podCountsAgainstQuota(p, nowMs).counts && podMatchesScopes(p, scopes),
  );
  const used: Record<string, string> = {};
  for (const key of Object.keys(hard)) {
    let value: Quantity | undefined;
    const compute = COMPUTE_KEYS[key];
    if (compute) {
      value = pods.reduce(
        (sum, pod) => addQuantities(sum, podResourceList(pod, compute.list).get(compute.resource) ?? ZERO),
        ZERO,
      );
    } else if (key === 'pods' || key === 'count/pods') {
      value = count(pods.length);
    } else if (key === 'requests.storage') {
      value = content.claims.reduce(
        (sum, claim) => addQuantities(sum, quantityOf(claim.spec?.resources?.requests?.storage)),
        ZERO,
      );
    } else if (key.includes(STORAGE_CLASS_SUFFIX)) {
      const [storageClass, what] = key.split(STORAGE_CLASS_SUFFIX) as [string, string];
      const claims = content.claims.filter(
        (c) => (c.spec?.storageClassName ?? defaultClass) === storageClass,
      );
      if (what === 'persistentvolumeclaims') value = count(claims.length);
      else if (what === 'requests.storage')
        value = claims.reduce(
          (sum, claim) => addQuantities(sum, quantityOf(claim.spec?.resources?.requests?.storage)),
          ZERO,
        );
    } else if (key === 'services.loadbalancers') {
      value = count(content.services.filter((s) => s.spec?.type === 'LoadBalancer').length);
    } else if (key === 'services.nodeports') {
      value = count(content.services.reduce((sum, s) => sum + nodePortsOf(s), 0));
    } else if (SHORT_COUNT_KEYS.has(key) || key.startsWith('count/')) {
      const qualified = key.startsWith('count/') ? key.slice('count/'.length) : key;
      value = count(content.counts.get(qualified) ?? 0);
    }
    if (value) used[key] = formatQuantity(value);
  }
  return used;
}

/**
 * `GET /api/sessions/:id/checks`: a snapshot of the session's namespace, read through the API
 * server with the session's own kubeconfig (so it sees exactly what the learner may see), judged
 * against the lesson steps' declared checks.
 */
import { ch09Checks } from '../../content/checks/ch09.ts';
import type { StepChecksResponse } from '../../src/protocol/index.ts';
import { evaluateStep, type Locale, type NamespaceSnapshot } from '../checks/evaluate.ts';
import type { CheckInput } from '../checks/schema.ts';
import type { KubeObject } from '../cluster/api/objects.ts';
import { type KubeRequester, readApiStatus } from './kube-request.ts';

/** Every lesson step's checks by step id. */
export const STEP_CHECKS: Readonly<Record<string, readonly CheckInput[]>> = { ...ch09Checks };

/** Most step ids one request may ask for. */
export const MAX_STEPS_PER_REQUEST = 64;

/**
 * Where each snapshot list is read from (namespaced collection paths). The namespace watcher
 * (`sandbox/watch/`) lists and watches exactly these, so a new entry here is all it takes.
 */
export const COLLECTIONS: Readonly<Record<keyof NamespaceSnapshot, string>> = {
  deployments: '/apis/apps/v1/namespaces/{ns}/deployments',
  replicaSets: '/apis/apps/v1/namespaces/{ns}/replicasets',
  pods: '/api/v1/namespaces/{ns}/pods',
  services: '/api/v1/namespaces/{ns}/services',
  endpoints: '/api/v1/namespaces/{ns}/endpoints',
  configMaps: '/api/v1/namespaces/{ns}/configmaps',
  statefulSets: '/apis/apps/v1/namespaces/{ns}/statefulsets',
  daemonSets: '/apis/apps/v1/namespaces/{ns}/daemonsets',
  controllerRevisions: '/apis/apps/v1/namespaces/{ns}/controllerrevisions',
  events: '/api/v1/namespaces/{ns}/events',
};

/** The API server refused or failed a list; the message names the collection. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

async function listItems(requester: KubeRequester, path: string): Promise<KubeObject[]> {
  const response = await requester.get(path, { accept: 'application/json' });
  if (response.status !== 200) {
    const status = readApiStatus(response);
    throw new SnapshotError(
      `listing ${path} answered ${response.status}${status?.message ? `: ${status.message}` : ''}`,
    );
  }
  if (response.truncated) throw new SnapshotError(`listing ${path} was too large to read`);
  const list = JSON.parse(response.body) as { items?: unknown };
  return Array.isArray(list.items) ? (list.items as KubeObject[]) : [];
}

/** Lists everything a check can look at in `namespace`, in parallel. */
export async function takeNamespaceSnapshot(
  requester: KubeRequester,
  namespace: string,
): Promise<NamespaceSnapshot> {
  const ns = encodeURIComponent(namespace);
  const keys = Object.keys(COLLECTIONS) as (keyof NamespaceSnapshot)[];
  const lists = await Promise.all(
    keys.map((key) => listItems(requester, COLLECTIONS[key].replace('{ns}', ns))),
  );
  return Object.fromEntries(keys.map((key, i) => [key, lists[i]])) as unknown as NamespaceSnapshot;
}

/** The step ids of a `steps=a,b,c` parameter: trimmed, deduplicated, empty ones dropped. */
export function parseStepIds(text: string | null): string[] {
  if (!text) return [];
  return [
    ...new Set(
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    ),
  ];
}

/** Judges the asked steps against one snapshot; ids without checks are left out. */
export function judgeSteps(
  stepIds: readonly string[],
  snapshot: NamespaceSnapshot,
  locale: Locale,
): StepChecksResponse {
  const steps: StepChecksResponse['steps'] = {};
  for (const id of stepIds) {
    const checks = Object.hasOwn(STEP_CHECKS, id) ? STEP_CHECKS[id] : undefined;
    if (checks) steps[id] = evaluateStep(checks, snapshot, locale);
  }
  return { steps };
}

/**
 * The load balancer controller: gives every LoadBalancer Service an ingress, as Docker Desktop's
 * Kubernetes does (`hostname: localhost`, so `kubectl get svc` shows EXTERNAL-IP `localhost` and
 * `-o jsonpath='http://{.status.loadBalancer.ingress[0].*}:8090'` prints `http://localhost:8090`),
 * and clears it when a Service stops being a LoadBalancer.
 */
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controller.ts';
import type { WorkQueue } from '../work-queue.ts';

/** One entry of status.loadBalancer.ingress. */
export interface LoadBalancerIngress {
  hostname?: string;
  ip?: string;
  ipMode?: 'VIP' | 'Proxy';
}

/** Options of the load balancer controller. */
export interface LoadBalancerOptions {
  /** What every load balancer reports; `[{ hostname: 'localhost' }]` by default. */
  ingress?: readonly LoadBalancerIngress[];
  /** Simulated time between seeing a LoadBalancer Service and its ingress appearing (EXTERNAL-IP `<pending>` meanwhile). */
  provisionDelayMs?: number;
}

/** The controller's name in events, as the cloud controller manager's service controller. */
export const SERVICE_CONTROLLER = 'service-controller';

function ingressOf(service: KubeObject): unknown[] {
  return (service.status?.loadBalancer?.ingress ?? []) as unknown[];
}

/** The load balancer controller. */
export function createLoadBalancerController(
  context: ControllerContext,
  options: LoadBalancerOptions = {},
): Controller & { queue: WorkQueue } {
  const { api } = context;
  const recorder = context.recorder(SERVICE_CONTROLLER);
  const ingress = (options.ingress ?? [{ hostname: 'localhost' }]).map((entry) => ({ ...entry }));
  const delayMs = options.provisionDelayMs ?? 500;
  // Services seen as LoadBalancer and when, so the ingress appears after the provisioning delay.
  const firstSeen = new Map<string, { uid: string; at: number }>();

  const writeIngress = (service: KubeObject, value: unknown[]): void => {
    const next = structuredClone(service) as KubeObject;
    next.status = { ...(next.status ?? {}), loadBalancer: value.length > 0 ? { ingress: value } : {} };
    api.update(RESOURCES.services, service.metadata.namespace, next, { subresource: 'status' });
  };

  const reconcile = (key: string, queue: WorkQueue): void => {
    const { namespace, name } = splitKey(key);
    const service = api.find(RESOURCES.services, namespace, name);
    if (!service) {
      firstSeen.delete(key);
      return;
    }
    const current = ingressOf(service);
    if (service.spec?.type !== 'LoadBalancer') {
      firstSeen.delete(key);
      if (current.length > 0) {
        recorder.record(service, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
        writeIngress(service, []);
        recorder.record(service, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      }
      return;
    }
    if (JSON.stringify(current) === JSON.stringify(ingress)) return;
    const uid = service.metadata.uid ?? '';
    let seen = firstSeen.get(key);
    if (!seen || seen.uid !== uid) {
      seen = { uid, at: api.clock.now() };
      firstSeen.set(key, seen);
      recorder.record(service, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    }
    const wait = seen.at + delayMs - api.clock.now();
    if (wait > 0) {
      queue.addAfter(key, wait);
      return;
    }
    writeIngress(service, ingress);
    recorder.record(service, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  };

  return createQueueController(
    context,
    'load-balancer-controller',
    [{ resource: RESOURCES.services, keysFor: (event) => [keyOf(event.object)] }],
    reconcile,
  );
}

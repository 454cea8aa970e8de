/**
 * The API server's service and pod proxy (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`),
 * which is also how the sandbox shell's `curl` reaches a Service on every backend. A request goes
 * to one ready endpoint of the Service, taken in turn (round robin), so a loop of requests during
 * a blue/green switch or a rolling update shows every version that is serving. Failures are the
 * API server's: 404 for an unknown Service, 503 `no endpoints available for service "vweb"`, 503
 * `error trying to reach service: dial tcp …: connect: connection refused`.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { badRequest, notFound, serviceUnavailable } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import {
  type HttpRequest,
  type HttpResponse,
  handleHttp,
  PodConnectionError,
  type UpstreamForwarder,
} from '../../apps/http.ts';
import type { EndpointSubset, ServicePort } from './endpoints.ts';

/** A request to proxy, without its path (given separately, as on the proxy URL). */
export type ProxyRequest = Omit<HttpRequest, 'path'>;

/** A proxy target: a ready address and the port it serves the requested Service port on. */
export interface ProxyTarget {
  ip: string;
  port: number;
  pod: { namespace: string; name: string; uid: string } | undefined;
}

/** How many proxies deep an app may forward (nginx proxying to a Service proxying to nginx…). */
const MAX_HOPS = 4;

const ROUND_ROBIN = new WeakMap<object, Map<string, number>>();

function nextTurn(api: ClusterApi, key: string): number {
  let counters = ROUND_ROBIN.get(api);
  if (!counters) {
    counters = new Map();
    ROUND_ROBIN.set(api, counters);
  }
  const turn = counters.get(key) ?? 0;
  counters.set(key, turn + 1);
  return turn;
}

/**
 * The Service port name a proxy URL means: a number names the port with that number, a name
 * itself; an empty port means the only port of a single-port Service. Throws 503 as the API server
 * does when a number matches no port.
 */
export function resolveServicePortName(
  service: KubeObject,
  portNameOrNumber: string | number | undefined,
): string {
  const ports = (service.spec?.ports ?? []) as ServicePort[];
  const text = portNameOrNumber === undefined ? '' : String(portNameOrNumber);
  if (text === '') return ports.length === 1 ? (ports[0]!.name ?? '') : '';
  if (/^\d+$/.test(text)) {
    const found = ports.find((p) => p.port === Number(text));
    if (!found)
      throw serviceUnavailable(`no service port ${text} found for service "${service.metadata.name}"`);
    return found.name ?? '';
  }
  return text;
}

/** Every ready address of an Endpoints object serving a port name, sorted by IP. */
export function readyTargetsOf(endpoints: KubeObject | undefined, portName: string): ProxyTarget[] {
  const targets: ProxyTarget[] = [];
  for (const subset of (endpoints?.subsets ?? []) as EndpointSubset[]) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    for (const address of subset.addresses ?? []) {
      const ref = address.targetRef;
      targets.push({
        ip: address.ip,
        port: port.port,
        pod: ref ? { namespace: ref.namespace, name: ref.name, uid: ref.uid } : undefined,
      });
    }
  }
  return targets.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
}

/** Splits an in-cluster host name: `todo-web`, `todo-web.ns`, `todo-web.ns.svc.cluster.local`. */
export function parseServiceHost(
  host: string,
  defaultNamespace: string,
): { namespace: string; name: string } {
  const parts = host.split('.');
  return {
    name: parts[0] ?? host,
    namespace: parts.length > 1 && parts[1] !== 'svc' ? parts[1]! : defaultNamespace,
  };
}

function forwarderAt(api: ClusterApi, hops: number): UpstreamForwarder {
  return (namespace, host, port, request) => {
    if (hops >= MAX_HOPS) throw badRequest('too many proxy hops');
    const target = parseServiceHost(host, namespace);
    const { path, ...rest } = request;
    return proxyThroughService(api, target.namespace, target.name, port ?? 80, path, rest, hops + 1);
  };
}

function sendToPod(
  api: ClusterApi,
  pod: KubeObject,
  port: number | string,
  path: string,
  request: ProxyRequest,
  hops: number,
): HttpResponse {
  try {
    return handleHttp(api, pod, port, { ...request, path }, { forward: forwarderAt(api, hops) });
  } catch (error) {
    if (error instanceof PodConnectionError) {
      if (error.message === 'address not allowed') throw badRequest('address not allowed');
      throw serviceUnavailable(`error trying to reach service: ${error.message}`);
    }
    throw error;
  }
}

function proxyThroughService(
  api: ClusterApi,
  namespace: string,
  serviceName: string,
  portNameOrNumber: string | number | undefined,
  path: string,
  request: ProxyRequest,
  hops: number,
): HttpResponse {
  const service = api.find(RESOURCES.services, namespace, serviceName);
  if (!service) throw notFound(RESOURCES.services, serviceName);
  const portName = resolveServicePortName(service, portNameOrNumber);
  const endpoints = api.find(RESOURCES.endpoints, namespace, serviceName);
  const targets = readyTargetsOf(endpoints, portName);
  if (targets.length === 0) throw serviceUnavailable(`no endpoints available for service "${serviceName}"`);
  const target = targets[nextTurn(api, `${namespace}/${serviceName}/${portName}`) % targets.length]!;
  const pod = target.pod ? api.find(RESOURCES.pods, target.pod.namespace, target.pod.name) : undefined;
  if (!pod || (target.pod?.uid && pod.metadata.uid !== target.pod.uid) || pod.status?.podIP !== target.ip) {
    throw serviceUnavailable(
      `error trying to reach service: dial tcp ${target.ip}:${target.port}: connect: connection refused`,
    );
  }
  return sendToPod(api, pod, target.port, path, request, hops);
}

/**
 * Sends an HTTP request to a Service through the API server's proxy: to the next ready endpoint
 * serving the Service port (name or number), answered by the app in that pod. Throws StatusError:
 * 404 for an unknown Service, 503 when no endpoint is ready or the pod does not answer.
 */
export function proxyToService(
  api: ClusterApi,
  namespace: string,
  serviceName: string,
  portNameOrNumber: string | number | undefined,
  path: string,
  request: ProxyRequest,
): HttpResponse {
  return proxyThroughService(api, namespace, serviceName, portNameOrNumber, path, request, 0);
}

/**
 * Sends an HTTP request to a pod through the API server's pod proxy
 * (`/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH`). Throws StatusError: 404 for an unknown pod,
 * 400 `address not allowed` before it has an IP, 503 when nothing listens on the port.
 */
export function proxyToPod(
  api: ClusterApi,
  namespace: string,
  podName: string,
  port: string | number | undefined,
  path: string,
  request: ProxyRequest,
): HttpResponse {
  const pod = api.find(RESOURCES.pods, namespace, podName);
  if (!pod) throw notFound(RESOURCES.pods, podName);
  const firstPort = ((pod.spec?.containers ?? []) as { ports?: { containerPort: number }[] }[]).flatMap(
    (c) => c.ports ?? [],
  )[0]?.containerPort;
  const chosen = port === undefined || port === '' ? (firstPort ?? 80) : port;
  return sendToPod(api, pod, chosen, path, request, 0);
}

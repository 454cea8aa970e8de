/**
 * The shell's HttpProxy and ListNames on top of a session's own API identity. curl reaches a
 * Service through the API server's service proxy (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`)
 * with the session's token, so it works the same on the embedded control plane, kind and any
 * cluster, and can only reach what the session's Role allows: its own namespace.
 */
import type { HttpProxy, HttpResponse, HttpTarget, ListNames } from '../shell/index.ts';
import { HttpProxyError } from '../shell/index.ts';
import { KubeRequestError, type KubeRequester, type KubeResponse, readApiStatus } from './kube-request.ts';

/** Headers the API server adds about itself; curl behind a LoadBalancer would not see them. */
const API_SERVER_HEADERS = new Set([
  'audit-id',
  'x-kubernetes-pf-flowschema-uid',
  'x-kubernetes-pf-prioritylevel-uid',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/** The service proxy path for a Service port and the path curl asked for. */
export function serviceProxyPath(
  namespace: string,
  name: string,
  port: number | string,
  path: string,
): string {
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}:${encodeURIComponent(String(port))}/proxy${rest}`;
}

interface ServicePortSpec {
  port?: number;
  name?: string;
}
interface ServiceItem {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: { type?: string; ports?: ServicePortSpec[] };
}

/**
 * The LoadBalancer Service of a list that exposes `port`, as `http://localhost:PORT` means in the
 * book (Docker Desktop publishes each LoadBalancer port on localhost). With several, the oldest
 * wins, as the first to bind the host port would.
 */
export function findLoadBalancerService(items: readonly ServiceItem[], port: number): string | undefined {
  const matches = items
    .filter((s) => s.spec?.type === 'LoadBalancer' && (s.spec.ports ?? []).some((p) => p.port === port))
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
  return matches[0]?.metadata?.name;
}

/**
 * What curl would report for an answer of the service proxy: an app's answer (whatever its
 * status) is returned as is; the API server's own refusals become curl's connection errors:
 * an unknown Service is a name that does not resolve (6), no ready endpoint or no such port is a
 * refused connection (7).
 */
export function interpretProxyAnswer(
  response: KubeResponse,
  host: string,
  port: number | string,
): HttpResponse {
  const status = response.status >= 400 ? readApiStatus(response) : undefined;
  if (status) {
    if (response.status === 404 && status.reason === 'NotFound')
      throw new HttpProxyError(6, `Could not resolve host: ${host}`);
    throw new HttpProxyError(
      7,
      `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server${status.message ? ` (${status.message})` : ''}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (!API_SERVER_HEADERS.has(name)) headers[name] = value;
  return { status: response.status, statusText: response.statusText, headers, body: response.body };
}

/** curl through the API server's service proxy, as the session's identity. */
export function createHttpProxy(requester: KubeRequester): HttpProxy {
  const send = async (
    path: string,
    signal: AbortSignal,
    host: string,
    port: number | string,
  ): Promise<KubeResponse> => {
    try {
      return await requester.get(path, { signal, accept: '*/*' });
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = error instanceof KubeRequestError ? error.message : String(error);
      throw new HttpProxyError(
        7,
        `Failed to connect to ${host} port ${port}: the sandbox cluster did not answer (${reason})`,
        {
          cause: error,
        },
      );
    }
  };

  return {
    async get(target: HttpTarget, { signal }): Promise<HttpResponse> {
      if (target.kind === 'service') {
        const answer = await send(
          serviceProxyPath(target.namespace, target.name, target.port, target.path),
          signal,
          target.name,
          target.port,
        );
        return interpretProxyAnswer(answer, target.name, target.port);
      }
      const list = await send(
        `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/services`,
        signal,
        'localhost',
        target.port,
      );
      let items: ServiceItem[] = [];
      if (list.status === 200) {
        try {
          items = ((JSON.parse(list.body) as { items?: ServiceItem[] }).items ?? []) as ServiceItem[];
        } catch {
          items = [];
        }
      }
      const name = findLoadBalancerService(items, target.port);
      if (!name)
        throw new HttpProxyError(
          7,
          `Failed to connect to localhost port ${target.port} after 0 ms: Couldn't connect to server (no LoadBalancer Service in ${target.namespace} listens on port ${target.port})`,
        );
      const answer = await send(
        serviceProxyPath(target.namespace, name, target.port, target.path),
        signal,
        'localhost',
        target.port,
      );
      return interpretProxyAnswer(answer, 'localhost', target.port);
    },
  };
}

/** API paths of the namespaced resources tab completion asks about. */
const RESOURCE_PATHS: Record<string, string> = {
  pods: '/api/v1',
  services: '/api/v1',
  configmaps: '/api/v1',
  secrets: '/api/v1',
  persistentvolumeclaims: '/api/v1',
  endpoints: '/api/v1',
  events: '/api/v1',
  serviceaccounts: '/api/v1',
  resourcequotas: '/api/v1',
  replicationcontrollers: '/api/v1',
  deployments: '/apis/apps/v1',
  replicasets: '/apis/apps/v1',
  daemonsets: '/apis/apps/v1',
  statefulsets: '/apis/apps/v1',
  controllerrevisions: '/apis/apps/v1',
  jobs: '/apis/batch/v1',
  cronjobs: '/apis/batch/v1',
};

/** The list path of a namespaced resource, or undefined for cluster-wide or unknown ones. */
export function listPathFor(resource: string, namespace: string): string | undefined {
  const base = RESOURCE_PATHS[resource];
  return base ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}?limit=500` : undefined;
}

/**
 * Object names for tab completion, read with the session's identity. Completion is a
 * convenience: any failure (forbidden, unreachable, odd answer) completes nothing.
 */
export function createListNames(requester: KubeRequester, namespace: string): ListNames {
  return async (resource, { signal }) => {
    const path = listPathFor(resource, namespace);
    if (!path) return [];
    try {
      const response = await requester.get(path, {
        signal,
        accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
      });
      if (response.status !== 200) return [];
      const items =
        (JSON.parse(response.body) as { items?: { metadata?: { name?: unknown } }[] }).items ?? [];
      return items
        .map((item) => item.metadata?.name)
        .filter((name): name is string => typeof name === 'string')
        .sort();
    } catch {
      return [];
    }
  };
}

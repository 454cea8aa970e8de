/**
 * A throwaway API server for driving the real kubectl against printTable: just enough version,
 * legacy discovery and list handling for `kubectl get <resource>`. Tests only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { parseIncludeObject, printTable } from '../../../sandbox/cluster/api/printers/index.ts';

/** A resource the fake server lists, as discovery announces it. */
export interface FakeResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  shortNames: string[];
  namespaced: boolean;
  objects: KubeObject[];
}

/** What kubectl asked for, for assertions about the request itself. */
export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  accept: string;
}

export interface FakeApiServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function sendJson(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function groupVersionOf(resource: FakeResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/**
 * Which of the resource's objects a path lists: all of them for the cluster-wide path (`-A`, or a
 * cluster-scoped resource), one namespace's for `/namespaces/<ns>/<plural>`; undefined otherwise.
 */
function selectListed(resource: FakeResource, path: string): KubeObject[] | undefined {
  const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  if (path === `${prefix}/${resource.plural}`) return resource.objects;
  const match = new RegExp(`^${prefix}/namespaces/([^/]+)/${resource.plural}$`).exec(path);
  if (!match || !resource.namespaced) return undefined;
  return resource.objects.filter((object) => object.metadata.namespace === match[1]);
}

function discoveryFor(groupVersion: string, resources: FakeResource[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources
      .filter((resource) => groupVersionOf(resource) === groupVersion)
      .map((resource) => ({
        name: resource.plural,
        singularName: resource.kind.toLowerCase(),
        namespaced: resource.namespaced,
        kind: resource.kind,
        verbs: VERBS,
        shortNames: resource.shortNames,
      })),
  };
}

/** Starts the server on 127.0.0.1 with an ephemeral port; `now` is the simulated clock for ages. */
export async function startFakeApiServer(
  resources: FakeResource[],
  now: () => number,
): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const groups = [...new Set(resources.filter((r) => r.group).map((r) => r.group))];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const accept = request.headers.accept ?? '';
    requests.push({ path: url.pathname, query: url.searchParams, accept });

    if (url.pathname === '/version') {
      sendJson(response, 200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0',
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.23.4',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return;
    }
    if (url.pathname === '/api') {
      sendJson(response, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      return;
    }
    if (url.pathname === '/apis') {
      sendJson(response, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => ({
          name,
          versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
          preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
        })),
      });
      return;
    }
    if (url.pathname === '/api/v1') {
      sendJson(response, 200, discoveryFor('v1', resources));
      return;
    }
    const groupMatch = /^\/apis\/([^/]+)\/(v1)$/.exec(url.pathname);
    if (groupMatch) {
      sendJson(response, 200, discoveryFor(`${groupMatch[1]}/${groupMatch[2]}`, resources));
      return;
    }
    for (const resource of resources) {
      const listed = selectListed(resource, url.pathname);
      if (!listed) continue;
      if (!accept.includes('as=Table')) {
        sendJson(response, 406, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 406 });
        return;
      }
      const table = printTable(resource.plural, listed, {
        now: now(),
        resourceVersion: '1234',
        includeObject: parseIncludeObject(url.searchParams.get('includeObject')),
      });
      sendJson(response, 200, table);
      return;
    }
    sendJson(response, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

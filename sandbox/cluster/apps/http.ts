/**
 * The simulated applications answering HTTP. A request sent to a pod's port reaches the container
 * listening there, which answers as the real image would: nginx serves files from its document
 * root (404 for missing files) or proxies as its config says, the to-do app renders its pages.
 * Nothing listening is a connection error, which the API server's proxy turns into a 503.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import { renderNginxErrorPage, renderTodoPage } from './app-pages.ts';
import { type CatalogImage, findImage } from './catalog.ts';
import { containerFilesOf, normalizePath, type VolumeMountSpec } from './container-files.ts';
import { type ContainerProcess, resolveContainerProcess } from './process.ts';
import { appendContainerOutput, podRuntimeRecord, runtimeStateOf } from './runtime-state.ts';

/** An HTTP request as the service proxy forwards it. */
export interface HttpRequest {
  method: string;
  /** Path with optional query: `/v.txt`, `/?page=2`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Client address written to access logs; the API server's proxy by default. */
  remoteAddress?: string;
}

/** An HTTP response from a simulated application. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request could not reach an application: no address, nothing listening, not HTTP. */
export class PodConnectionError extends Error {
  readonly address: string;
  readonly port: number;
  constructor(message: string, address: string, port: number) {
    super(message);
    this.name = 'PodConnectionError';
    this.address = address;
    this.port = port;
  }
}

/**
 * Forwards a request an application proxies upstream (nginx `proxy_pass http://todo-web`), given
 * the namespace of the proxying pod and the upstream host and port. The service layer supplies it.
 */
export type UpstreamForwarder = (
  namespace: string,
  host: string,
  port: number | undefined,
  request: HttpRequest,
) => HttpResponse;

/** Options of handleHttp. */
export interface HandleHttpOptions {
  /** Where nginx's proxy_pass goes; without it, proxying answers 502 as nginx does when upstream fails. */
  forward?: UpstreamForwarder;
}

/** Everything needed to answer a request inside one running container. */
export interface RunningContainerView {
  podName: string;
  podIP: string;
  image: CatalogImage;
  process: ContainerProcess;
  files: Map<string, string>;
  env: Record<string, string>;
  /** Simulated ms: now, for Date headers. */
  now: number;
  /** When the container started, for Last-Modified. */
  startedAt: number;
}

const DEFAULT_TIMING = { initRunMs: [1_000, 2_000], commandRunMs: [200, 1_000] } as const;
const DEFAULT_REMOTE = '10.244.0.1';
const NGINX_ROOT = '/usr/share/nginx/html';

/**
 * Answers an HTTP request sent to `port` (number or container port name) of a pod, as the container
 * listening there would. Throws PodConnectionError when the pod has no address or nothing listens.
 */
export function handleHttp(
  api: ClusterApi,
  pod: KubeObject,
  port: number | string,
  request: HttpRequest,
  options: HandleHttpOptions = {},
): HttpResponse {
  const podIP: string | undefined = pod.status?.podIP;
  const portNumber = resolvePodPort(pod, port);
  if (!podIP) throw new PodConnectionError('address not allowed', '', portNumber ?? 0);
  if (portNumber === undefined)
    throw new PodConnectionError(`dial tcp ${podIP}:${port}: unknown port`, podIP, 0);
  const target = findListeningContainer(pod, portNumber);
  if (!target)
    throw new PodConnectionError(
      `dial tcp ${podIP}:${portNumber}: connect: connection refused`,
      podIP,
      portNumber,
    );
  const { container, status, image, process } = target;
  const listener = process.ports.find((p) => p.port === portNumber)!;
  // A database port accepts the connection, reads an HTTP request it cannot parse and hangs up.
  if (listener.protocol !== 'http') throw new PodConnectionError('EOF', podIP, portNumber);
  const state = runtimeStateOf(api);
  const view: RunningContainerView = {
    podName: pod.metadata.name ?? '',
    podIP,
    image,
    process,
    files: containerFilesOf(api, state, pod, container, image.files),
    env: envOf(container),
    now: api.clock.now(),
    startedAt: Date.parse(status.state?.running?.startedAt ?? '') || api.clock.now(),
  };
  const namespace = pod.metadata.namespace ?? 'default';
  const forward = options.forward
    ? (host: string, upstreamPort: number | undefined, req: HttpRequest) =>
        options.forward!(namespace, host, upstreamPort, req)
    : undefined;
  const response = serveFromContainer(view, request, forward);
  if (image.app === 'nginx') {
    const record = podRuntimeRecord(state, pod.metadata.uid ?? '');
    appendContainerOutput(
      record,
      container.name,
      status.restartCount ?? 0,
      formatNginxAccessLog(request, response, view.now),
    );
  }
  return response;
}

/** A port number from a number, a numeric string or a container port name. */
export function resolvePodPort(pod: KubeObject, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  for (const container of (pod.spec?.containers ?? []) as {
    ports?: { name?: string; containerPort: number }[];
  }[]) {
    const found = container.ports?.find((p) => p.name === port);
    if (found) return found.containerPort;
  }
  return undefined;
}

interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts?: VolumeMountSpec[];
}

interface ListeningContainer {
  container: ContainerSpec;
  // biome-ignore lint/suspicious/noExplicitAny: a container status as the API returns it.
  status: any;
  image: CatalogImage;
  process: ContainerProcess;
}

/** The running container of a pod whose process listens on a port, if any. */
function findListeningContainer(pod: KubeObject, port: number): ListeningContainer | undefined {
  const statuses = (pod.status?.containerStatuses ?? []) as {
    name: string;
    image?: string;
    state?: { running?: unknown };
  }[];
  for (const container of (pod.spec?.containers ?? []) as ContainerSpec[]) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status?.state?.running) continue;
    const image = findImage(status.image || container.image);
    if (!image) continue;
    const process = resolveContainerProcess(image, container, 'app', DEFAULT_TIMING);
    if (process.ports.some((p) => p.port === port)) return { container, status, image, process };
  }
  return undefined;
}

function envOf(container: ContainerSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

/** Answers a request inside a running container: the part of handleHttp that needs no cluster. */
export function serveFromContainer(
  view: RunningContainerView,
  request: HttpRequest,
  forward?: (host: string, port: number | undefined, request: HttpRequest) => HttpResponse,
): HttpResponse {
  if (view.process.app === 'todo-web') return serveTodoApp(view, request);
  return serveNginx(view, request, forward);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  txt: 'text/plain',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  xml: 'text/xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/** The MIME type nginx's default mime.types gives a file. */
export function contentTypeOf(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** `Wed, 01 Jan 2026 00:00:00 GMT`, the HTTP date format. */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK',
    301: 'Moved Permanently',
    302: 'Found',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
  };
  return texts[status] ?? 'Error';
}

function splitPath(rawPath: string): string {
  const withoutQuery = rawPath.split('?')[0] ?? '/';
  let decoded = withoutQuery;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    // nginx serves the raw path when it cannot decode it; so do we.
  }
  return decoded.startsWith('/') ? decoded : `/${decoded}`;
}

function nginxErrorResponse(view: RunningContainerView, status: number, head: boolean): HttpResponse {
  const body = renderNginxErrorPage(status, statusText(status), view.image.tag.version);
  return {
    status,
    headers: {
      Server: `nginx/${view.image.tag.version}`,
      Date: formatHttpDate(view.now),
      'Content-Type': 'text/html',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'keep-alive',
    },
    body: head ? '' : body,
  };
}

/** The upstream an nginx config proxies `/` to, if any: `proxy_pass http://todo-web;`. */
export function findProxyPass(
  files: Map<string, string>,
): { host: string; port: number | undefined; headers: [string, string][] } | undefined {
  for (const [path, content] of files) {
    if (!path.startsWith('/etc/nginx/')) continue;
    const match = /proxy_pass\s+https?:\/\/([^/:;\s]+)(?::(\d+))?[^;]*;/.exec(content);
    if (!match) continue;
    const headers: [string, string][] = [];
    for (const header of content.matchAll(/add_header\s+(\S+)\s+("[^"]*"|\S+?)\s*(?:always\s*)?;/g)) {
      headers.push([header[1]!, header[2]!.replace(/^"|"$/g, '')]);
    }
    return { host: match[1]!, port: match[2] ? Number(match[2]) : undefined, headers };
  }
  return undefined;
}

function serveNginx(
  view: RunningContainerView,
  request: HttpRequest,
  forward?: (host: string, port: number | undefined, request: HttpRequest) => HttpResponse,
): HttpResponse {
  const method = request.method.toUpperCase();
  const head = method === 'HEAD';
  const proxy = findProxyPass(view.files);
  if (proxy) {
    let upstream: HttpResponse;
    try {
      if (!forward) throw new Error('no upstream resolver');
      upstream = forward(proxy.host, proxy.port, request);
    } catch {
      return nginxErrorResponse(view, 502, head);
    }
    const headers: Record<string, string> = {
      ...upstream.headers,
      Server: `nginx/${view.image.tag.version}`,
      Date: formatHttpDate(view.now),
    };
    for (const [name, value] of proxy.headers) {
      headers[name] = value.replace('$hostname', view.podName).replace('$upstream_cache_status', 'MISS');
    }
    return { status: upstream.status, headers, body: head ? '' : upstream.body };
  }
  if (method !== 'GET' && method !== 'HEAD') return nginxErrorResponse(view, 405, head);
  const requested = splitPath(request.path);
  const path = normalizePath(`${NGINX_ROOT}/${requested}`);
  const isDirectoryRequest = requested.endsWith('/');
  const directoryExists = [...view.files.keys()].some((p) => p.startsWith(`${path}/`));
  let filePath = path;
  if (isDirectoryRequest || (!view.files.has(path) && directoryExists)) {
    if (!isDirectoryRequest) {
      // nginx redirects `/dir` to `/dir/` when the directory exists.
      const location = `http://${request.headers?.host ?? view.podIP}${requested}/`;
      const redirect = nginxErrorResponse(view, 301, head);
      return { ...redirect, headers: { ...redirect.headers, Location: location } };
    }
    filePath = normalizePath(`${path}/index.html`);
    if (!view.files.has(filePath))
      return nginxErrorResponse(view, directoryExists || path === NGINX_ROOT ? 403 : 404, head);
  }
  const content = view.files.get(filePath);
  if (content === undefined) return nginxErrorResponse(view, 404, head);
  const length = Buffer.byteLength(content);
  const modifiedSeconds = Math.floor(view.startedAt / 1000);
  return {
    status: 200,
    headers: {
      Server: `nginx/${view.image.tag.version}`,
      Date: formatHttpDate(view.now),
      'Content-Type': contentTypeOf(filePath),
      'Content-Length': String(length),
      'Last-Modified': formatHttpDate(modifiedSeconds * 1000),
      Connection: 'keep-alive',
      ETag: `"${modifiedSeconds.toString(16)}-${length.toString(16)}"`,
      'Accept-Ranges': 'bytes',
    },
    body: head ? '' : content,
  };
}

/** Settings the to-do app reads from its config file and environment (`Database__ReadOnly=true`). */
export function readTodoSettings(
  files: Map<string, string>,
  env: Record<string, string>,
): { readOnly: boolean; databaseProvider: string } {
  let config: { Database?: { ReadOnly?: unknown; Provider?: unknown } } = {};
  for (const path of ['/app/config/config.json', '/app/secrets/secrets.json']) {
    const text = files.get(path);
    if (!text) continue;
    try {
      const parsed = JSON.parse(text) as typeof config;
      config = { ...config, ...parsed, Database: { ...config.Database, ...parsed.Database } };
    } catch {
      // The real app fails to start on broken JSON; here the page just keeps its defaults.
    }
  }
  const readOnlyText = env.Database__ReadOnly ?? String(config.Database?.ReadOnly ?? 'false');
  return {
    readOnly: readOnlyText.toLowerCase() === 'true',
    databaseProvider: typeof config.Database?.Provider === 'string' ? config.Database.Provider : 'Postgres',
  };
}

function serveTodoApp(view: RunningContainerView, request: HttpRequest): HttpResponse {
  const settings = readTodoSettings(view.files, view.env);
  const path = splitPath(request.path).replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  const headers = {
    Date: formatHttpDate(view.now),
    Server: 'Kestrel',
    'Content-Type': 'text/html; charset=utf-8',
  };
  if (path === '/new' && method === 'POST') {
    if (settings.readOnly)
      return {
        status: 403,
        headers,
        body: renderTodoPage({ ...settings, page: 'new', hostname: view.podName }),
      };
    return { status: 302, headers: { ...headers, Location: '/' }, body: '' };
  }
  const page = path === '/' || path === '/list' ? 'list' : path === '/new' ? 'new' : 'not-found';
  const body = renderTodoPage({ ...settings, page, hostname: view.podName });
  return { status: page === 'not-found' ? 404 : 200, headers, body: method === 'HEAD' ? '' : body };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `10.244.0.1 - - [01/Jan/2026:00:00:05 +0000] "GET /v.txt HTTP/1.1" 200 2 "-" "curl/8.5.0" "-"`. */
export function formatNginxAccessLog(request: HttpRequest, response: HttpResponse, now: number): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const agent = request.headers?.['user-agent'] ?? request.headers?.['User-Agent'] ?? '-';
  const referer = request.headers?.referer ?? '-';
  const bytes = Buffer.byteLength(response.body);
  return `${request.remoteAddress ?? DEFAULT_REMOTE} - - [${time}] "${request.method.toUpperCase()} ${request.path} HTTP/1.1" ${response.status} ${bytes} "${referer}" "${agent}" "-"`;
}

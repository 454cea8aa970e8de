/**
 * A tiny typed Kubernetes REST client over node:https/node:http. The sandbox provisions sessions
 * through it on every backend, so the embedded control plane, kind and any other cluster see the
 * same API calls. It speaks JSON only and knows no resource types: callers give API paths.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '../cluster/api/objects.ts';
import { type ResolvedKubeconfig, type ResolveOptions, resolveKubeconfig } from './kubeconfig.ts';

/** The API server answered with an error status; fields come from its `Status` object. */
export class KubeApiError extends Error {
  /** HTTP status code: 404, 409, 403, 422… */
  readonly statusCode: number;
  /** The Status reason: `NotFound`, `AlreadyExists`, `Forbidden`, `MethodNotAllowed`… */
  readonly reason: string;
  readonly method: string;
  readonly path: string;
  /** Status.details when the server sent them. */
  readonly details: Record<string, unknown> | undefined;
  constructor(init: {
    statusCode: number;
    reason: string;
    message: string;
    method: string;
    path: string;
    details?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'KubeApiError';
    this.statusCode = init.statusCode;
    this.reason = init.reason;
    this.method = init.method;
    this.path = init.path;
    this.details = init.details;
  }
}

/** The API server could not be reached or did not answer in time. */
export class KubeConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeConnectionError';
  }
}

/** Options of one request. */
export interface KubeRequestOptions {
  body?: unknown;
  /** Content-Type of the body; JSON by default. PATCH needs one of the patch types. */
  contentType?: string;
  /** Query parameters added to the path. */
  query?: Record<string, string | number | boolean | undefined>;
}

/** The client. Every method resolves to the parsed JSON answer. */
export interface KubeClient {
  /** The API server's URL, from the kubeconfig. */
  readonly server: string;
  /** The context the client was built from (its namespace, cluster, user). */
  readonly kubeconfig: ResolvedKubeconfig;
  request<T = KubeObject>(method: string, path: string, options?: KubeRequestOptions): Promise<T>;
  get<T = KubeObject>(path: string, query?: KubeRequestOptions['query']): Promise<T>;
  list<T = KubeObject>(path: string, query?: KubeRequestOptions['query']): Promise<KubeList<T>>;
  create<T = KubeObject>(path: string, body: unknown, query?: KubeRequestOptions['query']): Promise<T>;
  /** PATCH with a merge patch unless another patch content type is given. */
  patch<T = KubeObject>(path: string, body: unknown, contentType?: string): Promise<T>;
  delete<T = KubeObject>(path: string, query?: KubeRequestOptions['query']): Promise<T>;
  /** Closes kept-alive connections; the client must not be used afterwards. */
  close(): void;
}

/** A list answer (`PodList`, `NamespaceList`…). */
export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** How to build a client beyond the kubeconfig itself. */
export interface KubeClientOptions extends ResolveOptions {
  /** Milliseconds a request may take before it fails; 30 s by default. */
  timeoutMs?: number;
}

/** Appends query parameters to a path that may already carry some. */
export function withQuery(path: string, query: KubeRequestOptions['query'] = {}): string {
  const entries = Object.entries(query).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
  );
  if (entries.length === 0) return path;
  const search = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

/** Reads an error answer: a Status when the server sent one, else the text itself. */
export function parseErrorBody(statusCode: number, body: string, method: string, path: string): KubeApiError {
  let status: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && (parsed as { kind?: unknown }).kind === 'Status')
      status = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a proxy or load balancer in front of the API server answered.
  }
  const fallbackReason = http.STATUS_CODES[statusCode]?.replace(/\s+/g, '') ?? 'Unknown';
  const text = body.trim().slice(0, 500);
  const init: ConstructorParameters<typeof KubeApiError>[0] = {
    statusCode,
    reason: typeof status?.reason === 'string' && status.reason ? status.reason : fallbackReason,
    message:
      typeof status?.message === 'string' && status.message
        ? status.message
        : `${method} ${path}: ${statusCode} ${http.STATUS_CODES[statusCode] ?? ''}${text ? `: ${text}` : ''}`.trim(),
    method,
    path,
  };
  if (status?.details && typeof status.details === 'object')
    init.details = status.details as Record<string, unknown>;
  return new KubeApiError(init);
}

/** Builds a client from a kubeconfig (YAML text) for its current context or `options.context`. */
export function createKubeClient(kubeconfigYaml: string, options: KubeClientOptions = {}): KubeClient {
  const resolved = resolveKubeconfig(kubeconfigYaml, options);
  const base = new URL(resolved.cluster.server);
  const secure = base.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 30_000;
  // One kept-alive agent per client: provisioning a session is a handful of sequential calls,
  // and a fresh TLS handshake for each would cost more than the calls themselves.
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ca: resolved.cluster.certificateAuthority,
        cert: resolved.user.clientCertificate,
        key: resolved.user.clientKey,
        rejectUnauthorized: !resolved.cluster.insecureSkipTlsVerify,
        servername: resolved.cluster.tlsServerName,
      })
    : new http.Agent({ keepAlive: true });
  // The server URL may carry a path prefix (a cluster behind a proxy): API paths go under it.
  const prefix = base.pathname.replace(/\/+$/, '');

  const request = <T>(method: string, path: string, opts: KubeRequestOptions = {}): Promise<T> => {
    const fullPath = `${prefix}${withQuery(path, opts.query)}`;
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (resolved.user.token) headers.Authorization = `Bearer ${resolved.user.token}`;
    if (payload) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise<T>((resolve, reject) => {
      const send = secure ? https.request : http.request;
      const req = send(
        {
          protocol: base.protocol,
          hostname: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || (secure ? 443 : 80),
          path: fullPath,
          method,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => reject(new KubeConnectionError(`${method} ${path}: ${error.message}`)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(parseErrorBody(status, text, method, path));
              return;
            }
            try {
              resolve((text ? JSON.parse(text) : {}) as T);
            } catch {
              reject(
                new KubeConnectionError(`${method} ${path}: the answer is not JSON: ${text.slice(0, 200)}`),
              );
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new KubeConnectionError(
            `${method} ${path}: no answer from ${resolved.cluster.server} in ${timeoutMs} ms`,
          ),
        ),
      );
      req.on('error', (error) =>
        reject(
          error instanceof KubeConnectionError
            ? error
            : new KubeConnectionError(
                `cannot reach the Kubernetes API at ${resolved.cluster.server}: ${error.message}`,
                {
                  cause: error,
                },
              ),
        ),
      );
      req.end(payload);
    });
  };

  return {
    server: resolved.cluster.server,
    kubeconfig: resolved,
    request,
    get: (path, query) => request('GET', path, { query }),
    list: (path, query) => request('GET', path, { query }),
    create: (path, body, query) => request('POST', path, { body, query }),
    patch: (path, body, contentType = 'application/merge-patch+json') =>
      request('PATCH', path, { body, contentType }),
    delete: (path, query) => request('DELETE', path, { query }),
    close: () => agent.destroy(),
  };
}

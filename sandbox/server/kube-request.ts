/**
 * Raw HTTP requests to a Kubernetes API server as the identity of a kubeconfig: what the shell's
 * curl (service proxy) and tab completion (object names) need, and the server's check of the
 * cluster's version. Answers come back as status, headers and text, unparsed, because the
 * service proxy returns whatever the app sent. Works on every backend: token or client
 * certificate, the kubeconfig's CA, plain HTTP for a test server.
 */
import http from 'node:http';
import https from 'node:https';
import { type ResolvedKubeconfig, resolveKubeconfig } from '../kube-client/index.ts';

/**
 * The current context of a kubeconfig (YAML) with everything inline. File references are
 * refused rather than read: a session kubeconfig never has them, and following paths named in a
 * document would read the host's disk.
 */
export function readInlineKubeconfig(yaml: string): ResolvedKubeconfig {
  return resolveKubeconfig(yaml, {
    readFile: (path) => {
      throw new Error(`file references are not followed here (${path})`);
    },
  });
}

/** One answer of the API server (or of an app behind its proxy). Header names are lower-case. */
export interface KubeResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  /** True when the body was longer than the limit and was cut. */
  truncated: boolean;
}

/** Options of one request. */
export interface KubeRequestOptions {
  signal?: AbortSignal;
  accept?: string;
}

/** Sends GET requests to one API server as one identity, over a kept-alive connection. */
export interface KubeRequester {
  get(path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** A request that got no HTTP answer (refused, reset, timed out, aborted). */
export class KubeRequestError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeRequestError';
    this.code = code;
  }
}

/** How a requester behaves. */
export interface KubeRequesterOptions {
  /** Longest body kept, in bytes; the rest is dropped (1 MiB by default). */
  maxBodyBytes?: number;
  /** A request with no answer after this long fails (30 s by default). */
  timeoutMs?: number;
}

/**
 * A kept-alive connection pool that speaks to the kubeconfig's server as its identity: the CA to
 * trust, the client certificate if there is one (a bearer token goes in each request's headers).
 */
export function createKubeAgent(kubeconfig: ResolvedKubeconfig, maxSockets: number): http.Agent {
  const { cluster, user } = kubeconfig;
  if (new URL(cluster.server).protocol !== 'https:') return new http.Agent({ keepAlive: true, maxSockets });
  return new https.Agent({
    keepAlive: true,
    maxSockets,
    ca: cluster.certificateAuthority,
    cert: user.clientCertificate,
    key: user.clientKey,
    rejectUnauthorized: !cluster.insecureSkipTlsVerify,
    servername: cluster.tlsServerName,
  });
}

/** A requester for the endpoint; `close()` it when the session ends. */
export function createKubeRequester(
  kubeconfig: ResolvedKubeconfig,
  options: KubeRequesterOptions = {},
): KubeRequester {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { cluster, user } = kubeconfig;
  const server = new URL(cluster.server);
  const secure = server.protocol === 'https:';
  // A small pool per identity: completion and curl are sequential within one shell.
  const agent = createKubeAgent(kubeconfig, 4);
  // The server URL may carry a path prefix (a cluster behind a proxy): API paths go under it.
  const base = cluster.server.replace(/\/+$/, '');

  return {
    get(path, requestOptions = {}) {
      return new Promise<KubeResponse>((resolve, reject) => {
        const headers: Record<string, string> = {
          Accept: requestOptions.accept ?? 'application/json, */*',
          'User-Agent': 'rollout-lab-sandbox',
        };
        if (user.token) headers.Authorization = `Bearer ${user.token}`;
        const request = (secure ? https : http).request(`${base}${path}`, {
          method: 'GET',
          agent,
          headers,
          timeout: timeoutMs,
          signal: requestOptions.signal,
        });
        request.on('timeout', () =>
          request.destroy(
            new KubeRequestError(`no answer from ${server.host} within ${timeoutMs} ms`, 'ETIMEDOUT'),
          ),
        );
        request.on('error', (error: NodeJS.ErrnoException) => {
          reject(
            error instanceof KubeRequestError
              ? error
              : new KubeRequestError(`cannot reach ${server.host}: ${error.message}`, error.code, {
                  cause: error,
                }),
          );
        });
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          response.on('data', (chunk: Buffer) => {
            if (size >= maxBodyBytes) {
              truncated = true;
              return;
            }
            const room = maxBodyBytes - size;
            if (chunk.length > room) truncated = true;
            chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
            size += Math.min(chunk.length, room);
          });
          response.on('error', (error) =>
            reject(new KubeRequestError(error.message, undefined, { cause: error })),
          );
          response.on('end', () => {
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers))
              if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
            resolve({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              headers: flat,
              body: Buffer.concat(chunks).toString('utf8'),
              truncated,
            });
          });
        });
        request.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** The Kubernetes `Status` object in an error answer of the API server itself, if the body is one. */
export function readApiStatus(response: KubeResponse): { reason?: string; message?: string } | undefined {
  if (!(response.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const value = JSON.parse(response.body) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (value?.kind !== 'Status') return undefined;
    return {
      ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
      ...(typeof value.message === 'string' ? { message: value.message } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * A requester that follows a kubeconfig that changes: the session manager renews a session's
 * token before it expires and replaces its kubeconfig, and a shell that lives for hours must use
 * the new token. The connection pool is rebuilt only when the kubeconfig text differs.
 */
export function createFollowingRequester(
  currentKubeconfig: () => string,
  options: KubeRequesterOptions = {},
): KubeRequester {
  let yaml: string | undefined;
  let requester: KubeRequester | undefined;
  const current = (): KubeRequester => {
    const now = currentKubeconfig();
    if (!requester || now !== yaml) {
      requester?.close();
      requester = createKubeRequester(readInlineKubeconfig(now), options);
      yaml = now;
    }
    return requester;
  };
  return {
    get: (path, requestOptions) => current().get(path, requestOptions),
    close() {
      requester?.close();
      requester = undefined;
    },
  };
}

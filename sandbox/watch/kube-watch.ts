/**
 * LIST and streaming WATCH of namespaced collections through the Kubernetes API, as the identity
 * of a kubeconfig that may change (the session manager renews a session's token and replaces its
 * kubeconfig). This is the only I/O of the namespace watcher; it works on every backend because
 * it is plain HTTP(S) with a bearer token or a client certificate and the kubeconfig's CA.
 *
 * A watch answer is a stream of JSON objects, one per line:
 *
 * ```
 * {"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"vweb-6f9c-abcde","resourceVersion":"812"},…}}
 * {"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"830"}}}
 * {"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 5 (812)"}}
 * ```
 *
 * A resourceVersion the server no longer keeps history for is refused with 410 Gone, either as
 * the HTTP status or (kube-apiserver's watch cache) as an ERROR event in a 200 stream; both come
 * back here as `{ kind: 'expired' }` so the caller lists again.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '../cluster/api/objects.ts';
import type { ResolvedKubeconfig } from '../kube-client/index.ts';
import { createKubeAgent, readInlineKubeconfig } from '../server/kube-request.ts';

/** One change as a watch stream reports it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

/** The items of a collection and the resourceVersion to watch from. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** How one watch request ended. */
export type WatchEnd =
  /** The server closed the stream normally (its timeout): watch again from the last version. */
  | { kind: 'closed' }
  /** The resourceVersion is too old (410 Gone): list again. */
  | { kind: 'expired'; message: string }
  /** Any other answer, an ERROR event, a broken stream or a lost connection. */
  | { kind: 'failed'; message: string; status?: number };

/** What the namespace watcher needs of the API server. */
export interface WatchApi {
  /** Lists a collection; throws ListError when the server refuses or cannot be reached. */
  list(path: string, signal: AbortSignal): Promise<ListResult>;
  /**
   * Watches a collection from `resourceVersion`, calling `onEvent` for each change in order, and
   * resolves when the stream ends (never rejects). Aborting `signal` ends it as `failed`.
   */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd>;
  /** Closes every connection; later calls fail. */
  close(): void;
}

/** A LIST that got no usable answer. */
export class ListError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListError';
    this.status = status;
  }
}

/** How the API client behaves. */
export interface WatchApiOptions {
  /**
   * How long the server keeps one watch open (`timeoutSeconds`, 290 s by default). The client
   * gives up on a silent connection 30 s after that, so a half-open socket cannot hang forever.
   */
  watchTimeoutSeconds?: number;
  /** Largest LIST answer read, in bytes (16 MiB by default). */
  maxListBytes?: number;
  /** Longest single watch event line, in bytes (4 MiB by default). */
  maxEventBytes?: number;
  /** A LIST without an answer after this long fails (15 s by default). */
  listTimeoutMs?: number;
}

interface Connection {
  yaml: string;
  kubeconfig: ResolvedKubeconfig;
  agent: http.Agent;
}

/**
 * A WatchApi that reads the current kubeconfig before every request, so a renewed token is used
 * from the next (re)connection on. Watches keep running on the connection they started on.
 */
export function createWatchApi(currentKubeconfig: () => string, options: WatchApiOptions = {}): WatchApi {
  const watchTimeoutSeconds = options.watchTimeoutSeconds ?? 290;
  const maxListBytes = options.maxListBytes ?? 16 * 1024 * 1024;
  const maxEventBytes = options.maxEventBytes ?? 4 * 1024 * 1024;
  const listTimeoutMs = options.listTimeoutMs ?? 15_000;
  let current: Connection | undefined;
  const retired: http.Agent[] = [];
  let closed = false;

  const connection = (): Connection => {
    if (closed) throw new ListError('the watch client is closed');
    const yaml = currentKubeconfig();
    if (current?.yaml === yaml) return current;
    // Watches started on the old agent keep going until they end; it is destroyed on close.
    if (current) retired.push(current.agent);
    const kubeconfig = readInlineKubeconfig(yaml);
    // One socket per collection's watch plus room for the lists of a re-sync.
    current = { yaml, kubeconfig, agent: createKubeAgent(kubeconfig, 32) };
    return current;
  };

  const send = (
    path: string,
    signal: AbortSignal,
    timeoutMs: number,
  ): { request: http.ClientRequest; host: string } => {
    const { kubeconfig, agent } = connection();
    const base = kubeconfig.cluster.server.replace(/\/+$/, '');
    const url = new URL(`${base}${path}`);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'rollout-lab-sandbox/watch',
    };
    if (kubeconfig.user.token) headers.Authorization = `Bearer ${kubeconfig.user.token}`;
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'GET',
      agent,
      headers,
      timeout: timeoutMs,
      signal,
    });
    request.on('timeout', () => request.destroy(new Error(`no data for ${Math.round(timeoutMs / 1000)} s`)));
    request.end();
    return { request, host: url.host };
  };

  return {
    list(path, signal) {
      return new Promise<ListResult>((resolve, reject) => {
        let sent: ReturnType<typeof send>;
        try {
          sent = send(path, signal, listTimeoutMs);
        } catch (error) {
          reject(
            error instanceof ListError ? error : new ListError(String(error), undefined, { cause: error }),
          );
          return;
        }
        const { request, host } = sent;
        request.on('error', (error) =>
          reject(
            new ListError(`listing ${path} on ${host} failed: ${error.message}`, undefined, { cause: error }),
          ),
        );
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxListBytes) {
              request.destroy(new Error(`the answer is larger than ${maxListBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) =>
            reject(
              new ListError(`listing ${path} failed: ${error.message}`, response.statusCode, {
                cause: error,
              }),
            ),
          );
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status !== 200) {
              reject(new ListError(`listing ${path} answered ${status}${statusMessage(text)}`, status));
              return;
            }
            try {
              const list = JSON.parse(text) as { items?: unknown; metadata?: { resourceVersion?: unknown } };
              const resourceVersion = list.metadata?.resourceVersion;
              if (typeof resourceVersion !== 'string' || resourceVersion === '')
                throw new Error('the list has no metadata.resourceVersion');
              resolve({
                items: Array.isArray(list.items) ? (list.items as KubeObject[]) : [],
                resourceVersion,
              });
            } catch (error) {
              reject(
                new ListError(
                  `listing ${path}: the answer cannot be read (${(error as Error).message})`,
                  status,
                  {
                    cause: error,
                  },
                ),
              );
            }
          });
        });
      });
    },

    watch(path, resourceVersion, onEvent, signal) {
      return new Promise<WatchEnd>((resolve) => {
        let ended = false;
        const end = (result: WatchEnd): void => {
          if (ended) return;
          ended = true;
          resolve(result);
        };
        const query = new URLSearchParams({
          watch: '1',
          resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(watchTimeoutSeconds),
        });
        let sent: ReturnType<typeof send>;
        try {
          sent = send(`${path}?${query}`, signal, (watchTimeoutSeconds + 30) * 1000);
        } catch (error) {
          end({ kind: 'failed', message: (error as Error).message });
          return;
        }
        const { request, host } = sent;
        request.on('error', (error) =>
          end({ kind: 'failed', message: `watching ${path} on ${host}: ${error.message}` }),
        );
        request.on('response', (response) => {
          const status = response.statusCode ?? 0;
          if (status !== 200) {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              if (text.length < 64 * 1024) text += chunk;
            });
            response.on('end', () =>
              end(
                status === 410
                  ? { kind: 'expired', message: `watching ${path} answered 410${statusMessage(text)}` }
                  : {
                      kind: 'failed',
                      status,
                      message: `watching ${path} answered ${status}${statusMessage(text)}`,
                    },
              ),
            );
            response.on('error', () =>
              end({ kind: 'failed', status, message: `watching ${path} answered ${status}` }),
            );
            return;
          }
          const lines = createLineReader(maxEventBytes);
          const stop = (result: WatchEnd): void => {
            end(result);
            request.destroy();
          };
          response.on('data', (chunk: Buffer) => {
            if (ended) return;
            let batch: string[];
            try {
              batch = lines.push(chunk);
            } catch (error) {
              stop({ kind: 'failed', message: `watching ${path}: ${(error as Error).message}` });
              return;
            }
            for (const line of batch) {
              const outcome = readEventLine(line);
              if ('event' in outcome) onEvent(outcome.event);
              else {
                stop(outcome.end);
                return;
              }
            }
          });
          response.on('end', () => end({ kind: 'closed' }));
          response.on('error', (error) =>
            end({ kind: 'failed', message: `watching ${path}: ${error.message}` }),
          );
          response.on('close', () => {
            if (!response.complete)
              end({ kind: 'failed', message: `watching ${path}: the connection was lost` });
            else end({ kind: 'closed' });
          });
        });
      });
    },

    close() {
      closed = true;
      current?.agent.destroy();
      for (const agent of retired.splice(0)) agent.destroy();
      current = undefined;
    },
  };
}

/** `: <message>` of a Kubernetes Status body, or nothing. */
function statusMessage(text: string): string {
  try {
    const value = JSON.parse(text) as { kind?: unknown; message?: unknown };
    return value?.kind === 'Status' && typeof value.message === 'string' ? `: ${value.message}` : '';
  } catch {
    return '';
  }
}

/** Splits a byte stream into lines; refuses a line longer than `maxBytes`. */
function createLineReader(maxBytes: number): { push(chunk: Buffer): string[] } {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  return {
    push(chunk) {
      const lines: string[] = [];
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline >= 0; newline = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, newline));
        const line = Buffer.concat(pending).toString('utf8').trim();
        if (line !== '') lines.push(line);
        pending = [];
        pendingSize = 0;
        start = newline + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingSize += chunk.length - start;
        if (pendingSize > maxBytes) throw new Error(`a watch event is larger than ${maxBytes} bytes`);
      }
      return lines;
    },
  };
}

/** One line of a watch stream: a change to apply, or how the stream ends (an ERROR event, bad JSON). */
export function readEventLine(line: string): { event: WatchEvent } | { end: WatchEnd } {
  let value: { type?: unknown; object?: unknown };
  try {
    value = JSON.parse(line) as typeof value;
  } catch {
    return { end: { kind: 'failed', message: 'the watch stream sent a line that is not JSON' } };
  }
  const object = value?.object as KubeObject | undefined;
  if (value?.type === 'ERROR') {
    const status = object as { code?: unknown; message?: unknown } | undefined;
    const message =
      typeof status?.message === 'string' ? status.message : 'the watch stream reported an error';
    return status?.code === 410
      ? { end: { kind: 'expired', message } }
      : {
          end: {
            kind: 'failed',
            message,
            ...(typeof status?.code === 'number' ? { status: status.code } : {}),
          },
        };
  }
  const type = value?.type;
  if (
    (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED' || type === 'BOOKMARK') &&
    object !== null &&
    typeof object === 'object' &&
    typeof object.metadata === 'object' &&
    object.metadata !== null
  )
    return { event: { type, object } };
  return {
    end: { kind: 'failed', message: `the watch stream sent an event it cannot read (${String(type)})` },
  };
}

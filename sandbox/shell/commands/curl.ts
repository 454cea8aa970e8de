/**
 * A built-in curl that reaches the session's Services and nothing else. It understands the three
 * ways the chapter names a Service (`http://vweb:8090/v.txt`, `vweb.NAMESPACE:8090/...`, and the
 * LoadBalancer address the book prints, `http://localhost:8090/v.txt`), turns them into an
 * `HttpTarget`, and lets the injected `HttpProxy` send the request through the API server. Output
 * follows real curl where the lessons look: the bare body (often without a final newline, which is
 * why the book adds `-w '\n'`), `-i` headers, `-v` traces, `(7)`-style errors.
 */

import { HttpProxyError } from '../errors.ts';
import type { HttpResponse, HttpTarget } from '../services.ts';
import { type Builtin, EXIT } from './types.ts';

/** How long a request may take when `-m` is not given. */
export const DEFAULT_MAX_TIME_SECONDS = 30;

/** A target curl could not make sense of, with curl's exit code and message. */
export interface CurlFailure {
  curlCode: number;
  message: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Reads a URL as curl would and maps it to a Service of `namespace`:
 *
 * | typed | target |
 * | --- | --- |
 * | `http://vweb:8090/v.txt` | Service vweb, port 8090, path /v.txt |
 * | `vweb.NS.svc.cluster.local:8090` | the same, when NS is the session namespace |
 * | `http://localhost:8090/v.txt` | the LoadBalancer Service of the namespace that exposes 8090 |
 * | `vweb` | Service vweb, port 80, path / |
 */
export function parseCurlTarget(url: string, namespace: string): HttpTarget | CurlFailure {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme && scheme[1]!.toLowerCase() !== 'http') {
    return { curlCode: 1, message: `Protocol "${scheme[1]}" not supported here; Services answer on http://` };
  }
  let parsed: URL;
  try {
    parsed = new URL(scheme ? url : `http://${url}`);
  } catch {
    return { curlCode: 3, message: 'URL rejected: Malformed input to a URL function' };
  }
  if (parsed.username !== '' || parsed.password !== '')
    return { curlCode: 3, message: 'URL rejected: user names and passwords are not available here' };
  const host = parsed.hostname.replace(/\.$/, '');
  const path = `${parsed.pathname}${parsed.search}`;
  const port = parsed.port === '' ? 80 : Number(parsed.port);
  if (LOOPBACK.has(host)) return { kind: 'load-balancer', namespace, port, path };
  const labels = host.split('.');
  const name = labels[0]!;
  const notHere = (): CurlFailure => ({
    curlCode: 6,
    message: `Could not resolve host: ${host} (only the Services of your namespace ${namespace} answer here)`,
  });
  if (!DNS_LABEL.test(name) || /^\d+$/.test(name)) return notHere();
  if (labels.length === 1) return { kind: 'service', namespace, name, port, path };
  const rest = labels.slice(2).join('.');
  if (labels[1] !== namespace || !(rest === '' || rest === 'svc' || rest === 'svc.cluster.local'))
    return notHere();
  return { kind: 'service', namespace, name, port, path };
}

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  include: boolean;
  verbose: boolean;
  fail: boolean;
  discard: boolean;
  writeOut: string | undefined;
  maxTimeSeconds: number;
  urls: string[];
}

const SUPPORTED = '-s, -S, -i, -v, -f, -L, -m SECONDS, -w FORMAT, -o /dev/null';

/** Reads curl's arguments; returns a message for anything not supported here. */
export function parseCurlArguments(args: readonly string[]): CurlOptions | string {
  const o: CurlOptions = {
    silent: false,
    showError: false,
    include: false,
    verbose: false,
    fail: false,
    discard: false,
    writeOut: undefined,
    maxTimeSeconds: DEFAULT_MAX_TIME_SECONDS,
    urls: [],
  };
  const takeValue = (flag: string, inline: string, i: number): { value: string; next: number } | string => {
    if (inline !== '') return { value: inline, next: i };
    const value = args[i + 1];
    if (value === undefined) return `curl: option ${flag}: requires parameter`;
    return { value, next: i + 1 };
  };
  const apply = (flag: string, value: string): string | undefined => {
    switch (flag) {
      case 'w':
      case 'write-out':
        o.writeOut = value;
        return undefined;
      case 'm':
      case 'max-time': {
        const seconds = Number(value);
        if (!(seconds > 0)) return `curl: option --max-time: expected a positive number, got '${value}'`;
        o.maxTimeSeconds = Math.min(seconds, 300);
        return undefined;
      }
      case 'o':
      case 'output':
        if (value !== '/dev/null')
          return 'curl: writing to files is not available here; the body is shown in the terminal (-o /dev/null hides it)';
        o.discard = true;
        return undefined;
      case 'X':
      case 'request':
        if (value.toUpperCase() !== 'GET') return `curl: only GET requests are available here, not ${value}`;
        return undefined;
      case 'connect-timeout':
        return undefined;
      default:
        return `curl: option ${flag.length === 1 ? '-' : '--'}${flag}: is not available here; available: ${SUPPORTED}`;
    }
  };
  const switches: Record<string, (() => void) | undefined> = {
    s: () => (o.silent = true),
    silent: () => (o.silent = true),
    S: () => (o.showError = true),
    'show-error': () => (o.showError = true),
    i: () => (o.include = true),
    include: () => (o.include = true),
    v: () => (o.verbose = true),
    verbose: () => (o.verbose = true),
    f: () => (o.fail = true),
    fail: () => (o.fail = true),
    L: () => {},
    location: () => {},
    k: () => {},
    insecure: () => {},
  };
  const withValue = new Set([
    'w',
    'write-out',
    'm',
    'max-time',
    'o',
    'output',
    'X',
    'request',
    'connect-timeout',
    'H',
    'header',
    'd',
    'data',
    'u',
    'user',
    'x',
    'proxy',
    'T',
    'upload-file',
    'F',
    'form',
    'K',
    'config',
  ]);

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const toggle = switches[name];
      if (toggle && eq < 0) {
        toggle();
        continue;
      }
      if (!withValue.has(name))
        return `curl: option --${name}: is not available here; available: ${SUPPORTED}`;
      const taken = takeValue(`--${name}`, eq < 0 ? '' : arg.slice(eq + 1), i);
      if (typeof taken === 'string') return taken;
      i = taken.next;
      const problem = apply(name, taken.value);
      if (problem) return problem;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const toggle = switches[letter];
        if (toggle) {
          toggle();
          continue;
        }
        if (!withValue.has(letter))
          return `curl: option -${letter}: is not available here; available: ${SUPPORTED}`;
        const taken = takeValue(`-${letter}`, arg.slice(k + 1), i);
        if (typeof taken === 'string') return taken;
        i = taken.next;
        const problem = apply(letter, taken.value);
        if (problem) return problem;
        break;
      }
      continue;
    }
    o.urls.push(arg);
  }
  return o;
}

/** Expands curl's `-w` format: `\n` escapes and the `%{http_code}`-style variables the lessons use. */
export function formatWriteOut(format: string, response: HttpResponse | undefined, url: string): string {
  return format.replace(
    /\\([ntr\\])|%\{([a-z_]+)\}|%%/g,
    (whole, escaped: string | undefined, variable: string | undefined) => {
      if (escaped !== undefined) return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[escaped] ?? whole;
      if (variable === undefined) return '%';
      switch (variable) {
        case 'http_code':
        case 'response_code':
          return String(response?.status ?? 0).padStart(3, '0');
        case 'url_effective':
          return url;
        case 'size_download':
          return String(Buffer.byteLength(response?.body ?? ''));
        case 'content_type':
          return response?.headers?.['content-type'] ?? '';
        default:
          return '';
      }
    },
  );
}

function describeTarget(target: HttpTarget): { host: string; port: number | string } {
  return target.kind === 'load-balancer'
    ? { host: 'localhost', port: target.port }
    : { host: target.name, port: target.port };
}

/** `curl [-sSivfL] [-m S] [-w FMT] URL...`: GET through the session's Services. */
export const curl: Builtin = async ({ args, io, signal, env }) => {
  const options = parseCurlArguments(args);
  if (typeof options === 'string') {
    io.err(`${options}\n`);
    return EXIT.usage;
  }
  if (options.urls.length === 0) {
    io.err(
      "curl: no URL specified\ncurl: try 'curl http://vweb:8090/v.txt' or 'curl http://localhost:8090/v.txt'\n",
    );
    return EXIT.usage;
  }
  const report = (code: number, message: string): number => {
    if (!options.silent || options.showError) io.err(`curl: (${code}) ${message}\n`);
    return code;
  };
  let status: number = EXIT.ok;
  for (const url of options.urls) {
    if (signal.aborted) return EXIT.interrupted;
    const target = parseCurlTarget(url, env.namespace);
    if ('curlCode' in target) {
      status = report(target.curlCode, target.message);
      if (options.writeOut !== undefined) io.out(formatWriteOut(options.writeOut, undefined, url));
      continue;
    }
    const { host, port } = describeTarget(target);
    if (options.verbose)
      io.err(
        `*   Trying ${host}:${port}...\n* Connected to ${host} port ${port} (through the API server's service proxy)\n> GET ${target.path} HTTP/1.1\n> Host: ${host}:${port}\n> User-Agent: curl/8.5.0\n> Accept: */*\n>\n`,
      );

    const request = new AbortController();
    const onAbort = (): void => request.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const cancelTimer = env.clock.setTimer(() => {
      timedOut = true;
      request.abort();
    }, options.maxTimeSeconds * 1000);
    let response: HttpResponse;
    try {
      response = await env.http.get(target, { signal: request.signal });
    } catch (error) {
      if (signal.aborted) return EXIT.interrupted;
      if (timedOut)
        status = report(
          28,
          `Operation timed out after ${options.maxTimeSeconds * 1000} milliseconds with 0 bytes received`,
        );
      else if (error instanceof HttpProxyError) status = report(error.curlCode, error.message);
      else status = report(7, `Failed to connect to ${host} port ${port}: ${(error as Error).message}`);
      if (options.writeOut !== undefined) io.out(formatWriteOut(options.writeOut, undefined, url));
      continue;
    } finally {
      cancelTimer();
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) return EXIT.interrupted;
    const statusLine = `HTTP/1.1 ${response.status} ${response.statusText ?? ''}`.trimEnd();
    const headers = Object.entries(response.headers ?? {});
    if (options.verbose) io.err(`< ${statusLine}\n${headers.map(([k, v]) => `< ${k}: ${v}\n`).join('')}<\n`);
    if (options.fail && response.status >= 400) {
      status = report(22, `The requested URL returned error: ${response.status}`);
      if (options.writeOut !== undefined) io.out(formatWriteOut(options.writeOut, response, url));
      continue;
    }
    if (options.include) io.out(`${statusLine}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    if (!options.discard) io.out(response.body);
    if (options.writeOut !== undefined) io.out(formatWriteOut(options.writeOut, response, url));
    if (options.verbose) io.err(`* Connection #0 to host ${host} left intact\n`);
  }
  return status;
};

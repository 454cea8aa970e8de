/**
 * A tiny stand-in API server for driving the real kubectl against our OpenAPI documents: it
 * serves /version, legacy discovery, /openapi/v2 and /openapi/v3, answers GETs of objects with
 * 404 and echoes POSTed objects back, and records every request. Only what the OpenAPI tests need;
 * the real API server lives elsewhere.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeStrict, parseFieldValidation } from '../../../sandbox/cluster/api/openapi/decode.ts';
import {
  getOpenApiV2JsonText,
  getOpenApiV2ProtobufWithEtag,
  negotiateOpenApiV2Format,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
} from '../../../sandbox/cluster/api/openapi/v2-protobuf.ts';
import { getOpenApiV3CachedDocument, getOpenApiV3Index } from '../../../sandbox/cluster/api/openapi/v3.ts';
import { ALL_RESOURCES, apiVersionOf, servedGroupVersions } from '../../../sandbox/cluster/api/resources.ts';

/** One request the probe saw. */
export interface RecordedRequest {
  method: string;
  url: string;
  accept: string;
  contentType: string;
  body: string;
}

/** A running probe. */
export interface KubectlProbe {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Where the machine image keeps one kubectl per minor version. */
export function kubectlPath(minor: number): string {
  return `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
}

/** Whether that kubectl exists here. */
export function hasKubectl(minor: number): boolean {
  return existsSync(kubectlPath(minor));
}

function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function notFound(
  response: ServerResponse,
  message = 'the server could not find the requested resource',
): void {
  sendJson(response, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NotFound',
    code: 404,
  });
}

function resourceList(group: string, version: string): unknown {
  const resources = ALL_RESOURCES.filter((r) => r.group === group && r.version === version).flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length > 0 ? { categories: r.categories } : {}),
    },
    ...r.subresources.map((s) => ({
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      ...(s.group !== r.group ? { group: s.group, version: s.version } : {}),
      kind: s.kind,
      verbs: s.verbs,
    })),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}

function groupList(): unknown {
  const groups = servedGroupVersions()
    .filter((gv) => gv.group !== '')
    .map((gv) => {
      const groupVersion = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
      return { name: gv.group, versions: [groupVersion], preferredVersion: groupVersion };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What the probe serves besides discovery. */
export interface ProbeOptions {
  /** Serve /openapi/v3 (default true); off, kubectl 1.27/1.28 must make do with /openapi/v2. */
  serveV3?: boolean;
  /** Answer GETs of objects with this object (so `kubectl apply` PATCHes) instead of 404. */
  existing?: object;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  requests: RecordedRequest[],
  options: ProbeOptions,
): Promise<void> {
  const body = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://probe');
  const accept = request.headers.accept ?? '';
  requests.push({
    method: request.method ?? '',
    url: request.url ?? '',
    accept,
    contentType: request.headers['content-type'] ?? '',
    body,
  });
  const path = url.pathname;
  if (path === '/version') {
    sendJson(response, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
  } else if (path === '/api') {
    sendJson(response, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  } else if (path === '/apis') {
    sendJson(response, 200, groupList());
  } else if (path === '/api/v1') {
    sendJson(response, 200, resourceList('', 'v1'));
  } else if (/^\/apis\/[^/]+\/[^/]+$/.test(path)) {
    const [, , group = '', version = ''] = path.split('/');
    sendJson(response, 200, resourceList(group, version));
  } else if (path === '/openapi/v2') {
    if (negotiateOpenApiV2Format(request.headers.accept) === 'protobuf') {
      const { bytes, etag } = getOpenApiV2ProtobufWithEtag();
      response.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE, ETag: `"${etag}"` });
      response.end(bytes);
    } else {
      const { text, etag } = getOpenApiV2JsonText();
      response.writeHead(200, { 'Content-Type': 'application/json', ETag: `"${etag}"` });
      response.end(text);
    }
  } else if (path.startsWith('/openapi/v3') && options.serveV3 === false) {
    notFound(response);
  } else if (path === '/openapi/v3') {
    sendJson(response, 200, getOpenApiV3Index());
  } else if (path.startsWith('/openapi/v3/')) {
    const cached = getOpenApiV3CachedDocument(path);
    if (!cached) return notFound(response);
    response.writeHead(200, { 'Content-Type': 'application/json', ETag: `"${cached.hash}"` });
    response.end(cached.json);
  } else if (request.method === 'GET' && options.existing) {
    sendJson(response, 200, options.existing);
  } else if (request.method === 'PATCH' && options.existing) {
    sendJson(response, 200, options.existing);
  } else if (request.method === 'POST') {
    const object = JSON.parse(body) as { apiVersion?: string; kind?: string };
    const [group, version] = (object.apiVersion ?? '').includes('/')
      ? (object.apiVersion ?? '').split('/')
      : ['', object.apiVersion];
    const mode = parseFieldValidation(url.searchParams.get('fieldValidation'));
    const result = decodeStrict(
      { group: group ?? '', version: version ?? '', kind: object.kind ?? '' },
      body,
      mode ?? 'Warn',
    );
    if (result.status) return sendJson(response, result.status.code, result.status);
    const warnings = result.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    response.writeHead(201, {
      'Content-Type': 'application/json',
      ...(warnings.length > 0 ? { Warning: warnings } : {}),
    });
    response.end(JSON.stringify(result.object));
  } else {
    notFound(response);
  }
}

/** Starts a probe on 127.0.0.1 at a free port. */
export async function startKubectlProbe(options: ProbeOptions = {}): Promise<KubectlProbe> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    handle(request, response, requests, options).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The result of one kubectl run. */
export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl 1.`minor` against the probe with a throwaway kubeconfig, HOME and cache directory,
 * so no discovery or OpenAPI cache from an earlier run hides a request.
 */
export async function runKubectl(
  probe: KubectlProbe,
  minor: number,
  args: string[],
  files: Record<string, string> = {},
): Promise<KubectlRun> {
  const directory = mkdtempSync(join(tmpdir(), 'kubectl-probe-'));
  try {
    const kubeconfig = join(directory, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: probe',
        '  cluster:',
        `    server: ${probe.url}`,
        'users:',
        '- name: probe',
        '  user:',
        '    token: probe-token',
        'contexts:',
        '- name: probe',
        '  context: {cluster: probe, user: probe, namespace: default}',
        'current-context: probe',
        '',
      ].join('\n'),
    );
    for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
    const fullArgs = [...args, '--kubeconfig', kubeconfig, '--cache-dir', join(directory, 'cache')];
    return await new Promise<KubectlRun>((resolve) => {
      execFile(
        kubectlPath(minor),
        fullArgs,
        { cwd: directory, env: { PATH: process.env.PATH ?? '', HOME: directory }, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The HTTP face of the embedded control plane: the Kubernetes REST API as kubectl, client
 * libraries and the sandbox reach it. It only translates — authentication, routing, content
 * negotiation, bodies, watch streams — and leaves every semantic decision to the API core.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { bindPod } from '../../nodes/scheduler.ts';
import type { TokenAuthenticator } from '../auth/tokens.ts';
import type { ClusterApi, ListOptions, UserInfo, WatchEvent } from '../cluster-api.ts';
import {
  badRequest,
  methodNotAllowed,
  notAcceptable,
  notFound,
  pathNotFound,
  type Status,
  StatusError,
  toStatusError,
  unauthorized,
} from '../errors.ts';
import type { Json, KubeObject } from '../objects.ts';
import { describeConversionFailure } from '../patch/conversion-errors.ts';
import { formatGoValue } from '../patch/go-format.ts';
import { patchedDocumentInvalid } from '../patch/index.ts';
import { decodeProtobufBody, isKubernetesProtobuf } from '../protobuf/index.ts';
import { apiVersionOf, findResourceForKind, RESOURCES, type ResourceType } from '../resources.ts';
import { formatLabels, selectorFromLabelSelector } from '../selectors.ts';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  legacyCoreVersions,
  legacyGroupList,
  legacyResourceList,
  SERVER_VERSION,
} from './discovery.ts';
import { chooseRepresentation, type Representation } from './negotiation.ts';
import { parseApiPath, type ResourceRoute } from './routes.ts';

/** The largest request body accepted, as the real API server's 3 MiB limit. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A simulated HTTP exchange with a pod or service, for the proxy subresources. */
export interface ProxyRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What a proxied request answers. */
export interface ProxyResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Features the HTTP layer delegates to other parts of the control plane. */
export interface ApiServerFeatures {
  /** Server-side printing: objects as a meta.k8s.io/v1 Table. */
  printTable(
    resource: ResourceType,
    objects: KubeObject[],
    options: { includeObject: string; resourceVersion: string; continueToken?: string; noHeaders?: boolean },
  ): object;
  /** Strict decoding of a body: unknown and mistyped fields (mode Strict/Warn/Ignore). */
  decodeBody?(
    resource: ResourceType,
    body: unknown,
    mode: 'Strict' | 'Warn' | 'Ignore',
  ): { errors: string[]; warnings: string[]; object?: unknown };
  /** OpenAPI documents: path → body and content type, or undefined. */
  openapi?(
    path: string,
    accept: string | undefined,
    query: URLSearchParams,
  ): { body: string | Uint8Array; contentType: string } | undefined;
  /** `services/NAME[:PORT]/proxy/PATH`. */
  proxyToService?(
    api: ClusterApi,
    namespace: string,
    service: string,
    port: string | undefined,
    request: ProxyRequest,
  ): Promise<ProxyResponse> | ProxyResponse;
  /** `pods/NAME[:PORT]/proxy/PATH`. */
  proxyToPod?(
    api: ClusterApi,
    namespace: string,
    pod: string,
    port: string | undefined,
    request: ProxyRequest,
  ): Promise<ProxyResponse> | ProxyResponse;
  /** `pods/NAME/log`. */
  podLogs?(
    api: ClusterApi,
    pod: KubeObject,
    options: { container?: string; tailLines?: number; previous?: boolean },
  ): string;
}

/** What the server needs to run. */
export interface ApiServerOptions {
  api: ClusterApi;
  tokens: TokenAuthenticator;
  features: ApiServerFeatures;
  host?: string;
  port?: number;
  /** Serve HTTPS with these PEMs (kubectl only sends tokens over TLS); plain HTTP without. */
  tls?: { certificate: string; privateKey: string };
  /** Logs one line per unexpected server error; silent by default. */
  logError?: (message: string, error: unknown) => void;
}

/** A listening API server. */
export interface RunningApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the API server; resolves once it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const handler = createApiHandler(options);
  const server = options.tls
    ? https.createServer({ cert: options.tls.certificate, key: options.tls.privateKey }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  const open = new Set<import('node:net').Socket>();
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: import('node:net').Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The request handler, separate from listening so tests can mount it anywhere. */
export function createApiHandler(
  options: ApiServerOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const { api, tokens, features } = options;
  const isServiceAccountCurrent = (user: UserInfo, uid: string): boolean => {
    const [, , namespace, name] = user.username.split(':');
    return api.find(RESOURCES.serviceaccounts, namespace, name ?? '')?.metadata.uid === uid;
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const done = (error: unknown): void => {
      const status = toStatusError(error);
      if (status.code >= 500) options.logError?.(`${req.method} ${url.pathname}`, error);
      if (!res.headersSent) sendStatus(res, status.status);
      else res.end();
    };
    try {
      const result = route(req, res, url);
      if (result instanceof Promise) result.catch(done);
    } catch (error) {
      done(error);
    }
  };

  function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void | Promise<void> {
    const path = url.pathname;
    if (path === '/version' || path === '/version/') return sendJson(res, 200, SERVER_VERSION);
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    const user = tokens.authenticate(req.headers.authorization, isServiceAccountCurrent);
    if (!user) throw unauthorized();

    if (
      path === '/openapi/v2' ||
      path.startsWith('/openapi/v3') ||
      path === '/swagger-2.0.0.pb-v1' ||
      path === '/swagger.json'
    ) {
      const doc = features.openapi?.(path, req.headers.accept, url.searchParams);
      if (!doc) throw pathNotFound();
      res.writeHead(200, { 'Content-Type': doc.contentType, 'Cache-Control': 'no-cache, private' });
      res.end(doc.body);
      return;
    }

    const parsed = parseApiPath(path);
    switch (parsed.kind) {
      case 'not-found':
        throw pathNotFound();
      case 'unknown-resource':
        throw pathNotFound();
      case 'discovery':
        return serveDiscovery(req, res, parsed.group, parsed.version, parsed.legacy);
      case 'resource':
        return serveResource(req, res, url, parsed, user);
    }
  }

  function serveDiscovery(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    group: string | undefined,
    version: string | undefined,
    legacy: boolean,
  ): void {
    if (req.method !== 'GET')
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    if (version === undefined) {
      const representation = chooseRepresentation(req.headers.accept, { discovery: true });
      if (representation?.as === 'APIGroupDiscoveryList') {
        const body = JSON.stringify(aggregatedDiscovery(legacy, representation.version));
        res.writeHead(200, { 'Content-Type': aggregatedContentType(representation.version), Vary: 'Accept' });
        res.end(body);
        return;
      }
      if (group !== undefined) {
        const list = legacyGroupList() as { groups: { name: string }[] };
        const found = list.groups.find((g) => g.name === group);
        if (!found) throw pathNotFound();
        return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...found });
      }
      const address = `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 0}`;
      return sendJson(res, 200, legacy ? legacyCoreVersions(address) : legacyGroupList());
    }
    const list = legacyResourceList(group ?? '', version);
    if (!list) throw pathNotFound();
    sendJson(res, 200, list);
  }

  async function serveResource(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    route: ResourceRoute,
    user: UserInfo,
  ): Promise<void> {
    const { resource, namespace, name, subresource } = route;
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const dryRun = q.getAll('dryRun').includes('All');

    if (subresource && !resource.subresources.some((s) => s.name === subresource)) throw pathNotFound();
    if (subresource === 'proxy') return serveProxy(req, res, route, user);

    if (resource.group === 'authorization.k8s.io') {
      if (method !== 'POST')
        throw methodNotAllowed('the server does not allow this method on the requested resource');
      const body = (await readBody(req)) as KubeObject;
      return sendObject(req, res, 201, reviewAccess(body, user), resource);
    }

    if (!subresource) {
      const verb = verbOf(method, name, q);
      if (verb && !resource.verbs.includes(verb))
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }

    switch (method) {
      case 'GET': {
        if (!name) {
          if (isTrue(q.get('watch'))) return serveWatch(req, res, resource, namespace, q, user);
          const list = api.list(resource, namespace, listOptions(q, user));
          return sendCollection(
            req,
            res,
            resource,
            list.items,
            list.metadata.resourceVersion,
            list.metadata.continue,
          );
        }
        if (subresource === 'log') {
          const pod = api.get(resource, namespace, name, user);
          api.authorize(user, 'get', resource, namespace, name, 'log');
          if (!features.podLogs) throw pathNotFound();
          const tail = q.get('tailLines');
          const text = features.podLogs(api, pod, {
            container: q.get('container') ?? undefined,
            tailLines: tail ? Number(tail) : undefined,
            previous: isTrue(q.get('previous')),
          });
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end(text);
          return;
        }
        if (subresource === 'scale')
          return sendJson(res, 200, toScale(resource, api.get(resource, namespace, name, user)));
        if (isTrue(q.get('watch'))) {
          q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${name}`].filter(Boolean).join(','));
          return serveWatch(req, res, resource, namespace, q, user);
        }
        const object = api.get(resource, namespace, name, user);
        return sendSingle(req, res, 200, resource, object);
      }
      case 'POST': {
        if (subresource === 'token' && name)
          return sendJson(
            res,
            201,
            issueToken(resource, namespace!, name, (await readBody(req)) as KubeObject, user),
          );
        if (name && subresource === 'eviction') {
          api.delete(RESOURCES.pods, namespace, name, { user });
          return sendJson(res, 201, successStatus());
        }
        if (name && subresource === 'binding') {
          const binding = (await readBody(req)) as KubeObject & { target?: { name?: string } };
          api.authorize(user, 'create', RESOURCES.pods, namespace, name, 'binding');
          if (!binding.target?.name)
            throw badRequest('target.name: Required value: a binding names the node to bind to');
          bindPod(api, namespace!, name, { nodeName: binding.target.name, uid: binding.metadata?.uid });
          return sendJson(res, 201, successStatus());
        }
        if (name) throw methodNotAllowed('the server does not allow this method on the requested resource');
        const body = await decodeWriteBody(req, resource, q);
        const created = api.create(resource, namespace, body.object, {
          user,
          dryRun,
          fieldManager: q.get('fieldManager') ?? undefined,
        });
        return sendSingle(req, res, 201, resource, created, body.warnings);
      }
      case 'PUT': {
        if (!name) throw methodNotAllowed('the server does not allow this method on the requested resource');
        if (subresource === 'scale')
          return sendJson(
            res,
            200,
            updateScale(resource, namespace, name, (await readBody(req)) as KubeObject, user, dryRun),
          );
        const body = await decodeWriteBody(req, resource, q);
        if (body.object.metadata?.name && body.object.metadata.name !== name) {
          throw badRequest(
            `the name of the object (${body.object.metadata.name}) does not match the name on the URL (${name})`,
          );
        }
        const object = { ...body.object, metadata: { ...(body.object.metadata ?? {}), name } };
        const sub = subresource === 'status' || subresource === 'finalize' ? subresource : undefined;
        const updated = api.update(resource, namespace, object, { user, dryRun, subresource: sub });
        return sendSingle(req, res, 200, resource, updated, body.warnings);
      }
      case 'PATCH': {
        if (!name) throw methodNotAllowed('the server does not allow this method on the requested resource');
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const patchBody = await readBody(req, true);
        if (subresource === 'scale') {
          const current = toScale(resource, api.get(resource, namespace, name, user));
          const patchedScale = api.applyPatchDocument(
            RESOURCES.deployments,
            contentType,
            current as KubeObject,
            patchBody,
          );
          return sendJson(res, 200, updateScale(resource, namespace, name, patchedScale, user, dryRun));
        }
        const warnings = validatePatchFields(resource, patchBody, contentType, q);
        const sub = subresource === 'status' ? 'status' : undefined;
        const patched = api.patch(resource, namespace, name, contentType, patchBody, {
          user,
          dryRun,
          subresource: sub,
          fieldManager: q.get('fieldManager') ?? undefined,
        });
        return sendSingle(req, res, 200, resource, patched, warnings);
      }
      case 'DELETE': {
        const body = (await readBody(req, false, true)) as Record<string, unknown> | undefined;
        const options = deleteOptions(q, body, user, dryRun);
        if (!name) {
          const deleted = api.deleteCollection(resource, namespace, { ...listOptions(q, user), ...options });
          return sendJson(res, 200, {
            apiVersion: apiVersionOf(resource),
            kind: `${resource.kind}List`,
            metadata: { resourceVersion: String(api.store.revision) },
            items: deleted,
          });
        }
        const result = api.delete(resource, namespace, name, options);
        return sendSingle(req, res, 200, resource, result);
      }
      default:
        throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
  }

  async function serveProxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: ResourceRoute,
    user: UserInfo,
  ): Promise<void> {
    const [target, port] = (route.name ?? '').split(':');
    const verb = req.method === 'GET' ? 'get' : 'create';
    api.authorize(user, verb, route.resource, route.namespace, target, 'proxy');
    const request: ProxyRequest = {
      method: req.method ?? 'GET',
      path: route.rest || '/',
      headers: req.headers,
    };
    const proxy = route.resource.kind === 'Service' ? features.proxyToService : features.proxyToPod;
    if (!proxy || !target) throw pathNotFound();
    const answer = await proxy(api, route.namespace!, target, port || undefined, request);
    res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8', ...(answer.headers ?? {}) });
    res.end(answer.body);
  }

  function serveWatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    resource: ResourceType,
    namespace: string | undefined,
    q: URLSearchParams,
    user: UserInfo,
  ): void {
    const representation = chooseRepresentation(req.headers.accept) ?? { as: 'object', yaml: false };
    const options = listOptions(q, user);
    let first = true;
    let sentInitialEnd = false;
    const encode = (event: WatchEvent): string => {
      let object: unknown = event.object;
      if (event.type !== 'BOOKMARK' && representation.as === 'Table') {
        object = features.printTable(resource, [event.object], {
          includeObject: q.get('includeObject') ?? 'Metadata',
          resourceVersion: event.object.metadata.resourceVersion ?? '',
          noHeaders: !first,
        });
        first = false;
      } else if (event.type !== 'BOOKMARK' && representation.as === 'PartialObjectMetadata') {
        object = toPartial(event.object);
      }
      return `${JSON.stringify({ type: event.type, object })}\n`;
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    const sendInitialEvents = isTrue(q.get('sendInitialEvents'));
    let watch: { stop(): void };
    try {
      watch = api.watch(
        resource,
        namespace,
        sendInitialEvents ? { ...options, resourceVersion: undefined } : options,
        (event) => {
          if (!res.writableEnded) res.write(encode(event));
        },
      );
    } catch (error) {
      // The stream has started (200): like kube-apiserver's watch cache, a resourceVersion whose
      // history is gone is refused with an ERROR event carrying the 410 Status, so clients list again.
      if (!(error instanceof StatusError && error.code === 410)) throw error;
      res.end(`${JSON.stringify({ type: 'ERROR', object: error.status })}\n`);
      return;
    }
    if (sendInitialEvents && !sentInitialEnd) {
      sentInitialEnd = true;
      const bookmark: KubeObject = {
        apiVersion: apiVersionOf(resource),
        kind: resource.kind,
        metadata: {
          resourceVersion: String(api.store.revision),
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      };
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
    }
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '1800');
    const timer = setTimeout(() => res.end(), Math.max(1, Math.min(timeoutSeconds, 3600)) * 1000);
    timer.unref();
    const finish = (): void => {
      clearTimeout(timer);
      watch.stop();
    };
    res.on('close', finish);
    req.on('close', finish);
  }

  function sendCollection(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    resource: ResourceType,
    items: KubeObject[],
    resourceVersion: string,
    continueToken?: string,
  ): void {
    const representation = negotiate(req);
    if (representation.as === 'Table') {
      return sendJson(
        res,
        200,
        features.printTable(resource, items, {
          includeObject: new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject') ?? 'Metadata',
          resourceVersion,
          continueToken,
        }),
      );
    }
    if (representation.as === 'PartialObjectMetadata') {
      return sendJson(res, 200, {
        apiVersion: 'meta.k8s.io/v1',
        kind: 'PartialObjectMetadataList',
        metadata: { resourceVersion },
        items: items.map(toPartial),
      });
    }
    const metadata: Record<string, unknown> = { resourceVersion };
    if (continueToken) metadata.continue = continueToken;
    const list = {
      apiVersion: apiVersionOf(resource),
      kind: `${resource.kind}List`,
      metadata,
      items: items.map((item) => withTypeMeta(item, resource)),
    };
    sendBody(res, 200, list, representation);
  }

  function sendSingle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    code: number,
    resource: ResourceType,
    object: KubeObject,
    warnings: string[] = [],
  ): void {
    const representation = negotiate(req);
    // A Warning header quotes its text as a Go string, with inner quotes escaped.
    for (const warning of warnings) res.appendHeader('Warning', `299 - ${JSON.stringify(warning)}`);
    if (representation.as === 'Table') {
      const includeObject =
        new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject') ?? 'Metadata';
      return sendJson(
        res,
        code,
        features.printTable(resource, [object], {
          includeObject,
          resourceVersion: object.metadata.resourceVersion ?? '',
        }),
      );
    }
    if (representation.as === 'PartialObjectMetadata') return sendJson(res, code, toPartial(object));
    sendBody(res, code, withTypeMeta(object, resource), representation);
  }

  function sendObject(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    code: number,
    object: KubeObject,
    resource: ResourceType,
  ): void {
    sendSingle(req, res, code, resource, object);
  }

  function negotiate(req: http.IncomingMessage): Representation {
    const representation = chooseRepresentation(req.headers.accept);
    if (!representation) throw notAcceptable();
    return representation;
  }

  async function decodeWriteBody(
    req: http.IncomingMessage,
    resource: ResourceType,
    q: URLSearchParams,
  ): Promise<{ object: KubeObject; warnings: string[] }> {
    const raw = await readBody(req);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest(
        `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: the body is not a JSON object`,
      );
    }
    const mode = fieldValidationMode(q);
    const decoded = features.decodeBody?.(resource, raw, mode);
    if (decoded && decoded.errors.length > 0) {
      throw badRequest(
        `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: ${decoded.errors.join(', ')}`,
      );
    }
    return { object: (decoded?.object ?? raw) as KubeObject, warnings: decoded?.warnings ?? [] };
  }

  function validatePatchFields(
    resource: ResourceType,
    patch: unknown,
    contentType: string,
    q: URLSearchParams,
  ): string[] {
    // Unknown fields in a merge-style patch are reported like those of a whole object; JSON
    // patches are checked after application by the type rules of validation.
    if (!features.decodeBody || contentType === 'application/json-patch+json') return [];
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return [];
    const decoded = features.decodeBody(resource, stripDirectives(patch), fieldValidationMode(q));
    if (decoded.errors.length > 0) {
      // A wrong type in a strategic merge patch fails after the patch applies, in the unstructured
      // converter: 422 Invalid on `patch`, which makes kubectl edit reopen the file.
      const conversion =
        contentType === 'application/strategic-merge-patch+json' && decoded.errors.length === 1
          ? describeConversionFailure(decoded.errors[0]!)
          : undefined;
      if (conversion !== undefined) throw patchedDocumentInvalid(formatGoValue(patch as Json), conversion);
      throw badRequest(
        `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: ${decoded.errors.join(', ')}`,
      );
    }
    return decoded.warnings;
  }

  function issueToken(
    resource: ResourceType,
    namespace: string,
    name: string,
    body: KubeObject,
    user: UserInfo,
  ): object {
    api.authorize(user, 'create', resource, namespace, name, 'token');
    const account = api.get(RESOURCES.serviceaccounts, namespace, name);
    const requested = Number(body?.spec?.expirationSeconds ?? 3600);
    const seconds = Number.isFinite(requested) ? Math.min(Math.max(requested, 600), 48 * 3600) : 3600;
    const { token, expiresAt } = tokens.issueServiceAccountToken(
      namespace,
      name,
      account.metadata.uid!,
      seconds,
    );
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: {
        audiences: body?.spec?.audiences ?? ['https://kubernetes.default.svc'],
        expirationSeconds: seconds,
        boundObjectRef: null,
      },
      status: { token, expirationTimestamp: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z') },
    };
  }

  function reviewAccess(body: KubeObject, user: UserInfo): KubeObject {
    const attrs = body?.spec?.resourceAttributes as
      | {
          namespace?: string;
          verb?: string;
          group?: string;
          resource?: string;
          subresource?: string;
          name?: string;
        }
      | undefined;
    let allowed = false;
    if (body?.kind === 'SelfSubjectRulesReview') {
      return {
        ...body,
        apiVersion: 'authorization.k8s.io/v1',
        status: { resourceRules: [], nonResourceRules: [], incomplete: true },
      } as KubeObject;
    }
    if (attrs) {
      const target = [...Object.values(RESOURCES)].find(
        (r) =>
          r.plural === attrs.resource &&
          (attrs.group === undefined || attrs.group === '*' || r.group === attrs.group),
      );
      if (target) {
        try {
          api.authorize(
            user,
            attrs.verb ?? 'get',
            target,
            attrs.namespace || undefined,
            attrs.name || undefined,
            attrs.subresource || undefined,
          );
          allowed = true;
        } catch (error) {
          // RBAC denies without a reason, so kubectl auth can-i prints a bare "no".
          if (!(error instanceof StatusError)) throw error;
        }
      }
    } else if (body?.spec?.nonResourceAttributes) {
      allowed = true;
    }
    return {
      ...body,
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      status: { allowed },
    } as KubeObject;
  }

  function updateScale(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    scale: KubeObject,
    user: UserInfo,
    dryRun: boolean,
  ): object {
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas))
      throw badRequest('spec.replicas must be an integer');
    const current = structuredClone(api.get(resource, namespace, name, user)) as KubeObject;
    if (
      scale.metadata?.resourceVersion &&
      scale.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      current.metadata.resourceVersion = scale.metadata.resourceVersion;
    }
    current.spec = { ...current.spec, replicas };
    const updated = api.update(resource, namespace, current, { user, dryRun, subresource: undefined });
    return toScale(resource, updated);
  }
}

function toScale(resource: ResourceType, object: KubeObject): object {
  if (!resource.subresources.some((s) => s.name === 'scale'))
    throw notFound(resource, object.metadata.name ?? '');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: object.spec?.replicas ?? 1 },
    status: {
      replicas: object.status?.replicas ?? 0,
      selector: formatSelectorString(object.spec?.selector),
    },
  };
}

function formatSelectorString(selector: unknown): string {
  const requirements = selectorFromLabelSelector(selector as never);
  const equals = Object.fromEntries(
    requirements.filter((r) => r.operator === 'Equals').map((r) => [r.key, r.values[0] ?? '']),
  );
  return formatLabels(equals);
}

function toPartial(object: KubeObject): object {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: object.metadata };
}

function withTypeMeta(object: KubeObject, resource: ResourceType): KubeObject {
  if (object.apiVersion && object.kind) return object;
  return { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind };
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (child === null) continue;
    out[key] = stripDirectives(child);
  }
  return out;
}

function fieldValidationMode(q: URLSearchParams): 'Strict' | 'Warn' | 'Ignore' {
  const mode = q.get('fieldValidation');
  if (mode === null || mode === '') return 'Warn';
  if (mode === 'Strict' || mode === 'Warn' || mode === 'Ignore') return mode;
  throw badRequest(`fieldValidation parameter unsupported: ${mode}; use Strict, Warn or Ignore`);
}

function listOptions(q: URLSearchParams, user: UserInfo): ListOptions {
  const limit = q.get('limit');
  return {
    user,
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
  };
}

function deleteOptions(
  q: URLSearchParams,
  body: Record<string, unknown> | undefined,
  user: UserInfo,
  dryRun: boolean,
) {
  const policy = (body?.propagationPolicy as string | undefined) ?? q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const graceRaw = body?.gracePeriodSeconds ?? q.get('gracePeriodSeconds') ?? undefined;
  const grace = graceRaw === undefined || graceRaw === null ? undefined : Number(graceRaw);
  if (grace !== undefined && !Number.isFinite(grace)) throw badRequest('gracePeriodSeconds must be a number');
  const orphan = body?.orphanDependents;
  const preconditions = body?.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  const bodyDryRun = Array.isArray(body?.dryRun) && (body.dryRun as string[]).includes('All');
  return {
    user,
    dryRun: dryRun || bodyDryRun,
    propagationPolicy: (policy ?? (orphan === true ? 'Orphan' : undefined)) as
      | 'Foreground'
      | 'Background'
      | 'Orphan'
      | undefined,
    gracePeriodSeconds: grace,
    preconditions,
  };
}

/** The RBAC verb of a request on a resource (not a subresource). */
function verbOf(
  method: string,
  name: string | undefined,
  q: URLSearchParams,
): import('../resources.ts').Verb | undefined {
  switch (method) {
    case 'GET':
      return name ? 'get' : isTrue(q.get('watch')) ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function successStatus(): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    message: '',
    reason: '',
    code: 201,
  };
}

async function readBody(req: http.IncomingMessage, allowArray = false, optional = false): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new StatusError({
        message: 'Request entity too large: limit is 3145728',
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
    }
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (isKubernetesProtobuf(contentType)) {
    if (bytes.length === 0) {
      if (optional) return undefined;
      throw badRequest('the request body is empty: send a JSON object');
    }
    return decodeProtobufBody(bytes);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    if (optional) return undefined;
    throw badRequest('the request body is empty: send a JSON object');
  }
  let value: unknown;
  try {
    value = contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || (Array.isArray(value) && !allowArray)) {
    throw badRequest('the request body must be a JSON object');
  }
  return value;
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

function sendBody(
  res: http.ServerResponse,
  code: number,
  body: unknown,
  representation: Representation,
): void {
  if (representation.as === 'object' && representation.yaml) {
    const text = toYaml(body);
    res.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  sendJson(res, code, body);
}

function sendStatus(res: http.ServerResponse, status: Status): void {
  sendJson(res, status.code, status);
}

/** Looks up the resource an object belongs to, for callers that hold only the object. */
export function resourceOf(object: KubeObject): ResourceType | undefined {
  return findResourceForKind(object.apiVersion, object.kind);
}

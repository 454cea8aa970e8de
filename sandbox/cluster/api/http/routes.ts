/**
 * Parsing of Kubernetes API paths into what they address. Pure: no I/O, table-tested.
 *
 *   /api/v1/namespaces/demo/pods/web-1/log  →  core v1, namespace demo, pods, web-1, subresource log
 *   /apis/apps/v1/deployments               →  apps v1, all namespaces, deployments (list)
 *   /api/v1/namespaces/demo                 →  core v1, the namespace "demo" itself
 */
import { findResource, type ResourceType } from '../resources.ts';

/** A request for an API resource. */
export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The path after a `proxy` subresource (`/v.txt`), or after the name for other subresources. */
  rest?: string;
}

/** A path under /api or /apis that names a group/version but no resource (discovery). */
export interface DiscoveryRoute {
  kind: 'discovery';
  /** undefined for /api or /apis; '' for /api/v1. */
  group?: string;
  version?: string;
  legacy: boolean;
}

export type ApiRoute =
  | ResourceRoute
  | DiscoveryRoute
  | { kind: 'unknown-resource'; group: string; version: string; plural: string }
  | { kind: 'not-found' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses the path of an API request (without query string). */
export function parseApiPath(pathname: string): ApiRoute {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  if (parts.some((p) => p === undefined)) return { kind: 'not-found' };
  const segments = parts as string[];
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
    if (version === undefined) return { kind: 'discovery', legacy: true };
  } else if (segments[0] === 'apis') {
    if (segments[1] === undefined) return { kind: 'discovery', legacy: false };
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
    if (version === undefined) return { kind: 'discovery', group, legacy: false };
  } else {
    return { kind: 'not-found' };
  }
  if (rest.length === 0) return { kind: 'discovery', group, version, legacy: group === '' };

  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const plural = rest[0]!;
  const resource = findResource(group, version, plural);
  if (!resource) return { kind: 'unknown-resource', group, version, plural };
  if (namespace !== undefined && !resource.namespaced) return { kind: 'not-found' };
  const route: ResourceRoute = { kind: 'resource', group, version, resource };
  if (namespace !== undefined) route.namespace = namespace;
  if (rest[1] !== undefined) route.name = rest[1];
  if (rest[2] !== undefined) route.subresource = rest[2];
  if (rest.length > 3) route.rest = `/${rest.slice(3).join('/')}`;
  else if (route.subresource === 'proxy') route.rest = pathname.endsWith('/') ? '/' : '';
  return route;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

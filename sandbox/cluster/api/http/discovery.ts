/**
 * Discovery documents: the legacy ones (/api, /apis, /api/v1, /apis/apps/v1) and the aggregated
 * v2 / v2beta1 lists kubectl asks for first. Built once from the resource table.
 */
import { createHash } from 'node:crypto';
import { ALL_RESOURCES, apiVersionOf, type ResourceType, servedGroupVersions } from '../resources.ts';

/** The version the embedded control plane reports: kubectl's compatibility checks key on it. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groupsInOrder(): string[] {
  return [...new Set(servedGroupVersions().map((gv) => gv.group))];
}

function storageVersionHash(resource: ResourceType): string {
  return createHash('sha256')
    .update(`${resource.group}/${resource.version}/${resource.kind}`)
    .digest('base64')
    .slice(0, 11);
}

/** `GET /api`. */
export function legacyCoreVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`. */
export function legacyGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsInOrder()
      .filter((g) => g !== '')
      .map((name) => {
        const versions = servedGroupVersions()
          .filter((gv) => gv.group === name)
          .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
        return { name, versions, preferredVersion: versions[0] };
      }),
  };
}

/** `GET /api/v1` or `/apis/GROUP/VERSION`; undefined when not served. */
export function legacyResourceList(group: string, version: string): object | undefined {
  const resources = ALL_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const entries: object[] = [];
  for (const r of resources) {
    const entry: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    entry.storageVersionHash = storageVersionHash(r);
    entries.push(entry);
    for (const sub of r.subresources) {
      const subEntry: Record<string, unknown> = {
        name: `${r.plural}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== r.group) subEntry.group = sub.group;
      if (sub.version !== r.version) subEntry.version = sub.version;
      entries.push(subEntry);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: entries,
  };
}

function discoveryResource(r: ResourceType): object {
  const entry: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) entry.shortNames = r.shortNames;
  if (r.categories.length) entry.categories = r.categories;
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

/** The aggregated discovery list for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(legacy: boolean, version: 'v2' | 'v2beta1'): object {
  const groups = groupsInOrder().filter((g) => (legacy ? g === '' : g !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: servedGroupVersions()
        .filter((gv) => gv.group === group)
        .map((gv) => ({
          version: gv.version,
          resources: ALL_RESOURCES.filter((r) => r.group === group && r.version === gv.version).map(
            discoveryResource,
          ),
          freshness: 'Current',
        })),
    })),
  };
}

/** The Content-Type of an aggregated discovery response. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

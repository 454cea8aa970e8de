/**
 * Rows for Services and Endpoints: how a learner checks that `vweb` has an address, a port and pods
 * behind it.
 */
import type { KubeObject } from '../objects.ts';
import { compareStrings, formatLabels, joinHostPort } from './cell-formats.ts';
import { formatTimestampSince } from './human-duration.ts';
import type { TableCell } from './table-types.ts';

interface ServicePortView {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

interface LoadBalancerIngressView {
  ip?: string;
  hostname?: string;
}

/** Longest EXTERNAL-IP a load balancer gets before it is cut to `…...` outside `-o wide`. */
const LOAD_BALANCER_WIDTH = 16;

/**
 * Load-balancer ingress points, IP preferred over hostname, de-duplicated and sorted, comma-joined.
 * Outside wide output a result over 16 characters is cut to 13 and `...` appended.
 */
function formatLoadBalancerIngress(ingress: readonly LoadBalancerIngressView[], wide: boolean): string {
  const points = new Set<string>();
  for (const entry of ingress) {
    if (entry.ip) points.add(entry.ip);
    else if (entry.hostname) points.add(entry.hostname);
  }
  const joined = [...points].sort(compareStrings).join(',');
  if (!wide && joined.length > LOAD_BALANCER_WIDTH) return `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return joined;
}

/**
 * EXTERNAL-IP: the external IPs for ClusterIP and NodePort services (`<none>` without any), the load
 * balancer's ingress points followed by external IPs for LoadBalancer (`<pending>` until the cloud
 * answers), the DNS name for ExternalName.
 */
function formatServiceExternalIP(service: KubeObject, wide: boolean): string {
  const spec = service.spec ?? {};
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const balancer = formatLoadBalancerIngress(service.status?.loadBalancer?.ingress ?? [], wide);
      if (externalIPs.length > 0) {
        const points = balancer ? balancer.split(',') : [];
        return [...points, ...externalIPs].join(',');
      }
      return balancer || '<pending>';
    }
    case 'ExternalName':
      return typeof spec.externalName === 'string' ? spec.externalName : '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `80/TCP`, or `8090:31234/TCP` when a node port is allocated, comma-joined. */
function formatServicePorts(ports: readonly ServicePortView[]): string {
  const pieces = ports.map((port) => {
    const protocol = port.protocol ?? '';
    return port.nodePort && port.nodePort > 0
      ? `${port.port ?? 0}:${port.nodePort}/${protocol}`
      : `${port.port ?? 0}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

/**
 * NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, then SELECTOR. The server renders wide cells, so a
 * long load-balancer address is never cut here (kube-apiserver also generates tables as wide).
 */
export function printServiceCells(service: KubeObject, now: number): TableCell[] {
  const spec = service.spec ?? {};
  const clusterIPs: string[] = spec.clusterIPs ?? [];
  return [
    service.metadata.name ?? '',
    typeof spec.type === 'string' ? spec.type : '',
    clusterIPs[0] ?? '<none>',
    formatServiceExternalIP(service, true),
    formatServicePorts(spec.ports ?? []),
    formatTimestampSince(service.metadata.creationTimestamp, now),
    formatLabels(spec.selector),
  ];
}

interface EndpointSubsetView {
  addresses?: { ip: string }[];
  ports?: { name?: string; port: number }[];
}

/** How many endpoints the ENDPOINTS cell lists before summarising the rest. */
const MAX_LISTED_ENDPOINTS = 3;

/**
 * ENDPOINTS: `ip:port` for every address and port, at most three, then `+ N more...`; `<none>` when
 * there are no subsets. A subset without ports lists bare IPs (headless services).
 *
 * Worked example: 2 addresses × 2 ports = 4 endpoints; three are listed and the cell ends with
 * ` + 1 more...`.
 */
export function formatEndpoints(subsets: readonly EndpointSubsetView[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  const listed: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      total += addresses.length;
      for (const address of addresses) {
        if (listed.length === MAX_LISTED_ENDPOINTS) break;
        listed.push(address.ip);
      }
      continue;
    }
    for (const port of ports) {
      total += addresses.length;
      for (const address of addresses) {
        if (listed.length === MAX_LISTED_ENDPOINTS) break;
        listed.push(joinHostPort(address.ip, port.port));
      }
    }
  }
  const text = listed.join(',');
  return total > MAX_LISTED_ENDPOINTS ? `${text} + ${total - MAX_LISTED_ENDPOINTS} more...` : text;
}

/** NAME ENDPOINTS AGE. */
export function printEndpointsCells(endpoints: KubeObject, now: number): TableCell[] {
  return [
    endpoints.metadata.name ?? '',
    formatEndpoints(endpoints.subsets as EndpointSubsetView[] | undefined),
    formatTimestampSince(endpoints.metadata.creationTimestamp, now),
  ];
}

/**
 * Cluster IPs and node ports for Services, allocated when a Service is created or updated, as the
 * API server's allocators do. Addresses come at random from the service CIDR (10.96.0.0/16, kind's)
 * and ports from 30000–32767, preferring the upper part of each range so the lower part stays
 * free for values users pick themselves (upstream's static/dynamic split):
 *
 *   band = clamp(size / 16, min, max)
 *   cluster IPs: size = 65534 usable addresses → 65534 / 16 = 4095, clamped to [16, 256] → 256,
 *                so dynamic addresses start at 10.96.1.1;
 *   node ports:  size = 2768 ports → 2768 / 16 = 173, clamped to [16, 128] → 128,
 *                so dynamic ports start at 30128.
 *
 * The API server's policy calls allocateServiceAddresses on create (and with the old object on
 * update, which keeps what was allocated). It is a pure function of the Services stored.
 */
import type { ClusterApi } from '../../api/cluster-api.ts';
import { invalid, type StatusCause } from '../../api/errors.ts';
import type { KubeObject } from '../../api/objects.ts';
import { RESOURCES } from '../../api/resources.ts';
import type { ServicePort } from './endpoints.ts';

/** Where Service addresses come from. */
export interface ServiceAllocationOptions {
  /** An IPv4 CIDR; kind's default 10.96.0.0/16. */
  serviceCidr?: string;
  nodePortRange?: { min: number; max: number };
  /** Random source in [0, 1). */
  random?: () => number;
}

/** kind's service CIDR. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/16';
/** The API server's default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    out = out * 256 + Number(part);
  }
  return out;
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** A CIDR's usable addresses: first (network + 1) and count (without network and broadcast). */
export function parseCidr(cidr: string): { first: number; size: number } {
  const [address, bitsText] = cidr.split('/');
  const base = ipToNumber(address ?? '');
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30)
    throw new RangeError(`invalid service CIDR ${cidr}`);
  const total = 2 ** (32 - bits);
  const network = base - (base % total);
  return { first: network + 1, size: total - 2 };
}

/** Size of the lower band kept for values users choose: clamp(size / 16, min, max). */
export function staticBandSize(size: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(size / 16)));
}

/**
 * Picks a free offset in [0, size): random tries in the dynamic band [band, size), then a scan of
 * the dynamic band, then of the static band. Undefined when everything is taken.
 */
export function pickFreeOffset(
  size: number,
  band: number,
  used: ReadonlySet<number>,
  random: () => number,
): number | undefined {
  const dynamic = size - band;
  for (let attempt = 0; attempt < 32 && dynamic > 0; attempt++) {
    const offset = band + Math.floor(random() * dynamic);
    if (!used.has(offset)) return offset;
  }
  for (let offset = band; offset < size; offset++) if (!used.has(offset)) return offset;
  for (let offset = 0; offset < Math.min(band, size); offset++) if (!used.has(offset)) return offset;
  return undefined;
}

function invalidService(name: string, field: string, detail: string): never {
  const cause: StatusCause = { reason: 'FieldValueInvalid', message: `Invalid value: ${detail}`, field };
  throw invalid('Service', '', name, `Service "${name}" is invalid: ${field}: Invalid value: ${detail}`, [
    cause,
  ]);
}

function needsNodePorts(spec: { type?: string; allocateLoadBalancerNodePorts?: boolean }): boolean {
  const type = spec.type ?? 'ClusterIP';
  return type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/**
 * Fills the addresses a Service needs and returns the new object (the input is not changed):
 * `spec.clusterIP(s)`, `ipFamilies` and `ipFamilyPolicy` unless headless or ExternalName; a
 * `nodePort` on each port of a NodePort or LoadBalancer Service; `healthCheckNodePort` for a
 * LoadBalancer with `externalTrafficPolicy: Local`. With `old` (an update) allocations carry over
 * and ports dropped by a type change are released. Throws an Invalid StatusError for a requested
 * address or port that is taken or out of range.
 */
export function allocateServiceAddresses(
  api: ClusterApi,
  service: KubeObject,
  old?: KubeObject,
  options: ServiceAllocationOptions = {},
): KubeObject {
  const name = service.metadata.name ?? '';
  const namespace = service.metadata.namespace;
  const random = options.random ?? Math.random;
  const { first, size } = parseCidr(options.serviceCidr ?? DEFAULT_SERVICE_CIDR);
  const portRange = options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const next = structuredClone(service) as KubeObject;
  next.spec ??= {};
  const spec = next.spec;
  const oldSpec = old?.spec ?? {};
  const type = spec.type ?? 'ClusterIP';

  const usedIps = new Set<number>();
  const usedPorts = new Set<number>();
  for (const other of api.listAll(RESOURCES.services)) {
    if (other.metadata.namespace === namespace && other.metadata.name === name) continue;
    for (const ip of (other.spec?.clusterIPs ?? [other.spec?.clusterIP]) as (string | undefined)[]) {
      const n = ip ? ipToNumber(ip) : undefined;
      if (n !== undefined) usedIps.add(n - first);
    }
    for (const port of (other.spec?.ports ?? []) as ServicePort[])
      if (port.nodePort) usedPorts.add(port.nodePort - portRange.min);
    if (other.spec?.healthCheckNodePort) usedPorts.add(other.spec.healthCheckNodePort - portRange.min);
  }

  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    for (const port of (spec.ports ?? []) as ServicePort[]) delete port.nodePort;
    return next;
  }

  // Cluster IP: carried over on update, `None` for headless, requested, or allocated.
  if (!spec.clusterIP && oldSpec.clusterIP) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = oldSpec.clusterIPs ?? [oldSpec.clusterIP];
  }
  if (spec.clusterIP !== 'None') {
    const keep = old && spec.clusterIP === oldSpec.clusterIP;
    if (spec.clusterIP && !keep) {
      const requested = ipToNumber(spec.clusterIP);
      const offset = requested === undefined ? -1 : requested - first;
      const detail = `[]string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}`;
      if (requested === undefined || offset < 0 || offset >= size) {
        invalidService(
          name,
          'spec.clusterIPs',
          `${detail}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${options.serviceCidr ?? DEFAULT_SERVICE_CIDR}`,
        );
      }
      if (usedIps.has(offset))
        invalidService(name, 'spec.clusterIPs', `${detail}: provided IP is already allocated`);
    } else if (!spec.clusterIP) {
      const offset = pickFreeOffset(size, staticBandSize(size, 16, 256), usedIps, random);
      if (offset === undefined)
        invalidService(name, 'spec.clusterIPs', '[]string{}: failed to allocate a serviceIP: range is full');
      spec.clusterIP = numberToIp(first + offset);
    }
  }
  spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';

  // Node ports.
  const ports = (spec.ports ?? []) as ServicePort[];
  const oldPorts = (oldSpec.ports ?? []) as ServicePort[];
  const oldNodePorts = new Set(oldPorts.map((p) => p.nodePort).filter((p): p is number => p !== undefined));
  const portBand = staticBandSize(portRange.max - portRange.min + 1, 16, 128);
  const takePort = (field: string, requested: number | undefined, reusable: number | undefined): number => {
    if (requested !== undefined) {
      if (oldNodePorts.has(requested)) return requested;
      if (requested < portRange.min || requested > portRange.max) {
        invalidService(
          name,
          field,
          `${requested}: provided port is not in the valid range. The range of valid ports is ${portRange.min}-${portRange.max}`,
        );
      }
      if (usedPorts.has(requested - portRange.min))
        invalidService(name, field, `${requested}: provided port is already allocated`);
      usedPorts.add(requested - portRange.min);
      return requested;
    }
    if (reusable !== undefined) return reusable;
    const offset = pickFreeOffset(portRange.max - portRange.min + 1, portBand, usedPorts, random);
    if (offset === undefined) invalidService(name, field, '0: range is full');
    usedPorts.add(offset);
    return portRange.min + offset;
  };
  if (needsNodePorts(spec)) {
    ports.forEach((port, index) => {
      const previous =
        oldPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) ??
        oldPorts.find((p) => p.name && p.name === port.name);
      port.nodePort = takePort(
        `spec.ports[${index}].nodePort`,
        port.nodePort,
        needsNodePorts(oldSpec) ? previous?.nodePort : undefined,
      );
    });
  } else {
    for (const port of ports) delete port.nodePort;
  }
  if (type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const carried =
      oldSpec.type === 'LoadBalancer' && oldSpec.externalTrafficPolicy === 'Local'
        ? oldSpec.healthCheckNodePort
        : undefined;
    if (carried !== undefined && spec.healthCheckNodePort === undefined) spec.healthCheckNodePort = carried;
    else spec.healthCheckNodePort = takePort('spec.healthCheckNodePort', spec.healthCheckNodePort, undefined);
  } else {
    delete spec.healthCheckNodePort;
  }
  return next;
}

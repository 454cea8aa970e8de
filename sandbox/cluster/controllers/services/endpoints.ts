/**
 * The endpoints controller's arithmetic as pure functions: which pods belong in a Service's
 * Endpoints, which port each serves (a named targetPort like `http` is looked up in the pod's
 * container ports), and how addresses are packed into EndpointSubsets, as upstream's
 * `RepackSubsets` does: addresses that serve the same set of ports share a subset.
 */
import type { KubeObject } from '../../api/objects.ts';

/** One port of a Service spec. */
export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

/** An address of an EndpointSubset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

/** A port of an EndpointSubset. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One EndpointSubset. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Whether a pod reports Ready=True. */
export function isPodReady(pod: KubeObject): boolean {
  return ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

/**
 * Whether a pod is listed at all: it needs an IP, must not have finished for good, and must not
 * be terminating unless the Service publishes not-ready addresses.
 */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  if (restartPolicy === 'Never' && (phase === 'Failed' || phase === 'Succeeded')) return false;
  if (restartPolicy === 'OnFailure' && phase === 'Succeeded') return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/**
 * The container port a service port reaches on a pod: a number as is, a name looked up among the
 * containers' ports with the same protocol (`http` → 80), undefined when the pod has no such port.
 */
export function findPortForPod(pod: KubeObject, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of (pod.spec?.containers ?? []) as {
    ports?: { name?: string; containerPort: number; protocol?: string }[];
  }[]) {
    const found = container.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

function addressOf(pod: KubeObject, service: KubeObject): EndpointAddress {
  const address: EndpointAddress = {
    ip: pod.status.podIP,
    nodeName: pod.spec?.nodeName,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  };
  // Pods named into a headless Service's subdomain (StatefulSets) get a DNS hostname.
  if (
    pod.spec?.hostname &&
    pod.spec?.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace
  ) {
    address.hostname = pod.spec.hostname;
  }
  if (!address.nodeName) delete address.nodeName;
  return address;
}

function endpointPortOf(servicePort: ServicePort, port: number): EndpointPort {
  const out: EndpointPort = { port, protocol: servicePort.protocol ?? 'TCP' };
  if (servicePort.name) out.name = servicePort.name;
  if (servicePort.appProtocol) out.appProtocol = servicePort.appProtocol;
  return out;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function portKey(port: EndpointPort): string {
  return `${port.name ?? ''}/${port.port}/${port.protocol}/${port.appProtocol ?? ''}`;
}

/** A pod entering the Endpoints with its ports and readiness, before packing. */
export interface EndpointEntry {
  address: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

/** Packs entries so addresses serving identical port sets share one subset, everything sorted. */
export function repackSubsets(entries: readonly EndpointEntry[]): EndpointSubset[] {
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  for (const entry of entries) {
    const ports = [...entry.ports].sort((a, b) =>
      portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0,
    );
    const key = ports.map(portKey).join(',');
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    (entry.ready ? group.ready : group.notReady).push(entry.address);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const subset: EndpointSubset = {};
      if (group.ready.length > 0) subset.addresses = group.ready.sort(compareAddresses);
      if (group.notReady.length > 0) subset.notReadyAddresses = group.notReady.sort(compareAddresses);
      if (group.ports.length > 0) subset.ports = group.ports;
      return subset;
    });
}

/**
 * The subsets of a Service's Endpoints from the pods its selector matches. A pod whose containers
 * lack a named targetPort is left out of that port, as upstream does.
 */
export function computeEndpointSubsets(service: KubeObject, pods: readonly KubeObject[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const ports = (service.spec?.ports ?? []) as ServicePort[];
  const headless = service.spec?.clusterIP === 'None';
  const entries: EndpointEntry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ready = publishNotReady || isPodReady(pod);
    const address = addressOf(pod, service);
    if (ports.length === 0) {
      if (headless) entries.push({ address, ready, ports: [] });
      continue;
    }
    for (const servicePort of ports) {
      const port = findPortForPod(pod, servicePort);
      if (port === undefined) continue;
      entries.push({ address, ready, ports: [endpointPortOf(servicePort, port)] });
    }
  }
  // One entry per address and port so far; merge them per address before packing.
  const merged = new Map<string, EndpointEntry>();
  for (const entry of entries) {
    const key = `${entry.address.ip}/${entry.address.targetRef?.uid ?? ''}/${entry.ready}`;
    const existing = merged.get(key);
    if (existing) existing.ports.push(...entry.ports);
    else merged.set(key, { ...entry, ports: [...entry.ports] });
  }
  return repackSubsets([...merged.values()]);
}

/**
 * The Node objects of the simulated workers, shaped like a kind worker's: labels, pod CIDR,
 * addresses, capacity, node info, the four pressure/ready conditions and the image list.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/objects.ts';
import { formatTimestamp } from '../clock.ts';
import type { NodeSimulatorConfig } from './config.ts';

/** Where a node sits in the simulated network. */
export interface NodeIdentity {
  name: string;
  /** Position among the simulator's nodes, from 0. */
  index: number;
  internalIP: string;
  /** `10.244.1.0/24`. */
  podCIDR: string;
}

/** An image held by a node, for status.images. */
export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** Addresses and CIDR of the node at `index`. */
export function identityOf(
  config: Pick<NodeSimulatorConfig, 'nodeIpPrefix' | 'podCidrPrefix'>,
  name: string,
  index: number,
): NodeIdentity {
  return {
    name,
    index,
    internalIP: `${config.nodeIpPrefix}.${index + 2}`,
    podCIDR: `${config.podCidrPrefix}.${index + 1}.0/24`,
  };
}

/** A stable hex id derived from a name (machine ids differ per node but not per run). */
function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function stableUuid(seed: string): string {
  const hex = stableHex(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The four conditions a healthy kubelet reports, all stamped with `now`. */
export function nodeConditionsAt(now: string, transitionedAt: string): Record<string, string>[] {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: transitionedAt,
    reason,
    message,
  });
  return [
    condition(
      'MemoryPressure',
      'False',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** The node status a kubelet posts: conditions, addresses, capacity, node info and images. */
export function buildNodeStatus(
  config: NodeSimulatorConfig,
  identity: NodeIdentity,
  now: number,
  createdAt: number,
  images: NodeImage[],
): Record<string, unknown> {
  const node = config.node;
  return {
    capacity: { ...node.capacity },
    allocatable: { ...node.allocatable },
    conditions: nodeConditionsAt(formatTimestamp(now), formatTimestamp(createdAt)),
    addresses: [
      { type: 'InternalIP', address: identity.internalIP },
      { type: 'Hostname', address: identity.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: stableHex(`machine/${config.clusterName}/${identity.name}`, 32),
      systemUUID: stableUuid(`system/${config.clusterName}/${identity.name}`),
      bootID: stableUuid(`boot/${config.clusterName}/${identity.name}/${createdAt}`),
      kernelVersion: node.kernelVersion,
      osImage: node.osImage,
      containerRuntimeVersion: node.containerRuntimeVersion,
      kubeletVersion: node.kubeletVersion,
      kubeProxyVersion: node.kubeProxyVersion,
      operatingSystem: node.operatingSystem,
      architecture: node.architecture,
    },
    images: images.map((image) => ({ names: [...image.names], sizeBytes: image.sizeBytes })),
  };
}

/** A complete Node object for creation. */
export function buildNodeObject(
  config: NodeSimulatorConfig,
  identity: NodeIdentity,
  now: number,
  images: NodeImage[] = [],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: identity.name,
      labels: {
        'beta.kubernetes.io/arch': config.node.architecture,
        'beta.kubernetes.io/os': config.node.operatingSystem,
        'kubernetes.io/arch': config.node.architecture,
        'kubernetes.io/hostname': identity.name,
        'kubernetes.io/os': config.node.operatingSystem,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: identity.podCIDR,
      podCIDRs: [identity.podCIDR],
      providerID: `kind://docker/${config.clusterName}/${identity.name}`,
    },
    status: buildNodeStatus(config, identity, now, now, images),
  };
}

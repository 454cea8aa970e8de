/**
 * One configuration object for the simulated nodes: how many, what they report about themselves,
 * and how long each step of a pod's life takes. Every delay is simulated time on the injected
 * clock, so a time scale of 10 makes a 2 s image pull take 0.2 s of wall time.
 */

/** A delay range in simulated ms; each use draws a value between the bounds from the random source. */
export type DelayRange = readonly [minMs: number, maxMs: number];

/** Exponential back-off: initial, doubled per failure, capped. */
export interface BackOffPolicy {
  initialMs: number;
  maxMs: number;
}

/** How long the lifecycle stages take. */
export interface StageDelays {
  /** The kubelet sees a newly bound pod and writes its first status. */
  admit: DelayRange;
  /** Network sandbox set-up: the pod gets its IP. */
  sandbox: DelayRange;
  /** Between deciding to pull and the Pulling event. */
  pullStart: DelayRange;
  /** Pulling an image the node does not have. */
  pull: DelayRange;
  /** An `imagePullPolicy: Always` pull of an image whose layers are already there. */
  pullCached: DelayRange;
  /** A registry answering that the image does not exist. */
  pullFailure: DelayRange;
  /** ErrImagePull until the next sync shows ImagePullBackOff. */
  pullBackOffSync: DelayRange;
  /** Creating and starting a container whose image is present (the ContainerCreating time). */
  create: DelayRange;
  /** Creating and starting a container again after it exited. */
  restart: DelayRange;
  /** An init container's script, when its command gives no duration. */
  initRun: DelayRange;
  /** Any other command without a recognisable duration (`echo hello`). */
  commandRun: DelayRange;
  /** A crashed container until the kubelet's next sync restarts it or enters CrashLoopBackOff. */
  crashSync: DelayRange;
  /** Extra wait after a readiness probe's initialDelaySeconds before its first success counts. */
  probeJitter: DelayRange;
  /** A container without readiness probe until it reports ready. */
  readyWithoutProbe: DelayRange;
  /** Stopping a pod that has nothing running. */
  stopIdle: DelayRange;
  /** A container whose environment references a missing ConfigMap or Secret, until the next try. */
  configRetry: DelayRange;
  /**
   * A ConfigMap or Secret edit until mounted volumes show it. The real kubelet takes up to a minute
   * (its sync period plus the object cache); the default is shorter so lessons do not stall.
   */
  volumeSync: DelayRange;
}

/** Hardware and software a node reports in its status. */
export interface NodeDescription {
  kubeletVersion: string;
  kubeProxyVersion: string;
  containerRuntimeVersion: string;
  osImage: string;
  kernelVersion: string;
  operatingSystem: string;
  architecture: string;
  capacity: Readonly<Record<string, string>>;
  allocatable: Readonly<Record<string, string>>;
}

/** Everything the simulated nodes are built from. */
export interface NodeSimulatorConfig {
  /** Prefix of node names: `rollout-lab` → `rollout-lab-worker`, `rollout-lab-worker2`. */
  clusterName: string;
  /** How many worker nodes. */
  nodeCount: number;
  /** Explicit node names, overriding clusterName and nodeCount. */
  nodeNames?: readonly string[];
  node: NodeDescription;
  /** Node i gets InternalIP `${nodeIpPrefix}.${i + 2}` (kind's docker network). */
  nodeIpPrefix: string;
  /** Node i gets pod CIDR `${podCidrPrefix}.${i + 1}.0/24` (kind's 10.244.0.0/16). */
  podCidrPrefix: string;
  delays: StageDelays;
  /** CrashLoopBackOff: 10 s doubling to 5 min, as the kubelet. */
  crashLoopBackOff: BackOffPolicy;
  /** ImagePullBackOff: 10 s doubling to 5 min, as the kubelet. */
  imagePullBackOff: BackOffPolicy;
  /** FailedMount retries for a missing ConfigMap or Secret volume. */
  mountRetryBackOff: BackOffPolicy;
  /** How often a node computes its status; it posts it only when something changed (kubelet: 10 s). */
  nodeStatusUpdateMs: number;
  /** How often a node posts an unchanged status, as a heartbeat (kubelet with leases: 5 min). */
  nodeStatusReportMs: number;
  /** Images every node has before any pull (normalized or short references). */
  preloadedImages: readonly string[];
  /** Random source in [0, 1) for jitter; injected so tests are reproducible. */
  random: () => number;
}

/** The defaults: one kind-like v1.32 worker, realistic short delays. */
export const DEFAULT_NODE_SIMULATOR_CONFIG: NodeSimulatorConfig = {
  clusterName: 'rollout-lab',
  nodeCount: 1,
  node: {
    kubeletVersion: 'v1.32.0',
    kubeProxyVersion: 'v1.32.0',
    containerRuntimeVersion: 'containerd://1.7.24',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    kernelVersion: '6.8.0-51-generic',
    operatingSystem: 'linux',
    architecture: 'amd64',
    capacity: {
      cpu: '8',
      'ephemeral-storage': '263174212Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '16302536Ki',
      pods: '110',
    },
    allocatable: {
      cpu: '8',
      'ephemeral-storage': '263174212Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '16302536Ki',
      pods: '110',
    },
  },
  nodeIpPrefix: '172.18.0',
  podCidrPrefix: '10.244',
  delays: {
    admit: [20, 150],
    sandbox: [300, 900],
    pullStart: [10, 100],
    pull: [2_000, 5_000],
    pullCached: [300, 900],
    pullFailure: [800, 2_500],
    pullBackOffSync: [1_000, 3_000],
    create: [1_000, 3_000],
    restart: [300, 900],
    initRun: [1_000, 2_500],
    commandRun: [200, 1_000],
    crashSync: [500, 1_500],
    probeJitter: [0, 1_000],
    readyWithoutProbe: [0, 200],
    stopIdle: [100, 400],
    configRetry: [8_000, 12_000],
    volumeSync: [15_000, 30_000],
  },
  crashLoopBackOff: { initialMs: 10_000, maxMs: 300_000 },
  imagePullBackOff: { initialMs: 10_000, maxMs: 300_000 },
  mountRetryBackOff: { initialMs: 500, maxMs: 122_000 },
  nodeStatusUpdateMs: 10_000,
  nodeStatusReportMs: 300_000,
  preloadedImages: [],
  random: Math.random,
};

/** Settings a caller may override; nested groups merge with the defaults key by key. */
export type NodeSimulatorOptions = Partial<Omit<NodeSimulatorConfig, 'delays' | 'node'>> & {
  delays?: Partial<StageDelays>;
  node?: Partial<NodeDescription>;
};

/** Why a configuration cannot be used, naming the setting to fix. */
export class NodeSimulatorConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(`invalid node simulator setting ${setting}: ${message}`);
    this.name = 'NodeSimulatorConfigError';
    this.setting = setting;
  }
}

/** Merges options over the defaults and checks them. */
export function resolveNodeSimulatorConfig(options: NodeSimulatorOptions = {}): NodeSimulatorConfig {
  const config: NodeSimulatorConfig = {
    ...DEFAULT_NODE_SIMULATOR_CONFIG,
    ...options,
    node: { ...DEFAULT_NODE_SIMULATOR_CONFIG.node, ...(options.node ?? {}) },
    delays: { ...DEFAULT_NODE_SIMULATOR_CONFIG.delays, ...(options.delays ?? {}) },
  };
  if (!Number.isInteger(config.nodeCount) || config.nodeCount < 1 || config.nodeCount > 250) {
    throw new NodeSimulatorConfigError(
      'nodeCount',
      `expected a whole number from 1 to 250, got ${config.nodeCount}`,
    );
  }
  for (const [name, range] of Object.entries(config.delays)) {
    const [min, max] = range as DelayRange;
    if (!(min >= 0) || !(max >= min))
      throw new NodeSimulatorConfigError(
        `delays.${name}`,
        `expected [min, max] with 0 <= min <= max, got [${min}, ${max}]`,
      );
  }
  if (config.nodeNames && new Set(config.nodeNames).size !== config.nodeNames.length) {
    throw new NodeSimulatorConfigError('nodeNames', 'node names must be unique');
  }
  return config;
}

/** Node names: kind's worker naming (`rollout-lab-worker`, `rollout-lab-worker2`, …) unless given. */
export function nodeNamesOf(
  config: Pick<NodeSimulatorConfig, 'clusterName' | 'nodeCount' | 'nodeNames'>,
): string[] {
  if (config.nodeNames && config.nodeNames.length > 0) return [...config.nodeNames];
  return Array.from(
    { length: config.nodeCount },
    (_, i) => `${config.clusterName}-worker${i === 0 ? '' : i + 1}`,
  );
}

/** A value drawn from a delay range: min + random × (max − min). */
export function drawDelay(range: DelayRange, random: () => number): number {
  const [min, max] = range;
  return Math.round(min + random() * (max - min));
}

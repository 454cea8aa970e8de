/**
 * The simulated nodes as one controller: it creates the Node objects when it starts, runs one
 * SimulatedKubelet per node, and syncs a pod whenever the pod, a ConfigMap or Secret it may read,
 * or one of its stage timers changes. Node heartbeats go through the same queue, so every write a
 * node makes is serialized.
 */
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES } from '../api/resources.ts';
import { runtimeStateOf } from '../apps/runtime-state.ts';
import {
  type Controller,
  type ControllerContext,
  createQueueController,
  keyOf,
  splitKey,
} from '../controllers/controller.ts';
import { createEventRecorder } from '../controllers/events.ts';
import type { WorkQueue } from '../controllers/work-queue.ts';
import {
  type NodeSimulatorConfig,
  type NodeSimulatorOptions,
  nodeNamesOf,
  resolveNodeSimulatorConfig,
} from './config.ts';
import { SimulatedKubelet } from './kubelet.ts';
import { identityOf } from './node-object.ts';
import type { PodStage } from './stages.ts';

const NODE_KEY_PREFIX = '#node/';

/** The simulated nodes' controller, with its kubelets exposed for tests and diagnostics. */
export interface NodeSimulator extends Controller {
  readonly queue: WorkQueue;
  readonly config: NodeSimulatorConfig;
  readonly kubelets: readonly SimulatedKubelet[];
  /** The kubelet of a node, by name. */
  kubelet(nodeName: string): SimulatedKubelet | undefined;
}

/** Extra construction options beyond the node configuration. */
export interface NodeSimulatorExtras {
  /** Replaces the lifecycle stage table (tests of a single stage). */
  stages?: readonly PodStage[];
}

/**
 * Builds the simulated nodes. `options` overrides DEFAULT_NODE_SIMULATOR_CONFIG (node count, delays,
 * back-offs, random source); the context's clock drives every delay.
 */
export function createNodeSimulator(
  context: ControllerContext,
  options: NodeSimulatorOptions = {},
  extras: NodeSimulatorExtras = {},
): NodeSimulator {
  const config = resolveNodeSimulatorConfig(options);
  const { api, clock } = context;
  const state = runtimeStateOf(api);
  let queue: WorkQueue | undefined;
  const requestSync = (key: string) => queue?.add(key);

  const kubelets = nodeNamesOf(config).map(
    (name, index) =>
      new SimulatedKubelet({
        api,
        clock,
        config,
        identity: identityOf(config, name, index),
        state,
        recorder: createEventRecorder(api, { component: 'kubelet', host: name }),
        requestSync,
        stages: extras.stages,
      }),
  );
  const byName = new Map(kubelets.map((k) => [k.nodeName, k]));
  const heartbeatCancels = new Map<string, () => void>();
  let running = false;

  const scheduleHeartbeat = (name: string) => {
    heartbeatCancels.get(name)?.();
    if (!running) return;
    heartbeatCancels.set(
      name,
      clock.setTimer(() => requestSync(`${NODE_KEY_PREFIX}${name}`), config.nodeStatusUpdateMs),
    );
  };

  const kubeletTracking = (key: string): SimulatedKubelet | undefined => kubelets.find((k) => k.tracks(key));

  const podKeysFor = (pod: KubeObject): string[] => {
    const key = keyOf(pod);
    return byName.has(pod.spec?.nodeName) || kubeletTracking(key) ? [key] : [];
  };

  // A ConfigMap or Secret change may unblock a mount or an env reference, or make mounted files stale.
  const podKeysInNamespace = (object: KubeObject): string[] => {
    const namespace = object.metadata.namespace;
    return kubelets.flatMap((k) => k.podKeys()).filter((key) => splitKey(key).namespace === namespace);
  };

  const reconcile = (key: string): void => {
    if (key.startsWith(NODE_KEY_PREFIX)) {
      const kubelet = byName.get(key.slice(NODE_KEY_PREFIX.length));
      if (!kubelet) return;
      try {
        kubelet.syncNode();
      } finally {
        scheduleHeartbeat(kubelet.nodeName);
      }
      return;
    }
    const { namespace, name } = splitKey(key);
    const pod = api.find(RESOURCES.pods, namespace, name);
    const owner = pod ? byName.get(pod.spec?.nodeName) : undefined;
    for (const kubelet of kubelets)
      if (kubelet !== owner && kubelet.tracks(key)) kubelet.syncPod(key, undefined);
    owner?.syncPod(key, pod);
  };

  const controller = createQueueController(
    context,
    'node-simulator',
    [
      { resource: RESOURCES.pods, keysFor: (event) => podKeysFor(event.object) },
      { resource: RESOURCES.configmaps, keysFor: (event) => podKeysInNamespace(event.object) },
      { resource: RESOURCES.secrets, keysFor: (event) => podKeysInNamespace(event.object) },
      {
        resource: RESOURCES.nodes,
        keysFor: (event) =>
          event.type === 'DELETED' && byName.has(event.object.metadata.name ?? '')
            ? [`${NODE_KEY_PREFIX}${event.object.metadata.name}`]
            : [],
      },
    ],
    reconcile,
  );
  queue = controller.queue;

  return {
    name: controller.name,
    queue: controller.queue,
    config,
    kubelets,
    kubelet: (nodeName) => byName.get(nodeName),
    start() {
      running = true;
      // Nodes exist before anything is scheduled, as a cluster's workers register at boot.
      for (const kubelet of kubelets) {
        try {
          kubelet.syncNode();
        } catch (error) {
          context.log(controller.name, `could not register node ${kubelet.nodeName}`, error);
        }
        scheduleHeartbeat(kubelet.nodeName);
      }
      controller.start();
    },
    stop() {
      running = false;
      for (const cancel of heartbeatCancels.values()) cancel();
      heartbeatCancels.clear();
      controller.stop();
      for (const kubelet of kubelets) kubelet.forgetAll();
    },
    whenIdle: () => controller.whenIdle(),
  };
}

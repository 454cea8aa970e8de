/**
 * Assembles the embedded control plane: object store, API core, controllers and simulated nodes,
 * all driven by one injected clock. The HTTP API server is started separately on top of it.
 */

import { createRbacAuthorizer } from './api/auth/rbac.ts';
import { ClusterApi, SYSTEM_USER } from './api/cluster-api.ts';
import type { KubeObject } from './api/objects.ts';
import { createObjectPolicy } from './api/policy.ts';
import { RESOURCES } from './api/resources.ts';
import { type Clock, createScaledClock } from './clock.ts';
import type { Controller, ControllerContext } from './controllers/controller.ts';
import { createDaemonSetController } from './controllers/daemonset/daemonset-controller.ts';
import { createDeploymentController } from './controllers/deployment/controller.ts';
import { createEventRecorder } from './controllers/events.ts';
import { createGarbageCollector } from './controllers/garbage-collector/garbage-collector.ts';
import { createNamespaceController } from './controllers/namespace/namespace-controller.ts';
import { createQuotaController } from './controllers/quota/quota-controller.ts';
import { createReplicaSetController } from './controllers/replicaset/controller.ts';
import { createEndpointsController } from './controllers/services/endpoints-controller.ts';
import { createLoadBalancerController } from './controllers/services/load-balancer-controller.ts';
import { createStatefulSetController } from './controllers/statefulset/statefulset-controller.ts';
import { createVolumeController } from './controllers/volumes/volume-controller.ts';
import { DEFAULT_NODE_SIMULATOR_CONFIG, type NodeDescription } from './nodes/config.ts';
import { createNodeSimulator } from './nodes/node-simulator.ts';
import { createScheduler } from './nodes/scheduler.ts';
import { ObjectStore } from './store/object-store.ts';

/** How to build a control plane. */
export interface ControlPlaneOptions {
  clock?: Clock;
  /** Simulated speed-up when no clock is given (1 = real time). */
  timeScale?: number;
  /** Number of simulated nodes. */
  nodes?: number;
  /** Pods a node holds (its kubelet's `maxPods`); 110 by default, as the kubelet. */
  podsPerNode?: number;
  random?: () => number;
  /** Where controller failures go; silent by default. */
  log?: (controller: string, message: string, error?: unknown) => void;
  /** Builds the controllers to run; the default is every controller of the control plane. */
  controllers?: (context: ControllerContext) => Controller[];
  /**
   * Changes the store keeps for watches to resume from (20 000 by default); a watch from an
   * older resourceVersion gets 410 Gone. Tests make it small to reach that path for real.
   */
  watchHistoryLimit?: number;
}

/** A running embedded control plane. */
export interface ControlPlane {
  api: ClusterApi;
  clock: Clock;
  context: ControllerContext;
  controllers: Controller[];
  /** Resolves when every controller queue is empty, looping until nothing new was queued. */
  settle(): Promise<void>;
  stop(): void;
}

/** The default node description with room for `pods` pods (capacity and allocatable). */
function nodeWithPodCapacity(pods: number): NodeDescription {
  const { node } = DEFAULT_NODE_SIMULATOR_CONFIG;
  return {
    ...node,
    capacity: { ...node.capacity, pods: String(pods) },
    allocatable: { ...node.allocatable, pods: String(pods) },
  };
}

/** The controllers a full control plane runs, with the simulated nodes. */
export function defaultControllers(
  context: ControllerContext,
  options: ControlPlaneOptions = {},
): Controller[] {
  return [
    createNodeSimulator(context, {
      nodeCount: options.nodes ?? 1,
      ...(options.podsPerNode ? { node: nodeWithPodCapacity(options.podsPerNode) } : {}),
      ...(options.random ? { random: options.random } : {}),
    }),
    createScheduler(context),
    createDeploymentController(context),
    createReplicaSetController(context),
    createDaemonSetController(context),
    createStatefulSetController(context),
    createEndpointsController(context),
    createLoadBalancerController(context),
    createVolumeController(context),
    createGarbageCollector(context),
    createNamespaceController(context),
    createQuotaController(context),
  ];
}

/** Creates the store and API, bootstraps system namespaces, starts controllers. */
export function createControlPlane(options: ControlPlaneOptions = {}): ControlPlane {
  const clock = options.clock ?? createScaledClock(options.timeScale ?? 1);
  const store = new ObjectStore(
    options.watchHistoryLimit !== undefined ? { historyLimit: options.watchHistoryLimit } : {},
  );
  const api = new ClusterApi({
    store,
    clock,
    policy: createObjectPolicy({ random: options.random }),
    authorizer: createRbacAuthorizer(store),
    random: options.random,
  });
  const context: ControllerContext = {
    api,
    clock,
    recorder: (component) => createEventRecorder(api, { component }),
    log: options.log ?? (() => {}),
  };
  bootstrap(api);
  const controllers = options.controllers
    ? options.controllers(context)
    : defaultControllers(context, options);
  for (const controller of controllers) controller.start();
  return {
    api,
    clock,
    context,
    controllers,
    async settle() {
      // Reconciles cause writes that queue more keys; wait until a full pass finds every queue idle.
      for (let round = 0; round < 1000; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        await Promise.all(controllers.map((c) => c.whenIdle()));
        await new Promise((resolve) => setImmediate(resolve));
        if (
          controllers.every(
            (c) =>
              (c as { queue?: { length: number } }).queue?.length === 0 || !(c as { queue?: unknown }).queue,
          )
        ) {
          return;
        }
      }
    },
    stop() {
      for (const controller of controllers) controller.stop();
    },
  };
}

/** Namespaces every cluster has. */
function bootstrap(api: ClusterApi): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    api.create(RESOURCES.namespaces, undefined, namespace, { user: SYSTEM_USER });
  }
}

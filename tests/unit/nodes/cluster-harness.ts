/**
 * A small control plane for node and app tests: the scheduler and simulated nodes on a manual
 * clock with a reproducible random source, plus helpers to step time and read what happened.
 */
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { createManualClock, type ManualClock } from '../../../sandbox/cluster/clock.ts';
import { type ControlPlane, createControlPlane } from '../../../sandbox/cluster/control-plane.ts';
import type { Controller, ControllerContext } from '../../../sandbox/cluster/controllers/controller.ts';
import type { NodeSimulatorOptions } from '../../../sandbox/cluster/nodes/config.ts';
import { createNodeSimulator, type NodeSimulator } from '../../../sandbox/cluster/nodes/node-simulator.ts';
import { createScheduler } from '../../../sandbox/cluster/nodes/scheduler.ts';

/** A test cluster. */
export interface Harness {
  cp: ControlPlane;
  clock: ManualClock;
  nodes: NodeSimulator;
  /** Moves simulated time forward in small steps, letting controllers react between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Steps until a predicate holds (or fails after `limitMs` of simulated time). */
  advanceUntil(predicate: () => boolean, limitMs?: number, stepMs?: number): Promise<number>;
  pod(name: string, namespace?: string): KubeObject | undefined;
  /** `reason: message` of every event about an object, oldest first. */
  eventsOf(
    name: string,
    namespace?: string,
  ): { reason: string; message: string; type: string; count: number; source: string }[];
  stop(): void;
}

/** A random source that repeats a fixed sequence, so delays are reproducible. */
export function sequenceRandom(values: readonly number[] = [0.5]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** Starts a harness; `extra` adds controllers built from the same context. */
export async function startHarness(
  options: NodeSimulatorOptions = {},
  extra: (context: ControllerContext) => Controller[] = () => [],
  /** Changes how the clock fires timers (a scaled clock's may fire early). */
  wrapClock: (clock: ManualClock) => ManualClock = (clock) => clock,
): Promise<Harness> {
  const clock = wrapClock(createManualClock());
  let nodes!: NodeSimulator;
  const cp = createControlPlane({
    clock,
    log: (name, message, error) => {
      throw new Error(`${name}: ${message}: ${error instanceof Error ? error.stack : String(error)}`);
    },
    controllers: (context) => {
      nodes = createNodeSimulator(context, { random: sequenceRandom(), ...options });
      return [createScheduler(context), nodes, ...extra(context)];
    },
  });
  await cp.settle();
  const harness: Harness = {
    cp,
    clock,
    nodes,
    async advance(ms, stepMs = 100) {
      for (let done = 0; done < ms; done += stepMs) {
        clock.advance(Math.min(stepMs, ms - done));
        await cp.settle();
      }
    },
    async advanceUntil(predicate, limitMs = 600_000, stepMs = 100) {
      let waited = 0;
      await cp.settle();
      while (!predicate()) {
        if (waited >= limitMs) throw new Error(`condition not reached after ${limitMs} ms of simulated time`);
        clock.advance(stepMs);
        waited += stepMs;
        await cp.settle();
      }
      return waited;
    },
    pod: (name, namespace = 'default') => cp.api.find(RESOURCES.pods, namespace, name),
    eventsOf(name, namespace = 'default') {
      return cp.api
        .listAll(RESOURCES.events, namespace)
        .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
        .sort((a, b) =>
          String(a.metadata.resourceVersion).localeCompare(String(b.metadata.resourceVersion), undefined, {
            numeric: true,
          }),
        )
        .map((e) => ({
          reason: String(e.reason),
          message: String(e.message),
          type: String(e.type),
          count: Number(e.count ?? 1),
          source: String((e.source as { component?: string } | undefined)?.component ?? ''),
        }));
    },
    stop: () => cp.stop(),
  };
  return harness;
}

/** A pod manifest with one or more containers. */
export function podManifest(
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { restartPolicy: 'Always', ...spec },
  };
}

/** Creates a pod through the API as a user would (privileged). */
export function createPod(h: Harness, pod: KubeObject): KubeObject {
  return h.cp.api.create(RESOURCES.pods, pod.metadata.namespace ?? 'default', pod);
}

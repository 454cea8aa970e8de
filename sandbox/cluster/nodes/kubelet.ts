/**
 * One simulated kubelet: the node's memory of its pods, its image cache and pod IP pool, and the
 * sync that moves each pod through the lifecycle stages. A sync evaluates every unit of the pod
 * (the pod itself and each container), applies the stages whose time has come, schedules timers
 * for the others, then writes the projected status once and records the events it produced.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import { StatusError } from '../api/errors.ts';
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES } from '../api/resources.ts';
import { findImage } from '../apps/catalog.ts';
import type { ClusterRuntimeState } from '../apps/runtime-state.ts';
import type { Clock } from '../clock.ts';
import type { EventRecorder } from '../controllers/events.ts';
import { backOffDelayMs } from './back-off.ts';
import { drawDelay, type NodeSimulatorConfig } from './config.ts';
import { PodIpPool } from './ip-pool.ts';
import { buildNodeObject, buildNodeStatus, type NodeIdentity } from './node-object.ts';
import {
  type ContainerSpec,
  computeContainerFacts,
  computePodFacts,
  containerSpecsOf,
  type Facts,
  type NodeView,
} from './pod-facts.ts';
import {
  type ContainerRuntime,
  createContainerRuntime,
  createPodRuntime,
  type PodRuntime,
} from './pod-runtime.ts';
import { projectPodStatus } from './pod-status.ts';
import { applyEffect, baseTemplateValues, NodeImageCache } from './stage-effects.ts';
import { POD_STAGES, type PodStage, renderStageEvents, selectStage } from './stages.ts';

/** Everything a kubelet is built from. */
export interface KubeletDependencies {
  api: ClusterApi;
  clock: Clock;
  config: NodeSimulatorConfig;
  identity: NodeIdentity;
  state: ClusterRuntimeState;
  recorder: EventRecorder;
  /** Asks for a sync of a pod key (a stage's time has come). */
  requestSync(key: string): void;
  /** The stage table; the default lifecycle unless a test supplies another. */
  stages?: readonly PodStage[];
}

interface Unit {
  key: string;
  facts: Facts;
  container?: ContainerRuntime;
  spec?: ContainerSpec;
}

/** Simulated ms between consecutive events of one stage (Pulled → Created → Started). */
const EVENT_SPACING_MS = 30;

/** Most stage applications in one sync; a cycle of immediate stages would be a table bug. */
const MAX_STEPS_PER_SYNC = 200;

/** A simulated kubelet for one node. */
export class SimulatedKubelet {
  readonly identity: NodeIdentity;
  readonly images = new NodeImageCache();
  readonly ipPool: PodIpPool;
  readonly #deps: KubeletDependencies;
  readonly #stages: readonly PodStage[];
  readonly #pods = new Map<string, PodRuntime>();
  #createdAt: number | undefined;
  #lastStatusPostAt: number | undefined;

  constructor(deps: KubeletDependencies) {
    this.#deps = deps;
    this.identity = deps.identity;
    this.#stages = deps.stages ?? POD_STAGES;
    const [a, b, c] = deps.identity.podCIDR.split('.');
    this.ipPool = new PodIpPool(`${a}.${b}.${c}`);
    for (const reference of deps.config.preloadedImages) {
      const image = findImage(reference);
      if (image) this.images.add(image);
    }
  }

  /** The node's name. */
  get nodeName(): string {
    return this.identity.name;
  }

  /** Keys of the pods this kubelet tracks. */
  podKeys(): string[] {
    return [...this.#pods.keys()];
  }

  /** Whether this kubelet tracks a pod key. */
  tracks(key: string): boolean {
    return this.#pods.has(key);
  }

  /** The kubelet's memory of a pod, for tests and diagnostics. */
  runtimeOf(key: string): Readonly<PodRuntime> | undefined {
    return this.#pods.get(key);
  }

  /**
   * Registers the Node object if it is missing, then posts its status as the kubelet does: when
   * something changed (a pulled image) or when `nodeStatusReportMs` passed since the last post
   * (the heartbeat). Between posts the status is only computed, so watchers see no churn.
   */
  syncNode(): void {
    const { api, clock, config } = this.#deps;
    const now = clock.now();
    let existing = api.find(RESOURCES.nodes, undefined, this.nodeName);
    if (!existing) {
      // Registration stores no status (the API server drops it on create); the first status post follows.
      this.#createdAt = now;
      this.#lastStatusPostAt = undefined;
      existing = api.create(
        RESOURCES.nodes,
        undefined,
        buildNodeObject(config, this.identity, now, this.images.list()),
      );
    }
    const createdAt = this.#createdAt ?? (Date.parse(existing.metadata.creationTimestamp ?? '') || now);
    const status = buildNodeStatus(config, this.identity, now, createdAt, this.images.list());
    const due =
      this.#lastStatusPostAt === undefined || now - this.#lastStatusPostAt >= config.nodeStatusReportMs;
    if (!due && sameIgnoringHeartbeats(status, existing.status)) return;
    const next = structuredClone(existing) as KubeObject;
    next.status = status;
    api.update(RESOURCES.nodes, undefined, next, { subresource: 'status' });
    this.#lastStatusPostAt = now;
  }

  /** Forgets a pod: cancels its timers, frees its IP and its files on the node. */
  forget(key: string): void {
    const runtime = this.#pods.get(key);
    if (!runtime) return;
    for (const entry of runtime.scheduled.values()) entry.cancel();
    runtime.scheduled.clear();
    runtime.cancelEventTimer?.();
    this.ipPool.release(runtime.uid);
    this.#deps.state.pods.delete(runtime.uid);
    this.#pods.delete(key);
  }

  /** Forgets every pod (the simulator is stopping). */
  forgetAll(): void {
    for (const key of [...this.#pods.keys()]) this.forget(key);
  }

  /**
   * Syncs one pod: `pod` is its current object, or undefined when it is gone. Throws when the
   * status write fails, so the caller's queue retries; pending events are kept for the retry.
   */
  syncPod(key: string, pod: KubeObject | undefined): void {
    const existing = this.#pods.get(key);
    const ours = pod !== undefined && pod.spec?.nodeName === this.nodeName;
    if (existing && (!ours || existing.uid !== pod.metadata.uid)) this.forget(key);
    if (!ours) return;
    let runtime = this.#pods.get(key);
    if (!runtime) {
      runtime = createPodRuntime(
        pod.metadata.uid ?? key,
        pod.metadata.namespace ?? 'default',
        pod.metadata.name ?? '',
      );
      this.#pods.set(key, runtime);
    }
    this.#alignContainers(pod, runtime);
    this.#runStages(key, pod, runtime);
    this.#publish(key, pod, runtime);
  }

  /** Creates records for new containers and lets unstarted ones follow an image change silently. */
  #alignContainers(pod: KubeObject, runtime: PodRuntime): void {
    const ordered = new Map<string, ContainerRuntime>();
    for (const { spec, role } of containerSpecsOf(pod)) {
      const container =
        runtime.containers.get(spec.name) ?? createContainerRuntime(spec.name, role, spec.image);
      const untouched =
        container.phase === 'Waiting' &&
        container.exit === undefined &&
        container.lastTermination === undefined &&
        !container.restartPending;
      if (untouched) container.specImage = spec.image;
      ordered.set(spec.name, container);
    }
    runtime.containers = ordered;
  }

  #view(): NodeView {
    return {
      api: this.#deps.api,
      state: this.#deps.state,
      hasImage: (reference) => this.images.has(reference),
    };
  }

  #units(pod: KubeObject, runtime: PodRuntime): Unit[] {
    const view = this.#view();
    const podFacts = computePodFacts(pod, runtime, view);
    const units: Unit[] = [{ key: 'pod', facts: podFacts }];
    for (const { spec } of containerSpecsOf(pod)) {
      const container = runtime.containers.get(spec.name)!;
      units.push({
        key: `container/${spec.name}`,
        facts: computeContainerFacts(pod, runtime, spec, container, view, podFacts),
        container,
        spec,
      });
    }
    return units;
  }

  #runStages(key: string, pod: KubeObject, runtime: PodRuntime): void {
    const now = this.#deps.clock.now();
    for (let step = 0; step < MAX_STEPS_PER_SYNC; step++) {
      const units = this.#units(pod, runtime);
      let applied = false;
      for (const unit of units) {
        const stage = selectStage(this.#stages, unit.facts);
        let entry = runtime.scheduled.get(unit.key);
        if (!stage) {
          entry?.cancel();
          runtime.scheduled.delete(unit.key);
          continue;
        }
        if (!entry || entry.stage !== stage.name) {
          entry?.cancel();
          entry = this.#schedule(key, stage, unit, runtime, now);
          runtime.scheduled.set(unit.key, entry);
        }
        if (entry.dueAt <= now) {
          entry.cancel();
          runtime.scheduled.delete(unit.key);
          this.#apply(stage, unit, pod, runtime, now);
          applied = true;
          break;
        }
      }
      if (!applied) return;
    }
    this.#deps.recorder.record(
      pod,
      'Warning',
      'FailedSync',
      'the simulated kubelet stopped a sync that did not settle',
    );
  }

  #schedule(key: string, stage: PodStage, unit: Unit, runtime: PodRuntime, now: number) {
    const dueAt = this.#dueAt(stage, unit, runtime, now);
    const cancel = dueAt > now ? this.#timerAt(key, dueAt) : () => {};
    return { stage: stage.name, dueAt, cancel };
  }

  /** Asks for a sync of `key` once simulated time reaches `dueAt`; returns the cancel function. */
  #timerAt(key: string, dueAt: number): () => void {
    const { clock, requestSync } = this.#deps;
    let cancelTimer = () => {};
    // A scaled clock's setTimeout may fire a fraction of a real millisecond early, which is many
    // simulated ones: re-arm until the due time has really come, or the sync would find nothing due.
    const arm = () => {
      const wait = dueAt - clock.now();
      if (wait > 0) cancelTimer = clock.setTimer(arm, wait);
      else requestSync(key);
    };
    arm();
    return () => cancelTimer();
  }

  /** When a stage's effect applies to a unit, by the stage's kind of delay. */
  #dueAt(stage: PodStage, unit: Unit, runtime: PodRuntime, now: number): number {
    const { config } = this.#deps;
    const random = config.random;
    const delay = stage.delay;
    const container = unit.container;
    switch (delay.kind) {
      case 'immediate':
        return now;
      case 'range':
        return now + drawDelay(config.delays[delay.range], random);
      case 'pull':
        return (
          now + drawDelay(unit.facts.present === true ? config.delays.pullCached : config.delays.pull, random)
        );
      case 'back-off':
        if (delay.policy === 'imagePull') {
          return (
            (container?.lastPullFailedAt ?? now) +
            backOffDelayMs(config.imagePullBackOff, container?.pullFailures ?? 1)
          );
        }
        if (delay.policy === 'crashLoop') {
          return (
            (container?.lastTermination?.finishedAt ?? now) +
            backOffDelayMs(config.crashLoopBackOff, container?.restartCount ?? 1)
          );
        }
        return (
          (runtime.lastMountAttemptAt ?? now) +
          backOffDelayMs(config.mountRetryBackOff, Math.max(1, runtime.mountFailures))
        );
      case 'readiness': {
        const probe = unit.spec?.readinessProbe;
        if (!probe) return now + drawDelay(config.delays.readyWithoutProbe, random);
        if (container?.lastProbeAt === undefined) {
          return (
            (container?.startedAt ?? now) +
            (probe.initialDelaySeconds ?? 0) * 1000 +
            drawDelay(config.delays.probeJitter, random)
          );
        }
        return container.lastProbeAt + (probe.periodSeconds ?? 10) * 1000;
      }
      case 'process-exit':
        return (container?.startedAt ?? now) + (container?.runMs ?? 0);
      case 'stop':
        return runtime.stopping?.dueAt ?? now;
    }
  }

  #apply(stage: PodStage, unit: Unit, pod: KubeObject, runtime: PodRuntime, now: number): void {
    const { api, config, state } = this.#deps;
    const result = applyEffect(stage.effect, {
      api,
      state,
      config,
      now,
      pod,
      runtime,
      nodeIP: this.identity.internalIP,
      ipPool: this.ipPool,
      images: this.images,
      container: unit.container,
      spec: unit.spec,
    });
    const values = { ...baseTemplateValues(runtime, unit.spec), ...(result.values ?? {}) };
    const events = [...renderStageEvents(stage, unit.facts, values), ...(result.events ?? [])];
    // The kubelet emits a stage's events one after another (Pulled, Created, Started); events in the
    // same millisecond would sort at random in `kubectl describe`, so each gets its own moment.
    for (const [index, event] of events.entries()) {
      runtime.pendingEvents.push({ ...event, at: now + index * EVENT_SPACING_MS });
    }
  }

  /** Writes the projected status, records pending events, and removes a stopped pod. */
  #publish(key: string, pod: KubeObject, runtime: PodRuntime): void {
    const { api, clock, recorder } = this.#deps;
    if (runtime.admittedAt === undefined) return;
    const status = projectPodStatus(pod, runtime, { hostIP: this.identity.internalIP }, clock.now());
    let written = pod;
    if (JSON.stringify(status) !== JSON.stringify(pod.status ?? {})) {
      written = api.update(RESOURCES.pods, runtime.namespace, { ...pod, status }, { subresource: 'status' });
    }
    const now = clock.now();
    // Only the earliest due events are recorded now: events recorded in the same millisecond get
    // names in random order, so later ones wait at least a millisecond (a late sync finds several due).
    const earliest = Math.min(...runtime.pendingEvents.map((e) => e.at ?? now));
    const mayRecord = earliest <= now && (runtime.lastEventAt === undefined || now > runtime.lastEventAt);
    const due = mayRecord ? runtime.pendingEvents.filter((e) => (e.at ?? now) === earliest) : [];
    runtime.pendingEvents = runtime.pendingEvents.filter((e) => !due.includes(e));
    for (const event of due) recorder.record(written, event.type, event.reason, event.message);
    if (due.length > 0) runtime.lastEventAt = now;
    runtime.cancelEventTimer?.();
    runtime.cancelEventTimer = undefined;
    if (runtime.pendingEvents.length > 0 && !runtime.removeAfterWrite) {
      const next = Math.max(
        (runtime.lastEventAt ?? now) + 1,
        Math.min(...runtime.pendingEvents.map((e) => e.at ?? now)),
      );
      runtime.cancelEventTimer = this.#timerAt(key, next);
    }
    if (runtime.removeAfterWrite) {
      try {
        api.delete(RESOURCES.pods, runtime.namespace, runtime.name, {
          gracePeriodSeconds: 0,
          preconditions: { uid: runtime.uid },
        });
      } catch (error) {
        // Already gone, or replaced by a pod of the same name: nothing of ours is left to remove.
        if (!(error instanceof StatusError && (error.code === 404 || error.code === 409))) throw error;
      } finally {
        this.forget(key);
      }
    }
  }
}

/** Whether two node statuses differ only in their conditions' heartbeat times. */
function sameIgnoringHeartbeats(a: unknown, b: unknown): boolean {
  const strip = (status: unknown) =>
    JSON.stringify(status, (key, value) => (key === 'lastHeartbeatTime' ? undefined : value));
  return strip(a) === strip(b);
}

/**
 * The effects lifecycle stages apply to the kubelet's memory of a pod. Each one is small and only
 * moves state on; the status written afterwards is a projection of that state. Effects report
 * values for event templates (`pullDuration`, `backOff`) and, where the events depend on the pod
 * (one Killing per running container), events of their own.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import { type CatalogImage, lookupImage } from '../apps/catalog.ts';
import {
  mountedContentOf,
  type PodVolume,
  projectPodVolume,
  volumeSourcesOf,
} from '../apps/container-files.ts';
import { InvalidImageReferenceError, normalizeImageRef, parseImageRef } from '../apps/image-ref.ts';
import { resolveContainerProcess } from '../apps/process.ts';
import { type ClusterRuntimeState, podRuntimeRecord, subPathKey } from '../apps/runtime-state.ts';
import { backOffDelayMs, formatGoDuration } from './back-off.ts';
import { drawDelay, type NodeSimulatorConfig } from './config.ts';
import type { PodIpPool } from './ip-pool.ts';
import { type ContainerSpec, findMissingConfig, findMountFailure, type Probe } from './pod-facts.ts';
import { type ContainerRuntime, containerIdOf, type PendingEvent, type PodRuntime } from './pod-runtime.ts';
import { runProbe } from './probes.ts';
import type { StageEffect } from './stages.ts';

/** Images a node holds, by normalized reference. */
export class NodeImageCache {
  readonly #images = new Map<string, { names: Set<string>; sizeBytes: number }>();

  /** Whether the node holds this (normalized) reference. */
  has(reference: string): boolean {
    for (const image of this.#images.values()) if (image.names.has(reference)) return true;
    return false;
  }

  /** Records a pulled image under its tag and digest names. */
  add(image: CatalogImage): void {
    const entry = this.#images.get(image.imageID) ?? {
      names: new Set<string>(),
      sizeBytes: image.tag.sizeBytes,
    };
    entry.names.add(image.imageID);
    entry.names.add(image.reference);
    this.#images.set(image.imageID, entry);
  }

  /** The node status' image list, biggest first as the kubelet sorts it. */
  list(): { names: string[]; sizeBytes: number }[] {
    return [...this.#images.values()]
      .map((e) => ({ names: [...e.names].sort(), sizeBytes: e.sizeBytes }))
      .sort((a, b) => b.sizeBytes - a.sizeBytes);
  }
}

/** Everything an effect may touch. */
export interface EffectContext {
  api: ClusterApi;
  state: ClusterRuntimeState;
  config: NodeSimulatorConfig;
  now: number;
  pod: KubeObject;
  runtime: PodRuntime;
  nodeIP: string;
  ipPool: PodIpPool;
  images: NodeImageCache;
  /** The container unit, for container stages. */
  container?: ContainerRuntime;
  spec?: ContainerSpec;
}

/** What an effect reports back. */
export interface EffectResult {
  values?: Record<string, string>;
  events?: PendingEvent[];
}

type Effect = (context: EffectContext) => EffectResult;

function unit(context: EffectContext): { container: ContainerRuntime; spec: ContainerSpec } {
  if (!context.container || !context.spec) throw new Error('container effect applied to the pod unit');
  return { container: context.container, spec: context.spec };
}

function gracePeriodSecondsOf(pod: KubeObject): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

function imageOf(spec: ContainerSpec): CatalogImage | undefined {
  try {
    const found = lookupImage(spec.image);
    return found.found ? found.image : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the files of every ConfigMap/Secret volume onto the "node", as of now. */
function snapshotVolumes(context: EffectContext, onlyStale: boolean): void {
  const record = podRuntimeRecord(context.state, context.runtime.uid);
  for (const volume of (context.pod.spec?.volumes ?? []) as PodVolume[]) {
    if (volumeSourcesOf(volume).length === 0) continue;
    const live = projectPodVolume(context.api, context.runtime.namespace, volume);
    if (!live.ok) continue;
    const before = record.volumes.get(volume.name);
    if (onlyStale && before && before.sourceVersion === live.sourceVersion) continue;
    record.volumes.set(volume.name, {
      files: live.files,
      sourceVersion: live.sourceVersion,
      takenAt: context.now,
    });
  }
}

/** Starts a run of a container: a new containerd id, its process, and its subPath files fixed. */
function beginRun(context: EffectContext, container: ContainerRuntime, spec: ContainerSpec): void {
  const image = imageOf(spec);
  if (!image) throw new Error(`image ${spec.image} vanished from the catalog`);
  const { config, now } = context;
  const process = resolveContainerProcess(image, spec, container.role, {
    initRunMs: config.delays.initRun,
    commandRunMs: config.delays.commandRun,
  });
  container.phase = 'Running';
  container.startedAt = now;
  container.containerID = containerIdOf(context.runtime.uid, container.name, container.restartCount, now);
  container.imageRef = image.reference;
  container.imageID = image.imageID;
  container.process = process;
  container.runMs = process.run.kind === 'exit' ? drawDelay(process.run.runMs, config.random) : undefined;
  container.ready = false;
  container.lastProbeAt = undefined;
  container.probeFailures = 0;
  container.exit = undefined;
  container.waitingMessage = undefined;
  context.images.add(image);
  const record = podRuntimeRecord(context.state, context.runtime.uid);
  for (const mount of spec.volumeMounts ?? []) {
    if (!mount.subPath) continue;
    const content = mountedContentOf(context.api, context.state, context.pod, container.name, {
      ...mount,
      subPath: mount.subPath,
    });
    record.subPathFiles.delete(subPathKey(container.name, mount.mountPath));
    if (content && 'file' in content)
      record.subPathFiles.set(subPathKey(container.name, mount.mountPath), content.file);
  }
}

function exitRun(container: ContainerRuntime, exitCode: number, now: number): void {
  container.exit = {
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    startedAt: container.startedAt ?? now,
    finishedAt: now,
    containerID: container.containerID ?? '',
  };
  container.phase = 'Exited';
  container.ready = false;
  container.startedAt = undefined;
}

/** The exit code of a process stopped by SIGTERM (or SIGKILL when it ignores SIGTERM). */
function stopExitCode(container: ContainerRuntime): number {
  const stop = container.process?.stop;
  return stop?.kind === 'graceful' ? stop.exitCode : 137;
}

const EFFECTS: Readonly<Record<StageEffect, Effect>> = {
  admitPod(context) {
    context.runtime.admittedAt = context.now;
    return {};
  },

  recordMountFailure(context) {
    const failure = findMountFailure(context.api, context.pod);
    context.runtime.mountFailures++;
    context.runtime.lastMountAttemptAt = context.now;
    return { values: { volume: failure?.volume ?? '', mountError: failure?.message ?? 'volume not ready' } };
  },

  createSandbox(context) {
    const { runtime } = context;
    runtime.sandboxAt = context.now;
    runtime.podIP = context.pod.spec?.hostNetwork ? context.nodeIP : context.ipPool.allocate(runtime.uid);
    snapshotVolumes(context, false);
    return {};
  },

  syncVolumes(context) {
    snapshotVolumes(context, true);
    return {};
  },

  beginStop(context) {
    const { runtime, now, config } = context;
    const graceMs = gracePeriodSecondsOf(context.pod) * 1000;
    const running = [...runtime.containers.values()].filter((c) => c.phase === 'Running');
    let stopMs = drawDelay(config.delays.stopIdle, config.random);
    if (running.length > 0) {
      stopMs = Math.max(
        ...running.map((c) => {
          const stop = c.process?.stop;
          return stop?.kind === 'graceful' ? Math.min(stop.ms, graceMs) : graceMs;
        }),
      );
    }
    runtime.stopping = { startedAt: now, dueAt: now + stopMs };
    return {
      events: running.map((c) => ({
        type: 'Normal' as const,
        reason: 'Killing',
        message: `Stopping container ${c.name}`,
      })),
    };
  },

  finishStop(context) {
    const { runtime, now } = context;
    for (const container of runtime.containers.values()) {
      if (container.phase === 'Running') exitRun(container, stopExitCode(container), now);
    }
    runtime.removeAfterWrite = true;
    return {};
  },

  resetForNewSpec(context) {
    const { container, spec } = unit(context);
    const hasRun =
      container.phase === 'Running' ||
      container.exit !== undefined ||
      container.lastTermination !== undefined;
    if (container.phase === 'Running') {
      exitRun(container, stopExitCode(container), context.now);
    }
    if (container.exit) container.lastTermination = container.exit;
    container.exit = undefined;
    container.phase = 'Waiting';
    container.specImage = spec.image;
    container.pullFailures = 0;
    container.waitingMessage = undefined;
    container.ready = false;
    container.restartPending = hasRun;
    return {};
  },

  rejectImageName(context) {
    const { container, spec } = unit(context);
    let why = `couldn't parse image name "${spec.image}": invalid reference format`;
    try {
      parseImageRef(spec.image);
    } catch (error) {
      if (error instanceof InvalidImageReferenceError) why = error.message;
    }
    container.phase = 'InvalidImageName';
    container.waitingMessage = `Failed to apply default image tag "${spec.image}": ${why}`;
    return { values: { imageNameError: why } };
  },

  refuseNeverPull(context) {
    const { container, spec } = unit(context);
    container.phase = 'ErrImageNeverPull';
    container.waitingMessage = `Container image "${spec.image}" is not present with pull policy of Never`;
    return {};
  },

  startPull(context) {
    const { container } = unit(context);
    container.phase = 'Pulling';
    container.pullStartedAt = context.now;
    return {};
  },

  finishPull(context) {
    const { container, spec } = unit(context);
    const image = imageOf(spec);
    container.phase = 'Pulled';
    if (image) context.images.add(image);
    const took = context.now - (container.pullStartedAt ?? context.now);
    return { values: { pullDuration: formatGoDuration(took), imageSize: String(image?.tag.sizeBytes ?? 0) } };
  },

  failPull(context) {
    const { container, spec } = unit(context);
    let message = `failed to pull image "${spec.image}"`;
    try {
      const result = lookupImage(spec.image);
      if (!result.found) message = result.failure.message;
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    container.phase = 'ErrImagePull';
    container.pullFailures++;
    container.lastPullFailedAt = context.now;
    container.pullError = message;
    container.waitingMessage = message;
    return { values: { pullError: message } };
  },

  enterPullBackOff(context) {
    const { container, spec } = unit(context);
    container.phase = 'ImagePullBackOff';
    container.waitingMessage = `Back-off pulling image "${spec.image}": ErrImagePull: ${container.pullError ?? ''}`;
    return {};
  },

  failContainerConfig(context) {
    const { container, spec } = unit(context);
    const message =
      findMissingConfig(context.api, context.runtime.namespace, spec) ??
      'container configuration is not ready';
    container.phase = 'CreateContainerConfigError';
    container.waitingMessage = message;
    return { values: { configError: message } };
  },

  retryContainerConfig(context) {
    const { container } = unit(context);
    container.phase = 'Waiting';
    container.waitingMessage = undefined;
    return {};
  },

  startContainer(context) {
    const { container, spec } = unit(context);
    if (container.restartPending) {
      container.restartCount++;
      container.restartPending = false;
    }
    beginRun(context, container, spec);
    return {};
  },

  probeReadiness(context) {
    const { container, spec } = unit(context);
    container.lastProbeAt = context.now;
    const probe = spec.readinessProbe as Probe | undefined;
    const image = imageOf(spec);
    if (!probe || !image || !container.process) {
      container.ready = true;
      return {};
    }
    const result = runProbe(probe, {
      api: context.api,
      state: context.state,
      pod: context.pod,
      podIP: context.runtime.podIP ?? '',
      spec,
      image,
      process: container.process,
      startedAt: container.startedAt ?? context.now,
      now: context.now,
    });
    if (result.ok) {
      container.ready = true;
      container.probeFailures = 0;
      return {};
    }
    container.probeFailures++;
    if (container.ready && container.probeFailures >= (probe.failureThreshold ?? 3)) container.ready = false;
    return {
      events: [
        { type: 'Warning', reason: 'Unhealthy', message: `Readiness probe failed: ${result.message}` },
      ],
    };
  },

  exitContainer(context) {
    const { container } = unit(context);
    const run = container.process?.run;
    exitRun(container, run?.kind === 'exit' ? run.exitCode : 0, context.now);
    return {};
  },

  restartContainer(context) {
    const { container, spec } = unit(context);
    if (container.exit) container.lastTermination = container.exit;
    container.restartCount++;
    container.restartPending = false;
    beginRun(context, container, spec);
    const image = imageOf(spec);
    const pullMs = drawDelay(context.config.delays.pullCached, context.config.random);
    return {
      values: { pullDuration: formatGoDuration(pullMs), imageSize: String(image?.tag.sizeBytes ?? 0) },
    };
  },

  enterCrashLoopBackOff(context) {
    const { container } = unit(context);
    if (container.exit) container.lastTermination = container.exit;
    container.exit = undefined;
    const wait = formatGoDuration(backOffDelayMs(context.config.crashLoopBackOff, container.restartCount));
    container.phase = 'CrashLoopBackOff';
    container.waitingMessage = `back-off ${wait} restarting failed container=${container.name} pod=${context.runtime.name}_${context.runtime.namespace}(${context.runtime.uid})`;
    return { values: { backOff: wait } };
  },
};

/** Applies a named effect. */
export function applyEffect(effect: StageEffect, context: EffectContext): EffectResult {
  return EFFECTS[effect](context);
}

/** The values every event template may use for a unit. */
export function baseTemplateValues(runtime: PodRuntime, spec?: ContainerSpec): Record<string, string> {
  const values: Record<string, string> = {
    pod: runtime.name,
    namespace: runtime.namespace,
    uid: runtime.uid,
  };
  if (spec) {
    values.container = spec.name;
    values.image = spec.image;
    try {
      values.imageRef = normalizeImageRef(spec.image);
    } catch {
      values.imageRef = spec.image;
    }
  }
  return values;
}

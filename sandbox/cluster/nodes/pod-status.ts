/**
 * The pod status a kubelet reports, projected from its memory of the pod: phase (by the kubelet's
 * getPhase rules), the five conditions with stable lastTransitionTime, container statuses with
 * waiting/running/terminated states, IPs, start time and QoS class.
 */
import type { KubeObject } from '../api/objects.ts';
import { formatTimestamp } from '../clock.ts';
import { type ContainerSpec, containerSpecsOf } from './pod-facts.ts';
import {
  type ContainerRuntime,
  isCompletedInit,
  type PodRuntime,
  type TerminatedRun,
} from './pod-runtime.ts';

// biome-ignore lint/suspicious/noExplicitAny: statuses are JSON shaped by the API, typed loosely here.
type Json = any;

function terminatedOf(run: TerminatedRun): Json {
  const state: Json = {
    exitCode: run.exitCode,
    reason: run.reason,
    startedAt: formatTimestamp(run.startedAt),
    finishedAt: formatTimestamp(run.finishedAt),
    containerID: run.containerID,
  };
  if (run.message) state.message = run.message;
  return state;
}

/** The `state` of a container status. */
export function containerStateOf(container: ContainerRuntime, podHasInit: boolean): Json {
  const creating = podHasInit ? 'PodInitializing' : 'ContainerCreating';
  switch (container.phase) {
    case 'Waiting':
    case 'Pulling':
    case 'Pulled':
      return { waiting: { reason: creating } };
    case 'Running':
      return { running: { startedAt: formatTimestamp(container.startedAt ?? 0) } };
    case 'Exited':
      return container.exit
        ? { terminated: terminatedOf(container.exit) }
        : { waiting: { reason: creating } };
    default:
      return {
        waiting: container.waitingMessage
          ? { reason: container.phase, message: container.waitingMessage }
          : { reason: container.phase },
      };
  }
}

/** One entry of containerStatuses / initContainerStatuses. */
export function containerStatusOf(
  spec: ContainerSpec,
  container: ContainerRuntime,
  podHasInit: boolean,
): Json {
  const started = container.phase === 'Running';
  const status: Json = {
    name: spec.name,
    state: containerStateOf(container, podHasInit),
    lastState: container.lastTermination ? { terminated: terminatedOf(container.lastTermination) } : {},
    ready: container.role === 'init' ? isCompletedInit(container) : container.ready && started,
    restartCount: container.restartCount,
    image: container.imageRef ?? spec.image,
    imageID: container.imageID ?? '',
    started,
  };
  // A waiting container still reports its latest container, as the runtime lists the dead one.
  const id = started
    ? container.containerID
    : (container.exit?.containerID ?? container.lastTermination?.containerID);
  if (id) status.containerID = id;
  const mounts = (spec.volumeMounts ?? []).map((m) => {
    const mount: Json = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      mount.readOnly = true;
      mount.recursiveReadOnly = 'Disabled';
    }
    return mount;
  });
  if (mounts.length > 0) status.volumeMounts = mounts;
  return status;
}

/**
 * The pod phase from its container statuses, following the kubelet's rules: a failed init
 * container with restartPolicy Never fails the pod; initialization or an unstarted container keeps
 * it Pending; a running container makes it Running; stopped containers restart (Running) or end
 * it (Succeeded, Failed) by restartPolicy.
 */
export function podPhaseOf(pod: KubeObject, runtime: PodRuntime): string {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const { spec, role } of containerSpecsOf(pod)) {
    const container = runtime.containers.get(spec.name);
    if (role === 'init') {
      if (!container || container.phase === 'Running') pendingInit++;
      else if (container.phase === 'Exited' && container.exit) {
        if (container.exit.exitCode !== 0) failedInit++;
      } else if (container.lastTermination) {
        if (container.lastTermination.exitCode !== 0) failedInit++;
      } else pendingInit++;
      continue;
    }
    if (!container) {
      waiting++;
      continue;
    }
    if (container.phase === 'Running') running++;
    else if (container.phase === 'Exited' && container.exit) {
      stopped++;
      if (container.exit.exitCode === 0) succeeded++;
    } else if (container.lastTermination) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function quantityPresent(resources: Json, kind: 'requests' | 'limits', name: string): string | undefined {
  const value = resources?.[kind]?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** The QoS class the API server would give the pod, from its containers' requests and limits. */
export function qosClassOf(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = containerSpecsOf(pod).map((c) => c.spec as ContainerSpec & { resources?: Json });
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    for (const name of ['cpu', 'memory']) {
      const request = quantityPresent(container.resources, 'requests', name);
      const limit = quantityPresent(container.resources, 'limits', name);
      if (request !== undefined || limit !== undefined) any = true;
      // A limit alone defaults the request to the same value.
      if (limit === undefined || (request !== undefined && request !== limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function condition(
  type: string,
  ok: boolean,
  previous: Json[],
  now: string,
  reason?: string,
  message?: string,
): Json {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const out: Json = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
  };
  if (!ok && reason) out.reason = reason;
  if (!ok && message) out.message = message;
  return out;
}

/** Node facts the status mentions. */
export interface StatusHost {
  hostIP: string;
}

/**
 * The status to write for a pod the kubelet has admitted. Fields the kubelet does not own
 * (nominatedNodeName, resize…) are carried over from the current status.
 */
export function projectPodStatus(pod: KubeObject, runtime: PodRuntime, host: StatusHost, now: number): Json {
  const previous: Json = pod.status ?? {};
  const previousConditions: Json[] = previous.conditions ?? [];
  const stamp = formatTimestamp(now);
  const specs = containerSpecsOf(pod);
  const hasInit = specs.some((c) => c.role === 'init');
  const initStatuses: Json[] = [];
  const appStatuses: Json[] = [];
  for (const { spec, role } of specs) {
    const container = runtime.containers.get(spec.name);
    if (!container) continue;
    (role === 'init' ? initStatuses : appStatuses).push(containerStatusOf(spec, container, hasInit));
  }
  const phaseBefore = previous.phase;
  const phase =
    phaseBefore === 'Succeeded' || phaseBefore === 'Failed' ? phaseBefore : podPhaseOf(pod, runtime);

  const incompleteInits = specs
    .filter((c) => c.role === 'init' && !isCompletedInit(runtime.containers.get(c.spec.name)!))
    .map((c) => c.spec.name);
  // Once running, a pod stays initialized even if an init container's record is gone.
  const initialized = incompleteInits.length === 0 || phase === 'Running' || phase === 'Succeeded';
  const unready = specs
    .filter((c) => c.role === 'app' && !(appStatuses.find((s) => s.name === c.spec.name)?.ready ?? false))
    .map((c) => c.spec.name);
  const containersReady = unready.length === 0;
  const scheduled = previousConditions.find((c) => c.type === 'PodScheduled');
  const conditions: Json[] = [
    condition(
      'PodReadyToStartContainers',
      runtime.sandboxAt !== undefined && !(phase === 'Succeeded' || phase === 'Failed'),
      previousConditions,
      stamp,
    ),
    condition(
      'Initialized',
      initialized,
      previousConditions,
      stamp,
      'ContainersNotInitialized',
      `containers with incomplete status: [${incompleteInits.join(' ')}]`,
    ),
    condition(
      'Ready',
      containersReady,
      previousConditions,
      stamp,
      phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady',
      `containers with unready status: [${unready.join(' ')}]`,
    ),
    condition(
      'ContainersReady',
      containersReady,
      previousConditions,
      stamp,
      phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady',
      `containers with unready status: [${unready.join(' ')}]`,
    ),
    scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: stamp },
  ];
  const status: Json = {
    ...previous,
    phase,
    conditions,
    hostIP: host.hostIP,
    hostIPs: [{ ip: host.hostIP }],
    startTime: formatTimestamp(runtime.admittedAt ?? now),
    containerStatuses: appStatuses,
    qosClass: previous.qosClass ?? qosClassOf(pod),
  };
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  if (runtime.podIP) {
    status.podIP = runtime.podIP;
    status.podIPs = [{ ip: runtime.podIP }];
  } else {
    delete status.podIP;
    delete status.podIPs;
  }
  delete status.reason;
  delete status.message;
  return status;
}

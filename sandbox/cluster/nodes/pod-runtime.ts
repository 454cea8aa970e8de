/**
 * What a simulated kubelet remembers about each pod on its node, as containerd and the kubelet's
 * own caches would: where each container is in its life, its runs, pull failures, the sandbox IP.
 * The pod's status is a projection of this record (pod-status.ts); lifecycle stages move it on.
 */
import type { ContainerProcess } from '../apps/process.ts';

/**
 * Where a container is. The kubelet's status shows most of these directly; Pulling and Pulled are
 * inside ContainerCreating / PodInitializing.
 */
export type ContainerPhase =
  | 'Waiting'
  | 'Pulling'
  | 'Pulled'
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrImageNeverPull'
  | 'InvalidImageName'
  | 'CreateContainerConfigError'
  | 'Running'
  | 'Exited'
  | 'CrashLoopBackOff';

/** One finished run of a container. */
export interface TerminatedRun {
  exitCode: number;
  reason: 'Completed' | 'Error';
  message?: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

/** The kubelet's memory of one container. */
export interface ContainerRuntime {
  name: string;
  role: 'init' | 'app';
  /** The spec image this state belongs to; a different spec image means the container must be recreated. */
  specImage: string;
  phase: ContainerPhase;
  /** Message of a waiting phase (pull error, back-off, missing config). */
  waitingMessage?: string;
  restartCount: number;
  pullFailures: number;
  lastPullFailedAt?: number;
  pullError?: string;
  pullStartedAt?: number;
  /** Fully qualified image and digest of the current or last run (containerStatuses image/imageID). */
  imageRef?: string;
  imageID?: string;
  /** The current run, while Running. */
  startedAt?: number;
  containerID?: string;
  process?: ContainerProcess;
  /** How long the current run lasts when its process exits on its own. */
  runMs?: number;
  ready: boolean;
  lastProbeAt?: number;
  probeFailures: number;
  /** The run that just ended (phase Exited), or the final state of a completed init container. */
  exit?: TerminatedRun;
  /** The run before the current one (containerStatuses lastState). */
  lastTermination?: TerminatedRun;
  /** Set when the kubelet killed the container to recreate it: its next start counts as a restart. */
  restartPending?: boolean;
}

/** A lifecycle stage waiting for its time. */
export interface ScheduledStage {
  stage: string;
  dueAt: number;
  cancel: () => void;
}

/** An event the kubelet will record once its status write went through. */
export interface PendingEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Simulated ms from which it may be recorded; events of one stage are spaced so they sort in order. */
  at?: number;
}

/** The kubelet's memory of one pod. */
export interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  admittedAt?: number;
  sandboxAt?: number;
  podIP?: string;
  mountFailures: number;
  lastMountAttemptAt?: number;
  stopping?: { startedAt: number; dueAt: number };
  containers: Map<string, ContainerRuntime>;
  /** Unit (`pod` or `container/NAME`) → the stage scheduled for it. */
  scheduled: Map<string, ScheduledStage>;
  pendingEvents: PendingEvent[];
  /** Set when the pod is to be removed after the next status write. */
  removeAfterWrite: boolean;
  /** Cancels the timer that records spaced events, if one is set. */
  cancelEventTimer?: () => void;
  /** Simulated ms of the last event recorded; the next waits for a later millisecond. */
  lastEventAt?: number;
}

/** A fresh record for a pod first seen on the node. */
export function createPodRuntime(uid: string, namespace: string, name: string): PodRuntime {
  return {
    uid,
    namespace,
    name,
    mountFailures: 0,
    containers: new Map(),
    scheduled: new Map(),
    pendingEvents: [],
    removeAfterWrite: false,
  };
}

/** A container record in its initial Waiting phase. */
export function createContainerRuntime(
  name: string,
  role: 'init' | 'app',
  specImage: string,
): ContainerRuntime {
  return {
    name,
    role,
    specImage,
    phase: 'Waiting',
    restartCount: 0,
    pullFailures: 0,
    ready: false,
    probeFailures: 0,
  };
}

/** Whether an init container finished successfully. */
export function isCompletedInit(container: ContainerRuntime): boolean {
  return container.role === 'init' && container.phase === 'Exited' && container.exit?.exitCode === 0;
}

/** A stable fake containerd id for a container run: 64 hex digits. */
export function containerIdOf(podUid: string, name: string, restartCount: number, startedAt: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const text = `${podUid}/${name}/${restartCount}/${startedAt}`;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < text.length; i++) {
      h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
      h2 = Math.imul(h2 ^ (text.charCodeAt(i) + round), 2246822519) >>> 0;
    }
    out += h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
  }
  return `containerd://${out.slice(0, 64)}`;
}

/**
 * A pod's life on a simulated node, declared as data in the manner of kwok's stages: each stage
 * selects units (the pod, or one of its containers) by their facts, waits a delay (a jittered
 * range from the config, or a back-off), then applies a named effect and records events. The
 * first stage whose selector matches a unit is the one that unit waits for; when the facts change
 * before its time comes, the wait is replaced by whatever now matches.
 *
 * Reading the table top to bottom gives the lifecycle:
 *   admit → mount volumes → sandbox (IP) → for each init container, then the app containers:
 *   pull (or ErrImagePull → ImagePullBackOff → pull again) → create and start → ready, or
 *   exit → restart at once the first time, then CrashLoopBackOff with a doubling back-off;
 *   and, whenever the pod is being deleted: stop the containers → remove the pod.
 */
import type { StageDelays } from './config.ts';
import type { Facts, FactValue } from './pod-facts.ts';

/** Facts a stage requires: each value must equal the fact, or be one of a list. */
export type StageSelector = Readonly<Record<string, FactValue | readonly FactValue[]>>;

/** How long a stage waits before its effect applies. */
export type StageDelay =
  /** A value drawn from one of the config's ranges. */
  | { kind: 'range'; range: keyof StageDelays }
  /** At once, in the same sync. */
  | { kind: 'immediate' }
  /** An image pull: the `pull` range for a new image, `pullCached` when the node has its layers. */
  | { kind: 'pull' }
  /** The config's back-off, counted from the failure it follows. */
  | { kind: 'back-off'; policy: 'imagePull' | 'crashLoop' | 'mount' }
  /** Until the readiness probe's next check (initialDelaySeconds, then periodSeconds). */
  | { kind: 'readiness' }
  /** Until a process that exits on its own has run its course. */
  | { kind: 'process-exit' }
  /** Until the pod's containers have stopped (min of grace period and the apps' stop time). */
  | { kind: 'stop' };

/** The effects stages apply; implemented in stage-effects.ts. */
export type StageEffect =
  | 'admitPod'
  | 'recordMountFailure'
  | 'createSandbox'
  | 'syncVolumes'
  | 'beginStop'
  | 'finishStop'
  | 'resetForNewSpec'
  | 'rejectImageName'
  | 'refuseNeverPull'
  | 'startPull'
  | 'finishPull'
  | 'failPull'
  | 'enterPullBackOff'
  | 'failContainerConfig'
  | 'retryContainerConfig'
  | 'startContainer'
  | 'probeReadiness'
  | 'exitContainer'
  | 'restartContainer'
  | 'enterCrashLoopBackOff';

/**
 * An event a stage records. `{placeholders}` are filled from the unit (`{container}`, `{image}`,
 * `{pod}`) and from values its effect reports (`{pullDuration}`, `{backOff}`…). `when` restricts
 * the event to units whose facts (before the effect) match.
 */
export interface StageEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  when?: StageSelector;
}

/** One stage of the lifecycle. */
export interface PodStage {
  name: string;
  selector: StageSelector;
  delay: StageDelay;
  effect: StageEffect;
  events?: readonly StageEvent[];
}

const PULLED_PRESENT: StageEvent = {
  type: 'Normal',
  reason: 'Pulled',
  message: 'Container image "{image}" already present on machine',
};
const CREATED: StageEvent = { type: 'Normal', reason: 'Created', message: 'Created container: {container}' };
const STARTED: StageEvent = { type: 'Normal', reason: 'Started', message: 'Started container {container}' };
const PULLING: StageEvent = { type: 'Normal', reason: 'Pulling', message: 'Pulling image "{image}"' };
const PULLED_NEW: StageEvent = {
  type: 'Normal',
  reason: 'Pulled',
  message:
    'Successfully pulled image "{image}" in {pullDuration} ({pullDuration} including waiting). Image size: {imageSize} bytes.',
};
/** A restart with `imagePullPolicy: Always` pulls again; layers are cached so it is quick. */
const RESTART_EVENTS: readonly StageEvent[] = [
  { ...PULLED_PRESENT, when: { pullPolicy: ['IfNotPresent', 'Never'] } },
  { ...PULLING, when: { pullPolicy: 'Always' } },
  { ...PULLED_NEW, when: { pullPolicy: 'Always' } },
  CREATED,
  STARTED,
];

/** The lifecycle, in priority order. */
export const POD_STAGES: readonly PodStage[] = [
  // The pod unit.
  {
    name: 'admit-pod',
    selector: { scope: 'pod', admitted: false },
    delay: { kind: 'range', range: 'admit' },
    effect: 'admitPod',
  },
  {
    name: 'stop-pod',
    selector: { scope: 'pod', admitted: true, deleting: true, stopping: false },
    delay: { kind: 'immediate' },
    effect: 'beginStop',
  },
  {
    name: 'remove-pod',
    selector: { scope: 'pod', stopping: true },
    delay: { kind: 'stop' },
    effect: 'finishStop',
  },
  {
    name: 'mount-volumes-failed',
    selector: { scope: 'pod', admitted: true, deleting: false, sandbox: 'None', volumes: 'Missing' },
    delay: { kind: 'back-off', policy: 'mount' },
    effect: 'recordMountFailure',
    events: [
      {
        type: 'Warning',
        reason: 'FailedMount',
        message: 'MountVolume.SetUp failed for volume "{volume}" : {mountError}',
      },
    ],
  },
  {
    name: 'create-sandbox',
    selector: { scope: 'pod', admitted: true, deleting: false, sandbox: 'None', volumes: 'Ready' },
    delay: { kind: 'range', range: 'sandbox' },
    effect: 'createSandbox',
  },
  {
    name: 'sync-volumes',
    selector: { scope: 'pod', sandbox: 'Ready', deleting: false, volumesStale: true },
    delay: { kind: 'range', range: 'volumeSync' },
    effect: 'syncVolumes',
  },

  // Container units. A changed image recreates the container before anything else happens.
  {
    name: 'recreate-for-new-spec',
    selector: { scope: 'container', specChanged: true, deleting: false },
    delay: { kind: 'immediate' },
    effect: 'resetForNewSpec',
    events: [
      {
        type: 'Normal',
        reason: 'Killing',
        message: 'Container {container} definition changed, will be restarted',
        when: { phase: 'Running' },
      },
    ],
  },
  {
    name: 'invalid-image-name',
    selector: { scope: 'container', turn: true, phase: 'Waiting', imageName: 'Invalid' },
    delay: { kind: 'range', range: 'pullStart' },
    effect: 'rejectImageName',
    events: [
      {
        type: 'Warning',
        reason: 'InspectFailed',
        message: 'Failed to apply default image tag "{image}": {imageNameError}',
      },
      { type: 'Warning', reason: 'Failed', message: 'Error: InvalidImageName' },
    ],
  },
  {
    name: 'image-never-pull',
    selector: { scope: 'container', turn: true, phase: 'Waiting', pull: 'Never' },
    delay: { kind: 'range', range: 'pullStart' },
    effect: 'refuseNeverPull',
    events: [
      {
        type: 'Warning',
        reason: 'ErrImageNeverPull',
        message: 'Container image "{image}" is not present with pull policy of Never',
      },
      { type: 'Warning', reason: 'Failed', message: 'Error: ErrImageNeverPull' },
    ],
  },
  {
    name: 'pull-image',
    selector: { scope: 'container', turn: true, phase: 'Waiting', pull: 'Needed' },
    delay: { kind: 'range', range: 'pullStart' },
    effect: 'startPull',
    events: [PULLING],
  },
  {
    name: 'image-pulled',
    selector: { scope: 'container', deleting: false, phase: 'Pulling', registry: 'Found' },
    delay: { kind: 'pull' },
    effect: 'finishPull',
    events: [PULLED_NEW],
  },
  {
    name: 'image-pull-failed',
    selector: { scope: 'container', deleting: false, phase: 'Pulling', registry: 'NotFound' },
    delay: { kind: 'range', range: 'pullFailure' },
    effect: 'failPull',
    events: [
      { type: 'Warning', reason: 'Failed', message: 'Failed to pull image "{image}": {pullError}' },
      { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
    ],
  },
  {
    name: 'image-pull-back-off',
    selector: { scope: 'container', deleting: false, phase: 'ErrImagePull' },
    delay: { kind: 'range', range: 'pullBackOffSync' },
    effect: 'enterPullBackOff',
    events: [
      { type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "{image}"' },
      { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
    ],
  },
  {
    name: 'retry-image-pull',
    selector: { scope: 'container', deleting: false, phase: 'ImagePullBackOff' },
    delay: { kind: 'back-off', policy: 'imagePull' },
    effect: 'startPull',
    events: [PULLING],
  },
  {
    name: 'container-config-error',
    selector: {
      scope: 'container',
      turn: true,
      phase: ['Waiting', 'Pulled'],
      pull: 'NotNeeded',
      imageName: 'Valid',
      config: 'Missing',
    },
    delay: { kind: 'range', range: 'create' },
    effect: 'failContainerConfig',
    events: [
      { ...PULLED_PRESENT, when: { phase: 'Waiting' } },
      { type: 'Warning', reason: 'Failed', message: 'Error: {configError}' },
    ],
  },
  {
    name: 'retry-container-config',
    selector: { scope: 'container', deleting: false, phase: 'CreateContainerConfigError' },
    delay: { kind: 'range', range: 'configRetry' },
    effect: 'retryContainerConfig',
  },
  {
    name: 'start-container',
    selector: {
      scope: 'container',
      turn: true,
      phase: ['Waiting', 'Pulled'],
      pull: 'NotNeeded',
      imageName: 'Valid',
      config: 'Ready',
    },
    delay: { kind: 'range', range: 'create' },
    effect: 'startContainer',
    events: [{ ...PULLED_PRESENT, when: { phase: 'Waiting' } }, CREATED, STARTED],
  },
  {
    name: 'container-ready',
    selector: {
      scope: 'container',
      deleting: false,
      phase: 'Running',
      ready: false,
      process: ['serve', 'sleep'],
    },
    delay: { kind: 'readiness' },
    effect: 'probeReadiness',
  },
  {
    name: 'recheck-readiness',
    selector: { scope: 'container', deleting: false, phase: 'Running', ready: true, probe: 'Readiness' },
    delay: { kind: 'readiness' },
    effect: 'probeReadiness',
  },
  {
    name: 'container-exit',
    selector: { scope: 'container', deleting: false, phase: 'Running', process: 'exit' },
    delay: { kind: 'process-exit' },
    effect: 'exitContainer',
  },
  {
    // The first failure restarts at once: the kubelet's back-off only holds from the second.
    name: 'restart-container',
    selector: { scope: 'container', deleting: false, phase: 'Exited', willRestart: true, restarted: false },
    delay: { kind: 'range', range: 'crashSync' },
    effect: 'restartContainer',
    events: RESTART_EVENTS,
  },
  {
    name: 'crash-loop-back-off',
    selector: { scope: 'container', deleting: false, phase: 'Exited', willRestart: true, restarted: true },
    delay: { kind: 'range', range: 'crashSync' },
    effect: 'enterCrashLoopBackOff',
    events: [
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container {container} in pod {pod}_{namespace}({uid})',
      },
    ],
  },
  {
    name: 'restart-after-back-off',
    selector: { scope: 'container', deleting: false, phase: 'CrashLoopBackOff' },
    delay: { kind: 'back-off', policy: 'crashLoop' },
    effect: 'restartContainer',
    events: RESTART_EVENTS,
  },
];

/** Whether facts satisfy a selector. */
export function matchesSelector(selector: StageSelector, facts: Facts): boolean {
  for (const [key, wanted] of Object.entries(selector)) {
    const value = facts[key];
    if (value === undefined) return false;
    if (Array.isArray(wanted) ? !(wanted as readonly FactValue[]).includes(value) : wanted !== value)
      return false;
  }
  return true;
}

/** The first stage matching a unit's facts, if any. */
export function selectStage(stages: readonly PodStage[], facts: Facts): PodStage | undefined {
  return stages.find((stage) => matchesSelector(stage.selector, facts));
}

/** Fills `{name}` placeholders; unknown names stay as written so a missing value is visible. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The events a stage records for a unit, rendered. */
export function renderStageEvents(
  stage: PodStage,
  factsBefore: Facts,
  values: Readonly<Record<string, string>>,
): { type: 'Normal' | 'Warning'; reason: string; message: string }[] {
  return (stage.events ?? [])
    .filter((event) => !event.when || matchesSelector(event.when, factsBefore))
    .map((event) => ({
      type: event.type,
      reason: event.reason,
      message: renderTemplate(event.message, values),
    }));
}

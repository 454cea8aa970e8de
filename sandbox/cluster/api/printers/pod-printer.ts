/**
 * The Pod row: `READY 1/1`, `STATUS Running`, `RESTARTS 3 (12s ago)`. STATUS is not a field of the
 * Pod: it is a summary kube-apiserver derives from the phase, the init containers, the containers'
 * waiting/terminated reasons and the deletion timestamp, in that order of precedence. Learners read
 * rollouts through it (ContainerCreating, ErrImagePull, CrashLoopBackOff), so it must match exactly.
 */
import type { KubeObject } from '../objects.ts';
import { formatTimestampSince } from './human-duration.ts';
import type { TableCell, TableRowCondition } from './table-types.ts';

interface ContainerStateView {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string };
}

interface ContainerStatusView {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateView;
  lastState?: ContainerStateView;
}

interface PodConditionView {
  type: string;
  status: string;
  reason?: string;
}

interface ContainerSpecView {
  name: string;
  restartPolicy?: string;
}

/** Reason the node lifecycle controller gives pods on a node that stopped answering. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

const SUCCEEDED_CONDITIONS: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const FAILED_CONDITIONS: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

/** A sidecar: an init container that keeps running beside the app containers. */
function isRestartableInitContainer(container: ContainerSpecView | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function hasConditionTrue(conditions: readonly PodConditionView[], type: string): boolean {
  return conditions.some((condition) => condition.type === type && condition.status === 'True');
}

/** Whether the Initialized condition is present and True (its first occurrence decides). */
function isInitializedConditionTrue(conditions: readonly PodConditionView[]): boolean {
  const initialized = conditions.find((condition) => condition.type === 'Initialized');
  return initialized?.status === 'True';
}

/** Keeps the later of two RFC 3339 times; an absent time counts as the beginning of time. */
function laterTime(current: string | undefined, candidate: string | undefined): string | undefined {
  if (!candidate) return current;
  if (!current) return candidate;
  return Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

/** `Init:Error`, `Init:Signal:9` or `Init:ExitCode:1` for an init container that failed. */
function describeFailedInit(terminated: NonNullable<ContainerStateView['terminated']>): string {
  if (terminated.reason) return `Init:${terminated.reason}`;
  if (terminated.signal) return `Init:Signal:${terminated.signal}`;
  return `Init:ExitCode:${terminated.exitCode ?? 0}`;
}

/** What kube-apiserver computes for a pod: the READY, STATUS and RESTARTS cells and row conditions. */
export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
  conditions?: TableRowCondition[];
}

interface RestartTally {
  count: number;
  lastAt: string | undefined;
}

/**
 * Summarises a pod the way `kubectl get pods` shows it.
 *
 * Init containers are walked in order; the first one that has not succeeded (and is not a started
 * sidecar) decides the status: `Init:<reason>` when it failed or waits with a reason, otherwise
 * `Init:i/n`. Once initialisation is over, app containers are walked from last to first so the
 * first container's waiting or terminated reason wins (`CrashLoopBackOff`, `ErrImagePull`,
 * `Completed`). A pod being deleted shows `Terminating` unless it already finished.
 *
 * Worked example: one container restarted 3 times, last terminated 12 s before `now`, now running
 * and ready: READY `1/1`, STATUS `Running`, RESTARTS `3 (12s ago)`.
 */
export function summarisePod(pod: KubeObject, now: number): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const conditions: PodConditionView[] = status.conditions ?? [];
  const initContainers: ContainerSpecView[] = spec.initContainers ?? [];
  const initStatuses: ContainerStatusView[] = status.initContainerStatuses ?? [];
  const containerStatuses: ContainerStatusView[] = status.containerStatuses ?? [];
  const phase: string = status.phase ?? '';

  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let reason = status.reason || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initSpecByName = new Map<string, ContainerSpecView>();
  for (const container of initContainers) {
    initSpecByName.set(container.name, container);
    if (isRestartableInitContainer(container)) totalContainers += 1;
  }

  const allRestarts: RestartTally = { count: 0, lastAt: undefined };
  const sidecarRestarts: RestartTally = { count: 0, lastAt: undefined };
  let initializing = false;
  for (const [index, container] of initStatuses.entries()) {
    const lastFinishedAt = container.lastState?.terminated?.finishedAt;
    allRestarts.count += container.restartCount ?? 0;
    allRestarts.lastAt = laterTime(allRestarts.lastAt, lastFinishedAt);
    const sidecar = isRestartableInitContainer(initSpecByName.get(container.name));
    if (sidecar) {
      sidecarRestarts.count += container.restartCount ?? 0;
      sidecarRestarts.lastAt = laterTime(sidecarRestarts.lastAt, lastFinishedAt);
    }

    const terminated = container.state?.terminated;
    const waitingReason = container.state?.waiting?.reason;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && container.started === true) {
      if (container.ready) readyContainers += 1;
      continue;
    }
    if (terminated) {
      reason = describeFailedInit(terminated);
    } else if (waitingReason && waitingReason !== 'PodInitializing') {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${index}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  let restarts = allRestarts;
  if (!initializing || isInitializedConditionTrue(conditions)) {
    // App containers count on top of sidecar restarts only; plain init restarts are history.
    restarts = { ...sidecarRestarts };
    let hasRunning = false;
    for (let i = containerStatuses.length - 1; i >= 0; i -= 1) {
      const container = containerStatuses[i];
      if (!container) continue;
      restarts.count += container.restartCount ?? 0;
      restarts.lastAt = laterTime(restarts.lastAt, container.lastState?.terminated?.finishedAt);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers += 1;
      }
    }
    // A container that completed next to one still running does not make the pod Completed.
    if (reason === 'Completed' && hasRunning) {
      reason = hasConditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  const restartsCell =
    restarts.count !== 0 && restarts.lastAt
      ? `${restarts.count} (${formatTimestampSince(restarts.lastAt, now)} ago)`
      : String(restarts.count);

  const summary: PodSummary = {
    ready: `${readyContainers}/${totalContainers}`,
    status: reason,
    restarts: restartsCell,
  };
  if (phase === 'Succeeded') summary.conditions = SUCCEEDED_CONDITIONS;
  if (phase === 'Failed') summary.conditions = FAILED_CONDITIONS;
  return summary;
}

/** `2/3` true readiness-gate conditions out of those the spec declares, or `<none>`. */
function formatReadinessGates(pod: KubeObject): string {
  const gates: { conditionType: string }[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions: PodConditionView[] = pod.status?.conditions ?? [];
  const passing = gates.filter(
    (gate) => conditions.find((condition) => condition.type === gate.conditionType)?.status === 'True',
  ).length;
  return `${passing}/${gates.length}`;
}

/** The cells of a Pod row, wide columns included, and the row's conditions. */
export function printPodCells(
  pod: KubeObject,
  now: number,
): { cells: TableCell[]; conditions?: TableRowCondition[] } {
  const summary = summarisePod(pod, now);
  const podIPs: { ip?: string }[] = pod.status?.podIPs ?? [];
  const cells: TableCell[] = [
    pod.metadata.name ?? '',
    summary.ready,
    summary.status,
    summary.restarts,
    formatTimestampSince(pod.metadata.creationTimestamp, now),
    podIPs[0]?.ip || '<none>',
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    formatReadinessGates(pod),
  ];
  return summary.conditions ? { cells, conditions: summary.conditions } : { cells };
}

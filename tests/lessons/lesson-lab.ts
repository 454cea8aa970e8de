/**
 * A sandbox for lesson tests, put together from the product's own parts: the embedded backend on a
 * manual clock, the session manager (a fresh namespace, ServiceAccount, quota and workdir per
 * session), the learner's restricted shell exactly as the terminal wires it (the real kubectl with
 * the session's kubeconfig, curl through the service proxy), and the server's step judge reading a
 * snapshot with the session's own identity.
 *
 * Time moves only when the lab moves it. While a command runs for longer than a moment, simulated
 * time advances a second per poll, so `kubectl rollout status` sees the rollout it waits for.
 * After a command the lab "settles": it moves time on until the namespace's workloads stop
 * changing, as a learner waits before the next command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXERCISES_DIR } from '../../sandbox/backends/backend.ts';
import { createEmbeddedBackend } from '../../sandbox/backends/embedded/embedded-backend.ts';
import type { Locale, StepResult } from '../../sandbox/checks/evaluate.ts';
import { describePodStatus, isPodReady, readRevision } from '../../sandbox/checks/kube-views.ts';
import type { KubeObject } from '../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../sandbox/cluster/api/resources.ts';
import { createManualClock, createScaledClock, type ManualClock } from '../../sandbox/cluster/clock.ts';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../sandbox/cluster/embedded-cluster.ts';
import { createKubeRequester, readInlineKubeconfig } from '../../sandbox/server/kube-request.ts';
import { chooseKubectlBinary, discoverKubectls } from '../../sandbox/server/kubectl-binary.ts';
import { createSessionShellFactory } from '../../sandbox/server/session-shell.ts';
import { judgeSteps, takeNamespaceSnapshot } from '../../sandbox/server/step-checks.ts';
import type { SessionShell } from '../../sandbox/server/terminals.ts';
import type { Session } from '../../sandbox/sessions/index.ts';
import { SessionManager } from '../../sandbox/sessions/index.ts';

/** Simulated time per poll while a command runs, and per step while settling. */
const STEP_MS = 1_000;
/** Real time between polls of a running command: kubectl is a real process on real time. */
const POLL_REAL_MS = 25;
/**
 * Real time a command runs before the lab starts moving simulated time for it. Most commands
 * (get, apply, describe) are done by then; stepping the controllers meanwhile would only take CPU
 * from the API server that answers them. Commands that wait (rollout status, --watch) get time.
 */
const WAIT_BEFORE_STEPPING_MS = 300;
/** A namespace counts as settled once its workloads have not changed for this long (plus minReadySeconds). */
const QUIET_MS = 15_000;
/** Most simulated time one settle or one command may take before the lab gives up on quiet. */
const MAX_WAIT_MS = 20 * 60_000;

/** What running one command line did. */
export interface CommandOutcome {
  command: string;
  /** The shell's exit status (130 after the lab's Ctrl-C). */
  status: number;
  /** Whether the lab stopped it with Ctrl-C (a `--watch`, once the cluster went quiet). */
  interrupted: boolean;
  /** Whether it ran into MAX_WAIT_MS of simulated time and was stopped. */
  timedOut: boolean;
  /** What the terminal showed, escape sequences removed. */
  output: string;
  simulatedMs: number;
  realMs: number;
}

/** A learner's sandbox: one session, one shell. */
export interface LessonSession {
  readonly session: Session;
  /** Types the line and Enter into the shell, moves time while it runs, returns when the prompt is back. */
  run(command: string): Promise<CommandOutcome>;
  /** Moves time on until the namespace's workloads are quiet; returns the simulated time it took. */
  settle(): Promise<{ simulatedMs: number; quiet: boolean }>;
  /** Judges steps the way GET /api/sessions/:id/checks does, with the session's identity, on one snapshot. */
  judge(stepIds: readonly string[], locale: Locale): Promise<Record<string, StepResult>>;
  close(): Promise<void>;
}

export interface LessonLab {
  readonly clock: ManualClock;
  readonly cluster: EmbeddedCluster;
  /** The kubectl version the shell runs. */
  readonly kubectlVersion: string;
  newSession(): Promise<LessonSession>;
  stop(): Promise<void>;
}

/** Commands that run until Ctrl-C: `kubectl get … --watch` / `-w`, and the shell's `watch`. */
export function runsUntilInterrupted(command: string): boolean {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'watch') return true;
  return (
    words[0] === 'kubectl' &&
    words.includes('get') &&
    words.some((w) => w === '--watch' || w === '-w' || w.startsWith('--watch='))
  );
}

/** Removes terminal escape sequences and carriage returns. */
function plainText(data: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
  return data.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The state of a namespace's workloads that only controllers and kubelets change: counts,
 * revisions, conditions, and each pod's image and broad state. A crash-looping pod counts as one
 * steady state ("failing") rather than cycling through Running, Error and CrashLoopBackOff, so a
 * broken release settles too. Events are left out: they record changes, they are not state.
 */
function workloadFingerprint(
  cluster: EmbeddedCluster,
  namespace: string,
): { key: string; minReadyMs: number } {
  const api = cluster.controlPlane.api;
  const list = (resource: (typeof RESOURCES)[keyof typeof RESOURCES]) => api.listAll(resource, namespace);
  let minReadyMs = 0;
  const parts: unknown[] = [];
  for (const d of list(RESOURCES.deployments)) {
    minReadyMs = Math.max(minReadyMs, (d.spec?.minReadySeconds ?? 0) * 1000);
    const s = d.status ?? {};
    parts.push([
      'deploy',
      d.metadata.name,
      d.metadata.generation,
      s.observedGeneration,
      d.spec?.replicas,
      s.replicas,
      s.updatedReplicas,
      s.readyReplicas,
      s.availableReplicas,
      (s.conditions ?? []).map((c: { type: string; status: string; reason?: string }) => [
        c.type,
        c.status,
        c.reason,
      ]),
    ]);
  }
  for (const rs of list(RESOURCES.replicasets)) {
    const s = rs.status ?? {};
    parts.push([
      'rs',
      rs.metadata.name,
      rs.spec?.replicas,
      s.replicas,
      s.readyReplicas,
      s.availableReplicas,
      readRevision(rs),
    ]);
  }
  for (const sts of list(RESOURCES.statefulsets)) {
    minReadyMs = Math.max(minReadyMs, (sts.spec?.minReadySeconds ?? 0) * 1000);
    const s = sts.status ?? {};
    parts.push([
      'sts',
      sts.metadata.name,
      sts.metadata.generation,
      s.observedGeneration,
      s.replicas,
      s.readyReplicas,
      s.updatedReplicas,
      s.currentRevision,
      s.updateRevision,
    ]);
  }
  for (const ds of list(RESOURCES.daemonsets)) {
    minReadyMs = Math.max(minReadyMs, (ds.spec?.minReadySeconds ?? 0) * 1000);
    const s = ds.status ?? {};
    parts.push([
      'ds',
      ds.metadata.name,
      ds.metadata.generation,
      s.observedGeneration,
      s.desiredNumberScheduled,
      s.currentNumberScheduled,
      s.numberReady,
      s.updatedNumberScheduled,
      s.numberAvailable,
    ]);
  }
  for (const pod of list(RESOURCES.pods)) parts.push(['pod', pod.metadata.name, podState(pod)]);
  for (const ep of list(RESOURCES.endpoints))
    parts.push([
      'ep',
      ep.metadata.name,
      ((ep.subsets as { addresses?: unknown[] }[] | undefined) ?? []).map((s) => s.addresses?.length ?? 0),
    ]);
  for (const cm of list(RESOURCES.configmaps))
    parts.push(['cm', cm.metadata.name, cm.metadata.resourceVersion]);
  for (const svc of list(RESOURCES.services)) parts.push(['svc', svc.metadata.name, svc.spec?.selector]);
  return { key: JSON.stringify(parts), minReadyMs };
}

/** Pod STATUS values a broken release cycles through; each is the same steady state here. */
const FAILING_STATUSES = new Set(['Error', 'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff']);

function podState(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'terminating';
  const image = pod.spec?.containers?.[0]?.image ?? '?';
  if (isPodReady(pod)) return `ready ${image}`;
  const restarted = ((pod.status?.containerStatuses ?? []) as { restartCount?: number }[]).some(
    (c) => (c.restartCount ?? 0) > 0,
  );
  const status = describePodStatus(pod);
  if (restarted || FAILING_STATUSES.has(status)) return `failing ${image}`;
  return `${status} ${image}`;
}

/** Starts the embedded backend on a manual clock; throws when no kubectl is installed. */
export async function startLessonLab(): Promise<LessonLab> {
  const found = discoverKubectls(process.env);
  const kubectl = chooseKubectlBinary(found.versioned, 32, found.onPath);
  if (!kubectl) throw new Error('kubectl is not installed: the lesson tests run the real binary');
  const clock = createManualClock();
  let seed = 9;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let started: EmbeddedCluster | undefined;
  // The product's embedded backend, with the cluster started on the lab's clock. The time scale
  // only sizes session tokens: 100 asks for tokens that outlive any lesson's simulated hours.
  // One node, as lesson 9.4 describes the sandbox; LESSON_NODES=24 tries the server's default for
  // 200 sessions (where the DaemonSet's pod per node meets the session's pod quota).
  const nodes = Number(process.env.LESSON_NODES ?? 1);
  const backend = createEmbeddedBackend({ timeScale: 100, nodes }, async (options) => {
    started = await startEmbeddedCluster({ ...options, clock, random });
    return started;
  });
  const access = await backend.start();
  const cluster = started!;
  const dir = mkdtempSync(join(tmpdir(), 'rollout-lab-lessons-'));
  const sessions = new SessionManager({
    access,
    workRoot: join(dir, 'sessions'),
    exercisesDir: DEFAULT_EXERCISES_DIR,
    sweepIntervalMs: 0,
    // The manual clock does not move while a namespace is deleted: do not wait for it.
    namespaceDeleteWaitMs: 0,
  });
  const createShell = createSessionShellFactory({
    kubectlBinary: kubectl.path,
    cacheRoot: join(dir, 'kubectl-cache'),
    // The shell's own timers (watch's interval, curl's timeout) run on real time, as in the server.
    clock: createScaledClock(1),
  });

  const settleControllers = () => cluster.controlPlane.settle();
  const step = async (): Promise<void> => {
    clock.advance(STEP_MS);
    await settleControllers();
  };

  return {
    clock,
    cluster,
    kubectlVersion: kubectl.minor === undefined ? 'on PATH' : `1.${kubectl.minor}`,
    async newSession() {
      const session = await sessions.create();
      let screen = '';
      const shellHandle: SessionShell = await createShell(session, {
        write: (data) => {
          screen += data;
        },
        columns: 160,
        rows: 40,
      });
      const { shell } = shellHandle;
      await shell.whenIdle();
      const requester = createKubeRequester(readInlineKubeconfig(session.kubeconfig), { timeoutMs: 10_000 });

      /** Tracks how long the workloads have been unchanged while time moves on. */
      const quietTracker = () => {
        let last = workloadFingerprint(cluster, session.namespace).key;
        let quietMs = 0;
        return {
          /** After a time step: whether the namespace has now been quiet long enough. */
          observe(): boolean {
            const now = workloadFingerprint(cluster, session.namespace);
            if (now.key === last) quietMs += STEP_MS;
            else {
              last = now.key;
              quietMs = 0;
            }
            return quietMs >= QUIET_MS + now.minReadyMs;
          },
        };
      };

      return {
        session,
        async run(command) {
          const startedReal = Date.now();
          const startedSim = clock.now();
          const from = screen.length;
          const interruptible = runsUntilInterrupted(command);
          const quiet = quietTracker();
          let interrupted = false;
          let timedOut = false;
          shell.input(`${command}\r`);
          while (shell.busy) {
            await sleep(POLL_REAL_MS);
            if (!shell.busy) break;
            if (Date.now() - startedReal < WAIT_BEFORE_STEPPING_MS) continue;
            await step();
            const settled = quiet.observe();
            const waited = clock.now() - startedSim;
            if (!interrupted && interruptible && settled && Date.now() - startedReal > 500) {
              interrupted = true;
              shell.input('\x03');
            } else if (!interrupted && waited > MAX_WAIT_MS) {
              interrupted = true;
              timedOut = true;
              shell.input('\x03');
            }
          }
          await shell.whenIdle();
          await settleControllers();
          const echoed = plainText(screen.slice(from));
          return {
            command,
            status: shell.lastStatus,
            interrupted,
            timedOut,
            output: echoed,
            simulatedMs: clock.now() - startedSim,
            realMs: Date.now() - startedReal,
          };
        },
        async settle() {
          const startedSim = clock.now();
          const quiet = quietTracker();
          await settleControllers();
          for (;;) {
            await step();
            if (quiet.observe()) return { simulatedMs: clock.now() - startedSim, quiet: true };
            if (clock.now() - startedSim > MAX_WAIT_MS)
              return { simulatedMs: clock.now() - startedSim, quiet: false };
          }
        },
        async judge(stepIds, locale) {
          const snapshot = await takeNamespaceSnapshot(requester, session.namespace);
          const { steps } = judgeSteps(stepIds, snapshot, locale);
          for (const id of stepIds)
            if (!steps[id]) throw new Error(`step ${id} has no checks in STEP_CHECKS`);
          return steps as Record<string, StepResult>;
        },
        async close() {
          shellHandle.dispose();
          requester.close();
          await sessions.delete(session.id);
        },
      };
    },
    async stop() {
      await sessions.shutdown({ deleteNamespaces: false });
      await backend.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

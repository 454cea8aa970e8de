import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { summarisePod } from '../../../sandbox/cluster/api/printers/index.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { readContainerLogs } from '../../../sandbox/cluster/apps/logs.ts';
import { createPod, type Harness, podManifest, startHarness } from './cluster-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading JSON statuses in assertions.
type Any = any;

const harnesses: Harness[] = [];
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses.splice(0)) h.stop();
});

const vweb = (name: string, image = 'kiamol/ch09-vweb:v1', extra: Record<string, unknown> = {}) =>
  podManifest(
    name,
    { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }], ...extra }] },
    { app: 'vweb' },
  );

/** What `kubectl get po` would print in the STATUS column. */
function printedStatus(h: Harness, name: string): string {
  const pod = h.pod(name);
  return pod ? summarisePod(pod, h.clock.now()).status : '<gone>';
}

function condition(pod: KubeObject | undefined, type: string): Any {
  return ((pod?.status?.conditions ?? []) as Any[]).find((c) => c.type === type);
}

/** Steps time and records each distinct printed status, in order. */
async function recordStatuses(h: Harness, name: string, ms: number, stepMs = 100): Promise<string[]> {
  // The pod as bound by the scheduler is the first state recorded.
  await h.cp.settle();
  const seen: string[] = [];
  for (let t = 0; t < ms; t += stepMs) {
    const status = printedStatus(h, name);
    if (seen[seen.length - 1] !== status) seen.push(status);
    await h.advance(stepMs, stepMs);
  }
  const last = printedStatus(h, name);
  if (seen[seen.length - 1] !== last) seen.push(last);
  return seen;
}

describe('a pod on a simulated node', () => {
  it('goes Pending → ContainerCreating → Running and Ready, with the kubelet events and conditions', async () => {
    const h = await harness();
    createPod(h, vweb('web-1'));
    await h.cp.settle();
    const bound = h.pod('web-1')!;
    expect(bound.spec.nodeName).toBe('rollout-lab-worker');
    expect(condition(bound, 'PodScheduled').status).toBe('True');
    expect(printedStatus(h, 'web-1')).toBe('Pending');

    await h.advanceUntil(() => h.pod('web-1')?.status?.startTime !== undefined);
    expect(printedStatus(h, 'web-1')).toBe('ContainerCreating');
    expect(h.pod('web-1')!.status.phase).toBe('Pending');
    expect(h.pod('web-1')!.status.hostIP).toBe('172.18.0.2');

    const waited = await h.advanceUntil(() => condition(h.pod('web-1'), 'Ready')?.status === 'True');
    // A fresh pull (2–5 s) plus creating the container (1–3 s) and the sandbox: seconds, not minutes.
    expect(waited).toBeGreaterThan(3_000);
    expect(waited).toBeLessThan(10_000);

    const pod = h.pod('web-1')!;
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(pod.status.podIPs).toEqual([{ ip: pod.status.podIP }]);
    expect(pod.status.startTime).toBe('2026-01-01T00:00:00Z');
    expect((pod.status.conditions as Any[]).map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    for (const c of pod.status.conditions as Any[])
      expect(c.lastTransitionTime).toMatch(/^2026-01-01T00:00:\d\dZ$/);

    const status = pod.status.containerStatuses[0];
    expect(status).toMatchObject({
      name: 'web',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/kiamol/ch09-vweb:v1',
    });
    expect(status.imageID).toMatch(/^docker\.io\/kiamol\/ch09-vweb@sha256:[0-9a-f]{64}$/);
    expect(status.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(status.state.running.startedAt).toMatch(/^2026-01-01T00:00:0\dZ$/);
    expect(summarisePod(pod, h.clock.now())).toMatchObject({
      ready: '1/1',
      status: 'Running',
      restarts: '0',
    });

    await h.advance(500);
    expect(h.eventsOf('web-1').map((e) => `${e.source}/${e.reason}: ${e.message}`)).toEqual([
      'default-scheduler/Scheduled: Successfully assigned default/web-1 to rollout-lab-worker',
      'kubelet/Pulling: Pulling image "kiamol/ch09-vweb:v1"',
      expect.stringMatching(
        /^kubelet\/Pulled: Successfully pulled image "kiamol\/ch09-vweb:v1" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: 9932416 bytes\.$/,
      ),
      'kubelet/Created: Created container: web',
      'kubelet/Started: Started container web',
    ]);
  });

  it('does not pull an image the node already has (IfNotPresent)', async () => {
    const h = await harness();
    createPod(h, vweb('first'));
    await h.advanceUntil(() => condition(h.pod('first'), 'Ready')?.status === 'True');
    createPod(h, vweb('second'));
    const waited = await h.advanceUntil(() => condition(h.pod('second'), 'Ready')?.status === 'True');
    expect(waited).toBeLessThan(4_000);
    // Events are recorded a moment apart, each in a later millisecond than the one before.
    await h.advance(500);
    expect(h.eventsOf('second').map((e) => e.reason)).toEqual(['Scheduled', 'Pulled', 'Created', 'Started']);
    expect(h.eventsOf('second')[1]!.message).toBe(
      'Container image "kiamol/ch09-vweb:v1" already present on machine',
    );
    // kubectl describe keeps the order of events within a second as the API lists them: by name,
    // which starts with the time they were recorded.
    const byName = h.cp.api
      .listAll(RESOURCES.events, 'default')
      .filter((e) => (e.involvedObject as { name: string }).name === 'second')
      .map((e) => e.reason);
    expect(byName).toEqual(['Scheduled', 'Pulled', 'Created', 'Started']);
  });

  it('becomes Ready only after the readiness probe initialDelaySeconds, and never when the probe path 404s', async () => {
    const h = await harness();
    const probe = (path: string) => ({
      readinessProbe: { httpGet: { path, port: 'http' }, initialDelaySeconds: 5, periodSeconds: 2 },
    });
    createPod(h, vweb('probed', 'kiamol/ch09-vweb:v1', probe('/v.txt')));
    createPod(h, vweb('broken-probe', 'kiamol/ch09-vweb:v1', probe('/healthz')));
    await h.advanceUntil(() => h.pod('probed')?.status?.containerStatuses?.[0]?.state?.running !== undefined);
    const startedAt = h.clock.now();
    expect(condition(h.pod('probed'), 'Ready').status).toBe('False');
    expect(summarisePod(h.pod('probed')!, h.clock.now()).ready).toBe('0/1');
    await h.advanceUntil(() => condition(h.pod('probed'), 'Ready')?.status === 'True');
    expect(h.clock.now() - startedAt).toBeGreaterThanOrEqual(4_000);

    await h.advance(20_000, 500);
    expect(condition(h.pod('broken-probe'), 'Ready').status).toBe('False');
    expect(condition(h.pod('broken-probe'), 'Ready').message).toBe('containers with unready status: [web]');
    const unhealthy = h.eventsOf('broken-probe').find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy).toMatchObject({
      type: 'Warning',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 404',
    });
    expect(unhealthy.count).toBeGreaterThan(3);
  });

  it('runs init containers one by one before the app container', async () => {
    const h = await harness();
    createPod(
      h,
      podManifest('todo-db-0', {
        initContainers: [
          { name: 'wait-service', image: 'kiamol/ch03-sleep', command: ['/scripts/wait-service.sh'] },
          {
            name: 'initialize-replication',
            image: 'postgres:11.6-alpine',
            command: ['/scripts/initialize-replication.sh'],
          },
        ],
        containers: [
          {
            name: 'db',
            image: 'postgres:11.6-alpine',
            command: ['/scripts/startup.sh'],
            ports: [{ containerPort: 5432 }],
          },
        ],
      }),
    );
    const statuses = await recordStatuses(h, 'todo-db-0', 25_000);
    expect(statuses).toEqual(['Pending', 'Init:0/2', 'Init:1/2', 'PodInitializing', 'Running']);

    const pod = h.pod('todo-db-0')!;
    const [first, second] = pod.status.initContainerStatuses as Any[];
    expect(first).toMatchObject({
      name: 'wait-service',
      ready: true,
      started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    expect(second).toMatchObject({
      name: 'initialize-replication',
      ready: true,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    expect(Date.parse(second.state.terminated.startedAt)).toBeGreaterThanOrEqual(
      Date.parse(first.state.terminated.finishedAt),
    );
    const db = pod.status.containerStatuses[0];
    expect(Date.parse(db.state.running.startedAt)).toBeGreaterThanOrEqual(
      Date.parse(second.state.terminated.finishedAt),
    );
    const reasons = h.eventsOf('todo-db-0').map((e) => `${e.reason} ${e.message}`);
    expect(reasons.indexOf('Started Started container wait-service')).toBeLessThan(
      reasons.indexOf('Started Started container initialize-replication'),
    );
    expect(reasons.indexOf('Started Started container initialize-replication')).toBeLessThan(
      reasons.indexOf('Started Started container db'),
    );
    expect(readContainerLogs(pod, 'db')).toContain('database system is ready to accept connections');
  });

  it('crash-loops ch09-vweb:v3 with a growing restart count and a doubling back-off', async () => {
    const h = await harness();
    createPod(h, vweb('v3', 'kiamol/ch09-vweb:v3'));
    const backOffMessages: string[] = [];
    const waitingIds = new Set<boolean>();
    const gaps: number[] = [];
    const printed = new Set<string>();
    let restarts = 0;
    await h.advanceUntil(() => {
      const pod = h.pod('v3');
      const status = pod?.status?.containerStatuses?.[0];
      if (!pod || !status) return false;
      printed.add(summarisePod(pod, h.clock.now()).status);
      const waiting = status.state.waiting;
      // While waiting, the status still names the container that last ran (kubectl describe shows it).
      if (waiting?.reason === 'CrashLoopBackOff')
        waitingIds.add(status.containerID === status.lastState.terminated.containerID);
      if (
        waiting?.reason === 'CrashLoopBackOff' &&
        backOffMessages[backOffMessages.length - 1] !== waiting.message
      )
        backOffMessages.push(waiting.message);
      if (status.restartCount > restarts) {
        restarts = status.restartCount;
        const finished = Date.parse(status.lastState.terminated.finishedAt);
        const started = Date.parse(status.state.running?.startedAt ?? status.state.terminated?.startedAt);
        gaps.push((started - finished) / 1000);
      }
      return restarts >= 4;
    }, 300_000);

    expect([...waitingIds]).toEqual([true]);
    expect(printed).toContain('Error');
    expect(printed).toContain('CrashLoopBackOff');
    // The first restart is immediate; then 10 s, 20 s, 40 s (status times have whole seconds).
    expect(gaps[0]).toBeLessThanOrEqual(2);
    expect(gaps[1]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeLessThanOrEqual(11);
    expect(gaps[2]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeLessThanOrEqual(21);
    expect(gaps[3]).toBeGreaterThanOrEqual(39);
    expect(gaps[3]).toBeLessThanOrEqual(41);
    const pod = h.pod('v3')!;
    const uid = pod.metadata.uid;
    expect(backOffMessages.slice(0, 3)).toEqual([
      `back-off 10s restarting failed container=web pod=v3_default(${uid})`,
      `back-off 20s restarting failed container=web pod=v3_default(${uid})`,
      `back-off 40s restarting failed container=web pod=v3_default(${uid})`,
    ]);
    const status = pod.status.containerStatuses[0];
    expect(status.lastState.terminated).toMatchObject({ exitCode: 127, reason: 'Error' });
    expect(pod.status.phase).toBe('Running');
    expect(condition(pod, 'Ready').status).toBe('False');
    const backOff = h.eventsOf('v3').find((e) => e.reason === 'BackOff')!;
    expect(backOff).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container web in pod v3_default(${uid})`,
    });
    expect(backOff.count).toBeGreaterThanOrEqual(3);
    expect(readContainerLogs(pod, 'web', { previous: true })).toBe('/bin/sh: this-will-fail: not found\n');
  });

  it('reports ErrImagePull then ImagePullBackOff for an unknown tag, retrying with back-off', async () => {
    const h = await harness();
    createPod(h, vweb('typo', 'kiamol/ch09-vweb:v9'));
    const statuses = await recordStatuses(h, 'typo', 12_000);
    expect(statuses).toEqual(['Pending', 'ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']);
    const pod = h.pod('typo')!;
    expect(pod.status.phase).toBe('Pending');
    const notFound =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/kiamol/ch09-vweb:v9": failed to resolve reference "docker.io/kiamol/ch09-vweb:v9": docker.io/kiamol/ch09-vweb:v9: not found';
    expect(pod.status.containerStatuses[0].state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: `Back-off pulling image "kiamol/ch09-vweb:v9": ErrImagePull: ${notFound}`,
    });
    expect(h.eventsOf('typo').map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual([
      'Normal Scheduled: Successfully assigned default/typo to rollout-lab-worker',
      'Normal Pulling: Pulling image "kiamol/ch09-vweb:v9"',
      `Warning Failed: Failed to pull image "kiamol/ch09-vweb:v9": ${notFound}`,
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "kiamol/ch09-vweb:v9"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    // Retries: 10 s after the first failure, then 20 s after the second.
    await h.advance(60_000, 500);
    const pulling = h.eventsOf('typo').find((e) => e.reason === 'Pulling')!;
    expect(pulling.count).toBe(3);
  });

  it('stops a deleted pod within min(grace period, the app stop time), then removes it', async () => {
    const h = await harness();
    createPod(h, vweb('nginx-pod'));
    createPod(
      h,
      podManifest('sleeper', {
        terminationGracePeriodSeconds: 5,
        containers: [{ name: 'sleep', image: 'kiamol/ch03-sleep' }],
      }),
    );
    await h.advanceUntil(
      () =>
        condition(h.pod('nginx-pod'), 'Ready')?.status === 'True' &&
        condition(h.pod('sleeper'), 'Ready')?.status === 'True',
    );

    h.cp.api.delete(RESOURCES.pods, 'default', 'nginx-pod');
    h.cp.api.delete(RESOURCES.pods, 'default', 'sleeper');
    await h.advance(100);
    expect(h.pod('nginx-pod')!.metadata.deletionTimestamp).toBeDefined();
    expect(printedStatus(h, 'nginx-pod')).toBe('Terminating');
    expect(h.eventsOf('nginx-pod').find((e) => e.reason === 'Killing')?.message).toBe(
      'Stopping container web',
    );

    await h.advance(500);
    expect(h.pod('nginx-pod')).toBeDefined();
    await h.advance(1_000);
    // nginx stops in about a second; the pod is gone without waiting out its 30 s grace period.
    expect(h.pod('nginx-pod')).toBeUndefined();
    // sleep ignores SIGTERM: it is killed when its 5 s grace period ends.
    expect(h.pod('sleeper')).toBeDefined();
    await h.advance(3_700);
    expect(h.pod('sleeper')).toBeUndefined();
  });

  it('waits in ContainerCreating with FailedMount until a mounted ConfigMap exists', async () => {
    const h = await harness();
    createPod(
      h,
      podManifest('needs-config', {
        containers: [
          {
            name: 'web',
            image: 'kiamol/ch09-vweb:v2',
            volumeMounts: [{ name: 'config', mountPath: '/usr/share/nginx/html/', readOnly: true }],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'vweb-config' } }],
      }),
    );
    await h.advance(5_000);
    expect(printedStatus(h, 'needs-config')).toBe('ContainerCreating');
    expect(h.pod('needs-config')!.status.podIP).toBeUndefined();
    const failed = h.eventsOf('needs-config').find((e) => e.reason === 'FailedMount')!;
    expect(failed).toMatchObject({
      type: 'Warning',
      message: 'MountVolume.SetUp failed for volume "config" : configmap "vweb-config" not found',
    });

    h.cp.api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vweb-config' },
      data: { 'v.txt': 'v3-from-config' },
    });
    await h.advanceUntil(() => condition(h.pod('needs-config'), 'Ready')?.status === 'True', 15_000);
    expect(h.pod('needs-config')!.status.containerStatuses[0].volumeMounts).toEqual([
      { name: 'config', mountPath: '/usr/share/nginx/html/', readOnly: true, recursiveReadOnly: 'Disabled' },
    ]);
  });

  it('shows CreateContainerConfigError while an envFrom ConfigMap is missing', async () => {
    const h = await harness();
    createPod(
      h,
      podManifest('env-pod', {
        containers: [
          { name: 'db', image: 'postgres:11.6-alpine', envFrom: [{ configMapRef: { name: 'todo-db-env' } }] },
        ],
      }),
    );
    await h.advance(10_000);
    expect(printedStatus(h, 'env-pod')).toBe('CreateContainerConfigError');
    expect(h.eventsOf('env-pod').map((e) => e.message)).toContain('Error: configmap "todo-db-env" not found');
    h.cp.api.create(RESOURCES.configmaps, 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'todo-db-env' },
      data: { POSTGRES_DB: 'todo' },
    });
    await h.advanceUntil(() => printedStatus(h, 'env-pod') === 'Running', 30_000);
  });

  it('recreates a running container whose image changed, counting a restart', async () => {
    const h = await harness();
    createPod(h, vweb('changing'));
    await h.advanceUntil(() => condition(h.pod('changing'), 'Ready')?.status === 'True');
    const pod = structuredClone(h.pod('changing')!) as KubeObject;
    pod.spec.containers[0].image = 'kiamol/ch09-vweb:v2';
    h.cp.api.update(RESOURCES.pods, 'default', pod);
    await h.advanceUntil(
      () =>
        h.pod('changing')?.status?.containerStatuses?.[0]?.image === 'docker.io/kiamol/ch09-vweb:v2' &&
        condition(h.pod('changing'), 'Ready')?.status === 'True',
    );
    const status = h.pod('changing')!.status.containerStatuses[0];
    expect(status.restartCount).toBe(1);
    expect(status.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(h.eventsOf('changing').map((e) => e.message)).toContain(
      'Container web definition changed, will be restarted',
    );
  });
});

describe('a kubelet on a clock whose timers fire early', () => {
  it('still moves the pod on (a scaled clock rounds real milliseconds down)', async () => {
    // At time scale 100, setTimer(ms) becomes setTimeout(ms / 100), which waits whole real
    // milliseconds (at least one): 3 550 simulated ms fire after 3 500, up to 99 ms early.
    const scaled = (ms: number) => Math.max(1, Math.floor(ms / 100)) * 100;
    // Jitter of 0.37 draws delays such as 522 ms for the sandbox, which would fire at 500.
    const h = await harness(
      { random: () => 0.37 },
      () => [],
      (clock) => ({ ...clock, setTimer: (fn, ms) => clock.setTimer(fn, scaled(ms)) }),
    );
    createPod(h, vweb('early'));
    await h.advanceUntil(() => condition(h.pod('early'), 'Ready')?.status === 'True', 20_000, 10);
  });
});

describe('simulated nodes and the scheduler', () => {
  it('register kind-like v1.32 workers at start', async () => {
    const h = await harness({ nodeCount: 2 });
    const nodes = h.cp.api.listAll(RESOURCES.nodes);
    expect(nodes.map((n) => n.metadata.name)).toEqual(['rollout-lab-worker', 'rollout-lab-worker2']);
    const worker2 = nodes[1]!;
    expect(worker2.status.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.32.0',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    expect(worker2.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.7\.\d+$/);
    expect(worker2.status.nodeInfo.kernelVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(worker2.status.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'rollout-lab-worker2' },
    ]);
    expect(worker2.status.capacity).toMatchObject({ cpu: '8', pods: '110' });
    expect(worker2.spec.podCIDR).toBe('10.244.2.0/24');
    expect((worker2.status.conditions as Any[]).find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
    expect(worker2.metadata.labels?.['kubernetes.io/hostname']).toBe('rollout-lab-worker2');
  });

  it('post their status when an image was pulled, and otherwise only as a heartbeat', async () => {
    const h = await harness({ nodeStatusUpdateMs: 10_000, nodeStatusReportMs: 60_000 });
    const node = () => h.cp.api.find(RESOURCES.nodes, undefined, 'rollout-lab-worker')!;
    const heartbeat = () =>
      (node().status.conditions as Any[]).find((c) => c.type === 'Ready').lastHeartbeatTime;
    const versionAtStart = node().metadata.resourceVersion;
    await h.advance(30_000, 1_000);
    expect(node().metadata.resourceVersion).toBe(versionAtStart);

    createPod(h, vweb('web'));
    await h.advance(15_000, 200);
    expect(node().status.images[0].names).toContain('docker.io/kiamol/ch09-vweb:v1');
    expect(heartbeat()).toBe('2026-01-01T00:00:40Z');
    expect((node().status.conditions as Any[]).find((c) => c.type === 'Ready').lastTransitionTime).toBe(
      '2026-01-01T00:00:00Z',
    );

    await h.advance(60_000, 1_000);
    expect(heartbeat()).toBe('2026-01-01T00:01:40Z');
  });

  it('spreads replicas of one owner across nodes and gives each node its own pod CIDR', async () => {
    const h = await harness({ nodeCount: 2 });
    const owner = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'vweb-abc', uid: 'rs-uid', controller: true },
    ];
    for (const name of ['a', 'b', 'c', 'd']) {
      const pod = vweb(`vweb-${name}`);
      pod.metadata.ownerReferences = owner;
      createPod(h, pod);
    }
    await h.advanceUntil(() =>
      ['a', 'b', 'c', 'd'].every((n) => condition(h.pod(`vweb-${n}`), 'Ready')?.status === 'True'),
    );
    const placement = ['a', 'b', 'c', 'd'].map(
      (n) => `${h.pod(`vweb-${n}`)!.spec.nodeName} ${h.pod(`vweb-${n}`)!.status.podIP}`,
    );
    expect(placement).toEqual([
      'rollout-lab-worker 10.244.1.2',
      'rollout-lab-worker2 10.244.2.2',
      'rollout-lab-worker 10.244.1.3',
      'rollout-lab-worker2 10.244.2.3',
    ]);
  });

  it('leaves a pod Pending with FailedScheduling when no node matches its nodeSelector', async () => {
    const h = await harness();
    createPod(
      h,
      podManifest('picky', {
        nodeSelector: { disktype: 'ssd' },
        containers: [{ name: 'web', image: 'nginx:1.17-alpine' }],
      }),
    );
    await h.advance(3_000);
    const pod = h.pod('picky')!;
    const message =
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    expect(pod.spec.nodeName).toBeUndefined();
    expect(condition(pod, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message,
    });
    expect(h.eventsOf('picky')[0]).toMatchObject({
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
      source: 'default-scheduler',
    });
  });
});

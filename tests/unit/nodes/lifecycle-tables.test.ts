import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { backOffDelayMs, formatGoDuration } from '../../../sandbox/cluster/nodes/back-off.ts';
import {
  DEFAULT_NODE_SIMULATOR_CONFIG,
  drawDelay,
  NodeSimulatorConfigError,
  nodeNamesOf,
  resolveNodeSimulatorConfig,
} from '../../../sandbox/cluster/nodes/config.ts';
import { PodAddressesExhaustedError, PodIpPool } from '../../../sandbox/cluster/nodes/ip-pool.ts';
import type { Facts } from '../../../sandbox/cluster/nodes/pod-facts.ts';
import {
  type ContainerPhase,
  createContainerRuntime,
  createPodRuntime,
} from '../../../sandbox/cluster/nodes/pod-runtime.ts';
import { podPhaseOf } from '../../../sandbox/cluster/nodes/pod-status.ts';
import { selectNode } from '../../../sandbox/cluster/nodes/scheduler.ts';
import {
  POD_STAGES,
  renderStageEvents,
  renderTemplate,
  selectStage,
} from '../../../sandbox/cluster/nodes/stages.ts';

const container: Facts = {
  scope: 'container',
  role: 'app',
  deleting: false,
  sandbox: 'Ready',
  turn: true,
  phase: 'Waiting',
  imageName: 'Valid',
  pull: 'NotNeeded',
  pullPolicy: 'IfNotPresent',
  present: true,
  registry: 'Found',
  config: 'Ready',
  process: 'none',
  ready: false,
  probe: 'None',
  exitCode: 'None',
  willRestart: false,
  restarted: false,
  specChanged: false,
};
const pod: Facts = {
  scope: 'pod',
  admitted: true,
  deleting: false,
  stopping: false,
  sandbox: 'Ready',
  volumes: 'Ready',
  volumesStale: false,
};

describe('the lifecycle stage table', () => {
  it.each([
    ['a pod the kubelet has not seen', { ...pod, admitted: false }, 'admit-pod'],
    [
      'a pod waiting for a ConfigMap volume',
      { ...pod, sandbox: 'None', volumes: 'Missing' },
      'mount-volumes-failed',
    ],
    ['an admitted pod without sandbox', { ...pod, sandbox: 'None' }, 'create-sandbox'],
    ['a pod whose mounted ConfigMap changed', { ...pod, volumesStale: true }, 'sync-volumes'],
    ['a deleted pod', { ...pod, deleting: true }, 'stop-pod'],
    ['a deleted pod being stopped', { ...pod, deleting: true, stopping: true }, 'remove-pod'],
    ['a settled pod', pod, undefined],
    ['a container whose image must be pulled', { ...container, pull: 'Needed' }, 'pull-image'],
    ['a container whose image is present', container, 'start-container'],
    ['a container that may not start yet (init containers first)', { ...container, turn: false }, undefined],
    ['a pull of a known image', { ...container, phase: 'Pulling' }, 'image-pulled'],
    [
      'a pull of an unknown tag',
      { ...container, phase: 'Pulling', registry: 'NotFound' },
      'image-pull-failed',
    ],
    ['a failed pull', { ...container, phase: 'ErrImagePull' }, 'image-pull-back-off'],
    ['a pull in back-off', { ...container, phase: 'ImagePullBackOff' }, 'retry-image-pull'],
    ['an invalid image name', { ...container, imageName: 'Invalid' }, 'invalid-image-name'],
    ['a missing env ConfigMap', { ...container, config: 'Missing' }, 'container-config-error'],
    [
      'a running server, not yet ready',
      { ...container, phase: 'Running', process: 'serve' },
      'container-ready',
    ],
    [
      'a ready server with a readiness probe',
      { ...container, phase: 'Running', process: 'serve', ready: true, probe: 'Readiness' },
      'recheck-readiness',
    ],
    [
      'a ready server without probe',
      { ...container, phase: 'Running', process: 'serve', ready: true },
      undefined,
    ],
    ['a running process that exits', { ...container, phase: 'Running', process: 'exit' }, 'container-exit'],
    [
      'a first crash',
      { ...container, phase: 'Exited', exitCode: 'NonZero', willRestart: true },
      'restart-container',
    ],
    [
      'a repeated crash',
      { ...container, phase: 'Exited', exitCode: 'NonZero', willRestart: true, restarted: true },
      'crash-loop-back-off',
    ],
    [
      'a container in CrashLoopBackOff',
      { ...container, phase: 'CrashLoopBackOff', restarted: true },
      'restart-after-back-off',
    ],
    [
      'a completed init container',
      { ...container, role: 'init', turn: false, phase: 'Exited', exitCode: 'Zero' },
      undefined,
    ],
    [
      'a container whose image changed',
      { ...container, phase: 'Running', specChanged: true },
      'recreate-for-new-spec',
    ],
    [
      'a container of a deleted pod',
      { ...container, phase: 'Running', process: 'exit', deleting: true, turn: false },
      undefined,
    ],
  ] as const)('selects for %s: %s', (_title, facts, expected) => {
    expect(selectStage(POD_STAGES, facts as Facts)?.name).toBe(expected);
  });

  it('only names delay ranges the configuration has', () => {
    for (const stage of POD_STAGES) {
      if (stage.delay.kind === 'range')
        expect(DEFAULT_NODE_SIMULATOR_CONFIG.delays[stage.delay.range], stage.name).toBeDefined();
    }
    expect(new Set(POD_STAGES.map((s) => s.name)).size).toBe(POD_STAGES.length);
  });

  it('renders event templates, keeping unknown placeholders visible', () => {
    expect(renderTemplate('Pulling image "{image}" for {who}', { image: 'nginx' })).toBe(
      'Pulling image "nginx" for {who}',
    );
    const start = POD_STAGES.find((s) => s.name === 'start-container')!;
    const values = { image: 'nginx:1.17-alpine', container: 'web' };
    expect(
      renderStageEvents(start, { ...container, phase: 'Waiting' }, values).map((e) => e.message),
    ).toEqual([
      'Container image "nginx:1.17-alpine" already present on machine',
      'Created container: web',
      'Started container web',
    ]);
    // Just pulled: no "already present" line.
    expect(renderStageEvents(start, { ...container, phase: 'Pulled' }, values).map((e) => e.reason)).toEqual([
      'Created',
      'Started',
    ]);
  });
});

describe('back-off arithmetic', () => {
  const crashLoop = DEFAULT_NODE_SIMULATOR_CONFIG.crashLoopBackOff;
  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [5, 160_000],
    [6, 300_000],
    [50, 300_000],
  ])('waits before retry %i: %i ms', (attempt, expected) => {
    expect(backOffDelayMs(crashLoop, attempt)).toBe(expected);
  });

  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [2_345, '2.345s'],
    [450, '450ms'],
    [3_723_000, '1h2m3s'],
    [0, '0s'],
  ])('prints %i ms as Go does: %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

describe('node configuration', () => {
  it('names workers as kind does', () => {
    expect(nodeNamesOf({ clusterName: 'rollout-lab', nodeCount: 3 })).toEqual([
      'rollout-lab-worker',
      'rollout-lab-worker2',
      'rollout-lab-worker3',
    ]);
    expect(nodeNamesOf({ clusterName: 'x', nodeCount: 3, nodeNames: ['a'] })).toEqual(['a']);
  });

  it('merges delays key by key and refuses unusable settings, naming them', () => {
    expect(resolveNodeSimulatorConfig({ delays: { pull: [1, 2] } }).delays).toMatchObject({
      pull: [1, 2],
      create: DEFAULT_NODE_SIMULATOR_CONFIG.delays.create,
    });
    expect(() => resolveNodeSimulatorConfig({ nodeCount: 0 })).toThrow(NodeSimulatorConfigError);
    expect(() => resolveNodeSimulatorConfig({ delays: { pull: [5, 1] } })).toThrow(
      'invalid node simulator setting delays.pull',
    );
  });

  it('draws delays within their range', () => {
    expect(drawDelay([1_000, 3_000], () => 0)).toBe(1_000);
    expect(drawDelay([1_000, 3_000], () => 0.5)).toBe(2_000);
    expect(drawDelay([1_000, 3_000], () => 0.9999)).toBe(3_000);
  });
});

describe('pod IPs', () => {
  it('are handed out in order, kept per pod, and not reused at once after release', () => {
    const pool = new PodIpPool('10.244.1');
    expect([pool.allocate('a'), pool.allocate('b'), pool.allocate('a')]).toEqual([
      '10.244.1.2',
      '10.244.1.3',
      '10.244.1.2',
    ]);
    pool.release('a');
    expect(pool.allocate('c')).toBe('10.244.1.4');
    expect(pool.cidr).toBe('10.244.1.0/24');
  });

  it('wrap around and run out after 253 addresses', () => {
    const pool = new PodIpPool('10.244.1');
    for (let i = 0; i < 253; i++) pool.allocate(`p${i}`);
    expect(() => pool.allocate('one-more')).toThrow(PodAddressesExhaustedError);
    pool.release('p0');
    expect(pool.allocate('one-more')).toBe('10.244.1.2');
  });
});

function node(
  name: string,
  extra: {
    unschedulable?: boolean;
    ready?: boolean;
    taints?: unknown[];
    labels?: Record<string, string>;
    pods?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
    spec: { unschedulable: extra.unschedulable, taints: extra.taints },
    status: {
      allocatable: { pods: extra.pods ?? '110' },
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}

function podOn(nodeName: string | undefined, spec: Record<string, unknown> = {}, owner?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true },
            ],
          }
        : {}),
    },
    spec: { nodeName, containers: [], ...spec },
    status: { phase: 'Running' },
  };
}

describe('node selection', () => {
  const daemonAffinity = (name: string) => ({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }],
        },
      },
    },
  });
  const fail = (n: number, reason: string) =>
    `0/${n} nodes are available: ${reason}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

  it.each([
    ['the node with fewer pods', [node('w1'), node('w2')], [podOn('w1')], {}, { ok: true, nodeName: 'w2' }],
    ['by name when tied', [node('w2'), node('w1')], [], {}, { ok: true, nodeName: 'w1' }],
    [
      'the node a DaemonSet pod is pinned to',
      [node('w1'), node('w2')],
      [],
      daemonAffinity('w2'),
      { ok: true, nodeName: 'w2' },
    ],
    [
      'a node matching nodeSelector',
      [node('w1'), node('w2', { labels: { disk: 'ssd' } })],
      [],
      { nodeSelector: { disk: 'ssd' } },
      { ok: true, nodeName: 'w2' },
    ],
    [
      'nothing when there are no nodes',
      [],
      [],
      {},
      { ok: false, message: 'no nodes available to schedule pods' },
    ],
    [
      'nothing on an unschedulable node',
      [node('w1', { unschedulable: true })],
      [],
      {},
      { ok: false, message: fail(1, '1 node(s) were unschedulable') },
    ],
    [
      'nothing on a tainted node, counting reasons',
      [
        node('w1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
        node('w2', { ready: false }),
      ],
      [],
      {},
      {
        ok: false,
        message: fail(
          2,
          '1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }',
        ),
      },
    ],
    [
      'a tainted node the pod tolerates',
      [node('w1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })],
      [],
      { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] },
      { ok: true, nodeName: 'w1' },
    ],
    [
      'nothing on a full node',
      [node('w1', { pods: '1' })],
      [podOn('w1')],
      {},
      { ok: false, message: fail(1, '1 Too many pods') },
    ],
  ])('picks %s', (_title, nodes, bound, spec, expected) => {
    expect(selectNode(podOn(undefined, spec), nodes, bound)).toEqual(expected);
  });

  it('spreads replicas of one owner before balancing total pods', () => {
    const bound = [podOn('w1', {}, 'rs-a'), podOn('w2', {}, 'other'), podOn('w2', {}, 'other')];
    expect(selectNode(podOn(undefined, {}, 'rs-a'), [node('w1'), node('w2')], bound)).toEqual({
      ok: true,
      nodeName: 'w2',
    });
  });
});

describe('the pod phase from container states', () => {
  const phaseOf = (
    restartPolicy: string,
    containers: [string, 'init' | 'app', ContainerPhase, number?, number?][],
  ) => {
    const spec = {
      restartPolicy,
      initContainers: containers.filter((c) => c[1] === 'init').map(([name]) => ({ name, image: 'busybox' })),
      containers: containers.filter((c) => c[1] === 'app').map(([name]) => ({ name, image: 'busybox' })),
    };
    const runtime = createPodRuntime('uid', 'default', 'p');
    for (const [name, role, phase, exitCode, lastExitCode] of containers) {
      const record = createContainerRuntime(name, role, 'busybox');
      record.phase = phase;
      const run = (code: number) => ({
        exitCode: code,
        reason: code === 0 ? ('Completed' as const) : ('Error' as const),
        startedAt: 0,
        finishedAt: 1,
        containerID: 'x',
      });
      if (exitCode !== undefined) record.exit = run(exitCode);
      if (lastExitCode !== undefined) record.lastTermination = run(lastExitCode);
      runtime.containers.set(name, record);
    }
    return podPhaseOf({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec }, runtime);
  };

  it.each([
    ['creating', 'Always', [['web', 'app', 'Waiting']], 'Pending'],
    ['pulling fails', 'Always', [['web', 'app', 'ImagePullBackOff']], 'Pending'],
    ['running', 'Always', [['web', 'app', 'Running']], 'Running'],
    ['crash-looping', 'Always', [['web', 'app', 'CrashLoopBackOff', undefined, 127]], 'Running'],
    [
      'an init container running',
      'Always',
      [
        ['init', 'init', 'Running'],
        ['web', 'app', 'Waiting'],
      ],
      'Pending',
    ],
    [
      'init done, app running',
      'Always',
      [
        ['init', 'init', 'Exited', 0],
        ['web', 'app', 'Running'],
      ],
      'Running',
    ],
    ['a run-once job done', 'Never', [['job', 'app', 'Exited', 0]], 'Succeeded'],
    ['a run-once job failed', 'Never', [['job', 'app', 'Exited', 1]], 'Failed'],
    [
      'a failed init container, never restarted',
      'Never',
      [
        ['init', 'init', 'Exited', 1],
        ['web', 'app', 'Waiting'],
      ],
      'Failed',
    ],
    ['busybox exiting 0 under restartPolicy Always', 'Always', [['sh', 'app', 'Exited', 0]], 'Running'],
  ] as const)('%s → %s', (_title, policy, containers, expected) => {
    expect(
      phaseOf(policy, containers as unknown as [string, 'init' | 'app', ContainerPhase, number?, number?][]),
    ).toBe(expected);
  });
});

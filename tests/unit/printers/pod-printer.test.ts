import { describe, expect, it } from 'vitest';
import { printTable, summarisePod } from '../../../sandbox/cluster/api/printers/index.ts';
import {
  ago,
  MINUTES,
  makePod,
  NOW,
  podConditions,
  SECONDS,
  TWO_INIT_CONTAINERS,
  webStatus,
} from './fixtures.ts';

const running = { running: { startedAt: ago(2 * MINUTES) } };
const initDone = { terminated: { exitCode: 0, reason: 'Completed', finishedAt: ago(MINUTES) } };

interface PodCase {
  name: string;
  pod: ReturnType<typeof makePod>;
  ready: string;
  status: string;
  restarts: string;
}

const cases: PodCase[] = [
  {
    name: 'a running, ready pod',
    pod: makePod({
      status: {
        conditions: podConditions(true),
        containerStatuses: [webStatus({ ready: true, state: running })],
      },
    }),
    ready: '1/1',
    status: 'Running',
    restarts: '0',
  },
  {
    name: 'a pod not yet scheduled',
    pod: makePod({ spec: { nodeName: undefined }, status: { phase: 'Pending', podIPs: undefined } }),
    ready: '0/1',
    status: 'Pending',
    restarts: '0',
  },
  {
    name: 'a pod whose container is being created',
    pod: makePod({
      status: {
        phase: 'Pending',
        conditions: podConditions(false),
        containerStatuses: [webStatus({ state: { waiting: { reason: 'ContainerCreating' } } })],
      },
    }),
    ready: '0/1',
    status: 'ContainerCreating',
    restarts: '0',
  },
  {
    name: 'a pod whose image cannot be pulled',
    pod: makePod({
      status: {
        phase: 'Pending',
        containerStatuses: [
          webStatus({ state: { waiting: { reason: 'ErrImagePull', message: 'manifest unknown' } } }),
        ],
      },
    }),
    ready: '0/1',
    status: 'ErrImagePull',
    restarts: '0',
  },
  {
    name: 'a pod backing off an image pull',
    pod: makePod({
      status: {
        phase: 'Pending',
        containerStatuses: [webStatus({ state: { waiting: { reason: 'ImagePullBackOff' } } })],
      },
    }),
    ready: '0/1',
    status: 'ImagePullBackOff',
    restarts: '0',
  },
  {
    name: 'a pod crash-looping, last restart 12s ago',
    pod: makePod({
      status: {
        conditions: podConditions(false),
        containerStatuses: [
          webStatus({
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(12 * SECONDS) } },
          }),
        ],
      },
    }),
    ready: '0/1',
    status: 'CrashLoopBackOff',
    restarts: '3 (12s ago)',
  },
  {
    name: 'a pod running again after restarts',
    pod: makePod({
      status: {
        conditions: podConditions(true),
        containerStatuses: [
          webStatus({
            ready: true,
            restartCount: 4,
            state: running,
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(6 * MINUTES + 48 * SECONDS) },
            },
          }),
        ],
      },
    }),
    ready: '1/1',
    status: 'Running',
    restarts: '4 (6m48s ago)',
  },
  {
    name: 'a pod whose only container failed',
    pod: makePod({
      spec: { restartPolicy: 'Never' },
      status: {
        phase: 'Failed',
        containerStatuses: [webStatus({ state: { terminated: { exitCode: 1, reason: 'Error' } } })],
      },
    }),
    ready: '0/1',
    status: 'Error',
    restarts: '0',
  },
  {
    name: 'a pod that completed',
    pod: makePod({
      spec: { restartPolicy: 'OnFailure' },
      status: {
        phase: 'Succeeded',
        containerStatuses: [webStatus({ state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
      },
    }),
    ready: '0/1',
    status: 'Completed',
    restarts: '0',
  },
  {
    name: 'a container killed by a signal without a reason',
    pod: makePod({
      status: { containerStatuses: [webStatus({ state: { terminated: { exitCode: 137, signal: 9 } } })] },
    }),
    ready: '0/1',
    status: 'Signal:9',
    restarts: '0',
  },
  {
    name: 'a container that exited without a reason',
    pod: makePod({
      status: { containerStatuses: [webStatus({ state: { terminated: { exitCode: 2 } } })] },
    }),
    ready: '0/1',
    status: 'ExitCode:2',
    restarts: '0',
  },
  {
    name: 'the first of two init containers running',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        conditions: podConditions(false, false),
        initContainerStatuses: [
          { name: 'wait-db', ready: false, restartCount: 0, state: running },
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'PodInitializing' } },
          },
        ],
        containerStatuses: [webStatus({ state: { waiting: { reason: 'PodInitializing' } } })],
      },
    }),
    ready: '0/1',
    status: 'Init:0/2',
    restarts: '0',
  },
  {
    name: 'the second init container running',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        conditions: podConditions(false, false),
        initContainerStatuses: [
          { name: 'wait-db', ready: true, restartCount: 0, state: initDone },
          { name: 'migrate', ready: false, restartCount: 0, state: running },
        ],
      },
    }),
    ready: '0/1',
    status: 'Init:1/2',
    restarts: '0',
  },
  {
    name: 'an init container that failed',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        conditions: podConditions(false, false),
        initContainerStatuses: [
          {
            name: 'wait-db',
            ready: false,
            restartCount: 1,
            state: { terminated: { exitCode: 1, reason: 'Error' } },
          },
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'PodInitializing' } },
          },
        ],
      },
    }),
    ready: '0/1',
    status: 'Init:Error',
    restarts: '1',
  },
  {
    name: 'an init container crash-looping',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        conditions: podConditions(false, false),
        initContainerStatuses: [
          {
            name: 'wait-db',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(40 * SECONDS) } },
          },
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'PodInitializing' } },
          },
        ],
      },
    }),
    ready: '0/1',
    status: 'Init:CrashLoopBackOff',
    restarts: '5 (40s ago)',
  },
  {
    name: 'an init container that exited non-zero without a reason',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'wait-db', ready: false, state: { terminated: { exitCode: 3 } } }],
      },
    }),
    ready: '0/1',
    status: 'Init:ExitCode:3',
    restarts: '0',
  },
  {
    name: 'init containers done, app container starting',
    pod: makePod({
      spec: TWO_INIT_CONTAINERS,
      status: {
        phase: 'Pending',
        conditions: podConditions(false, true),
        initContainerStatuses: [
          { name: 'wait-db', ready: true, restartCount: 0, state: initDone },
          { name: 'migrate', ready: true, restartCount: 0, state: initDone },
        ],
        containerStatuses: [webStatus({ state: { waiting: { reason: 'PodInitializing' } } })],
      },
    }),
    ready: '0/1',
    status: 'PodInitializing',
    restarts: '0',
  },
  {
    name: 'a running pod being deleted',
    pod: makePod({
      deletionTimestamp: ago(-30 * SECONDS),
      status: {
        conditions: podConditions(true),
        containerStatuses: [webStatus({ ready: true, state: running })],
      },
    }),
    ready: '1/1',
    status: 'Terminating',
    restarts: '0',
  },
  {
    name: 'a completed pod being deleted keeps its final status',
    pod: makePod({
      deletionTimestamp: ago(-30 * SECONDS),
      status: {
        phase: 'Succeeded',
        containerStatuses: [webStatus({ state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
      },
    }),
    ready: '0/1',
    status: 'Completed',
    restarts: '0',
  },
  {
    name: 'a pod on a lost node being deleted',
    pod: makePod({
      deletionTimestamp: ago(-30 * SECONDS),
      status: { reason: 'NodeLost', containerStatuses: [webStatus({ ready: true, state: running })] },
    }),
    ready: '1/1',
    status: 'Unknown',
    restarts: '0',
  },
  {
    name: 'one container completed beside one still running, pod not ready',
    pod: makePod({
      spec: {
        containers: [
          { name: 'web', image: 'kiamol/ch09-vweb:v1' },
          { name: 'seed', image: 'busybox' },
        ],
      },
      status: {
        conditions: podConditions(false),
        containerStatuses: [
          webStatus({ ready: true, state: running }),
          {
            name: 'seed',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
    }),
    ready: '1/2',
    status: 'NotReady',
    restarts: '0',
  },
  {
    name: 'one container completed beside one still running, pod ready',
    pod: makePod({
      spec: {
        containers: [
          { name: 'web', image: 'kiamol/ch09-vweb:v1' },
          { name: 'seed', image: 'busybox' },
        ],
      },
      status: {
        conditions: podConditions(true),
        containerStatuses: [
          webStatus({ ready: true, state: running }),
          {
            name: 'seed',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
    }),
    ready: '1/2',
    status: 'Running',
    restarts: '0',
  },
  {
    name: 'a started sidecar counts towards READY and its restarts stay counted',
    pod: makePod({
      spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      status: {
        conditions: podConditions(true),
        initContainerStatuses: [
          {
            name: 'proxy',
            ready: true,
            started: true,
            restartCount: 2,
            state: running,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MINUTES) } },
          },
        ],
        containerStatuses: [webStatus({ ready: true, state: running })],
      },
    }),
    ready: '2/2',
    status: 'Running',
    restarts: '2 (5m ago)',
  },
  {
    name: 'a pod held back by a scheduling gate',
    pod: makePod({
      spec: { nodeName: undefined, schedulingGates: [{ name: 'example.com/quota' }] },
      status: {
        phase: 'Pending',
        podIPs: undefined,
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
    }),
    ready: '0/1',
    status: 'SchedulingGated',
    restarts: '0',
  },
  {
    name: 'a pod evicted by the kubelet',
    pod: makePod({
      status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' },
    }),
    ready: '0/1',
    status: 'Evicted',
    restarts: '0',
  },
];

describe('summarisePod', () => {
  it.each(cases)('$name: $ready $status $restarts', ({ pod, ready, status, restarts }) => {
    const summary = summarisePod(pod, NOW);
    expect([summary.ready, summary.status, summary.restarts]).toEqual([ready, status, restarts]);
  });

  it('marks finished pods as completed rows, succeeded and failed alike', () => {
    const succeeded = summarisePod(makePod({ status: { phase: 'Succeeded' } }), NOW);
    const failed = summarisePod(makePod({ status: { phase: 'Failed' } }), NOW);
    const running = summarisePod(makePod(), NOW);
    expect(succeeded.conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    expect(failed.conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
    ]);
    expect(running.conditions).toBeUndefined();
  });
});

describe('pod rows', () => {
  it('fill every column, wide ones included', () => {
    const pod = makePod({
      status: {
        conditions: podConditions(true),
        containerStatuses: [webStatus({ ready: true, state: running })],
      },
    });
    const table = printTable('pods', [pod], { now: NOW, resourceVersion: '9' });
    expect(table.rows[0]?.cells).toEqual([
      'vweb-6bd7464487-x2x9p',
      '1/1',
      'Running',
      '0',
      '2m5s',
      '10.244.0.7',
      'lab-node',
      '<none>',
      '<none>',
    ]);
  });

  it('show <none> for a pod with no address, node or readiness gates yet', () => {
    const pod = makePod({ spec: { nodeName: undefined }, status: { phase: 'Pending', podIPs: undefined } });
    const cells = printTable('pods', [pod], { now: NOW, resourceVersion: '9' }).rows[0]?.cells;
    expect(cells?.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it('count readiness gates whose condition is True, and show a nominated node', () => {
    const pod = makePod({
      spec: {
        readinessGates: [{ conditionType: 'example.com/lb-ready' }, { conditionType: 'example.com/warm' }],
      },
      status: {
        nominatedNodeName: 'lab-node-2',
        conditions: [
          ...podConditions(false),
          { type: 'example.com/lb-ready', status: 'True' },
          { type: 'example.com/warm', status: 'False' },
        ],
      },
    });
    const cells = printTable('pods', [pod], { now: NOW, resourceVersion: '9' }).rows[0]?.cells;
    expect(cells?.slice(7)).toEqual(['lab-node-2', '1/2']);
  });

  it('use the first of several pod IPs', () => {
    const pod = makePod({ status: { podIPs: [{ ip: '10.244.0.9' }, { ip: 'fd00::9' }] } });
    expect(printTable('pods', [pod], { now: NOW, resourceVersion: '9' }).rows[0]?.cells[5]).toBe(
      '10.244.0.9',
    );
  });
});

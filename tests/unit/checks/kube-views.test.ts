import { describe, expect, it } from 'vitest';
import { computeRolloutHistory, describePodStatus } from '../../../sandbox/checks/kube-views.ts';
import {
  matchesLabelSelector,
  parseLabelSelector,
  SelectorSyntaxError,
} from '../../../sandbox/checks/label-selector.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { makeDeployment, makePod, makeReplicaSet } from './fixtures.ts';

describe('label selectors as kubectl -l reads them', () => {
  const labels = { app: 'vweb', version: 'v2', 'pod-template-hash': '7c675fdd96' };
  it.each([
    ['app=vweb', true],
    ['app==vweb,version=v1', false],
    ['version!=v1', true],
    ['version in (v1, v2)', true],
    ['version notin (v2)', false],
    ['pod-template-hash', true],
    ['!pod-template-hash', false],
    ['app=vweb,tier', false],
    ['', true],
  ])('%s → %s', (selector, matches) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(matches);
  });

  it('rejects what kubectl would reject', () => {
    expect(() => parseLabelSelector('app=vweb=x')).toThrow(SelectorSyntaxError);
  });
});

function withStatus(pod: KubeObject, status: Record<string, unknown>): KubeObject {
  return { ...pod, status: { ...pod.status, ...status } };
}

describe('pod STATUS as kubectl get po shows it', () => {
  const base = makePod({ name: 'todo-db-0', image: 'postgres:11.6-alpine', state: { kind: 'running' } });
  it.each<[string, KubeObject, string]>([
    ['running', base, 'Running'],
    [
      'crash loop wins over phase',
      makePod({
        name: 'vweb-1-a',
        image: 'kiamol/ch09-vweb:v3',
        state: { kind: 'crashLoop', lastReason: 'Error' },
      }),
      'CrashLoopBackOff',
    ],
    [
      'terminated without a reason shows the exit code',
      withStatus(base, {
        containerStatuses: [{ name: 'db', ready: false, state: { terminated: { exitCode: 127 } } }],
      }),
      'ExitCode:127',
    ],
    [
      'second init container still running',
      withStatus(base, {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'wait-service', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'initialize-replication', state: { running: {} } },
        ],
      }),
      'Init:1/2',
    ],
    [
      'failed init container',
      withStatus(base, {
        initContainerStatuses: [
          { name: 'wait-service', state: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      }),
      'Init:Error',
    ],
    [
      'being deleted',
      { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-11-27T10:06:00Z' } },
      'Terminating',
    ],
  ])('%s', (_name, pod, status) => {
    expect(describePodStatus(pod)).toBe(status);
  });
});

describe('rollout history as kubectl rollout history computes it', () => {
  it('keeps only owned ReplicaSets, ascending, change-cause from the ReplicaSet', () => {
    const deployment = makeDeployment({ image: 'kiamol/ch09-vweb:v2', replicas: 3 });
    const stray = makeReplicaSet({ hash: '0000000000', revision: 9, desired: 1 });
    stray.metadata.ownerReferences = [];
    const history = computeRolloutHistory(deployment, [
      makeReplicaSet({
        hash: '7c675fdd96',
        revision: 2,
        desired: 3,
        changeCause: 'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
      }),
      stray,
      makeReplicaSet({ hash: '6bd7464487', revision: 1, desired: 0 }),
    ]);
    expect(history).toEqual([
      { revision: 1, changeCause: undefined, replicaSet: 'vweb-6bd7464487' },
      {
        revision: 2,
        changeCause: 'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2',
        replicaSet: 'vweb-7c675fdd96',
      },
    ]);
  });
});

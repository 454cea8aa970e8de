/**
 * Namespaces as chapter 9 leaves them at known points, built from the fixtures: the state a step
 * expects, and the states three typical learner mistakes leave behind.
 */
import type { NamespaceSnapshot } from '../../../sandbox/checks/evaluate.ts';
import { makeDeployment, makeEvent, makePod, makeReplicaSet, makeSnapshot } from './fixtures.ts';

const V1 = 'kiamol/ch09-vweb:v1';
const V2 = 'kiamol/ch09-vweb:v2';

function runningPods(hash: string, image: string, suffixes: string[]) {
  return suffixes.map((s) => makePod({ name: `vweb-${hash}-${s}`, image, state: { kind: 'running' } }));
}

/** Exercise 1 done: applied vweb/, then vweb-v1-scale.yaml: one ReplicaSet scaled to 3. */
export function afterScale(): NamespaceSnapshot {
  return makeSnapshot({
    deployments: [makeDeployment({ image: V1, replicas: 3 })],
    replicaSets: [makeReplicaSet({ hash: '6bd7464487', revision: 1, desired: 3 })],
    pods: runningPods('6bd7464487', V1, ['2xk8p', '7tq4m', 'zr9lw']),
  });
}

/** Exercise 2 done: `kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2`, rollout finished. */
export function afterSetImageV2(): NamespaceSnapshot {
  return makeSnapshot({
    deployments: [makeDeployment({ image: V2, replicas: 3 })],
    replicaSets: [
      makeReplicaSet({ hash: '6bd7464487', revision: 1, desired: 0 }),
      makeReplicaSet({ hash: '7c675fdd96', revision: 2, desired: 3, image: V2 }),
    ],
    pods: runningPods('7c675fdd96', V2, ['4hj2d', 'bq8vn', 'x5c7r']),
  });
}

/**
 * Mistake 1: `kubectl set image deployment/vweb web=kiamol/ch09-vweb:v22`. The new ReplicaSet's
 * first pod cannot pull the image; with 3 replicas and the default 25% the rollout stops there
 * (maxSurge rounds 0.75 up to 1, maxUnavailable rounds it down to 0), so the old pods keep serving.
 */
export function afterTypoTag(): NamespaceSnapshot {
  return makeSnapshot({
    deployments: [
      makeDeployment({ image: 'kiamol/ch09-vweb:v22', replicas: 3, updated: 1, ready: 3, available: 3 }),
    ],
    replicaSets: [
      makeReplicaSet({ hash: '6bd7464487', revision: 1, desired: 3 }),
      makeReplicaSet({
        hash: '59f8d4c6b7',
        revision: 2,
        desired: 1,
        ready: 0,
        image: 'kiamol/ch09-vweb:v22',
      }),
    ],
    pods: [
      ...runningPods('6bd7464487', V1, ['2xk8p', '7tq4m', 'zr9lw']),
      makePod({
        name: 'vweb-59f8d4c6b7-k2m9d',
        image: 'kiamol/ch09-vweb:v22',
        state: {
          kind: 'waiting',
          reason: 'ErrImagePull',
          message: 'manifest for kiamol/ch09-vweb:v22 not found',
        },
      }),
    ],
  });
}

/** Exercise 4's rollout, four revisions; `changeCause` is what `--record` left on revision 4. */
export function afterApplyV2(changeCause: string | undefined): NamespaceSnapshot {
  return makeSnapshot({
    deployments: [makeDeployment({ image: V2, replicas: 3, version: 'v2' })],
    replicaSets: [
      makeReplicaSet({ hash: '6bd7464487', revision: 1, desired: 0 }),
      makeReplicaSet({ hash: '7c675fdd96', revision: 2, desired: 0, image: V2 }),
      makeReplicaSet({ hash: '8d4b5f6c9a', revision: 3, desired: 0 }),
      makeReplicaSet({ hash: '6f8d9b7c5d', revision: 4, desired: 3, image: V2, changeCause }),
    ],
    pods: runningPods('6f8d9b7c5d', V2, ['9mz2t', 'cw4qh', 'pl7sx']),
  });
}

/**
 * Exercise 16 done after the blue/green lab: every object deleted by label, and what stays behind
 * is the record of it: the Deployment controller's events about vweb-v1 and vweb-v2.
 */
export function afterCleanUp(): NamespaceSnapshot {
  return makeSnapshot({
    events: ['vweb-v1', 'vweb-v2'].flatMap((name) => [
      makeEvent({
        kind: 'Deployment',
        name,
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${name}-5d8f7b6c9d from 0 to 4`,
      }),
      makeEvent({
        kind: 'ReplicaSet',
        name: `${name}-5d8f7b6c9d`,
        reason: 'SuccessfulCreate',
        component: 'replicaset-controller',
      }),
    ]),
  });
}

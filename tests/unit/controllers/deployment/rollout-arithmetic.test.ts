import { describe, expect, it } from 'vitest';
import { calculateStatus } from '../../../../sandbox/cluster/controllers/deployment/sync.ts';
import {
  deploymentProgressing,
  deploymentTimedOut,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getProportion,
  getReplicaSetFraction,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportionalScaleSizes,
  resolveFenceposts,
  setDeploymentCondition,
  setNewReplicaSetAnnotations,
} from '../../../../sandbox/cluster/controllers/deployment/util.ts';
import type {
  Deployment,
  DeploymentStatus,
  IntOrString,
  ReplicaSet,
} from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';

const T0 = Date.parse('2026-01-01T10:00:00Z');
const at = (seconds: number): string => `${new Date(T0 + seconds * 1000).toISOString().slice(0, 19)}Z`;

function deployment(
  replicas: number,
  options: {
    surge?: IntOrString;
    unavailable?: IntOrString;
    recreate?: boolean;
    status?: DeploymentStatus;
    progressDeadlineSeconds?: number;
    generation?: number;
  } = {},
): Deployment {
  const strategy: Deployment['spec']['strategy'] = options.recreate
    ? { type: 'Recreate' }
    : {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: options.surge ?? '25%', maxUnavailable: options.unavailable ?? '25%' },
      };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vweb', namespace: 'default', uid: 'd-1', generation: options.generation ?? 1 },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: 'vweb' } },
      template: {
        metadata: { labels: { app: 'vweb', version: 'v2' } },
        spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v2' }] },
      },
      progressDeadlineSeconds: options.progressDeadlineSeconds,
    },
    status: options.status,
  };
}

function rs(
  name: string,
  replicas: number,
  options: {
    created?: number;
    max?: number;
    desired?: number;
    available?: number;
    revision?: number;
    version?: string;
  } = {},
): ReplicaSet {
  const annotations: Record<string, string> = {};
  if (options.max !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(options.max);
  if (options.desired !== undefined)
    annotations['deployment.kubernetes.io/desired-replicas'] = String(options.desired);
  if (options.revision !== undefined)
    annotations['deployment.kubernetes.io/revision'] = String(options.revision);
  const version = options.version ?? 'v1';
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: at(options.created ?? 0),
      annotations,
    },
    spec: {
      replicas,
      template: {
        metadata: { labels: { app: 'vweb', version, 'pod-template-hash': `h-${name}` } },
        spec: { containers: [{ name: 'web', image: `kiamol/ch09-vweb:${version}` }] },
      },
    },
    status: { replicas, availableReplicas: options.available ?? 0 },
  };
}

describe('resolveFenceposts', () => {
  it.each([
    {
      surge: '25%',
      unavailable: '25%',
      desired: 3,
      expected: [1, 0],
      why: '0.75 rounds up for surge, down for unavailable',
    },
    {
      surge: 1,
      unavailable: 0,
      desired: 3,
      expected: [1, 0],
      why: 'maxUnavailable 0 & maxSurge 1: one extra pod at a time',
    },
    { surge: 1, unavailable: 1, desired: 4, expected: [1, 1], why: 'exercise 9' },
    { surge: '25%', unavailable: '25%', desired: 10, expected: [3, 2], why: '2.5 → 3 up, 2 down' },
    { surge: '25%', unavailable: '25%', desired: 1, expected: [1, 0], why: 'one replica still surges one' },
    { surge: 0, unavailable: 0, desired: 5, expected: [0, 1], why: 'both zero would never progress' },
    {
      surge: '0%',
      unavailable: '10%',
      desired: 1,
      expected: [0, 1],
      why: '10% of 1 rounds down to 0, then the both-zero rule',
    },
    { surge: 2, unavailable: '50%', desired: 5, expected: [2, 2], why: 'int and percent mixed' },
    { surge: '100%', unavailable: 0, desired: 3, expected: [3, 0], why: 'blue/green-like surge' },
    { surge: undefined, unavailable: 1, desired: 3, expected: [0, 1], why: 'an absent value resolves as 0' },
  ])(
    '$surge/$unavailable of $desired → surge $expected.0, unavailable $expected.1 ($why)',
    ({ surge, unavailable, desired, expected }) => {
      expect(resolveFenceposts(surge, unavailable, desired)).toEqual({
        maxSurge: expected[0],
        maxUnavailable: expected[1],
      });
    },
  );

  it('rejects a string that is not a percentage, naming it', () => {
    expect(() => resolveFenceposts('two', 1, 3)).toThrow('"two"');
  });
});

describe('maxSurge and maxUnavailable of a Deployment', () => {
  it.each([
    { d: deployment(3), surge: 1, unavailable: 0, why: 'defaults 25%/25%' },
    {
      d: { ...deployment(3), spec: { ...deployment(3).spec, strategy: undefined } },
      surge: 1,
      unavailable: 0,
      why: 'no strategy at all: RollingUpdate 25%/25%',
    },
    { d: deployment(3, { recreate: true }), surge: 0, unavailable: 0, why: 'Recreate has no fenceposts' },
    {
      d: deployment(3, { surge: 0, unavailable: 5 }),
      surge: 0,
      unavailable: 3,
      why: 'unavailable is capped at replicas',
    },
    {
      d: deployment(0, { surge: 1, unavailable: 1 }),
      surge: 1,
      unavailable: 0,
      why: 'nothing can be unavailable out of 0',
    },
  ])('$why', ({ d, surge, unavailable }) => {
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([surge, unavailable]);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    { why: '3 at 25%: room for one over', d: deployment(3), old: [3], current: 0, expected: 1 },
    {
      why: 'old scaled to 2, the new one may take the freed place',
      d: deployment(3),
      old: [2],
      current: 1,
      expected: 2,
    },
    { why: 'at replicas + surge already: no growth', d: deployment(3), old: [3], current: 1, expected: 1 },
    {
      why: 'surge 1/unavailable 1 of 4 (exercise 9)',
      d: deployment(4, { surge: 1, unavailable: 1 }),
      old: [4],
      current: 0,
      expected: 1,
    },
    { why: 'never beyond spec.replicas', d: deployment(3, { surge: 3 }), old: [1], current: 2, expected: 3 },
    {
      why: 'no surge: wait for old ones to go',
      d: deployment(4, { surge: 0, unavailable: 1 }),
      old: [4],
      current: 0,
      expected: 0,
    },
    {
      why: 'two old ReplicaSets count together',
      d: deployment(10, { surge: 3, unavailable: 2 }),
      old: [5, 5],
      current: 2,
      expected: 3,
    },
    {
      why: 'Recreate takes all replicas at once',
      d: deployment(3, { recreate: true }),
      old: [0],
      current: 0,
      expected: 3,
    },
  ])('$why', ({ d, old, current, expected }) => {
    const newRS = rs('new', current, { created: 10 });
    const oldRSs = old.map((size, i) => rs(`old${i}`, size, { created: i }));
    expect(newRSNewReplicas(d, [...oldRSs, newRS], newRS)).toBe(expected);
  });
});

describe('proportional scaling', () => {
  it.each([
    {
      why: 'scale 10 → 30 with surge 3 mid-rollout (the doc comment example)',
      d: deployment(30, { surge: 3, unavailable: 2 }),
      rss: [rs('old', 8, { max: 13, created: 0 }), rs('new', 5, { max: 13, created: 1 })],
      expected: { old: 20, new: 13 },
    },
    {
      why: 'scale 30 → 10: the same shares back down',
      d: deployment(10, { surge: 3, unavailable: 2 }),
      rss: [rs('old', 20, { max: 33, created: 0 }), rs('new', 13, { max: 33, created: 1 })],
      expected: { old: 8, new: 5 },
    },
    {
      why: 'the rounding leftover goes to the first in order: the newest when scaling up',
      d: deployment(4, { surge: 0, unavailable: 1 }),
      rss: [
        rs('a', 1, { max: 3, created: 0 }),
        rs('b', 1, { max: 3, created: 1 }),
        rs('c', 1, { max: 3, created: 2 }),
      ],
      expected: { a: 1, b: 1, c: 2 },
    },
    {
      why: 'scaling to zero empties every ReplicaSet',
      d: deployment(0, { surge: 1, unavailable: 1 }),
      rss: [rs('old', 3, { max: 5, created: 0 }), rs('new', 2, { max: 5, created: 1 })],
      expected: { old: 0, new: 0 },
    },
    {
      why: 'without max-replicas annotations the stored status.replicas is the base',
      d: { ...deployment(6, { surge: 0, unavailable: 1 }), status: { replicas: 3 } },
      rss: [rs('old', 2, { created: 0 }), rs('new', 1, { created: 1 })],
      expected: { old: 4, new: 2 },
    },
  ])('$why', ({ d, rss, expected }) => {
    const sized = proportionalScaleSizes(d, rss);
    expect(Object.fromEntries(sized.map(({ rs: r, size }) => [r.metadata.name, size]))).toEqual(expected);
  });

  it('updates the larger ReplicaSet first, the older among equals when scaling down', () => {
    const d = deployment(2, { surge: 0, unavailable: 1 });
    const sized = proportionalScaleSizes(d, [
      rs('newer', 2, { max: 4, created: 5 }),
      rs('older', 2, { max: 4, created: 1 }),
    ]);
    expect(sized.map(({ rs: r }) => r.metadata.name)).toEqual(['older', 'newer']);
  });

  it('never gives more than what is left to add', () => {
    const d = deployment(30, { surge: 3 });
    expect(getReplicaSetFraction(rs('old', 8, { max: 13 }), d)).toBe(12);
    expect(getProportion(rs('old', 8, { max: 13 }), d, 20, 15)).toBe(5);
    expect(getProportion(rs('empty', 0, { max: 13 }), d, 20, 0)).toBe(0);
  });
});

describe('finding ReplicaSets', () => {
  const d = deployment(3);

  it('takes the oldest ReplicaSet whose template equals the Deployment’s, hash label aside', () => {
    const list = [
      rs('v1', 0, { created: 0 }),
      rs('v2b', 3, { created: 9, version: 'v2' }),
      rs('v2a', 0, { created: 5, version: 'v2' }),
    ];
    expect(findNewReplicaSet(d, list)?.metadata.name).toBe('v2a');
    const { withPods, all } = findOldReplicaSets(d, list);
    expect(all.map((r) => r.metadata.name)).toEqual(['v1', 'v2b']);
    expect(withPods.map((r) => r.metadata.name)).toEqual(['v2b']);
  });

  it('treats a template with creationTimestamp: null like one without', () => {
    const withNull = deployment(3);
    // kubectl sends templates with `creationTimestamp: null`; the stored ReplicaSet may not have it.
    (withNull.spec.template!.metadata as Record<string, unknown>).creationTimestamp = null;
    expect(findNewReplicaSet(withNull, [rs('v2', 1, { version: 'v2' })])?.metadata.name).toBe('v2');
  });

  it.each([
    {
      why: 'one active ReplicaSet',
      newRS: rs('new', 0, { created: 3 }),
      old: [rs('a', 3, { created: 1 })],
      expected: 'a',
    },
    {
      why: 'none active: the new one',
      newRS: rs('new', 0, { created: 3 }),
      old: [rs('a', 0, { created: 1 })],
      expected: 'new',
    },
    {
      why: 'none active and no new one: the newest old',
      newRS: undefined,
      old: [rs('a', 0, { created: 1 }), rs('b', 0, { created: 2 })],
      expected: 'b',
    },
    {
      why: 'two active: proportional scaling instead',
      newRS: rs('new', 1, { created: 3 }),
      old: [rs('a', 3, { created: 1 })],
      expected: undefined,
    },
  ])('findActiveOrLatest: $why', ({ newRS, old, expected }) => {
    expect(findActiveOrLatest(newRS, old)?.metadata.name).toBe(expected);
  });

  it.each([
    { why: 'saturated', r: rs('n', 3, { desired: 3, available: 3 }), expected: true },
    { why: 'pods not all available', r: rs('n', 3, { desired: 3, available: 2 }), expected: false },
    { why: 'sized for another replica count', r: rs('n', 3, { desired: 2, available: 3 }), expected: false },
    { why: 'no desired-replicas annotation', r: rs('n', 3, { available: 3 }), expected: false },
  ])('isSaturated: $why', ({ r, expected }) => {
    expect(isSaturated(d, r)).toBe(expected);
  });
});

describe('setNewReplicaSetAnnotations', () => {
  it('copies change-cause and user annotations, not the apply record, and sets replica annotations for a new ReplicaSet', () => {
    const d = deployment(3);
    d.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl apply --record',
      team: 'web',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '7',
    };
    const r = rs('new', 1);
    r.metadata.annotations = {};
    expect(setNewReplicaSetAnnotations(d, r, 2, false)).toBe(true);
    expect(r.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl apply --record',
      team: 'web',
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('raises a reused ReplicaSet’s revision and remembers the old numbers, never lowers it', () => {
    const d = deployment(3);
    const reused = rs('v1', 0, { revision: 1 });
    expect(setNewReplicaSetAnnotations(d, reused, 3, true)).toBe(true);
    expect(reused.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(setNewReplicaSetAnnotations(d, reused, 5, true)).toBe(true);
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
    expect(setNewReplicaSetAnnotations(d, reused, 2, true)).toBe(false);
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
  });
});

describe('conditions and progress', () => {
  it('keeps lastTransitionTime when only the reason changes, and everything when nothing does', () => {
    const status: DeploymentStatus = {};
    setDeploymentCondition(status, {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: 'a',
      lastUpdateTime: at(0),
      lastTransitionTime: at(0),
    });
    setDeploymentCondition(status, {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: 'b',
      lastUpdateTime: at(5),
      lastTransitionTime: at(5),
    });
    expect(status.conditions).toEqual([
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: 'a',
        lastUpdateTime: at(0),
        lastTransitionTime: at(0),
      },
    ]);
    setDeploymentCondition(status, {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: 'c',
      lastUpdateTime: at(9),
      lastTransitionTime: at(9),
    });
    expect(status.conditions?.[0]).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: at(9),
      lastTransitionTime: at(0),
    });
    setDeploymentCondition(status, {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'd',
      lastUpdateTime: at(20),
      lastTransitionTime: at(20),
    });
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', lastTransitionTime: at(20) });
  });

  it.each([
    { why: 'within the deadline', reason: 'ReplicaSetUpdated', now: 60, expected: false },
    {
      why: 'exactly at the deadline (upstream compares strictly)',
      reason: 'ReplicaSetUpdated',
      now: 120,
      offsetMs: 0,
      expected: false,
    },
    { why: 'just past the deadline', reason: 'ReplicaSetUpdated', now: 120, offsetMs: 1, expected: true },
    {
      why: 'a completed rollout never times out',
      reason: 'NewReplicaSetAvailable',
      now: 1000,
      expected: false,
    },
    { why: 'once timed out, always timed out', reason: 'ProgressDeadlineExceeded', now: 1, expected: true },
  ])('deploymentTimedOut: $why', ({ reason, now, offsetMs, expected }) => {
    const d = deployment(3, { progressDeadlineSeconds: 120 });
    const status: DeploymentStatus = {
      conditions: [
        { type: 'Progressing', status: 'True', reason, lastUpdateTime: at(0), lastTransitionTime: at(0) },
      ],
    };
    expect(deploymentTimedOut(d, status, T0 + now * 1000 + (offsetMs ?? 0))).toBe(expected);
  });

  it.each([
    { why: 'more updated pods', next: { replicas: 4, updatedReplicas: 2 }, expected: true },
    { why: 'fewer old pods', next: { replicas: 3, updatedReplicas: 1 }, expected: true },
    { why: 'more ready pods', next: { replicas: 4, updatedReplicas: 1, readyReplicas: 4 }, expected: true },
    {
      why: 'nothing moved',
      next: { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
      expected: false,
    },
  ])('deploymentProgressing: $why', ({ next, expected }) => {
    const d = deployment(3, {
      status: { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
    });
    expect(deploymentProgressing(d, next)).toBe(expected);
  });
});

describe('calculateStatus', () => {
  it('sums the ReplicaSets and decides Available from replicas − maxUnavailable', () => {
    const d = deployment(4, { surge: 1, unavailable: 1, generation: 3 });
    const old = { ...rs('old', 3), status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 } };
    const newRS = { ...rs('new', 2, { version: 'v2' }), status: { replicas: 2, readyReplicas: 1 } };
    const status = calculateStatus([old, newRS], newRS, d, T0);
    expect(status).toEqual({
      observedGeneration: 3,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 2,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: at(0),
          lastTransitionTime: at(0),
        },
      ],
    });
    const down = calculateStatus(
      [{ ...old, status: { replicas: 3, availableReplicas: 2 } }, newRS],
      newRS,
      d,
      T0,
    );
    expect(down.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import type { Deployment } from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';
import {
  apply,
  edit,
  getDeployment,
  makePodsReady,
  NS,
  pods,
  replicaSets,
  revisions,
  scalingMessages,
  sizes,
  startCluster,
  type TestCluster,
  vwebDeployment,
} from './harness.ts';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

/** Creates vweb at v1 with every pod ready, and returns the v1 ReplicaSet's name. */
async function startWithV1(
  replicas: number,
  extra: Parameters<typeof vwebDeployment>[0] = {},
): Promise<string> {
  apply(cluster.api, vwebDeployment({ replicas, ...extra }));
  await cluster.settle();
  makePodsReady(cluster);
  await cluster.settle();
  await cluster.advance(1000);
  return replicaSets(cluster.api)[0]!.metadata.name!;
}

describe('rolling update of 3 replicas at 25%/25% (surge 1, unavailable 0)', () => {
  it('scales new up and old down one pod at a time, in upstream order', async () => {
    cluster = startCluster();
    const v1 = await startWithV1(3);
    expect(scalingMessages(cluster, { [v1]: 'v1rs' })).toEqual(['Scaled up replica set v1rs from 0 to 3']);

    edit(cluster.api, 'vweb', (d) => {
      d.spec.template!.metadata!.labels!.version = 'v2';
      (d.spec.template!.spec!.containers as { image: string }[])[0]!.image = 'kiamol/ch09-vweb:v2';
    });
    await cluster.settle();
    const v2 = replicaSets(cluster.api)[1]!.metadata.name!;
    const steps = [sizes(cluster.api)];
    for (let round = 0; round < 5 && sizes(cluster.api)[0] !== 0; round++) {
      makePodsReady(cluster);
      await cluster.settle();
      steps.push(sizes(cluster.api));
    }

    expect(steps).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
      [0, 3],
    ]);
    expect(scalingMessages(cluster, { [v1]: 'v1rs', [v2]: 'v2rs' })).toEqual([
      'Scaled up replica set v1rs from 0 to 3',
      'Scaled up replica set v2rs from 0 to 1',
      'Scaled down replica set v1rs from 3 to 2',
      'Scaled up replica set v2rs from 1 to 2',
      'Scaled down replica set v1rs from 2 to 1',
      'Scaled up replica set v2rs from 2 to 3',
      'Scaled down replica set v1rs from 1 to 0',
    ]);
    expect(cluster.errors).toEqual([]);
  });

  it('ends with the status, conditions and revisions kubectl reads', async () => {
    cluster = startCluster();
    await startWithV1(3);
    edit(cluster.api, 'vweb', (d) => {
      (d.spec.template!.spec!.containers as { image: string }[])[0]!.image = 'kiamol/ch09-vweb:v2';
    });
    await cluster.settle();
    for (let round = 0; round < 5; round++) {
      makePodsReady(cluster);
      await cluster.settle();
    }
    const d = getDeployment(cluster.api);
    const [oldRS, newRS] = replicaSets(cluster.api);
    expect(d.status).toMatchObject({
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      [
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${newRS!.metadata.name}" has successfully progressed.`,
      ],
    ]);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(revisions(cluster.api)).toEqual(['1', '2']);
    expect(oldRS!.status).toMatchObject({ replicas: 0, observedGeneration: oldRS!.metadata.generation });
    expect(newRS!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const hash = newRS!.metadata.labels!['pod-template-hash']!;
    expect(newRS!.metadata.name).toBe(`vweb-${hash}`);
    expect(newRS!.spec.selector).toEqual({ matchLabels: { app: 'vweb', 'pod-template-hash': hash } });
    expect(pods(cluster.api).every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);
  });
});

describe('the Progressing condition through a rollout', () => {
  it('goes NewReplicaSetCreated → ReplicaSetUpdated → NewReplicaSetAvailable, with lastTransitionTime kept', async () => {
    cluster = startCluster();
    const seen: string[] = [];
    const watch = cluster.api.watch(RESOURCES.deployments, NS, {}, (event) => {
      const progressing = (event.object as Deployment).status?.conditions?.find(
        (c) => c.type === 'Progressing',
      );
      if (progressing && seen.at(-1) !== progressing.reason) seen.push(progressing.reason!);
    });
    await startWithV1(3);
    const firstTransition = getDeployment(cluster.api).status?.conditions?.find(
      (c) => c.type === 'Progressing',
    )?.lastTransitionTime;
    await cluster.advance(5000);
    edit(cluster.api, 'vweb', (d) => {
      (d.spec.template!.spec!.containers as { image: string }[])[0]!.image = 'kiamol/ch09-vweb:v2';
    });
    await cluster.settle();
    for (let round = 0; round < 5; round++) {
      makePodsReady(cluster);
      await cluster.settle();
    }
    watch.stop();
    expect(seen).toEqual([
      'NewReplicaSetCreated',
      'ReplicaSetUpdated',
      'NewReplicaSetAvailable',
      'NewReplicaSetCreated',
      'ReplicaSetUpdated',
      'NewReplicaSetAvailable',
    ]);
    const progressing = getDeployment(cluster.api).status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing?.lastTransitionTime).toBe(firstTransition);
    expect(progressing?.lastUpdateTime).not.toBe(firstTransition);
  });
});

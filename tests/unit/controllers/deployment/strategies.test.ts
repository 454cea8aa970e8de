import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import {
  apply,
  edit,
  getDeployment,
  makePodsReady,
  NS,
  pods,
  replicaSets,
  scalingMessages,
  sizes,
  startCluster,
  type TestCluster,
  vwebDeployment,
} from './harness.ts';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

function setImage(version: string): void {
  edit(cluster.api, 'vweb', (d) => {
    d.spec.template!.metadata!.labels!.version = version;
    (d.spec.template!.spec!.containers as { image: string }[])[0]!.image = `kiamol/ch09-vweb:${version}`;
  });
}

function condition(
  type: string,
): { status: string; reason?: string; message?: string; lastUpdateTime?: string } | undefined {
  return getDeployment(cluster.api).status?.conditions?.find((c) => c.type === type);
}

describe('Recreate', () => {
  const recreate = { type: 'Recreate' as const };

  it('scales the old ReplicaSet to zero, then creates the new one at full size', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 3, version: 'v2', strategy: recreate }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.advance(1000);
    const v2 = replicaSets(cluster.api)[0]!.metadata.name!;

    let oldPodsWhenNewRSAppeared = -1;
    const watch = cluster.api.watch(RESOURCES.replicasets, NS, {}, (event) => {
      if (event.type === 'ADDED' && event.object.metadata.name !== v2)
        oldPodsWhenNewRSAppeared = pods(cluster.api).length;
    });
    setImage('v3');
    await cluster.settle();
    watch.stop();

    const v3 = replicaSets(cluster.api)[1]!.metadata.name!;
    expect(oldPodsWhenNewRSAppeared).toBe(0);
    expect(sizes(cluster.api)).toEqual([0, 3]);
    expect(scalingMessages(cluster, { [v2]: 'v2rs', [v3]: 'v3rs' })).toEqual([
      'Scaled up replica set v2rs from 0 to 3',
      'Scaled down replica set v2rs from 3 to 0',
      'Scaled up replica set v3rs from 0 to 3',
    ]);
    // The new pods never get ready (v3 crashes): the app is down, as the chapter shows.
    expect(condition('Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('waits for terminating old pods to be gone before creating new ones', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 2, version: 'v2', strategy: recreate }));
    await cluster.settle();
    makePodsReady(cluster, { nodeName: 'node-1' });
    await cluster.advance(1000);

    setImage('v3');
    await cluster.settle();
    const terminating = pods(cluster.api);
    expect(terminating).toHaveLength(2);
    expect(terminating.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    expect(replicaSets(cluster.api)).toHaveLength(1);

    // Play the kubelet: the first pod's containers stop; one old pod is still running.
    cluster.api.finalizeIfReady(RESOURCES.pods, terminating[0]!);
    await cluster.settle();
    expect(replicaSets(cluster.api)).toHaveLength(1);

    cluster.api.finalizeIfReady(RESOURCES.pods, terminating[1]!);
    await cluster.settle();
    expect(sizes(cluster.api)).toEqual([0, 2]);
    expect(pods(cluster.api, replicaSets(cluster.api)[1])).toHaveLength(2);
  });
});

describe('minReadySeconds 60 (exercise 9: 4 replicas, maxSurge 1, maxUnavailable 1)', () => {
  it('counts nothing as available before 60 s of readiness and only then moves on', async () => {
    cluster = startCluster();
    const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    apply(cluster.api, vwebDeployment({ replicas: 4, minReadySeconds: 60, strategy: rolling }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.settle();
    expect(getDeployment(cluster.api).status?.availableReplicas).toBeUndefined();
    await cluster.advance(61_000);
    expect(getDeployment(cluster.api).status).toMatchObject({ readyReplicas: 4, availableReplicas: 4 });

    setImage('v2');
    await cluster.settle();
    // One pod over (surge) and one under (unavailable): the new ReplicaSet gets 2, the old keeps 3.
    expect(sizes(cluster.api)).toEqual([3, 2]);

    makePodsReady(cluster);
    await cluster.settle();
    await cluster.advance(60_000);
    const [, newRS] = replicaSets(cluster.api);
    expect(newRS!.status).toMatchObject({ readyReplicas: 2 });
    expect(newRS!.status?.availableReplicas).toBeUndefined();
    expect(sizes(cluster.api)).toEqual([3, 2]);

    await cluster.advance(1000);
    expect(replicaSets(cluster.api)[1]!.status).toMatchObject({ availableReplicas: 2 });
    expect(sizes(cluster.api)).toEqual([1, 4]);

    makePodsReady(cluster);
    await cluster.settle();
    await cluster.advance(60_000);
    expect(sizes(cluster.api)).toEqual([1, 4]);
    await cluster.advance(1000);
    expect(sizes(cluster.api)).toEqual([0, 4]);
    expect(getDeployment(cluster.api).status).toMatchObject({ updatedReplicas: 4, availableReplicas: 4 });
    expect(cluster.errors).toEqual([]);
  });

  it('with maxSurge 1 and maxUnavailable 0 replaces one pod at a time, 60 s each', async () => {
    cluster = startCluster();
    const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    apply(cluster.api, vwebDeployment({ replicas: 3, minReadySeconds: 60, strategy: rolling }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.advance(61_000);

    setImage('v2');
    await cluster.settle();
    const seen = [sizes(cluster.api)];
    for (let round = 0; round < 4; round++) {
      makePodsReady(cluster);
      await cluster.advance(60_000);
      expect(sizes(cluster.api)).toEqual(seen[seen.length - 1]);
      await cluster.advance(1000);
      seen.push(sizes(cluster.api));
    }
    expect(seen).toEqual([
      [3, 1],
      [2, 2],
      [1, 3],
      [0, 3],
      [0, 3],
    ]);
  });
});

describe('progress deadline (exercise 10: v3 never gets ready, progressDeadlineSeconds 120)', () => {
  it('turns Progressing False with ProgressDeadlineExceeded after 120 s without progress', async () => {
    cluster = startCluster();
    const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    apply(cluster.api, vwebDeployment({ replicas: 3, version: 'v2', strategy: rolling }));
    await cluster.settle();
    makePodsReady(cluster);
    await cluster.advance(5000);
    expect(condition('Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });

    apply(
      cluster.api,
      vwebDeployment({
        replicas: 3,
        version: 'v3',
        strategy: rolling,
        minReadySeconds: 30,
        progressDeadlineSeconds: 120,
      }),
    );
    await cluster.settle();
    const started = condition('Progressing');
    const newRS = replicaSets(cluster.api)[1]!.metadata.name!;
    expect(started).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${newRS}" is progressing.`,
    });
    expect(sizes(cluster.api)).toEqual([2, 2]);

    await cluster.advance(120_000, 10_000);
    expect(condition('Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: started!.lastUpdateTime,
    });
    await cluster.advance(1000);
    expect(condition('Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRS}" has timed out progressing.`,
    });
    // Most of the old pods keep serving.
    expect(sizes(cluster.api)).toEqual([2, 2]);
    expect(condition('Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(cluster.clock.pendingTimers()).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import type { Deployment } from '../../../../sandbox/cluster/controllers/shared/workload-types.ts';
import {
  apply,
  edit,
  getDeployment,
  makePodsReady,
  NS,
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

/** Lets a rollout finish: pods become ready until nothing changes. */
async function rollOut(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await cluster.advance(1000);
    if (makePodsReady(cluster) === 0) break;
  }
  await cluster.advance(1000);
}

function setImage(version: string): void {
  edit(cluster.api, 'vweb', (d) => {
    d.spec.template!.metadata!.labels!.version = version;
    (d.spec.template!.spec!.containers as { image: string }[])[0]!.image = `kiamol/ch09-vweb:${version}`;
  });
}

describe('scaling is not a rollout (exercise 1)', () => {
  it('keeps one ReplicaSet and revision 1 when replicas go from 2 to 3', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 2 }));
    await rollOut();
    apply(cluster.api, vwebDeployment({ replicas: 3 }));
    await rollOut();
    const [rs] = replicaSets(cluster.api);
    expect(replicaSets(cluster.api)).toHaveLength(1);
    expect(revisions(cluster.api)).toEqual(['1']);
    expect(rs!.spec.replicas).toBe(3);
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('3');
    expect(scalingMessages(cluster, { [rs!.metadata.name!]: 'rs' })).toEqual([
      'Scaled up replica set rs from 0 to 2',
      'Scaled up replica set rs from 2 to 3',
    ]);
    expect(getDeployment(cluster.api).status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
  });
});

describe('rollout undo (exercise 5)', () => {
  it('reuses the old ReplicaSet for a reverted template and gives it the next revision', async () => {
    cluster = startCluster();
    apply(
      cluster.api,
      vwebDeployment({ replicas: 3, annotations: { 'kubernetes.io/change-cause': 'first' } }),
    );
    await rollOut();
    apply(
      cluster.api,
      vwebDeployment({ replicas: 3, version: 'v2', annotations: { 'kubernetes.io/change-cause': 'second' } }),
    );
    await rollOut();
    const [v1, v2] = replicaSets(cluster.api);
    expect(revisions(cluster.api)).toEqual(['1', '2']);
    expect(v1!.metadata.annotations?.['kubernetes.io/change-cause']).toBe('first');
    expect(v2!.metadata.annotations?.['kubernetes.io/change-cause']).toBe('second');

    // What `kubectl rollout undo --to-revision=1` sends: revision 1's template without the hash label.
    const template = structuredClone(v1!.spec.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    edit(cluster.api, 'vweb', (d: Deployment) => {
      d.spec.template = template;
      d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': 'first' };
    });
    await rollOut();

    const after = replicaSets(cluster.api);
    expect(after.map((rs) => rs.metadata.name)).toEqual([v1!.metadata.name, v2!.metadata.name]);
    expect(revisions(cluster.api)).toEqual(['3', '2']);
    expect(after[0]!.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(sizes(cluster.api)).toEqual([3, 0]);
    expect(getDeployment(cluster.api).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(
      scalingMessages(cluster, { [v1!.metadata.name!]: 'v1rs', [v2!.metadata.name!]: 'v2rs' }).slice(-6),
    ).toEqual([
      'Scaled up replica set v1rs from 0 to 1',
      'Scaled down replica set v2rs from 3 to 2',
      'Scaled up replica set v1rs from 1 to 2',
      'Scaled down replica set v2rs from 2 to 1',
      'Scaled up replica set v1rs from 2 to 3',
      'Scaled down replica set v2rs from 1 to 0',
    ]);
  });
});

describe('revisionHistoryLimit', () => {
  it('deletes the oldest empty ReplicaSets beyond the limit once the rollout completes', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 2, revisionHistoryLimit: 2 }));
    await rollOut();
    for (const version of ['v2', 'v3', 'v4', 'v5']) {
      setImage(version);
      await rollOut();
    }
    expect(revisions(cluster.api)).toEqual(['3', '4', '5']);
    expect(sizes(cluster.api)).toEqual([0, 0, 2]);
    expect(replicaSets(cluster.api).map((rs) => rs.spec.template?.metadata?.labels?.version)).toEqual([
      'v3',
      'v4',
      'v5',
    ]);
  });

  it('keeps no old ReplicaSet with a limit of 0', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 1, revisionHistoryLimit: 0 }));
    await rollOut();
    setImage('v2');
    await rollOut();
    expect(revisions(cluster.api)).toEqual(['2']);
  });
});

describe('paused Deployments', () => {
  it('roll out nothing while paused, still scale, and record pause and resume', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 2 }));
    await rollOut();
    edit(cluster.api, 'vweb', (d) => {
      d.spec.paused = true;
    });
    await cluster.settle();
    expect(
      getDeployment(cluster.api).status?.conditions?.find((c) => c.type === 'Progressing'),
    ).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });

    setImage('v2');
    edit(cluster.api, 'vweb', (d) => {
      d.spec.replicas = 4;
    });
    await rollOut();
    expect(replicaSets(cluster.api)).toHaveLength(1);
    expect(sizes(cluster.api)).toEqual([4]);

    edit(cluster.api, 'vweb', (d) => {
      d.spec.paused = false;
    });
    await cluster.settle();
    expect(replicaSets(cluster.api)).toHaveLength(2);
    await rollOut();
    expect(sizes(cluster.api)).toEqual([0, 4]);
    const progressing = getDeployment(cluster.api).status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(
      cluster.events.some((e) => e.reason === 'ScalingReplicaSet' && e.message.endsWith('from 2 to 4')),
    ).toBe(true);
  });
});

describe('scaling in the middle of a rollout', () => {
  it('shares the new replicas between old and new ReplicaSets in proportion', async () => {
    cluster = startCluster();
    const rolling = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    apply(cluster.api, vwebDeployment({ replicas: 10, strategy: rolling }));
    await rollOut();
    setImage('v2');
    await cluster.settle();
    // Surge 3, unavailable 2: new 3 at once; old 10 → 8; new up to 5 (13 pods in all).
    expect(sizes(cluster.api)).toEqual([8, 5]);

    edit(cluster.api, 'vweb', (d) => {
      d.spec.replicas = 30;
    });
    await cluster.settle();
    // 33 allowed (30 + surge 3) for 13 existing: old 8 → round(8·33/13) = 20, new 5 → round(5·33/13) = 13.
    expect(sizes(cluster.api)).toEqual([20, 13]);
    const [oldRS, newRS] = replicaSets(cluster.api);
    expect(
      scalingMessages(cluster, { [oldRS!.metadata.name!]: 'v1rs', [newRS!.metadata.name!]: 'v2rs' }).slice(
        -2,
      ),
    ).toEqual(['Scaled up replica set v1rs from 8 to 20', 'Scaled up replica set v2rs from 5 to 13']);
    expect(newRS!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '30',
      'deployment.kubernetes.io/max-replicas': '33',
    });
  });
});

describe('hash collisions', () => {
  it('bump status.collisionCount and create the ReplicaSet under another name', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 1 }));
    await rollOut();
    const [first] = replicaSets(cluster.api);
    // Someone else's ReplicaSet squats on the name the v2 template hashes to.
    setImage('v2');
    const squatter = structuredClone(first!);
    await cluster.settle();
    const [, v2] = replicaSets(cluster.api);
    cluster.api.delete(RESOURCES.replicasets, NS, v2!.metadata.name!);
    edit(cluster.api, 'vweb', (d) => {
      d.spec.paused = true;
    });
    await cluster.settle();
    squatter.metadata = { name: v2!.metadata.name, namespace: NS, labels: { app: 'other' } };
    squatter.spec = { ...squatter.spec, replicas: 0, selector: { matchLabels: { app: 'other' } } };
    squatter.spec.template = { metadata: { labels: { app: 'other' } }, spec: squatter.spec.template!.spec };
    cluster.api.create(RESOURCES.replicasets, NS, squatter);
    edit(cluster.api, 'vweb', (d) => {
      d.spec.paused = false;
    });
    await cluster.advance(1000);

    expect(getDeployment(cluster.api).status?.collisionCount).toBe(1);
    const owned = replicaSets(cluster.api).filter((rs) => rs.metadata.ownerReferences?.length);
    expect(owned).toHaveLength(2);
    expect(owned[1]!.metadata.name).not.toBe(v2!.metadata.name);
    expect(owned[1]!.spec.template?.metadata?.labels?.version).toBe('v2');
  });
});

describe('adopting ReplicaSets', () => {
  it('lets a re-created Deployment adopt its orphaned ReplicaSet without a new rollout', async () => {
    cluster = startCluster();
    apply(cluster.api, vwebDeployment({ replicas: 2 }));
    await rollOut();
    const [rs] = replicaSets(cluster.api);
    const rsCount = replicaSets(cluster.api).length;
    // What `kubectl delete deploy vweb --cascade=orphan` leaves once the garbage collector is done.
    cluster.api.delete(RESOURCES.deployments, NS, 'vweb');
    const orphan = structuredClone(cluster.api.get(RESOURCES.replicasets, NS, rs!.metadata.name!));
    delete orphan.metadata.ownerReferences;
    cluster.api.update(RESOURCES.replicasets, NS, orphan);
    await cluster.settle();

    const seen: string[] = [];
    const watch = cluster.api.watch(RESOURCES.deployments, NS, {}, (event) => {
      const reason = (event.object as Deployment).status?.conditions?.find(
        (c) => c.type === 'Progressing',
      )?.reason;
      if (reason && seen.at(-1) !== reason) seen.push(reason);
    });
    const recreated = apply(cluster.api, vwebDeployment({ replicas: 2 }));
    await cluster.settle();
    watch.stop();

    const [adopted] = replicaSets(cluster.api);
    expect(replicaSets(cluster.api)).toHaveLength(rsCount);
    expect(adopted!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'vweb',
        uid: recreated.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(seen).toEqual(['FoundNewReplicaSet', 'NewReplicaSetAvailable']);
    expect(revisions(cluster.api)).toEqual(['1']);
    expect(getDeployment(cluster.api).status).toMatchObject({ replicas: 2, availableReplicas: 2 });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../../sandbox/cluster/api/resources.ts';
import {
  claimStorageClass,
  findBestMatchForClaim,
  newProvisionedVolume,
  storageBytes,
  volumeFitsClaim,
} from '../../../../sandbox/cluster/controllers/volumes/provisioning.ts';
import { createVolumeController } from '../../../../sandbox/cluster/controllers/volumes/volume-controller.ts';
import { removeTerminatingPods, startCluster, type TestCluster } from '../history/fixtures.ts';

const claim = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data-todo-db-0', namespace: 'default', uid: 'c1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Mi' } }, ...spec },
});
const volume = (name: string, spec: Record<string, unknown> = {}, phase = 'Available'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
    capacity: { storage: '1Gi' },
    storageClassName: 'standard',
    ...spec,
  },
  status: { phase },
});

describe('provisioning rules', () => {
  it.each([
    ['50Mi', 52_428_800],
    ['1Gi', 1_073_741_824],
    ['500M', 500_000_000],
    ['2', 2],
  ])('storageBytes(%s)', (text, bytes) => {
    expect(storageBytes(text)).toBe(bytes);
  });

  it.each([
    { name: 'no class means the default class', spec: {}, expected: 'standard' },
    { name: 'empty class means none', spec: { storageClassName: '' }, expected: '' },
    { name: 'named class', spec: { storageClassName: 'fast' }, expected: 'fast' },
  ])('claimStorageClass: $name', ({ spec, expected }) => {
    expect(claimStorageClass(claim(spec))).toBe(expected);
  });

  it.each([
    { name: 'fits', v: volume('a'), fits: true },
    { name: 'too small', v: volume('a', { capacity: { storage: '10Mi' } }), fits: false },
    { name: 'other class', v: volume('a', { storageClassName: 'fast' }), fits: false },
    { name: 'missing access mode', v: volume('a', { accessModes: ['ReadOnlyMany'] }), fits: false },
    {
      name: 'bound elsewhere',
      v: volume('a', { claimRef: { namespace: 'other', name: 'x', uid: 'x1' } }, 'Bound'),
      fits: false,
    },
    {
      name: 'pre-bound to this claim',
      v: volume('a', { claimRef: { namespace: 'default', name: 'data-todo-db-0' } }),
      fits: true,
    },
    { name: 'released', v: volume('a', {}, 'Released'), fits: false },
  ])('volumeFitsClaim: $name', ({ v, fits }) => {
    expect(volumeFitsClaim(v, claim())).toBe(fits);
  });

  it('picks the smallest fitting volume and provisions pvc-<uid> otherwise', () => {
    expect(
      findBestMatchForClaim(
        [
          volume('big', { capacity: { storage: '10Gi' } }),
          volume('small', { capacity: { storage: '100Mi' } }),
        ],
        claim(),
      )?.metadata.name,
    ).toBe('small');
    expect(newProvisionedVolume(claim())).toMatchObject({
      metadata: { name: 'pvc-c1' },
      spec: {
        capacity: { storage: '50Mi' },
        storageClassName: 'standard',
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { name: 'data-todo-db-0', uid: 'c1' },
      },
    });
  });
});

let cluster: TestCluster;
afterEach(() => cluster?.cp.stop());

describe('volume controller', () => {
  it('binds a pre-made volume, leaves an unknown class pending, and keeps a claim in use until its pod is gone', async () => {
    cluster = await startCluster((ctx) => [createVolumeController(ctx)]);
    const { api } = cluster;
    api.create(RESOURCES.persistentvolumes, undefined, {
      ...volume('manual'),
      spec: {
        ...volume('manual').spec,
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path: '/data/manual' },
      },
    });
    api.create(RESOURCES.persistentvolumeclaims, 'default', { ...claim(), metadata: { name: 'static' } });
    api.create(RESOURCES.persistentvolumeclaims, 'default', {
      ...claim({ storageClassName: 'fast' }),
      metadata: { name: 'fast' },
    });
    await cluster.settle();
    expect(api.get(RESOURCES.persistentvolumeclaims, 'default', 'static')).toMatchObject({
      spec: { volumeName: 'manual' },
      status: { phase: 'Bound', capacity: { storage: '1Gi' } },
    });
    expect(api.get(RESOURCES.persistentvolumes, undefined, 'manual').status.phase).toBe('Bound');
    expect(api.get(RESOURCES.persistentvolumeclaims, 'default', 'fast').status.phase).toBe('Pending');
    expect(
      api
        .listAll(RESOURCES.events, 'default')
        .some(
          (e) =>
            e.reason === 'ProvisioningFailed' && e.message === 'storageclass.storage.k8s.io "fast" not found',
        ),
    ).toBe(true);

    api.create(RESOURCES.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user' },
      spec: {
        nodeName: 'rollout-lab-worker',
        containers: [{ name: 'c', image: 'kiamol/ch03-sleep' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'static' } }],
      },
    });
    api.delete(RESOURCES.persistentvolumeclaims, 'default', 'static');
    api.delete(RESOURCES.pods, 'default', 'user');
    await cluster.settle();
    expect(
      api.get(RESOURCES.persistentvolumeclaims, 'default', 'static').metadata.deletionTimestamp,
    ).toBeDefined();
    removeTerminatingPods(api, 'default');
    await cluster.settle();
    expect(api.find(RESOURCES.persistentvolumeclaims, 'default', 'static')).toBeUndefined();
    // Retain: the volume stays, Released.
    expect(api.get(RESOURCES.persistentvolumes, undefined, 'manual').status.phase).toBe('Released');
    expect(cluster.errors).toEqual([]);
  });
});

/**
 * The API core's semantics, through the full policy (defaulting, validation): concurrency,
 * generation, paging, dry runs, filtered watches and graceful deletion.
 */
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../sandbox/cluster/api/cluster-api.ts';
import { StatusError } from '../../../sandbox/cluster/api/errors.ts';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { createControlPlane } from '../../../sandbox/cluster/control-plane.ts';

const configMap = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { k: 'v' },
});

const deployment = (replicas = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vweb' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'vweb' } },
    template: {
      metadata: { labels: { app: 'vweb' } },
      spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
    },
  },
});

function plane() {
  return createControlPlane({ clock: createManualClock(), controllers: () => [] });
}

function statusOf(action: () => unknown): { code: number; reason: string; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError)
      return { code: error.code, reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('ClusterApi', () => {
  it('refuses a write carrying a stale resourceVersion with 409 Conflict', () => {
    const { api } = plane();
    const first = api.create(RESOURCES.configmaps, 'default', configMap('a'));
    api.update(RESOURCES.configmaps, 'default', { ...structuredClone(first), data: { k: 'new' } });
    const stale = { ...structuredClone(first), data: { k: 'lost update' } };
    expect(statusOf(() => api.update(RESOURCES.configmaps, 'default', stale))).toEqual({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(api.get(RESOURCES.configmaps, 'default', 'a').data).toEqual({ k: 'new' });
  });

  it('counts spec changes in generation, not metadata or scale-free writes', () => {
    const { api } = plane();
    const created = api.create(RESOURCES.deployments, 'default', deployment());
    expect(created.metadata.generation).toBe(1);
    const labelled = api.patch(RESOURCES.deployments, 'default', 'vweb', 'application/merge-patch+json', {
      metadata: { labels: { tier: 'web' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = api.patch(RESOURCES.deployments, 'default', 'vweb', 'application/merge-patch+json', {
      spec: { replicas: 3 },
    });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('applies defaults and answers invalid objects with 422 and field causes', () => {
    const { api } = plane();
    const created = api.create(RESOURCES.deployments, 'default', deployment());
    expect(created.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    const broken = deployment(-1);
    broken.metadata.name = 'broken';
    const status = statusOf(() => api.create(RESOURCES.deployments, 'default', broken));
    expect(status.code).toBe(422);
    expect(status.message).toBe(
      'Deployment.apps "broken" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('pages a list with limit and continue', () => {
    const { api } = plane();
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      api.create(RESOURCES.configmaps, 'default', configMap(name));
    const first = api.list(RESOURCES.configmaps, 'default', { limit: 2 });
    expect(first.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const second = api.list(RESOURCES.configmaps, 'default', { limit: 2, continue: first.metadata.continue });
    expect(second.items.map((i) => i.metadata.name)).toEqual(['c', 'd']);
    const last = api.list(RESOURCES.configmaps, 'default', { limit: 2, continue: second.metadata.continue });
    expect(last.items.map((i) => i.metadata.name)).toEqual(['e']);
    expect(last.metadata.continue).toBeUndefined();
    expect(statusOf(() => api.list(RESOURCES.configmaps, 'default', { continue: 'garbage!' })).code).toBe(
      400,
    );
  });

  it('keeps nothing from a dry run', () => {
    const { api } = plane();
    const dry = api.create(RESOURCES.configmaps, 'default', configMap('dry'), { dryRun: true });
    expect(dry.metadata.uid).toBeDefined();
    expect(api.find(RESOURCES.configmaps, 'default', 'dry')).toBeUndefined();
  });

  it('tells a filtered watch that an object left its selector (DELETED) or joined it (ADDED)', () => {
    const { api } = plane();
    const events: WatchEvent[] = [];
    const watch = api.watch(RESOURCES.configmaps, 'default', { labelSelector: 'app=vweb' }, (e) =>
      events.push(e),
    );
    api.create(RESOURCES.configmaps, 'default', configMap('a', { app: 'vweb' }));
    api.patch(RESOURCES.configmaps, 'default', 'a', 'application/merge-patch+json', {
      metadata: { labels: { app: 'other' } },
    });
    api.patch(RESOURCES.configmaps, 'default', 'a', 'application/merge-patch+json', {
      metadata: { labels: { app: 'vweb' } },
    });
    api.create(RESOURCES.configmaps, 'default', configMap('unrelated', { app: 'other' }));
    watch.stop();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED']);
  });

  it('marks a bound pod for graceful deletion and removes an unbound one at once', () => {
    const { api } = plane();
    const pod = (name: string, nodeName?: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'nginx:1.18-alpine' }], ...(nodeName ? { nodeName } : {}) },
    });
    api.create(RESOURCES.pods, 'default', pod('unbound'));
    api.create(RESOURCES.pods, 'default', pod('bound', 'rollout-lab-worker'));
    api.delete(RESOURCES.pods, 'default', 'unbound');
    const marked = api.delete(RESOURCES.pods, 'default', 'bound');
    expect(api.find(RESOURCES.pods, 'default', 'unbound')).toBeUndefined();
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    api.delete(RESOURCES.pods, 'default', 'bound', { gracePeriodSeconds: 0 });
    // A grace period of zero is a forced deletion: the object goes at once.
    expect(api.find(RESOURCES.pods, 'default', 'bound')).toBeUndefined();
  });

  it('refuses content in a namespace that does not exist or is terminating', () => {
    const { api } = plane();
    expect(statusOf(() => api.create(RESOURCES.configmaps, 'nowhere', configMap('a'))).message).toBe(
      'namespaces "nowhere" not found',
    );
    api.create(RESOURCES.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'going' },
    });
    api.delete(RESOURCES.namespaces, undefined, 'going');
    expect(statusOf(() => api.create(RESOURCES.configmaps, 'going', configMap('a'))).message).toBe(
      'unable to create new content in namespace going because it is being terminated',
    );
  });
});
